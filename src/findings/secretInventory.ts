import type { Environment, Severity } from './finding.js';

/**
 * One row of a report's secret inventory (`audit --github`): a stored GitHub Actions secret, its
 * scope, dates, age against its rotation limit, the jobs that use it and the findings about it.
 * Names and dates only: GitHub never returns a value, and none is asked for.
 */
export interface SecretInventoryRow {
  name: string;
  scope: 'repository' | 'environment' | 'organization';
  /** For `environment`: the deployment environment's name. */
  environmentName?: string;
  /** For `organization`: who can see it (when the token may read the organisation's list). */
  visibility?: 'all' | 'private' | 'selected';
  /** For `selected`: how many repositories it is shared with. */
  sharedWith?: number;
  createdAt: string;
  updatedAt: string;
  /** Whole days since `updatedAt`. */
  ageDays: number;
  /** The rotation limit that applies (`policy.<environment>.maxSecretAgeDays`). */
  maxAgeDays: number;
  /** The policy environment that sets the limit. */
  environment: Environment;
  /** Jobs that reference it: workflow file and job id. */
  usedBy: Array<{ file: string; job: string }>;
  /** Jobs that get every secret (`secrets: inherit`, `toJSON(secrets)`), and so may read it. */
  mayBeReadBy: Array<{ file: string; job: string }>;
  /** The settings findings about it: rule id and severity. */
  findings: Array<{ ruleId: string; severity: Severity }>;
}

/** "environment production", "repository", "organisation (selected: 2 repositories)": a row's scope in words. */
export function scopeText(r: SecretInventoryRow): string {
  if (r.scope === 'environment') return `environment ${r.environmentName}`;
  if (r.scope === 'repository') return 'repository';
  if (r.visibility === 'selected') return r.sharedWith !== undefined ? `organisation (${r.sharedWith} selected repositor${r.sharedWith === 1 ? 'y' : 'ies'})` : 'organisation (selected repositories)';
  return r.visibility ? `organisation (${r.visibility === 'all' ? 'all' : 'private'} repositories)` : 'organisation';
}
