import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { severityRank, type Severity } from '../findings/finding.js';
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

/** The exit code for the findings left after suppressions: 1 when one is at or above `failOn`. */
export function exitCodeFor(findings: ReadonlyArray<{ severity: Severity }>, failOn: Severity): number {
  return findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}
