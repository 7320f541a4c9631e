import type { Report, ReportFinding, Severity } from '../findings/finding.js';
import type { Reporter } from './reporter.js';
import { summaryLine } from './summary.js';

const COLOURS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m' };
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function line(f: ReportFinding, color: boolean): string {
  const where = `${f.file}:${f.line}:${f.column}`;
  const severity = f.severity.padEnd(8);
  const paint = (c: string, s: string) => (color ? `${c}${s}${RESET}` : s);
  const parts = [where, paint(COLOURS[f.severity], severity), f.ruleId, f.message];
  if (f.secret) parts.push(paint(DIM, f.secret));
  let out = parts.join('  ');
  if (f.commit) out += `\n    ${paint(DIM, `in ${f.commit.slice(0, 12)} by ${f.author ?? '?'} on ${f.date ?? '?'}`)}`;
  for (const r of f.related ?? []) out += `\n    ${paint(DIM, `${r.label ?? 'also'}: ${r.file}:${r.line}:${r.column}`)}`;
  return out;
}

/** `file:line:col  severity  rule-id  message  redacted-value`, then a summary line. */
export const renderText: Reporter = (report: Report, { color }) => {
  const out = report.findings.map((f) => line(f, color));
  for (const note of report.notes) out.push(`note: ${note}`);
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
};
