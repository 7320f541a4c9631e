import type { ChangeSuppression, Report, ReportFinding } from '../findings/finding.js';
import type { Reporter } from './reporter.js';
import { verificationText } from './verificationText.js';

/**
 * CSV for spreadsheets and ticket imports (RFC 4180): a header row, then a row per finding and per
 * finding a pull request silenced with its own marker (`status` tells them apart), CRLF line ends.
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) as
 * a formula, and every text cell here may come from the scanned repository (a file name, a commit
 * author): such a cell is written with a leading `'`, which spreadsheets show as text.
 */

export const CSV_COLUMNS = [
  'status',
  'severity',
  'category',
  'ruleId',
  'file',
  'line',
  'column',
  'endLine',
  'endColumn',
  'environment',
  'message',
  'secret',
  'verification',
  'fingerprint',
  'commit',
  'author',
  'date',
  'marker',
  'reason',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], string | number>;

/** A cell: formula triggers defused, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(f: ReportFinding, status: string, suppression?: Pick<ChangeSuppression, 'marker' | 'reason'>): Row {
  return {
    status,
    severity: f.severity,
    category: f.category,
    ruleId: f.ruleId,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    environment: f.environment,
    message: f.message,
    secret: f.secret,
    verification: f.verification ? verificationText(f.verification) : '',
    fingerprint: f.fingerprint,
    commit: f.commit ?? '',
    author: f.author ?? '',
    date: f.date ?? '',
    marker: suppression?.marker ?? '',
    reason: suppression?.reason ?? '',
  };
}

export const renderCsv: Reporter = (report: Report) => {
  const rows = [
    ...report.findings.map((f) => row(f, 'finding')),
    ...(report.suppressedByChange ?? []).map((s) => row(s, 'suppressed-by-change', s)),
  ];
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
};
