/**
 * The contract of a GitLab settings check, as for GitHub's (../github/check.ts): one module per
 * check in checks/, a stable kebab-case id (prefixed `gitlab-`), a one-line description and an async
 * `run` that reads the shared facts and reports. The runner (auditSettings.ts) turns reports into
 * findings of category `gitlab-settings`.
 */
import type { Location } from '../findings/finding.js';
import type { SettingsReport } from '../findings/settingsFinding.js';
import type { GitLabFacts, StoredVariable } from './facts.js';
import type { VariableUse } from './pipelineUse.js';

/** A GitLab settings report has the shape of GitHub's (src/findings/settingsFinding.ts). */
export type GitLabSettingsReport = SettingsReport;

export interface GitLabSettingsContext {
  facts: GitLabFacts;
  /** Whether an environment or variable name means production (the workflow checks' policy). */
  isProduction(name: string): boolean;
  /** The credential variables the project's pipeline reads, job by job. */
  uses: VariableUse[];
  report(r: GitLabSettingsReport): void;
}

export interface GitLabSettingsCheck {
  id: string;
  /** One line: what the check finds. */
  description: string;
  run(ctx: GitLabSettingsContext): Promise<void>;
}

/** `gitlab:GROUP/PROJECT/<kind>/<name>`: the stable place of a project setting in reports. */
export function gitlabSettingPath(facts: GitLabFacts, ...parts: string[]): string {
  return [`gitlab:${facts.path}`, ...parts].join('/');
}

/** A related location pointing at a setting (a stored variable, an environment). */
export function settingLocation(file: string, label: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, label };
}

/** The report fields that place a finding at a pipeline's use of a variable. */
export function atUse(use: VariableUse): Pick<GitLabSettingsReport, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'lineText'> {
  return { file: use.file, line: use.line, column: use.column, endLine: use.endLine, endColumn: use.endColumn, lineText: use.lineText };
}

/** "project variable X" / "variable X of group g" (and its environment scope when it has one). */
export function describeVariable(v: StoredVariable): string {
  const scope = v.environmentScope !== '*' ? ` (environment scope \`${v.environmentScope}\`)` : '';
  return v.level === 'project' ? `project variable ${v.key}${scope}` : `variable ${v.key} of group ${v.owner}${scope}`;
}
