import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report, ReportFinding, ScanStats } from '../../findings/finding.js';
import type { RuleInfo } from '../../reporters/reporter.js';

/** What an organisation run writes per repository (`repos/<owner>_<name>.json` in its run folder). */
export interface RepositoryReport {
  repository: string;
  report: Report;
  /** Descriptions of the checks beside the engine's rules that reported (settings checks). */
  rules: RuleInfo[];
}

/**
 * One report from the per-repository files, read one at a time in the order given (repository by
 * repository, each in report order): findings keep their `repository`, counts add up, notes name
 * their repository. Only the findings are kept as the files are read, never a repository's whole run.
 */
export async function assembleReports(
  folder: string,
  files: readonly string[],
  notes: string[],
  durationMs: number,
): Promise<{ report: Report; rules: RuleInfo[] }> {
  const findings: ReportFinding[] = [];
  const stats: ScanStats = { files: 0, bytes: 0, commits: 0, durationMs, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 0 } };
  const rules = new Map<string, RuleInfo>();
  const allNotes: string[] = [];
  for (const file of files) {
    const part = JSON.parse(await readFile(join(folder, file), 'utf8')) as RepositoryReport;
    findings.push(...part.report.findings);
    const s = part.report.stats;
    stats.files += s.files;
    stats.bytes += s.bytes;
    stats.commits += s.commits;
    stats.skipped += s.skipped;
    stats.suppressed.inline += s.suppressed.inline;
    stats.suppressed.allow += s.suppressed.allow;
    stats.suppressed.baseline += s.suppressed.baseline;
    allNotes.push(...part.report.notes.map((n) => `${part.repository}: ${n}`));
    for (const r of part.rules) if (!rules.has(r.id)) rules.set(r.id, r);
  }
  return { report: { findings, stats, units: ['files', 'commits'], notes: [...allNotes, ...notes] }, rules: [...rules.values()] };
}
