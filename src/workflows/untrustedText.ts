/**
 * Where attacker-controlled text is, for one job: event fields an outsider fills (a pull request's
 * title, a comment's body, a branch name), and what carries them further inside the workflow — `env:`
 * values, step outputs, job outputs read through `needs`, and a matrix built with `fromJSON()`.
 * Checks ask `sources(str)` for the untrusted text a template string expands, each with the event
 * triggers that fill it and, for indirection, the place where the text entered.
 */
import type { CallContext } from './analysis.js';
import type { RelatedSpan } from './check.js';
import { flowingPaths } from './expressions.js';
import type { ExprOcc, Job, Step, TString, WorkflowModel } from './model.js';
import { parseShell, referencedVariables, type ShellCommand } from './shell.js';
import { asMap, get } from './yamlNodes.js';

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
  // Whatever the dispatcher sends: anyone with a token that can dispatch (write access), and any
  // outside text a dispatching service copies in.
  [/^github\.event\.client_payload(\.[^.]+)*$/, ['repository_dispatch']],
];

/** Whole objects that contain such fields, dangerous when expanded with toJSON(). */
const ATTACKER_OBJECTS: [RegExp, string[]][] = [
  [/^github$/, [...PR_EVENTS, 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'workflow_run', 'push', 'gollum', 'repository_dispatch']],
  [/^github\.event$/, [...PR_EVENTS, 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'workflow_run', 'push', 'gollum', 'repository_dispatch']],
  [/^github\.event\.(pull_request|pull_request\.head)$/, PR_EVENTS],
  [/^github\.event\.issue$/, ['issues', 'issue_comment']],
  [/^github\.event\.comment$/, ['issue_comment', 'discussion_comment', 'pull_request_review_comment']],
  [/^github\.event\.review$/, ['pull_request_review']],
  [/^github\.event\.discussion$/, ['discussion', 'discussion_comment']],
  [/^github\.event\.(head_commit|commits|commits\.[^.]+)$/, ['push']],
  [/^github\.event\.(workflow_run|workflow_run\.head_commit|workflow_run\.pull_requests)$/, ['workflow_run']],
  [/^github\.event\.pages$/, ['gollum']],
];

/** The events under which an expression path holds attacker text, or null. */
export function fieldEvents(path: string): string[] | null {
  for (const [re, evs] of ATTACKER_FIELDS) if (re.test(path)) return evs;
  for (const [re, evs] of ATTACKER_OBJECTS) if (re.test(path)) return evs;
  return null;
}

/** Untrusted text reaching a template string. */
export interface TextSource {
  /** The path as written where it is expanded (`github.event.issue.title`, `env.TITLE`, `steps.meta.outputs.title`). */
  path: string;
  /** The event field at the origin (equal to `path` when direct). */
  field: string;
  events: string[];
  occ: ExprOcc;
  /** For indirection: where the event text entered (the `env:` value, the output write, the caller's input). */
  origin?: RelatedSpan;
}

interface Carried {
  field: string;
  events: string[];
  origin: RelatedSpan;
}

export interface UntrustedText {
  /** The untrusted text an expression string expands, direct or carried. */
  sources(str: TString, job: Job, step?: Step): TextSource[];
  /** Env variables (as the shell sees them) that carry untrusted text into a step. */
  envCarriers(job: Job, step: Step): Map<string, Carried>;
  /** What an expression path other than `env.*` carries: a step or job output, the matrix, a caller's input. */
  carried(path: string, job: Job): Carried | undefined;
}

/** The first event field flowing into a string, directly or through a carrier already known. */
function directField(str: TString | null | undefined, carried: (path: string) => Carried | undefined): Carried | undefined {
  if (!str) return undefined;
  for (const occ of str.exprs) {
    if (!occ.parsed.ast) continue;
    for (const ref of flowingPaths(occ.parsed.ast)) {
      const evs = fieldEvents(ref.path);
      if (evs) return { field: ref.path, events: evs, origin: { span: occ.span, label: `\`${ref.path}\` enters here` } };
      const c = carried(ref.path);
      if (c) return c;
    }
  }
  return undefined;
}

/** The event text a caller passes as an input, through callers of callers (`with: t: ${{ inputs.t }}`). */
function fromInput(context: CallContext | undefined, name: string): Carried | undefined {
  const input = context?.inputs.get(name);
  if (!input) return undefined;
  const c = directField(input.value, (p) => {
    const m = /^inputs\.([^.]+)$/.exec(p);
    return m ? fromInput(context!.parent, m[1]!) : undefined;
  });
  if (!c) return undefined;
  // Text that entered in the caller's own event: point there, in the caller's file.
  return c.origin.model ? c : { ...c, origin: { span: c.origin.span, label: `the caller passes \`${c.field}\` as input \`${name}\``, model: input.model } };
}

