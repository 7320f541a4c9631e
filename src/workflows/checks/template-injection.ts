/**
 * template-injection: attacker-controlled event fields expanded with `${{ }}` inside a `run:` script
 * or an actions/github-script `script:`, in a job an outsider can start while it holds secrets or a
 * write token. The expansion happens before the shell or JavaScript parses the text, so a title such
 * as `"; curl …| sh #` becomes code.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, triggersIn, weakest, type GuardFlags } from '../analysis.js';
import { triggerRelated, type WorkflowCheck } from '../check.js';
import { flowingPaths } from '../expressions.js';
import type { Trigger, TString } from '../model.js';
import { actionName } from '../steps.js';
import type { Severity } from '../../findings/finding.js';

const PR_EVENTS = ['pull_request_target', 'pull_request', 'pull_request_review', 'pull_request_review_comment'];
const COMMIT_FIELDS = '(message|author\\.(name|email)|committer\\.(name|email))';

/** Event fields an outsider can fill with arbitrary text, with the events that carry them. */
const ATTACKER_FIELDS: [RegExp, string[]][] = [
  [/^github\.event\.issue\.(title|body)$/, ['issues', 'issue_comment']],
  [/^github\.event\.pull_request\.(title|body|head\.ref|head\.label|head\.repo\.(default_branch|description|homepage))$/, PR_EVENTS],
  [/^github\.head_ref$/, PR_EVENTS],
  [/^github\.event\.comment\.body$/, ['issue_comment', 'discussion_comment', 'pull_request_review_comment', 'commit_comment']],
  [/^github\.event\.review\.body$/, ['pull_request_review']],
  [/^github\.event\.review_comment\.body$/, ['pull_request_review_comment']],
  [/^github\.event\.discussion\.(title|body)$/, ['discussion', 'discussion_comment']],
  [/^github\.event\.pages\.[^.]+\.(page_name|title)$/, ['gollum']],
  [new RegExp(`^github\\.event\\.(head_commit\\.${COMMIT_FIELDS}|commits\\.[^.]+\\.${COMMIT_FIELDS})$`), ['push']],
  [new RegExp(`^github\\.event\\.workflow_run\\.(head_branch|display_title|head_commit\\.${COMMIT_FIELDS}|pull_requests\\.[^.]+\\.head\\.ref|head_repository\\.description)$`), ['workflow_run']],
];

/** Whole objects that contain such fields, dangerous when expanded with toJSON(). */
const ATTACKER_OBJECTS: [RegExp, string[]][] = [
  [/^github$/, [...PR_EVENTS, 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'workflow_run', 'push', 'gollum']],
  [/^github\.event$/, [...PR_EVENTS, 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'workflow_run', 'push', 'gollum']],
  [/^github\.event\.(pull_request|pull_request\.head)$/, PR_EVENTS],
  [/^github\.event\.issue$/, ['issues', 'issue_comment']],
  [/^github\.event\.comment$/, ['issue_comment', 'discussion_comment', 'pull_request_review_comment']],
  [/^github\.event\.review$/, ['pull_request_review']],
  [/^github\.event\.discussion$/, ['discussion', 'discussion_comment']],
  [/^github\.event\.(head_commit|commits|commits\.[^.]+)$/, ['push']],
  [/^github\.event\.(workflow_run|workflow_run\.head_commit|workflow_run\.pull_requests)$/, ['workflow_run']],
  [/^github\.event\.pages$/, ['gollum']],
];

/** Triggers under which an outsider can put text in the event and the job is privileged. */
const TEXT_TRIGGERS = new Set([...PRIVILEGED_UNTRUSTED, 'pull_request_review', 'pull_request_review_comment', 'gollum', 'push', 'workflow_call']);

function fieldEvents(path: string): string[] | null {
  for (const [re, evs] of ATTACKER_FIELDS) if (re.test(path)) return evs;
  for (const [re, evs] of ATTACKER_OBJECTS) if (re.test(path)) return evs;
  return null;
}

