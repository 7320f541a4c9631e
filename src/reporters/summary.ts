import { SEVERITIES, type Report } from '../findings/finding.js';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** What the run scanned, in its own units: `32 files`, `6 commits`, `32 files and 6 commits`. */
export function scannedText(report: Pick<Report, 'stats' | 'units'>): string {
  return report.units.map((unit) => (unit === 'commits' ? plural(report.stats.commits, 'commit') : plural(report.stats.files, 'file'))).join(' and ');
}

/**
 * The one-line summary: `2 findings (1 critical, 1 high) in 32 files, 84 ms`. A range or history
 * that selects no commit says so: `0 commits selected` is not a clean result (the notes say why).
 */
export function summaryLine(report: Pick<Report, 'findings' | 'stats' | 'units'>): string {
  const n = report.findings.length;
  const { commits, durationMs } = report.stats;
  if (n === 0 && report.units.length === 1 && report.units[0] === 'commits' && commits === 0) return `0 commits selected, ${durationMs} ms`;
  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const).filter(([, c]) => c > 0);
  const found = n === 0 ? 'no findings' : `${plural(n, 'finding')} (${counts.map(([s, c]) => `${c} ${s}`).join(', ')})`;
  return `${found} in ${scannedText(report)}, ${durationMs} ms`;
}
