import { SEVERITIES, type Report } from '../findings/finding.js';
import type { ReportTrend, TrendPoint } from '../findings/trend.js';
import { secretKey } from './findingOrder.js';

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
  return trendSince(previous, previousDate, trendPoint(current, date), new Set(current.findings.map(secretKey)));
}

/**
 * The same trend from this run's point and the keys (findingOrder.ts secretKey) of its findings,
 * when they are not held (`report merge`): new, fixed and open count keys, as `report diff` does.
 */
export function trendSince(previous: Report, previousDate: string, point: TrendPoint, keys: ReadonlySet<string>): ReportTrend {
  const runs = previous.trend ? previous.trend.runs : [trendPoint(previous, previousDate)];
  const old = new Set(previous.findings.map(secretKey));
  let open = 0;
  for (const key of keys) if (old.has(key)) open++;
  return { runs: [...runs, point], new: keys.size - open, fixed: old.size - open, open };
}
