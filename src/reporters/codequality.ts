import type { ChangeSuppression, Report, ReportFinding, Severity } from '../findings/finding.js';
import { writeJsonStreaming } from './jsonStream.js';
import type { Reporter, StreamReporter } from './reporter.js';
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

/**
 * The issues of a report's findings, then of what the change silenced. Fingerprints seen are kept (a
 * short string each, not the finding) so a repeat gets its `-2`, wherever it comes.
 */
function issueMaker() {
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
  const found = (f: ReportFinding) => issue(f, SEVERITY[f.severity], description(f));
  const suppressed = (s: ChangeSuppression) =>
    issue(s, 'info', `${description(s)} (silenced by ${s.marker} that this change adds${s.reason ? `: ${s.reason}` : ', giving no reason'})`);
  return { found, suppressed };
}

export const renderCodequality: Reporter = (report: Report) => {
  const { found, suppressed } = issueMaker();
  const issues = [...report.findings.map(found), ...(report.suppressedByChange ?? []).map(suppressed)];
  return `${JSON.stringify(issues, null, 2)}\n`;
};

/** The same array written issue by issue as the findings come (an organisation's report, `report merge`). */
export const streamCodequality: StreamReporter = ({ head, findings }, _context, write) => {
  const { found, suppressed } = issueMaker();
  async function* issues() {
    for await (const f of findings()) yield found(f);
    for (const s of head.suppressedByChange ?? []) yield suppressed(s);
  }
  return writeJsonStreaming((slot) => slot(issues()), write);
};
