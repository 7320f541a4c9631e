/**
 * The contract of a workflow check: one module per check, with a stable kebab-case id, a one-line
 * description, and a `run` that visits the model and reports nodes. The audit (auditWorkflow.ts)
 * turns reports into findings: positions, line text, fingerprints.
 */
import { environmentOfWord } from '../environment/classify.js';
import type { Category, Severity } from '../findings/finding.js';
import type { Analysis } from './analysis.js';
import type { Trigger, WorkflowModel } from './model.js';
import type { WorkflowRepository } from './repository.js';
import type { Span } from './yamlNodes.js';

export interface WorkflowAuditOptions {
  /** Whether an environment name means production. Default: a name with a prod, production or live part. */
  isProductionEnvironment?: (name: string) => boolean;
  /** The repository the file belongs to: its callers and `workflow_run` upstreams (repository.ts). */
  repository?: WorkflowRepository;
}

export interface RelatedSpan {
  span: Span;
  label: string;
  /** The file the place is in, when not the audited one (a caller, an upstream workflow). */
  model?: WorkflowModel;
  /** Places that go with this one (the calls that lead from a caller's trigger to here). */
  also?: RelatedSpan[];
}

export interface CheckReport {
  severity: Severity;
  message: string;
  /** The most relevant node. */
  span: Span;
  related?: RelatedSpan[];
  /** Fingerprint material: job id, step key and what was found; never a line number. */
  what: string;
}

export interface CheckContext {
  model: WorkflowModel;
  analysis: Analysis;
  isProductionEnvironment: (name: string) => boolean;
  report(r: CheckReport): void;
}

export interface WorkflowCheck {
  id: string;
  category: Category;
  /** One line: what the check finds. */
  description: string;
  /**
   * Also run on a reusable workflow or local action as each caller runs it (with the caller's
   * triggers, inputs, secrets and token): the checks of untrusted code and text reaching secrets.
   */
  followsCallers?: boolean;
  run(ctx: CheckContext): void;
}

/**
 * The default production policy: a name made of parts (split at -, _, ., /, space, case changes) one
 * of which names production in the vocabulary file paths use (prod, production, prd, live, prod1),
 * not after `non`.
 */
export function defaultIsProductionEnvironment(name: string): boolean {
  const parts = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // `non-production`, `non-prod`: the opposite.
  return parts.some((p, i) => environmentOfWord(p) === 'production' && parts[i - 1] !== 'non');
}

export function triggerRelated(t: Trigger): RelatedSpan {
  if (!t.via) return { span: t.node.span, label: 'this trigger' };
  return {
    span: t.node.span,
    label: 'this trigger of the calling workflow',
    model: t.via.model,
    also: t.via.calls.map((c) => ({ span: c.span, label: c.label, model: c.model })),
  };
}

export function quoteList(items: string[], max = 4): string {
  const shown = items.slice(0, max).map((s) => `\`${s}\``);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

/**
 * The job a trigger starts, as messages name it: "`issue_comment` job `x`", or for code judged as a
 * caller runs it, "job `x` (called by caller.yml on `pull_request_target`)", "this action (used
 * by caller.yml on `pull_request_target`)".
 */
export function triggeredJob(t: Trigger, job: { id: string }): string {
  if (!t.via) return `\`${t.name}\` job \`${job.id}\``;
  const by = `${t.via.model.file} on \`${t.name}\``;
  return job.id === COMPOSITE_JOB_ID ? `this action (used by ${by})` : `job \`${job.id}\` (called by ${by})`;
}

/** "step `x` of job `y`", or "step `x` of this action" for a composite action's steps. */
export function stepWhere(job: { id: string }, step: { label: string }): string {
  return job.id === COMPOSITE_JOB_ID ? `step \`${step.label}\` of this action` : `step \`${step.label}\` of job \`${job.id}\``;
}

/** The id of the pseudo-job that holds a composite action's steps. */
export const COMPOSITE_JOB_ID = '(composite action)';
