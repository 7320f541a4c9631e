import type { KeyfenceConfig } from '../config/config.js';
import type { Finding, Report } from '../findings/finding.js';
import { toReport } from '../findings/redact.js';
import { suppressFindings } from '../suppressions/suppress.js';
import { dedupeFindings } from './dedupe.js';
import type { ScanResult } from './scan.js';

export interface FinishOptions {
  config: KeyfenceConfig;
  /** --no-suppressions: report everything. */
  noSuppressions: boolean;
  /** --baseline FILE: absolute path, and the name messages use. */
  baseline?: { path: string; shown: string } | undefined;
  showSecrets: boolean;
  /** When the run started (performance.now()), for durationMs. */
  started: number;
}

/**
 * A run after the post-engine stage: what reporters see, and the kept findings before masking (for
 * review comments).
 */
export interface FinishedRun {
  report: Report;
  kept: Finding[];
}

/**
 * Everything after the engine, whoever asked: each finding once (dedupe), then suppressions
 * (inline comments, allowlists, the baseline) with a count of what each silenced, then the masking
 * stage, which sorts and is the only way from findings to what reporters see.
 */
export async function finishRun(scan: ScanResult, options: FinishOptions): Promise<FinishedRun> {
  const unique = dedupeFindings(scan.findings);
  const baseline = options.baseline ? { ...options.baseline, covers: scan.covers } : undefined;
  const { kept, notes, suppressed } = await suppressFindings(unique, {
    config: options.config,
    disabled: options.noSuppressions,
    baseline,
  });
  const { files, bytes, commits, skipped } = scan.counts;
  const stats = { files, bytes, commits, durationMs: Math.round(performance.now() - options.started), skipped, suppressed };
  const report = toReport(kept, stats, [...scan.notes, ...notes], options.showSecrets, scan.units);
  return { report, kept };
}