function severityFor(trigger: string, privileged: boolean, guard: GuardFlags): Severity {
  if (guard.fork || guard.author || guard.label || guard.merged || guard.actor) return 'low';
  if (trigger === 'workflow_call') return 'medium';
  if (!privileged) return 'medium';
  if (PRIVILEGED_UNTRUSTED.has(trigger)) return 'critical';
  return 'high';
}

export const templateInjection: WorkflowCheck = {
  id: 'template-injection',
  category: 'workflow',
  description: 'Attacker-controlled event text is expanded with ${{ }} into a run: script or github-script in a privileged job.',
  run({ model, analysis, report }) {
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const isAction = model.kind === 'action';
      for (const step of job.steps) {
        const sinks: { str: TString; kind: string }[] = [];
        if (step.run) sinks.push({ str: step.run, kind: 'run' });
        if (actionName(step) === 'actions/github-script') {
          const s = step.with.get('script')?.value;
          if (s) sinks.push({ str: s, kind: 'script' });
        }
        if (sinks.length === 0) continue;
        const reach = isAction ? [] : triggersIn(facts, TEXT_TRIGGERS, step);
        if (!isAction && reach.length === 0) continue;
        const privileged = facts.holdsSecrets || facts.tokenMayWrite;
        for (const { str, kind } of sinks) {
          for (const occ of str.exprs) {
            const ast = occ.parsed.ast;
            if (!ast) continue;
            const seen = new Set<string>();
            for (const ref of flowingPaths(ast)) {
              const evs = fieldEvents(ref.path);
              if (!evs || seen.has(ref.path)) continue;
              seen.add(ref.path);
              const expr = `\${{${occ.part.text}}}`;
              const fix = kind === 'run'
                ? `Pass it through an environment variable instead (\`env: VALUE: ${expr.replace(/\s+/g, ' ')}\`, then \`"$VALUE"\` in the script).`
                : 'Pass it through `env:` and read `process.env.VALUE` in the script.';
              const sink = kind === 'run' ? 'a `run:` script' : 'an actions/github-script `script:`';
              const what = `${job.id}/${step.key}/${kind}/${ref.path}`;
              if (isAction) {
                report({
                  severity: 'medium',
                  message: `\`${ref.path}\` is expanded into ${sink} of this composite action; a workflow that runs it on an outsider's event hands them code execution. ${fix}`,
                  span: occ.span,
                  what,
                });
                continue;
              }
              const applicable = reach.filter((r) => r.trigger.name === 'workflow_call' || evs.includes(r.trigger.name));
              const w = weakest(applicable);
              if (!w) continue;
              const severity = severityFor(w.trigger.name, privileged, w.guard);
              const who = w.trigger.name === 'push'
                ? 'commit messages and author names come from whoever wrote the merged commits'
                : w.trigger.name === 'workflow_call'
                  ? 'the caller\'s event decides who controls it'
                  : `anyone who can ${w.trigger.name.startsWith('pull_request') ? 'open or review a pull request' : w.trigger.name === 'workflow_run' ? 'open a pull request that triggers the upstream workflow' : 'open an issue or comment'} controls it`;
              const guardNote = severity === 'low' ? ` The job is behind ${describeGuard(w.guard)}, so only trusted people reach it; still, ${fix.charAt(0).toLowerCase()}${fix.slice(1)}` : ` ${fix}`;
              const rel: Trigger = w.trigger;
              report({
                severity,
                message: `\`${ref.path}\` is expanded into ${sink} of \`${w.trigger.name}\` job \`${job.id}\`${privileged ? ', which holds secrets or a write token' : ''}; ${who}, so it can inject code.${guardNote}`,
                span: occ.span,
                related: [triggerRelated(rel)],
                what,
              });
            }
          }
        }
      }
    }
  },
};
