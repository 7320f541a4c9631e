import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { failOnRank, failsAt, type FailOn } from '../findings/failOn.js';
import type { Report, Severity } from '../findings/finding.js';
import type { Format } from '../reporters/reporter.js';

/** The options every scanning door takes (docs/cli.md): the CLI parses them, the Action reads its inputs into them. */
export interface ScanOptions {
  format: Format;
  /** Write the report here instead of stdout (as the user wrote it; resolved against the working directory). */
  output?: string | undefined;
  /** --report FORMAT=FILE: more renderings of the same run, each written to its file. */
  reports?: Array<{ format: Format; output: string; option?: string }> | undefined;
  config?: string | undefined;
  baseline?: string | undefined;
  /** `none`: report only (exit 0 whatever is found). */
  failOn?: FailOn | undefined;
  /** --exit-code: the exit code of a run with findings that fail it (default 1). */
  exitCode?: number | undefined;
  /** --include / --exclude: repository-relative path globs (src/sources/pathFilter.ts). */
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  showSecrets: boolean;
  noSuppressions: boolean;
  /** --fail-on-new-suppressions: in pull-request mode, an inline marker the change adds fails the run. */
  failOnNewSuppressions?: boolean | undefined;
  /** --verify: ask each provider whether the credentials found work (docs/verification.md). */
  verify?: boolean | undefined;
  /** --only-verified: report only credentials the provider says are live (implies --verify). */
  onlyVerified?: boolean | undefined;
}

export const DEFAULT_FAIL_ON: Severity = 'medium';

/**
 * --fail-on may tighten the configured threshold, but not loosen one an organisation policy locked:
 * a guardrail that a command-line flag could undo would be no guardrail. `none` is the loosest
 * threshold of all, so a locked failOn refuses it.
 */
export function effectiveFailOn(flag: FailOn | undefined, config: KeyfenceConfig): FailOn {
  const configured = config.failOn ?? DEFAULT_FAIL_ON;
  if (flag === undefined) return configured;
  const lockedAt = config.guardrails['failOn'];
  if (lockedAt !== undefined && failOnRank(flag) > failOnRank(configured))
    throw new UserError(`--fail-on ${flag} would loosen the locked guardrail failOn: ${configured} set at ${lockedAt}`, `use --fail-on ${configured} or a lower severity`);
  return flag;
}

/** Whether inline markers a pull request adds fail the run: asked for on the command line, or by the configuration. */
export function failsOnNewSuppressions(options: Pick<ScanOptions, 'failOnNewSuppressions'>, config: KeyfenceConfig): boolean {
  return options.failOnNewSuppressions === true || config.failOnNewSuppressions === true;
}

/**
 * The exit code of a run: `findingsCode` (1 unless --exit-code says otherwise) when a finding left
 * after suppressions is at or above `failOn`, or when the change silenced one itself and that is to
 * fail too; else 0. `failOn: none` never fails on findings.
 */
export function exitCodeFor(report: Pick<Report, 'findings' | 'suppressedByChange'>, failOn: FailOn, failOnNewSuppressions = false, findingsCode = 1): number {
  if (report.findings.some((f) => failsAt(f.severity, failOn))) return findingsCode;
  return failOnNewSuppressions && (report.suppressedByChange?.length ?? 0) > 0 ? findingsCode : 0;
}
