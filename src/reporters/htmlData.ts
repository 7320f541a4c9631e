import { CATEGORIES, ENVIRONMENTS, SEVERITIES, severityRank, type Report, type ReportFinding } from '../findings/finding.js';

/**
 * The numbers the HTML report's cards and charts show, worked out from the report: counts and commit
 * dates only, never a value. The page's script (src/reporters/htmlPage/) draws `HtmlChartData`.
 */

/** The name a finding's repository goes by: an organisation audit sets `repository`; one repository's scan does not. */
export const THIS_REPOSITORY = 'this repository';

export function repositoryOf(f: ReportFinding): string {
  return (f as ReportFinding & { repository?: string }).repository || THIS_REPOSITORY;
}

/** A chart's series: one name (a severity, an environment) and a value per label. */
export interface Series {
  name: string;
  values: number[];
}

export interface HtmlChartData {
  /** Findings by category (labels), stacked by environment. Absent without findings. */
  categoryEnvironment?: { labels: string[]; series: Series[] };
  /** Findings by repository (labels, most findings first, at most MAX_REPOSITORIES), stacked by severity. */
  repositories?: { labels: string[]; series: Series[] };
  /** Per repository, the commit date of its oldest open finding (oldest first). Absent when no finding has a date. */
  oldest?: { labels: string[]; dates: string[] };
  /** Counts by severity over earlier runs (`trend`). */
  trend?: { labels: string[]; series: Series[] };
}

/** Repositories a chart shows; the table lists every finding. */
export const MAX_REPOSITORIES = 25;

/** Labels that have a non-zero count, in the given order. */
function present<T extends string>(order: readonly T[], findings: ReportFinding[], key: (f: ReportFinding) => T): T[] {
  const seen = new Set(findings.map(key));
  return order.filter((k) => seen.has(k));
}

function countBy(findings: ReportFinding[], key: (f: ReportFinding) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

type Key = (f: ReportFinding) => string;

/** A series per name (`names`, in order), counting the findings of each label. */
function stacked(findings: ReportFinding[], labels: string[], label: Key, names: readonly string[], name: Key): Series[] {
  const at = new Map(labels.map((l, i) => [l, i]));
  const series = names.map((n) => ({ name: n, values: labels.map(() => 0) }));
  const byName = new Map(series.map((s) => [s.name, s]));
  for (const f of findings) {
    const i = at.get(label(f));
    const s = byName.get(name(f));
    if (i !== undefined && s) s.values[i]! += 1;
  }
  return series;
}

/** Per repository, the earliest commit date among its findings (those from history or a diff carry one). */
export function oldestByRepository(findings: ReportFinding[]): Map<string, string> {
  const oldest = new Map<string, string>();
  for (const f of findings) {
    if (!f.date || Number.isNaN(Date.parse(f.date))) continue;
    const repository = repositoryOf(f);
    const seen = oldest.get(repository);
    if (seen === undefined || Date.parse(f.date) < Date.parse(seen)) oldest.set(repository, f.date);
  }
  return oldest;
}

export function htmlChartData(report: Report): HtmlChartData {
  const { findings } = report;
  const data: HtmlChartData = {};
  if (findings.length > 0) {
    const categories = present(CATEGORIES, findings, (f) => f.category);
    const environments = present(ENVIRONMENTS, findings, (f) => f.environment);
    const series = stacked(findings, categories, (f) => f.category, environments, (f) => f.environment);
    data.categoryEnvironment = { labels: categories, series };
    const perRepository = countBy(findings, repositoryOf);
    const repositories = [...perRepository.keys()]
      .sort((a, b) => perRepository.get(b)! - perRepository.get(a)! || a.localeCompare(b))
      .slice(0, MAX_REPOSITORIES);
    const severities = present(SEVERITIES, findings, (f) => f.severity);
    data.repositories = { labels: repositories, series: stacked(findings, repositories, repositoryOf, severities, (f) => f.severity) };
  }
  const oldest = [...oldestByRepository(findings)]
    .sort(([a, x], [b, y]) => Date.parse(x) - Date.parse(y) || a.localeCompare(b))
    .slice(0, MAX_REPOSITORIES);
  if (oldest.length > 0) data.oldest = { labels: oldest.map(([r]) => r), dates: oldest.map(([, d]) => d) };
  const runs = report.trend?.runs ?? [];
  if (runs.length > 0) {
    const series = SEVERITIES.map((s) => ({ name: s, values: runs.map((r) => r.counts[s] ?? 0) }));
    data.trend = { labels: runs.map((r) => r.date.slice(0, 10)), series };
  }
  return data;
}

/** Most severe first; otherwise the report's own order (stable sort). */
export function bySeverity(findings: ReportFinding[]): ReportFinding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}
