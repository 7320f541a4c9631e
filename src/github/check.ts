/**
 * The contract of a settings check: one module per check in checks/, with a stable kebab-case id,
 * a one-line description and an async `run` that reads what it needs from the shared facts and
 * reports. The runner (auditSettings.ts) turns reports into findings of category `github-settings`.
 */
import type { Location } from '../findings/finding.js';
import type { SettingsReport } from '../findings/settingsFinding.js';
import type { GitHubFacts } from './facts.js';
import type { SecretInventory } from './secretInventory.js';
import type { SecretUse } from './secretUsage.js';

/** The shared shape of a settings report (src/findings/settingsFinding.ts). */
export type { SettingsReport } from '../findings/settingsFinding.js';

export interface SettingsContext {
  facts: GitHubFacts;
  /** Whether an environment or secret name means production (the workflow checks' policy). */
  isProduction(name: string): boolean;
  /** Secrets the repository's workflows use, with the triggers that reach each use. */
  secretUses: SecretUse[];
  /** Every stored secret the repository can read, with age and users; built once per audit. */
  inventory(): Promise<SecretInventory>;
  /** The audit's clock: ages are measured against it (tests pass a fixed one). */
  now: Date;
  report(r: SettingsReport): void;
}

export interface SettingsCheck {
  id: string;
  /** One line: what the check finds. */
  description: string;
  run(ctx: SettingsContext): Promise<void>;
}

/** `github:OWNER/REPO/<kind>/<name>`: the stable place of a repository setting in reports. */
export function settingPath(facts: GitHubFacts, ...parts: string[]): string {
  return ['github:' + facts.fullName, ...parts].join('/');
}

/** `github:ORG/<kind>/<name>`: an organisation setting. */
export function orgSettingPath(facts: GitHubFacts, ...parts: string[]): string {
  return ['github:' + facts.owner, ...parts].join('/');
}

/** The report fields that place a finding at a workflow reference to a secret. */
export function atUse(use: SecretUse): Pick<SettingsReport, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'lineText'> {
  return { file: use.file, line: use.line, column: use.column, endLine: use.endLine, endColumn: use.endColumn, lineText: use.lineText };
}

/** A related location pointing at a setting (a stored secret, an environment). */
export function settingLocation(file: string, label: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, label };
}
