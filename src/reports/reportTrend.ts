import { SEVERITIES, type Report } from '../findings/finding.js';
import type { ReportTrend, TrendPoint } from '../findings/trend.js';
import { diffReports } from './diffReports.js';

/** A run's point on the trend: its findings by severity, on `date` (ISO 8601). */
export function trendPoint(report: Pick<Report, 'findings'>, date: string): TrendPoint {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as TrendPoint['counts'];
  for (const f of report.findings) counts[f.severity]++;
  return { date, counts };
}

/**
 * The trend of `report merge --previous OLD.json`: the previous report's runs and this run's point,
 * and what changed since the previous report. A previous report without a trend of its own is its
 * own first point, dated `previousDate` (its file's modification time).
 */
export function extendTrend(previous: Report, previousDate: string, current: Pick<Report, 'findings'>, date: string): ReportTrend {
  const runs = previous.trend ? previous.trend.runs : [trendPoint(previous, previousDate)];
  const diff = diffReports(previous, current);
  return { runs: [...runs, trendPoint(current, date)], new: diff.new.length, fixed: diff.fixed.length, open: diff.open.length };
}
