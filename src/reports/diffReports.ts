import type { Category, Report, ReportFinding } from '../findings/finding.js';
import { compareReportFindings, repositoryOf, secretKey } from './findingOrder.js';

/** One row of a diff's table: a repository ('' for a report of one repository) and a category. */
export interface DiffGroup {
  repository: string;
  category: Category;
  new: number;
  fixed: number;
  open: number;
}

/**
 * What changed between two reports (`keyfence report diff OLD NEW`, and the trend of `report merge
 * --previous`). A finding is followed by repository, rule and fingerprint (findingOrder.ts
 * secretKey), so a secret whose line moved is still open, not fixed and new; a secret found at two
 * places of a file is one item, shown at its first place.
 */
export interface ReportDiff {
  /** In NEW only. */
  new: ReportFinding[];
  /** In OLD only. */
  fixed: ReportFinding[];
  /** In both: as NEW reports them. */
  open: ReportFinding[];
  /** By repository, then category: the categories that have something in either report. */
  groups: DiffGroup[];
}

export function diffReports(before: Pick<Report, 'findings'>, after: Pick<Report, 'findings'>): ReportDiff {
  const old = firstByKey(before.findings);
  const now = firstByKey(after.findings);
  const diff: ReportDiff = { new: [], fixed: [], open: [], groups: [] };
  for (const [key, f] of now) (old.has(key) ? diff.open : diff.new).push(f);
  for (const [key, f] of old) if (!now.has(key)) diff.fixed.push(f);
  for (const list of [diff.new, diff.fixed, diff.open]) list.sort(compareReportFindings);

  const groups = new Map<string, DiffGroup>();
  const count = (f: ReportFinding, what: 'new' | 'fixed' | 'open') => {
    const repository = repositoryOf(f);
    const id = `${repository}\0${f.category}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { repository, category: f.category, new: 0, fixed: 0, open: 0 }));
    group[what]++;
  };
  for (const what of ['new', 'fixed', 'open'] as const) for (const f of diff[what]) count(f, what);
  diff.groups = [...groups.values()].sort((a, b) => text(a.repository, b.repository) || text(a.category, b.category));
  return diff;
}

/** Each secret's first finding in report order. */
function firstByKey(findings: readonly ReportFinding[]): Map<string, ReportFinding> {
  const byKey = new Map<string, ReportFinding>();
  for (const f of [...findings].sort(compareReportFindings)) {
    const key = secretKey(f);
    if (!byKey.has(key)) byKey.set(key, f);
  }
  return byKey;
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
