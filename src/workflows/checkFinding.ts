import type { Category, Finding, Location, Severity } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';

/** A place a check reports, with the lines of its file (what inline suppressions read). */
export interface CheckPlace extends Location {
  lines: readonly string[];
}

/**
 * A GitHub workflow check's or a GitLab pipeline check's report as a finding: one shape for both,
 * carrying the lines inline suppressions read: the finding's own, the one above it, and those of
 * its related places (a marker at the checkout still silences a finding reported where the
 * checked-out code runs).
 */
export function checkFinding(
  check: { id: string; category: Category },
  report: { severity: Severity; message: string; what: string },
  at: CheckPlace,
  related: readonly CheckPlace[],
): Finding {
  const texts = ({ lines, line }: CheckPlace) => ({ lineText: lines[line - 1] ?? '', ...(line > 1 ? { previousLineText: lines[line - 2] ?? '' } : {}) });
  const { lines: _lines, label: _label, ...where } = at;
  return {
    ruleId: check.id,
    category: check.category,
    severity: report.severity,
    message: report.message,
    ...where,
    environment: 'ci',
    secret: '',
    fingerprint: fingerprint(check.id, at.file, report.what, false),
    ...(related.length > 0 ? { related: related.map(({ lines: _, ...place }) => place), relatedLineTexts: related.map(texts) } : {}),
    ...texts(at),
  };
}