/** Commands of a script that write to $GITHUB_OUTPUT (or the old `::set-output`), with the output name. */
function outputWrites(script: string): { name: string; cmd: ShellCommand; text: string }[] {
  const out: { name: string; cmd: ShellCommand; text: string }[] = [];
  for (const p of parseShell(script)) {
    const last = p.commands[p.commands.length - 1];
    if (!last) continue;
    const toOutput = last.redirects.some((r) => /GITHUB_OUTPUT/.test(r.target)) || (last.args[0] === 'tee' && last.args.some((a) => /GITHUB_OUTPUT/.test(a)));
    const text = [p.text, ...p.commands.map((c) => c.heredoc ?? '')].join('\n');
    if (toOutput) {
      for (const m of text.matchAll(/(?:^|["'\s])([A-Za-z_][A-Za-z0-9_-]*)(?:=|<<)/g)) out.push({ name: m[1]!.toLowerCase(), cmd: p.commands[0]!, text });
    }
    for (const m of p.text.matchAll(/::set-output name=([A-Za-z_][A-Za-z0-9_-]*)::/g)) out.push({ name: m[1]!.toLowerCase(), cmd: p.commands[0]!, text: p.text });
  }
  return out;
}

/**
 * `context`: the caller a reusable workflow or local action is judged for; its inputs then carry
 * whatever event text the caller passes (`with: title: ${{ github.event.issue.title }}`).
 */
export function untrustedText(model: WorkflowModel, context?: CallContext): UntrustedText {
  const stepOutputs = new Map<string, Carried>(); // `<job>/<step id>/<output>`
  const jobOutputs = new Map<string, Carried>(); // `<job>/<output>`
  const matrixOf = new Map<string, Carried>(); // job id

  const envCarriers = (job: Job, step: Step): Map<string, Carried> => {
    const out = new Map<string, Carried>();
    const lookup = (path: string): Carried | undefined => carriedPath(path, job, out);
    for (const e of [...model.env, ...job.env, ...step.env]) {
      const c = directField(e.value, lookup);
      if (c) out.set(e.name, { ...c, origin: { span: e.value!.node.span, label: `\`${e.name}\` carries \`${c.field}\`` } });
      else out.delete(e.name);
    }
    return out;
  };

  const carriedPath = (path: string, job: Job, env?: Map<string, Carried>): Carried | undefined => {
    let m = /^env\.([a-z0-9_]+)$/.exec(path);
    if (m && env) for (const [k, v] of env) if (k.toLowerCase() === m[1]) return v;
    m = /^steps\.([^.]+)\.outputs\.([^.]+)$/.exec(path);
    if (m) return stepOutputs.get(`${job.id}/${m[1]}/${m[2]}`);
    m = /^needs\.([^.]+)\.outputs\.([^.]+)$/.exec(path);
    if (m) return jobOutputs.get(`${m[1]}/${m[2]}`);
    if (/^matrix(\.|$)/.test(path)) return matrixOf.get(job.id);
    m = /^inputs\.([^.]+)$/.exec(path);
    return m ? fromInput(context, m[1]!) : undefined;
  };

  // Jobs in file order; `needs` usually point backwards, and a second pass picks up the rest.
  for (let pass = 0; pass < 2; pass++) {
    for (const job of model.jobs) {
      const m = job.matrix;
      for (const str of m ? job.strings.filter((s) => s.node.span.start >= m.span.start && s.node.span.end <= m.span.end) : []) {
        const mc = directField(str, (p) => carriedPath(p, job));
        if (mc) {
          matrixOf.set(job.id, { ...mc, origin: { span: str.node.span, label: `the matrix is built from \`${mc.field}\`` } });
          break;
        }
      }
      for (const step of job.steps) {
        if (!step.id || !step.run) continue;
        const env = envCarriers(job, step);
        const shellVars = new Map(env);
        for (const w of outputWrites(step.run.value)) {
          // Shell variables assigned from carried text earlier in the script count too.
          for (const p of parseShell(step.run.value)) {
            const a = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(p.text.trim());
            if (!a) continue;
            const v = referencedVariables(a[2]!).map((n) => shellVars.get(n)).find(Boolean);
            if (v) shellVars.set(a[1]!, v);
          }
          const fake: TString = { ...step.run, exprs: step.run.exprs.filter((o) => w.text.includes(`\${{${o.part.text}}}`)) };
          const c = directField(fake, (p) => carriedPath(p, job, env))
            ?? referencedVariables(w.text).map((n) => shellVars.get(n)).find((x): x is Carried => x !== undefined);
          if (c) {
            stepOutputs.set(`${job.id}/${step.id.toLowerCase()}/${w.name}`, {
              ...c,
              origin: { span: step.runKey?.span ?? step.run.node.span, label: `step \`${step.id}\` writes \`${c.field}\` to its output \`${w.name}\`` },
            });
          }
        }
      }
      const outputs = asMap(get(job.node, 'outputs'));
      for (const p of outputs?.pairs ?? []) {
        const str = job.strings.find((s) => s.node === p.value);
        const c = directField(str, (path) => carriedPath(path, job));
        if (c) jobOutputs.set(`${job.id.toLowerCase()}/${p.key.text.toLowerCase()}`, c);
      }
    }
  }

  return {
    envCarriers,
    carried: (path, job) => carriedPath(path, job),
    sources(str, job, step) {
      const env = step ? envCarriers(job, step) : new Map<string, Carried>();
      const out: TextSource[] = [];
      for (const occ of str.exprs) {
        if (!occ.parsed.ast) continue;
        const seen = new Set<string>();
        for (const ref of flowingPaths(occ.parsed.ast)) {
          if (seen.has(ref.path)) continue;
          seen.add(ref.path);
          const evs = fieldEvents(ref.path);
          if (evs) {
            out.push({ path: ref.path, field: ref.path, events: evs, occ });
            continue;
          }
          const c = carriedPath(ref.path, job, env);
          if (c) out.push({ path: ref.path, field: c.field, events: c.events, occ, origin: c.origin });
        }
      }
      return out;
    },
  };
}
