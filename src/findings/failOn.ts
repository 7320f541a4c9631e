import { SEVERITIES, severityRank, type Severity } from './finding.js';

/**
 * The thresholds a run can fail on: a severity, or `none` (report only: no finding fails the run).
 * `none` ranks above `critical`: it is the loosest threshold, so a guardrail that locks `failOn`
 * refuses it like any other raise.
 */
export const FAIL_ON_LEVELS = [...SEVERITIES, 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export function isFailOn(value: unknown): value is FailOn {
  return typeof value === 'string' && (FAIL_ON_LEVELS as readonly string[]).includes(value);
}

/** Higher = fewer findings fail the run. */
export function failOnRank(level: FailOn): number {
  return level === 'none' ? SEVERITIES.length + 1 : severityRank(level);
}

/** Whether a finding of `severity` fails a run whose threshold is `level`. */
export function failsAt(severity: Severity, level: FailOn): boolean {
  return level !== 'none' && severityRank(severity) >= severityRank(level);
}
