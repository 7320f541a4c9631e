/**
 * The contract of a GitLab CI check, as for GitHub workflows (../check.ts): one module per check, a
 * stable kebab-case id (prefixed `gitlab-`), a one-line description and a `run` that reports
 * positioned values. Positions carry their file: a value may come from an included file.
 */
import type { Category, Severity } from '../../findings/finding.js';
import type { JobFacts } from './facts.js';
import type { GJob, GitlabModel } from './model.js';
import type { At } from './tree.js';

export interface GitlabReport {
  severity: Severity;
  message: string;
  at: At;
  related?: { at: At; label: string }[];
  /** Fingerprint material: job id and what was found; never a line number. */
  what: string;
}

export interface GitlabCheckContext {
  model: GitlabModel;
  facts(job: GJob): JobFacts;
  isProductionEnvironment: (name: string) => boolean;
  report(r: GitlabReport): void;
}

export interface GitlabCheck {
  id: string;
  category: Category;
  description: string;
  run(ctx: GitlabCheckContext): void;
}

/** "job `x`", with the pipeline file when it is a child pipeline. */
export function jobWhere(model: GitlabModel, job: GJob): string {
  return model.source === 'parent_pipeline' ? `job \`${job.id}\` of child pipeline ${model.main.file}` : `job \`${job.id}\``;
}

/** Why a job runs in merge-request pipelines, in words. */
export function mrWhy(job: GJob): string {
  const manual = job.mr.when === 'manual' ? ' (manually started, which any developer can do)' : '';
  return `runs in merge-request pipelines${manual}`;
}
