/**
 * Which secrets each workflow job uses, and which triggers reach that job: the workflow side of the
 * cross-check with where each secret is stored. Built from the workflow model and its per-job
 * analysis (src/workflows/), so guards such as a same-repository check are understood. Local
 * composite actions are read too (their steps are one pseudo-job without triggers).
 */
import { analyse, triggersIn, type GuardFlags } from '../workflows/analysis.js';
import { COMPOSITE_JOB_ID } from '../workflows/check.js';
import { buildModel, type Job, type TString, type WorkflowModel } from '../workflows/model.js';
import type { Span } from '../workflows/yamlNodes.js';

export interface WorkflowText {
  /** Repository-relative path with forward slashes. */
  file: string;
  text: string;
}

/**
 * Where in the file a reference sits: the workflow's `env:` (every step of every job gets it), a
 * job's `env:`, a step, or elsewhere in the job (`with:`/`secrets:` of a reusable-workflow call, `if:`).
 */
export type SecretUseLevel = 'workflow-env' | 'job-env' | 'step' | 'job';

export interface SecretUse {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  lineText: string;
  job: string;
  /** The job's `name:`, when it has one. */
  jobName?: string;
  /** The secret's name, or `*` when the job gets every secret (`secrets: inherit`, `toJSON(secrets)`). */
  secret: string;
  /** The job's `environment:` when it is a literal name. */
  environment?: string;
  /** The job names an environment through an expression: which one is unknown. */
  dynamicEnvironment?: boolean;
  /** Every trigger that can start the job, with the guards that hold for it. */
  triggers: Array<{ name: string; guard: GuardFlags }>;
  level: SecretUseLevel;
  /** For `step`: the step's label; `action` is its `uses:` and `input` the `with:` key the secret is given to. */
  step?: string;
  action?: string;
  input?: string;
  /** The job calls a reusable workflow (`jobs.<id>.uses`). */
  calls?: string;
  /**
   * The file is a reusable workflow only (`on: workflow_call`) or a composite action: the secret comes
   * from its caller, under a name the caller chooses.
   */
  fromCaller: boolean;
}

function position(model: WorkflowModel, span: Span) {
  const start = model.lineCounter.linePos(span.start);
  const end = model.lineCounter.linePos(Math.max(span.end, span.start));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col, lineText: model.lines[start.line - 1] ?? '' };
}

interface Place {
  level: SecretUseLevel;
  step?: string;
  action?: string;
  input?: string;
}

/** Where each string of a job sits: workflow env, job env, which step and which `with:` input. */
function placesOf(model: WorkflowModel, job: Job): Map<TString, Place> {
  const out = new Map<TString, Place>();
  for (const e of model.env) if (e.value) out.set(e.value, { level: 'workflow-env' });
  for (const e of job.env) if (e.value) out.set(e.value, { level: 'job-env' });
  for (const step of job.steps) {
    const action = step.uses?.value.trim();
    for (const s of step.strings) out.set(s, { level: 'step', step: step.label, ...(action ? { action } : {}) });
    for (const [input, w] of step.with) if (w.value) out.set(w.value, { level: 'step', step: step.label, ...(action ? { action } : {}), input });
  }
  return out;
}

export function secretUsesIn(workflows: WorkflowText[]): SecretUse[] {
  const uses: SecretUse[] = [];
  for (const { file, text } of workflows) {
    const model = buildModel(file, text);
    if (model.kind === 'action' && model.jobs.length === 0) continue;
    const fromCaller = model.kind === 'action' || (model.triggers.length > 0 && model.triggers.every((t) => t.name === 'workflow_call'));
    const analysis = analyse(model);
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const triggers = triggersIn(facts, new Set(facts.triggers.map((t) => t.name))).map((t) => ({ name: t.trigger.name, guard: t.guard }));
      const environmentNode = facts.job.environment?.name;
      const environment = environmentNode && environmentNode.exprs.length === 0 ? facts.environmentName : undefined;
      const places = placesOf(model, job);
      const calls = job.uses?.value.trim();
      const common = {
        job: job.id,
        ...(job.name && job.id !== COMPOSITE_JOB_ID ? { jobName: job.name } : {}),
        ...(environment ? { environment } : {}),
        ...(environmentNode && environmentNode.exprs.length > 0 ? { dynamicEnvironment: true } : {}),
        triggers,
        ...(calls ? { calls } : {}),
        fromCaller,
      };
      // One use per secret and place (workflow env, job env, each step): the first reference there.
      const seen = new Set<string>();
      const add = (secret: string, span: Span, place: Place) => {
        const key = `${secret}\0${place.level}\0${place.step ?? ''}\0${place.input ?? ''}`;
        if (seen.has(key)) return;
        seen.add(key);
        uses.push({ file, ...position(model, span), secret, ...common, ...place });
      };
      for (const ref of facts.secrets) add(ref.name, ref.occ.span, places.get(ref.occ.str) ?? { level: 'job' });
      for (const occ of facts.broadSecrets) add('*', occ.span, places.get(occ.str) ?? { level: 'job' });
      if (facts.inheritsSecrets && job.secrets) add('*', job.secrets.keyNode.span, { level: 'job' });
    }
  }
  return uses;
}
