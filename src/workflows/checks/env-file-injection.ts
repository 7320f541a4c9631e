/**
 * env-file-injection: a job an outsider can start writes text they control to $GITHUB_ENV or
 * $GITHUB_PATH (or has the `::set-env`/`::add-path` log commands switched back on). Every later step
 * of the job then runs with the variables the attacker chose: `LD_PRELOAD`, `NODE_OPTIONS`,
 * `BASH_ENV`, a `PATH` that puts their directory first, while the job's secrets are in reach.
 * A newline in the text is enough to add a variable, so quoting does not help.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, isGuarded, triggersIn, weakest } from '../analysis.js';
import { stepWhere, triggerRelated, type CheckContext, type RelatedSpan, type WorkflowCheck } from '../check.js';
import { locateInString } from '../locate.js';
import { flowingPaths } from '../expressions.js';
import type { ExprOcc, Job, Step, TString } from '../model.js';
import { parseShell, referencedVariables, type ShellCommand } from '../shell.js';
import { actionName, isTrue } from '../steps.js';
import { fieldEvents, untrustedText } from '../untrustedText.js';
import type { Severity } from '../../findings/finding.js';
import { asMap, asScalar, asSeq, get, type Span, type YNode } from '../yamlNodes.js';

/**
 * A shell word naming an environment file: `$GITHUB_ENV`, `"${GITHUB_PATH}"`, `${{ env.GITHUB_ENV }}`,
 * `$env:GITHUB_ENV` (PowerShell), `%GITHUB_ENV%` (cmd).
 */
