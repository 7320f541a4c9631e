import type { KeyfenceConfig } from '../config/config.js';
import type { Finding, Report } from '../findings/finding.js';
import type { PolicyFiles } from '../config/policyFiles.js';
import { compareFindings, maskFindings, toReport } from '../findings/redact.js';
import { suppressFindings } from '../suppressions/suppress.js';
import { dedupeFindings } from './dedupe.js';
import type { ScanResult } from './scan.js';
import { now } from './clock.js';

export interface FinishOptions {
  config: KeyfenceConfig;
  /** --no-suppressions: report everything. */
  noSuppressions: boolean;
  /** --baseline FILE: absolute path, the name messages use, and where to read it (default the disk). */
  baseline?: { path: string; shown: string; files?: PolicyFiles | undefined } | undefined;
  /**
   * Pull-request mode: list the findings that inline markers silenced. The run reads only what the
   * change adds, so every such marker sits on a line of the change (or just above one).
   */
  changeSuppressions?: boolean;
  showSecrets: boolean;
  /**
   * --verify: ask each provider whether the credentials found work (src/verification, loaded only
   * then, so the pre-commit hook never carries it). `env` names the proxy; `onlyVerified` keeps live ones.
   */
  verify?: { env: NodeJS.ProcessEnv; onlyVerified: boolean } | undefined;
  /** When the run started (src/run/clock.ts), for durationMs. */
  started: number;
}

/**
 * A run after the post-engine stage: what reporters see, and the kept findings before masking (for
 * review comments).
 */
export interface FinishedRun {
  report: Report;
  kept: Finding[];
  /** For the user, not the report (stderr, Action warnings): an allow marker that misspells its rule id. */
  warnings?: string[];
}

/**
 * Everything after the engine, whoever asked: each finding once (dedupe), then suppressions
 * (inline comments, allowlists, the baseline) with a count of what each silenced, then the masking
 * stage, which sorts and is the only way from findings to what reporters see. With --verify, the
 * verification stage runs between the suppressions and the masking.
 */
export async function finishRun(scan: ScanResult, options: FinishOptions): Promise<FinishedRun> {
  const unique = dedupeFindings(scan.findings);
  const baseline = options.baseline ? { ...options.baseline, covers: scan.covers } : undefined;
  const { kept, notes, suppressed, inline, warnings } = await suppressFindings(unique, {
    config: options.config,
    disabled: options.noSuppressions,
    baseline,
  });
  let verified = kept;
  if (options.verify) {
    const { verifyFindings } = await import('../verification/stage.js');
    // A severity keyfence.yml sets for a rule is the policy's word: a dead key keeps it.
    const pinned = new Set(Object.entries(options.config.overrides).flatMap(([id, o]) => (o.severity ? [id] : [])));
    const answer = await verifyFindings(kept, { ...options.verify, pinnedSeverity: pinned });
    verified = answer.findings;
    notes.push(...answer.notes);
  }
  const { files, bytes, commits, skipped } = scan.counts;
  const stats = { files, bytes, commits, durationMs: Math.round(now() - options.started), skipped, suppressed };
  const report = toReport(verified, stats, [...scan.notes, ...notes], options.showSecrets, scan.units);
  if (options.changeSuppressions) {
    const ordered = [...inline].sort((a, b) => compareFindings(a.finding, b.finding));
    const masked = maskFindings(ordered.map((s) => s.finding), options.showSecrets);
    report.suppressedByChange = masked.map((f, i) => ({ ...f, marker: ordered[i]!.marker, reason: ordered[i]!.reason }));
  }
  return { report, kept: verified, warnings };
}
