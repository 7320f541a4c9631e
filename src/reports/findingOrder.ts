import type { ReportFinding } from '../findings/finding.js';
import { canonicalJson } from './canonical.js';

/** Which repository a finding belongs to: '' for a report of one repository, which names none. */
export const repositoryOf = (f: Pick<ReportFinding, 'repository'>): string => f.repository ?? '';

/**
 * One finding across reports: the same rule and fingerprint (what was found, in which file) at the
 * same place and commit, in the same repository. The same fingerprint in two repositories is two
 * findings; a secret pasted twice into one file is two findings of one fingerprint, as the scan
 * reported it.
 */
export function findingKey(f: ReportFinding): string {
  return `${repositoryOf(f)}\0${f.ruleId}\0${f.fingerprint}\0${f.file}\0${f.line}:${f.column}-${f.endLine}:${f.endColumn}\0${f.commit ?? ''}`;
}

/**
 * What `report diff` follows from run to run: the repository, the rule and the fingerprint, which
 * stays the same when the line moves.
 */
export function secretKey(f: ReportFinding): string {
  return `${repositoryOf(f)}\0${f.ruleId}\0${f.fingerprint}`;
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Report order: by repository, then as a scan orders its findings (file, line, column, rule, commit
 * date, commit: findings/redact.ts compareFindings), then by fingerprint and content, so the order
 * is total and no input order shows through.
 */
export function compareReportFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    text(repositoryOf(a), repositoryOf(b)) ||
    text(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    text(a.ruleId, b.ruleId) ||
    text(a.date ?? '', b.date ?? '') ||
    text(a.commit ?? '', b.commit ?? '') ||
    text(a.fingerprint, b.fingerprint) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    text(canonicalJson(a), canonicalJson(b))
  );
}

/**
 * Of two reports of one finding, the one to keep: the later provider answer (`--verify`), else the
 * greater canonical text. Any rule would do for findings that agree; this one is the same whichever
 * report comes first.
 */
export function preferredFinding<T extends ReportFinding>(a: T, b: T): T {
  const checked = text(a.verification?.checkedAt ?? '', b.verification?.checkedAt ?? '');
  if (checked !== 0) return checked > 0 ? a : b;
  return canonicalJson(a) >= canonicalJson(b) ? a : b;
}
