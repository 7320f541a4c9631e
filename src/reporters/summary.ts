import { SEVERITIES, type Report, type Severity } from '../findings/finding.js';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** What the run scanned, in its own units: `32 files`, `6 commits`, `32 files and 6 commits`. */
export function scannedText(report: Pick<Report, 'stats' | 'units'>): string {
  return report.units.map((unit) => (unit === 'commits' ? plural(report.stats.commits, 'commit') : plural(report.stats.files, 'file'))).join(' and ');
}

/**
 * `2 suppressed by this change`, or '' when the change silenced nothing (or outside pull-request
 * mode): what a reviewer must look at even when there are no findings.
 */
export function suppressedByChangeText(report: Pick<Report, 'suppressedByChange'>): string {
  const n = report.suppressedByChange?.length ?? 0;
  return n === 0 ? '' : `${n} suppressed by this change`;
}

/**
 * `3 suppressed (1 inline, 2 baseline)`, or '' when nothing was: what the clean result stands on,
 * so a wall of silenced findings is never mistaken for none.
 */
export function suppressedText(report: Pick<Report, 'stats'>): string {
  const by = Object.entries(report.stats.suppressed).filter(([, n]) => n > 0);
  const total = by.reduce((sum, [, n]) => sum + n, 0);
  return total === 0 ? '' : `${total} suppressed (${by.map(([how, n]) => `${n} ${how}`).join(', ')})`;
}

/**
 * The one-line summary: `2 findings (1 critical, 1 high) in 32 files, 84 ms`, then what was
 * suppressed (`, 3 suppressed (1 inline, 2 baseline)`) and `, 1 suppressed by this change` when
 * the change silenced some. A range or history that selects no
 * commit says so: `0 commits selected` is not a clean result (the notes say why).
 */
export function summaryLine(report: Pick<Report, 'findings' | 'suppressedByChange' | 'stats' | 'units'>): string {
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, count(s)])) as Record<Severity, number>;
  return summaryLineOf(bySeverity, report);
}

/** The summary line of a report whose findings are counted, not held (an organisation's report, `report merge`). */
export function summaryLineOf(
  bySeverity: Readonly<Record<Severity, number>>,
  report: Pick<Report, 'suppressedByChange' | 'stats' | 'units'>,
): string {
  const n = SEVERITIES.reduce((sum, s) => sum + bySeverity[s], 0);
  const { commits, durationMs } = report.stats;
  if (n === 0 && report.units.length === 1 && report.units[0] === 'commits' && commits === 0) return `0 commits selected, ${durationMs} ms`;
  const counts = SEVERITIES.map((s) => [s, bySeverity[s]] as const).filter(([, c]) => c > 0);
  const found = n === 0 ? 'no findings' : `${plural(n, 'finding')} (${counts.map(([s, c]) => `${c} ${s}`).join(', ')})`;
  const suppressed = [suppressedText(report), suppressedByChangeText(report)].filter(Boolean).map((t) => `, ${t}`).join('');
  return `${found} in ${scannedText(report)}, ${durationMs} ms${suppressed}`;
}
