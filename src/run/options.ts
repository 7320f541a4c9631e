import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { severityRank, type Report, type Severity } from '../findings/finding.js';
import type { Format } from '../reporters/reporter.js';

/** The options every scanning door takes (docs/cli.md): the CLI parses them, the Action reads its inputs into them. */
export interface ScanOptions {
  format: Format;
  /** Write the report here instead of stdout (as the user wrote it; resolved against the working directory). */
  output?: string | undefined;
  config?: string | undefined;
  baseline?: string | undefined;
  failOn?: Severity | undefined;
  showSecrets: boolean;
  noSuppressions: boolean;
  /** --fail-on-new-suppressions: in pull-request mode, an inline marker the change adds fails the run. */
  failOnNewSuppressions?: boolean | undefined;
}

export const DEFAULT_FAIL_ON: Severity = 'medium';

/**
 * --fail-on may tighten the configured threshold, but not loosen one an organisation policy locked:
 * a guardrail that a command-line flag could undo would be no guardrail.
 */
export function effectiveFailOn(flag: Severity | undefined, config: KeyfenceConfig): Severity {
  const configured = config.failOn ?? DEFAULT_FAIL_ON;
  if (flag === undefined) return configured;
  const lockedAt = config.guardrails['failOn'];
  if (lockedAt !== undefined && severityRank(flag) > severityRank(configured))
    throw new UserError(`--fail-on ${flag} would loosen the locked guardrail failOn: ${configured} set at ${lockedAt}`, `use --fail-on ${configured} or a lower severity`);
  return flag;
}

/** Whether inline markers a pull request adds fail the run: asked for on the command line, or by the configuration. */
export function failsOnNewSuppressions(options: Pick<ScanOptions, 'failOnNewSuppressions'>, config: KeyfenceConfig): boolean {
  return options.failOnNewSuppressions === true || config.failOnNewSuppressions === true;
}

/**
 * The exit code of a run: 1 when a finding left after suppressions is at or above `failOn`, or
 * when the change silenced one itself and that is to fail too; else 0.
 */
export function exitCodeFor(report: Pick<Report, 'findings' | 'suppressedByChange'>, failOn: Severity, failOnNewSuppressions = false): number {
  if (report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn))) return 1;
  return failOnNewSuppressions && (report.suppressedByChange?.length ?? 0) > 0 ? 1 : 0;
}
