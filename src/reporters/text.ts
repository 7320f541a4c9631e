import { failsAt, type FailOn } from '../findings/failOn.js';
import { SEVERITIES, type ChangeSuppression, type Report, type ReportFinding, type Severity } from '../findings/finding.js';
import type { Reporter } from './reporter.js';
import { verificationText } from './verificationText.js';
import { inventoryTextLines } from './secretInventory.js';
import { summaryLine } from './summary.js';

const COLOURS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m' };
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** A finding's line; `extra` goes at the end of its first line (a suppression's marker and reason). */
function line(f: ReportFinding, color: boolean, extra: string[] = []): string {
  // An organisation's report: `owner/name:` first, since `file` is relative to that repository.
  const where = `${f.repository ? `${f.repository}:` : ''}${f.file}:${f.line}:${f.column}`;
  const severity = f.severity.padEnd(8);
  const paint = (c: string, s: string) => (color ? `${c}${s}${RESET}` : s);
  const parts = [where, paint(COLOURS[f.severity], severity), f.ruleId, f.message];
  if (f.secret) parts.push(paint(DIM, f.secret));
  if (f.verification) parts.push(`[${verificationText(f.verification)}]`);
  parts.push(...extra);
  let out = parts.join('  ');
  if (f.commit) out += `\n    ${paint(DIM, `in ${f.commit.slice(0, 12)} by ${f.author ?? '?'} on ${f.date ?? '?'}`)}`;
  for (const r of f.related ?? []) out += `\n    ${paint(DIM, `${r.label ?? 'also'}: ${r.file}:${r.line}:${r.column}`)}`;
  return out;
}

/** Told apart from the findings: the reviewer reads what the change chose to silence, and why. */
function suppressedBlock(items: ChangeSuppression[], color: boolean): string[] {
  if (items.length === 0) return [];
  return [`suppressed by this change (${items.length}):`, ...items.map((s) => line(s, color, [`${s.marker}: ${s.reason || 'no reason given'}`]))];
}

/**
 * `file:line:col  severity  rule-id  message  redacted-value`, then what the change suppressed (the
 * same line, with marker and reason), the notes and a summary line.
 */
export const renderText: Reporter = (report: Report, { color, failOn }) => {
  const out = report.findings.map((f) => line(f, color));
  out.push(...suppressedBlock(report.suppressedByChange ?? [], color));
  out.push(...inventoryTextLines(report.secretInventory));
  for (const note of report.notes) out.push(`note: ${note}`);
  out.push(summaryLine(report));
  const below = failOn ? belowFailOn(report.findings, failOn) : '';
  if (below) out.push(below);
  return `${out.join('\n')}\n`;
};

/**
 * `1 finding below fail-on medium did not block (1 low)`: said in the footer, so nobody reads a
 * listed finding as the reason a commit or a CI step failed, nor a passing run as one without findings.
 */
function belowFailOn(findings: readonly ReportFinding[], failOn: FailOn): string {
  const below = findings.filter((f) => !failsAt(f.severity, failOn));
  if (below.length === 0) return '';
  const counts = SEVERITIES.map((s) => [s, below.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const threshold = failOn === 'none' ? 'with fail-on none' : `below fail-on ${failOn}`;
  return `${below.length} finding${below.length === 1 ? '' : 's'} ${threshold} did not block (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`;
}
