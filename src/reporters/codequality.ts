import type { ChangeSuppression, Report, ReportFinding, Severity } from '../findings/finding.js';
import type { Reporter } from './reporter.js';
import { verificationText } from './verificationText.js';

/**
 * GitLab's Code Quality report (`artifacts: reports: codequality:`), which the merge-request widget
 * and diff view read: a JSON array of issues, each `description`, `check_name`, `fingerprint`,
 * `severity` and `location` (`path`, `lines.begin`), the subset of the Code Climate format GitLab
 * reads. It is open to every tier, where the secret-detection report (`--format gitlab`) needs
 * Ultimate for its widget.
 *
 * keyfence's four severities map onto GitLab's five so that each keeps its rank and the worst stands
 * out: critical -> blocker, high -> critical, medium -> major, low -> minor. `info` is left for what
 * a pull request silenced with markers it added: still listed, so the reviewer sees it, but ranked
 * below every finding. The value shows as every format shows it (redacted unless --show-secrets).
 * GitLab shows only the first issue of a fingerprint, so a repeated fingerprint gets `-2`, `-3`.
 */

const SEVERITY: Record<Severity, string> = { critical: 'blocker', high: 'critical', medium: 'major', low: 'minor' };

/** What the widget shows: the finding's repository (an organisation's report), message, value and provider's answer. */
function description(f: ReportFinding): string {
  let text = f.message;
  if (f.secret) text += `: ${f.secret}`;
  if (f.verification) text += ` (verified: ${verificationText(f.verification)})`;
  return f.repository ? `${f.repository}: ${text}` : text;
}

export const renderCodequality: Reporter = (report: Report) => {
  const seen = new Set<string>();
  const issue = (f: ReportFinding, severity: string, text: string) => {
    let fingerprint = f.fingerprint;
    for (let n = 2; seen.has(fingerprint); n++) fingerprint = `${f.fingerprint}-${n}`;
    seen.add(fingerprint);
    return {
      description: text,
      check_name: f.ruleId,
      fingerprint,
      severity,
      location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
    };
  };
  const suppressed = (s: ChangeSuppression) =>
    issue(s, 'info', `${description(s)} (silenced by ${s.marker} that this change adds${s.reason ? `: ${s.reason}` : ', giving no reason'})`);
  const issues = [
    ...report.findings.map((f) => issue(f, SEVERITY[f.severity], description(f))),
    ...(report.suppressedByChange ?? []).map(suppressed),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
};
