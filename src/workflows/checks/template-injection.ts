/**
 * template-injection: attacker-controlled event fields expanded with `${{ }}` inside a `run:` script
 * or an input that an action runs as code (actions/github-script `script:` and the others of
 * codeInputs.ts), in a job an outsider can start while it holds secrets or a
 * write token. The expansion happens before the shell or JavaScript parses the text, so a title such
 * as `"; curl …| sh #` becomes code.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, triggersIn, weakest, type GuardFlags } from '../analysis.js';
import { triggerRelated, triggeredJob, type RelatedSpan, type WorkflowCheck } from '../check.js';
import type { Trigger, TString, WorkflowModel } from '../model.js';
import { parseShell, referencedVariables } from '../shell.js';
import type { Span } from '../yamlNodes.js';
import { locateInString } from '../locate.js';
import { actionName } from '../steps.js';
import { codeInputsOf, type CodeInput } from '../codeInputs.js';
import { untrustedText } from '../untrustedText.js';
import type { Severity } from '../../findings/finding.js';

/** Triggers under which an outsider can put text in the event and the job is privileged. */
const TEXT_TRIGGERS = new Set([...PRIVILEGED_UNTRUSTED, 'pull_request_review', 'pull_request_review_comment', 'gollum', 'push', 'workflow_call', 'repository_dispatch']);

/** Shell commands that run their argument as code: a carried variable there is injection even when quoted. */
const EVALUATORS: [RegExp, string][] = [
  [/^(bash|sh|zsh|dash|ksh|python3?|node|ruby|perl|php)$/, '-c/-e'],
];

function severityFor(trigger: string, privileged: boolean, guard: GuardFlags): Severity {
  if (guard.fork || guard.author || guard.label || guard.merged || guard.actor) return 'low';
  // The dispatcher already holds a token with write access: injection widens it to the job's secrets.
  if (trigger === 'workflow_call' || trigger === 'repository_dispatch') return 'medium';
  if (!privileged) return 'medium';
  if (PRIVILEGED_UNTRUSTED.has(trigger)) return 'critical';
  return 'high';
}

interface Sink {
  /** What is expanded: an expression path, or a shell variable run as code. */
  path: string;
  field: string;
  events: string[];
  span: Span;
  origin?: RelatedSpan;
  /** `${{ }}` text for the fix, when the sink is an expression. */
  expr?: string;
  /** The command that runs a carried variable as code (`eval "$X"`). */
  evaluator?: string;
}

/** `eval "$X"`, `bash -c "$X"`, `python -c "$X"` with X carrying event text: quoting does not help there. */
type Carriers = Map<string, { field: string; events: string[]; origin: RelatedSpan }>;

function evaluatedVariables(model: WorkflowModel, run: TString, carriers: Carriers): Sink[] {
  const out: Sink[] = [];
  if (carriers.size === 0) return out;
  for (const p of parseShell(run.value)) {
    for (const cmd of p.commands) {
      const [c0, ...rest] = cmd.args;
      if (!c0) continue;
      // `$COMMAND` or `eval "$COMMAND"` (eval is dropped as a wrapper): the variable is the program.
      const asProgram = /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(cmd.words[0] ?? '');
      const runAs = asProgram ? carriers.get(asProgram[1]!) : undefined;
      if (asProgram && runAs) {
        const how = /\beval\s/.test(p.text) ? 'eval' : 'the shell (as the command name)';
        out.push({ path: `$${asProgram[1]!}`, field: runAs.field, events: runAs.events, span: locateInString(model, run, cmd.line, p.text.trim()), origin: runAs.origin, evaluator: how });
        continue;
      }
      const base = c0.split('/').pop() ?? c0;
      const ev = EVALUATORS.find(([re]) => re.test(base));
      if (!ev) continue;
      // An interpreter runs the argument after -c / -e as code.
      const codeIdx = rest.findIndex((a) => a === '-c' || a === '-e' || a === '--eval') + 1;
      if (codeIdx === 0) continue;
      const words = cmd.words.slice(1 + codeIdx, 2 + codeIdx);
      for (const v of words.flatMap((w) => referencedVariables(w))) {
        const c = carriers.get(v);
        if (!c) continue;
        out.push({ path: `$${v}`, field: c.field, events: c.events, span: locateInString(model, run, cmd.line, cmd.words.join(' ')), origin: c.origin, evaluator: `${c0} ${rest[codeIdx - 1]}` });
        break;
      }
    }
  }
  return out;
}

