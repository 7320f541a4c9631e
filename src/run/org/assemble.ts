import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report, ReportFinding, ScanStats } from '../../findings/finding.js';
import { sortInventory, type SecretInventoryRow } from '../../findings/secretInventory.js';
import type { RuleInfo, StreamedReport } from '../../reporters/reporter.js';
import { tallyFindings, type FindingTally } from '../streamReports.js';

/** What an organisation run writes per repository (`repos/<owner>_<name>.json` in its run folder). */
export interface RepositoryReport {
  repository: string;
  report: Report;
  /** Descriptions of the checks beside the engine's rules that reported (settings checks). */
  rules: RuleInfo[];
}

/**
 * One report from the per-repository files, never holding their findings: a first reading adds up
 * counts, joins notes (naming their repository), rule descriptions and secret inventories (each row
 * names its repository), and tallies the findings; the findings themselves are read again, one file
 * at a time in the order given (repository by repository, each in report order), as each format
 * writes them (streamReports.ts).
 */
export async function assembleReports(
  folder: string,
  files: readonly string[],
  notes: string[],
  durationMs: number,
): Promise<{ report: StreamedReport; tally: FindingTally; rules: RuleInfo[] }> {
  const read = async (file: string) => JSON.parse(await readFile(join(folder, file), 'utf8')) as RepositoryReport;
  async function* findings(): AsyncIterable<ReportFinding> {
    for (const file of files) yield* (await read(file)).report.findings;
  }
  const stats: ScanStats = { files: 0, bytes: 0, commits: 0, durationMs, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 0 } };
  const rules = new Map<string, RuleInfo>();
  const allNotes: string[] = [];
  let inventory: SecretInventoryRow[] | undefined;
  async function* firstReading(): AsyncIterable<ReportFinding> {
    for (const file of files) {
      const part = await read(file);
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
      const rows = part.report.secretInventory;
      if (rows) (inventory ??= []).push(...rows.map((row) => ({ ...row, repository: part.repository })));
      yield* part.report.findings;
    }
  }
  const tally = await tallyFindings(firstReading());
  const head: StreamedReport['head'] = { stats, units: ['files', 'commits'], notes: [...allNotes, ...notes] };
  // Riskiest first across the organisation, as one repository's report orders its own; repository order among equals.
  if (inventory) head.secretInventory = sortInventory(inventory);
  return { report: { head, findings }, tally, rules: [...rules.values()] };
}
