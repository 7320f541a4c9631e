import type { Report, ReportFinding } from '../findings/finding.js';
import { reportedSecret } from '../findings/redact.js';

/**
 * The masking stage for reports read back from files: a report written with `--show-secrets` holds
 * values in full, and merging or comparing it shows them only when asked again. A value already
 * redacted (it holds `…`, or is what its category shows in full: a host name, a variable) is kept
 * as it is, so masking twice changes nothing, and a merged report merged again is the same.
 */
export function maskReadBack(report: Report, showSecrets: boolean): Report {
  if (showSecrets) return report;
  const masked = { ...report, findings: report.findings.map(maskFinding) };
  if (report.suppressedByChange) masked.suppressedByChange = report.suppressedByChange.map(maskFinding);
  return masked;
}

function maskFinding<T extends ReportFinding>(f: T): T {
  if (f.secret === '' || f.secret.includes('…')) return f;
  const secret = reportedSecret(f);
  return secret === f.secret ? f : { ...f, secret };
}