export const templateInjection: WorkflowCheck = {
  id: 'template-injection',
  category: 'workflow',
  followsCallers: true,
  description: 'Attacker-controlled event text is expanded with ${{ }} into a run: script or an action input run as code (github-script, PowerShell, yq, ssh) in a privileged job, directly or through env, step outputs, job outputs or a matrix.',
  run({ model, analysis, report }) {
    const untrusted = untrustedText(model, analysis.context);
    // An action on its own has no trigger; judged for a caller, it has the caller's.
    const isAction = model.kind === 'action' && !analysis.context;
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      for (const step of job.steps) {
        const sinks: { str: TString; kind: 'run' | 'input'; input?: CodeInput }[] = [];
        if (step.run) sinks.push({ str: step.run, kind: 'run' });
        for (const input of codeInputsOf(actionName(step))) {
          const s = step.with.get(input.input)?.value;
          if (s) sinks.push({ str: s, kind: 'input', input });
        }
        if (sinks.length === 0) continue;
        const reach = isAction ? [] : triggersIn(facts, TEXT_TRIGGERS, step);
        if (!isAction && reach.length === 0) continue;
        const privileged = facts.holdsSecrets || facts.tokenMayWrite;
        for (const { str, kind, input } of sinks) {
          const found: Sink[] = untrusted.sources(str, job, step).map((src) => ({
            path: src.path,
            field: src.field,
            events: src.events,
            span: src.occ.span,
            origin: src.origin,
            expr: `\${{${src.occ.part.text}}}`.replace(/\s+/g, ' '),
          }));
          if (kind === 'run') found.push(...evaluatedVariables(model, str, untrusted.envCarriers(job, step)));
          const seen = new Set<string>();
          for (const sink of found) {
            const key = `${sink.span.start}:${sink.path}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const carried = sink.path !== sink.field ? ` (it carries \`${sink.field}\`)` : '';
            const fix = sink.evaluator
              ? `Do not run event text as code: pass it as data (\`"$${sink.path.slice(1)}"\` as an argument) and validate it.`
              : kind === 'run'
                ? /^env\./.test(sink.path)
                  ? `Read it as a shell variable (\`"$${sink.path.slice(4).toUpperCase()}"\`) instead of expanding \`${sink.expr}\` into the script.`
                  : `Pass it through an environment variable instead (\`env: VALUE: ${sink.expr}\`, then \`"$VALUE"\` in the script).`
                : input!.fix;
            const place = sink.evaluator
              ? `run as code by \`${sink.evaluator}\` in a \`run:\` script`
              : `expanded into ${kind === 'run' ? 'a `run:` script' : input!.action === 'actions/github-script' ? 'an actions/github-script `script:` (JavaScript injection)' : `the \`${step.uses?.value.split('@')[0] ?? input!.action}\` \`${step.with.get(input!.input)?.key.text ?? input!.input}:\` input (${input!.language} injection)`}`;
            // github-script's sink keeps the fingerprint it had before the table of code inputs.
            const sinkKey = kind === 'run' ? 'run' : input!.action === 'actions/github-script' ? 'script' : `${input!.action}:${input!.input}`;
            const what = sink.evaluator ? `${job.id}/${step.key}/eval/${sink.path}` : `${job.id}/${step.key}/${sinkKey}/${sink.path}`;
            const related = sink.origin ? [sink.origin] : [];
            if (isAction) {
              report({
                severity: 'medium',
                message: `\`${sink.path}\`${carried} is ${place} of this composite action; a workflow that runs it on an outsider's event hands them code execution. ${fix}`,
                span: sink.span,
                ...(related.length ? { related } : {}),
                what,
              });
              continue;
            }
            const applicable = reach.filter((r) => r.trigger.name === 'workflow_call' || sink.events.includes(r.trigger.name));
            const w = weakest(applicable);
            if (!w) continue;
            const severity = severityFor(w.trigger.name, privileged, w.guard);
            const who = w.trigger.name === 'push'
              ? 'commit messages and author names come from whoever wrote the merged commits'
              : w.trigger.name === 'workflow_call'
                ? 'the caller\'s event decides who controls it'
                : w.trigger.name === 'repository_dispatch'
                  ? 'whoever holds a token that can dispatch to this repository (or feeds text to a service that does) controls it'
                : `anyone who can ${w.trigger.name.startsWith('pull_request') ? 'open or review a pull request' : w.trigger.name === 'workflow_run' ? 'open a pull request that triggers the upstream workflow' : 'open an issue or comment'} controls it`;
            const guardNote = severity === 'low' ? ` The job is behind ${describeGuard(w.guard)}, so only trusted people reach it; still, ${fix.charAt(0).toLowerCase()}${fix.slice(1)}` : ` ${fix}`;
            const rel: Trigger = w.trigger;
            report({
              severity,
              message: `\`${sink.path}\`${carried} is ${place} of ${triggeredJob(w.trigger, job)}${privileged ? ', which holds secrets or a write token' : ''}; ${who}, so it can inject code.${guardNote}`,
              span: sink.span,
              related: [...related, triggerRelated(rel)],
              what,
            });
          }
        }
      }
    }
  },
};
