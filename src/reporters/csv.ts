import type { ChangeSuppression, Report, ReportFinding } from '../findings/finding.js';
import { scopeText, worstSeverity, type SecretInventoryRow } from '../findings/secretInventory.js';
import type { Reporter, StreamReporter } from './reporter.js';
import { findingsText, usedByText } from './secretInventory.js';
import { verificationText } from './verificationText.js';

/**
 * CSV for spreadsheets and ticket imports (RFC 4180): a header row, then a row per finding, per
 * finding a pull request silenced with its own marker, and (`audit --github`) per stored secret of
 * the secret inventory; `status` tells them apart (`finding`, `suppressed-by-change`,
 * `secret-inventory`). One table, one fixed header for every run: the inventory's own columns come
 * last and stay empty on the other rows, so a sheet filtered on `status` or sorted on `ageDays`
 * needs no second file. `repository` (an organisation's report: `owner/name`, which `file` is
 * relative to) comes after them, added last so no column moved. CRLF line ends.
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
  // The secret inventory's rows (status secret-inventory): names, scopes and dates, never a value.
  'secretName',
  'scope',
  'createdAt',
  'updatedAt',
  'ageDays',
  'maxAgeDays',
  'usedBy',
  'findings',
  // Last, so sheets and imports that read the columns above by position keep working.
  'repository',
] as const;

const INVENTORY_ONLY = { secretName: '', scope: '', createdAt: '', updatedAt: '', ageDays: '', maxAgeDays: '', usedBy: '', findings: '' } as const;

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
    ...INVENTORY_ONLY,
    repository: f.repository ?? '',
  };
}

/** A stored secret: `severity` is its most severe finding's (empty when none), for sorting by risk. */
function inventoryRow(r: SecretInventoryRow): Row {
  const none = Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])) as Row;
  return {
    ...none,
    status: 'secret-inventory',
    severity: worstSeverity(r) ?? '',
    environment: r.environment,
    message: `secret ${r.name} (${scopeText(r)}) last updated ${r.ageDays} days ago; rotation limit ${r.maxAgeDays} days`,
    secretName: r.name,
    scope: scopeText(r),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ageDays: r.ageDays,
    maxAgeDays: r.maxAgeDays,
    usedBy: usedByText(r),
    findings: findingsText(r),
    repository: r.repository ?? '',
  };
}

const line = (r: Row) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',');

/** The rows after the findings': those the change suppressed, then the secret inventory. */
const trailingRows = (report: Omit<Report, 'findings'>) => [
  ...(report.suppressedByChange ?? []).map((s) => row(s, 'suppressed-by-change', s)),
  ...(report.secretInventory ?? []).map(inventoryRow),
];

export const renderCsv: Reporter = (report: Report) => {
  const rows = [...report.findings.map((f) => row(f, 'finding')), ...trailingRows(report)];
  const lines = [CSV_COLUMNS.join(','), ...rows.map(line)];
  return `${lines.join('\r\n')}\r\n`;
};

/** The same table written row by row as the findings come (an organisation's report, `report merge`). */
export const streamCsv: StreamReporter = async ({ head, findings }, _context, write) => {
  await write(`${CSV_COLUMNS.join(',')}\r\n`);
  for await (const f of findings()) await write(`${line(row(f, 'finding'))}\r\n`);
  for (const r of trailingRows(head)) await write(`${line(r)}\r\n`);
};
