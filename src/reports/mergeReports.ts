import { createHash } from 'node:crypto';
import { severityRank, type ChangeSuppression, type Report, type ReportFinding, type ScanStats } from '../findings/finding.js';
import type { SecretInventoryRow } from '../findings/secretInventory.js';
import { canonicalJson } from './canonical.js';
import { compareReportFindings, findingKey, preferredFinding } from './findingOrder.js';
import { unitsOf } from './readReport.js';

/**
 * Reports folded into one as they are read (`keyfence report merge`), so only the merged findings
 * are held, never every file: each finding once (findingOrder.ts findingKey; the same fingerprint
 * in two repositories is two findings), stats summed, notes and secret inventories joined without
 * repeats. The result does not depend on the order the reports come in, and a report given twice
 * (the same content) counts once, so merging a merged report with itself, or alone, gives it back.
 */
export class ReportMerge {
  private readonly findings = new Map<string, ReportFinding>();
  private readonly suppressed = new Map<string, ChangeSuppression>();
  private anySuppressed = false;
  private stats: ScanStats | undefined;
  private readonly notes = new Set<string>();
  private readonly inventory = new Map<string, SecretInventoryRow>();
  private anyInventory = false;
  private readonly trends = new Map<string, NonNullable<Report['trend']>>();
  private readonly seen = new Set<string>();
  /** Reports added, repeats included. */
  added = 0;
  /** Reports that repeated one added before, and were counted once. */
  repeated = 0;

  add(report: Report): void {
    this.added++;
    // A shard uploaded twice, or a file named twice: its findings would be kept once anyway, but its
    // stats would count twice.
    const identity = createHash('sha256').update(canonicalJson({ ...report, units: undefined })).digest('hex');
    if (this.seen.has(identity)) {
      this.repeated++;
      return;
    }
    this.seen.add(identity);
    this.keepFindings(report.findings);
    if (report.suppressedByChange) {
      this.anySuppressed = true;
      for (const f of report.suppressedByChange) keepFinding(this.suppressed, f);
    }
    this.stats = this.stats ? sumCounts(this.stats, report.stats) : report.stats;
    for (const note of report.notes) this.notes.add(note);
    if (report.secretInventory) {
      this.anyInventory = true;
      for (const row of report.secretInventory) this.inventory.set(canonicalJson(row), row);
    }
    if (report.trend) this.trends.set(canonicalJson(report.trend), report.trend);
  }

  /** Where a report's findings go: held here, each once (spilledMerge.ts writes them to disk instead). */
  protected keepFindings(findings: readonly ReportFinding[]): void {
    for (const f of findings) keepFinding(this.findings, f);
  }

  /** The merged report. */
  result(): Report {
    return { findings: [...this.findings.values()].sort(compareReportFindings), ...this.head() };
  }

  /** The merged report but its findings. Notes are sorted: reports have no order of their own to keep. */
  head(): Omit<Report, 'findings'> {
    const stats = this.stats ?? emptyStats();
    const notes = [...this.notes].sort();
    const report: Omit<Report, 'findings'> = {
      stats,
      units: unitsOf(stats),
      notes,
    };
    if (this.anySuppressed) report.suppressedByChange = [...this.suppressed.values()].sort(compareReportFindings);
    if (this.anyInventory) report.secretInventory = [...this.inventory.entries()].sort(compareRows).map(([, row]) => row);
    // A trend belongs to the report it was computed for: kept when every report that has one agrees.
    if (this.trends.size === 1) report.trend = [...this.trends.values()][0]!;
    if (this.trends.size > 1) {
      report.notes = [...notes, `${this.trends.size} different trends in the merged reports: none kept (give --previous to compute one)`].sort();
    }
    return report;
  }
}

/** `f` kept under its key (findingOrder.ts findingKey), or the one of the two preferredFinding picks. */
export function keepFinding<T extends ReportFinding>(into: Map<string, T>, f: T): void {
  const key = findingKey(f);
  const known = into.get(key);
  into.set(key, known ? preferredFinding(known, f) : f);
}

/** Counts added up, key by key, objects of counts (`suppressed`) within: a key one side lacks counts 0 there. */
export function sumCounts<T extends object>(a: T, b: T): T {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    if (typeof value === 'number') out[key] = (typeof mine === 'number' ? mine : 0) + value;
    else if (typeof value === 'object' && value !== null) out[key] = sumCounts(typeof mine === 'object' && mine !== null ? mine : {}, value);
  }
  return out as T;
}

function emptyStats(): ScanStats {
  return { files: 0, bytes: 0, commits: 0, durationMs: 0, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 0 } };
}

/**
 * Riskiest first, as `audit --github` orders its inventory (src/github/auditSettings.ts): the most
 * severe finding, then production, then the oldest; then by name, scope and content.
 */
function compareRows([ka, a]: [string, SecretInventoryRow], [kb, b]: [string, SecretInventoryRow]): number {
  const worst = (r: SecretInventoryRow) => Math.max(0, ...r.findings.map((f) => severityRank(f.severity)));
  return (
    worst(b) - worst(a) ||
    Number(b.environment === 'production') - Number(a.environment === 'production') ||
    b.ageDays - a.ageDays ||
    a.name.localeCompare(b.name) ||
    a.scope.localeCompare(b.scope) ||
    (ka < kb ? -1 : ka > kb ? 1 : 0)
  );
}