const ENV_FILE = /(?:\$\{?|\$env:|%|\$\{\{\s*env\.)(GITHUB_ENV|GITHUB_PATH)\b/i;

/** Payload fields github-script reads through `context.payload`, by the events that fill them. */
const PAYLOAD_FIELDS = /context\.payload\.(pull_request\.(title|body|head\.ref|head\.label)|issue\.(title|body)|comment\.body|review\.body|discussion\.(title|body)|workflow_run\.(head_branch|display_title|head_commit\.message))/;

interface Taint {
  what: string;
  events: string[];
  origin?: RelatedSpan;
}

function envFileOf(cmd: ShellCommand): string | null {
  for (const r of cmd.redirects) {
    if (!/>/.test(r.op)) continue;
    const m = ENV_FILE.exec(r.target);
    if (m) return m[1]!.toUpperCase();
  }
  const c0 = (cmd.args[0] ?? '').toLowerCase();
  if (c0 === 'tee' || c0 === 'add-content' || c0 === 'out-file' || c0 === 'set-content') {
    for (const a of cmd.args.slice(1)) {
      const m = ENV_FILE.exec(a);
      if (m) return m[1]!.toUpperCase();
    }
  }
  return null;
}

/** A write in the `NAME<<$DELIM` form with a delimiter the attacker cannot know (a variable) and a fixed name. */
function randomDelimiter(text: string): boolean {
  return /[A-Za-z_][A-Za-z0-9_]*<<\s*"?\$\{?[A-Za-z_]/.test(text);
}

export const envFileInjection: WorkflowCheck = {
  id: 'env-file-injection',
  category: 'workflow',
  followsCallers: true,
  description: 'A job an outsider can start writes text they control to $GITHUB_ENV or $GITHUB_PATH, or re-enables ::set-env, so later steps run with variables the attacker chose.',
  run(ctx) {
    const { model } = ctx;
    // An action is judged where a caller runs it (its inputs then carry the caller's event text).
    if (model.kind !== 'workflow' && !ctx.analysis.context) return;
    if (!ctx.analysis.context) unsecureCommands(ctx);
    const untrusted = untrustedText(model, ctx.analysis.context);
    for (const job of model.jobs) {
      const facts = ctx.analysis.facts(job);
      for (const step of job.steps) {
        const reach = triggersIn(facts, PRIVILEGED_UNTRUSTED, step);
        if (reach.length === 0) continue;
        const privileged = facts.holdsSecrets || facts.tokenMayWrite;
        const carriers = untrusted.envCarriers(job, step);
        const emit: Emit = (file, taint, span, line) => {
          const w = weakest(reach.filter((r) => taint.events.includes(r.trigger.name)));
          if (!w) return;
          const guarded = isGuarded(w.guard);
          const severity: Severity = guarded ? 'low' : privileged ? 'critical' : 'high';
          const effect = file === 'GITHUB_PATH'
            ? 'puts a directory of their choosing first on PATH for every later step'
            : 'can add any variable (`LD_PRELOAD`, `NODE_OPTIONS`, `BASH_ENV`) to every later step, with a newline in the text';
          const fix = 'Do not write event text to environment files: pass it to the steps that need it with `env:` and use it as `"$VALUE"`; if it must be shared, validate it first (e.g. digits only) or use the `NAME<<$DELIMITER` form with a random delimiter.';
          ctx.report({
            severity,
            message: guarded
              ? `${stepWhere(job, step)} writes ${taint.what} to $${file} behind ${describeGuard(w.guard)}; only trusted people start it, but whoever writes that text ${effect}. ${fix}`
              : `${stepWhere(job, step)} writes ${taint.what} to $${file} in ${w.trigger.via ? `a run of ${w.trigger.via.model.file} on \`${w.trigger.name}\`` : `this \`${w.trigger.name}\` run`}, which an outsider can start; the text ${effect}${privileged ? ', with the job\'s secrets or write token in reach' : ''}. ${fix}`,
            span,
            related: [...(taint.origin ? [taint.origin] : []), triggerRelated(w.trigger)],
            what: `${job.id}/${step.key}/${file}/${line}`,
          });
        };
        if (step.run) scanScript(step.run, carriers, emit, model, (path) => untrusted.carried(path, job));
        if (actionName(step) === 'actions/github-script') scanGithubScript(step, emit, model);
      }
    }
  },
};

type Emit = (file: string, taint: Taint, span: Span, line: string) => void;

type Carrier = { field: string; events: string[]; origin: RelatedSpan };

function scanScript(run: TString, carriers: Map<string, Carrier>, emit: Emit, model: CheckContext['model'], carried: (path: string) => Carrier | undefined): void {
  // Shell variables set from carried text inside the script: `msg=$(echo "$TITLE" | sed ...)`.
  const tainted = new Map<string, Taint>();
  for (const [name, c] of carriers) tainted.set(name, { what: `\`$${name}\` (it carries \`${c.field}\`)`, events: c.events, origin: c.origin });
  for (const p of parseShell(run.value)) {
    const text = [p.text, ...p.commands.map((c) => c.heredoc ?? '')].join('\n');
    const exprTaint = (): Taint | undefined => {
      for (const occ of run.exprs) {
        if (!text.includes(`\${{${occ.part.text}}}`) || !occ.parsed.ast) continue;
        for (const ref of flowing(occ)) {
          const evs = fieldEvents(ref);
          if (evs) return { what: `\`${ref}\``, events: evs, origin: { span: occ.span, label: `\`${ref}\` enters here` } };
          const m = /^env\.([a-z0-9_]+)$/.exec(ref);
          const c = m ? [...carriers].find(([k]) => k.toLowerCase() === m[1]) : undefined;
          if (c) return { what: `\`${ref}\` (it carries \`${c[1].field}\`)`, events: c[1].events, origin: c[1].origin };
          const o = m ? undefined : carried(ref);
          if (o) return { what: `\`${ref}\` (it carries \`${o.field}\`)`, events: o.events, origin: o.origin };
        }
      }
      return undefined;
    };
    const varTaint = (): Taint | undefined => {
      for (const v of referencedVariables(text)) {
        const t = tainted.get(v);
        if (t) return t;
      }
      return undefined;
    };
    const assign = /^(?:export\s+|local\s+|declare\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(p.text.trim());
    if (assign && !ENV_FILE.test(p.text)) {
      const t = exprTaint() ?? varTaint();
      if (t) tainted.set(assign[1]!, { ...t, what: `\`$${assign[1]!}\` (derived from ${t.what})` });
      continue;
    }
    const writer = p.commands.map((c) => ({ c, file: envFileOf(c) })).find((x) => x.file !== null);
    if (!writer) continue;
    if (randomDelimiter(text)) continue;
    const t = exprTaint() ?? varTaint();
    if (!t) continue;
    const first = p.commands[0]!;
    emit(writer.file!, t, locateInString(model, run, first.line, first.words.join(' ')), p.text.trim());
  }
}

function flowing(occ: ExprOcc): string[] {
  return occ.parsed.ast ? flowingPaths(occ.parsed.ast).map((r) => r.path) : [];
}

/** github-script calling `core.exportVariable` / `core.addPath` with a payload field. */
function scanGithubScript(step: Step, emit: Emit, model: CheckContext['model']): void {
  const script = step.with.get('script')?.value;
  if (!script) return;
  script.value.split(/\r?\n/).forEach((line, idx) => {
    const call = /core\.(exportVariable|addPath)\s*\(/.exec(line);
    if (!call) return;
    const file = call[1] === 'addPath' ? 'GITHUB_PATH' : 'GITHUB_ENV';
    const m = PAYLOAD_FIELDS.exec(line);
    if (!m) return;
    const field = `github.event.${m[1]}`;
    const events = fieldEvents(field);
    if (!events) return;
    emit(file, { what: `\`${m[0]}\` through \`core.${call[1]}\``, events }, locateInString(model, script, idx, line.trim()), line.trim());
  });
}

const UNSECURE = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';
const MATRIX_REF = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/;

/** What the matrix may give `matrix.<name>`: its own list and its `include` entries. */
function matrixValues(job: Job, name: string): YNode[] {
  if (!job.matrix) return [];
  const direct = asSeq(get(job.matrix, name))?.items ?? [];
  const included = (asSeq(get(job.matrix, 'include'))?.items ?? []).map((i) => get(asMap(i), name)).filter((x): x is YNode => x !== null);
  return [...direct, ...included];
}

/** `ACTIONS_ALLOW_UNSECURE_COMMANDS: true` turns `::set-env` and `::add-path` back on for every printed line. */
function unsecureCommands(ctx: CheckContext): void {
  const { model, analysis } = ctx;
  const flag = (span: Span, jobs: readonly Job[], where: string): void => {
    const reach = jobs.flatMap((j) => triggersIn(analysis.facts(j), PRIVILEGED_UNTRUSTED));
    const w = weakest(reach);
    const exposed = w !== undefined && !isGuarded(w.guard);
    ctx.report({
      severity: exposed ? 'high' : 'medium',
      message: `\`${UNSECURE}: true\` in ${where} re-enables the \`::set-env\` and \`::add-path\` log commands, so any step that prints text it did not write (a test name, a file, ${exposed ? `the event of this \`${w.trigger.name}\` run` : 'an API response'}) can set variables and PATH for the steps after it. Remove it and write to $GITHUB_ENV / $GITHUB_PATH instead.`,
      span,
      ...(w ? { related: [triggerRelated(w.trigger)] } : {}),
      what: `unsecure-commands/${where}`,
    });
  };
  for (const e of model.env) if (e.name.toUpperCase() === UNSECURE && isTrue(e.value?.value)) flag(e.key.span, model.jobs, 'the workflow');
  for (const job of model.jobs) {
    const holders = [
      { node: job.node, env: job.env, where: `job \`${job.id}\`` },
      ...job.steps.map((st) => ({ node: st.node, env: st.env, where: stepWhere(job, st) })),
    ];
    for (const { node, env, where } of holders) {
      for (const e of env) {
        if (e.name.toUpperCase() !== UNSECURE) continue;
        if (isTrue(e.value?.value)) {
          flag(e.key.span, [job], where);
          continue;
        }
        // `ACTIONS_ALLOW_UNSECURE_COMMANDS: ${{ matrix.x }}` with `true` among the matrix values.
        const ref = MATRIX_REF.exec(e.value?.value.trim() ?? '')?.[1];
        if (ref && matrixValues(job, ref).some((v) => isTrue(asScalar(v)?.text))) flag(e.key.span, [job], `${where} (through \`matrix.${ref}\`)`);
      }
      // `env: ${{ matrix.x }}`: the whole env comes from the matrix; report the key where it is set.
      const ref = MATRIX_REF.exec(asScalar(get(node, 'env'))?.text.trim() ?? '')?.[1];
      if (!ref) continue;
      for (const value of matrixValues(job, ref)) {
        const pair = asMap(value)?.pairs.find((p) => p.key.text.trim().toUpperCase() === UNSECURE);
        if (pair && isTrue(asScalar(pair.value)?.text)) flag(pair.key.span, [job], `${where} (through \`matrix.${ref}\`)`);
      }
    }
  }
}
