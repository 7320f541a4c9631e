import type { ChangeSuppression, Report, ReportFinding } from '../findings/finding.js';
import { VERSION } from '../version.js';
import { mapped, writeJsonStreaming } from './jsonStream.js';
import type { Reporter, StreamReporter } from './reporter.js';

/** A finding's fields, in the documented order: only these reach the report (also `report diff --format json`). */
export function findingJson(f: ReportFinding) {
  return {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    environment: f.environment,
    secret: f.secret,
    fingerprint: f.fingerprint,
    ...(f.verification ? { verification: f.verification } : {}),
    ...(f.commit ? { commit: f.commit, author: f.author, date: f.date } : {}),
    ...(f.related?.length ? { related: f.related } : {}),
    ...(f.repository !== undefined ? { repository: f.repository } : {}),
  };
}

const suppressionJson = (s: ChangeSuppression) => ({ ...findingJson(s), marker: s.marker, reason: s.reason });

/**
 * The JSON report of docs/cli.md (schema/report.schema.json), fields in the documented order.
 * `suppressedByChange` is written whenever the report has it (pull-request mode), even empty: an
 * empty list says the change silenced nothing, its absence that the question was not asked.
 */
export const renderJson: Reporter = (report: Report) => `${JSON.stringify(jsonReport(report, report.findings.map(findingJson)), null, 2)}\n`;

/** The same report written finding by finding (an organisation's report, `report merge`). */
export const streamJson: StreamReporter = ({ head, findings }, _context, write) =>
  writeJsonStreaming((slot) => jsonReport(head, slot(mapped(findings(), findingJson))), write);

function jsonReport(report: Omit<Report, 'findings'>, findings: unknown) {
  return {
    version: 1,
    tool: { name: 'keyfence', version: VERSION },
    findings,
    ...(report.suppressedByChange ? { suppressedByChange: report.suppressedByChange.map(suppressionJson) } : {}),
    stats: report.stats,
    ...(report.notes.length ? { notes: report.notes } : {}),
    ...(report.secretInventory ? { secretInventory: report.secretInventory } : {}),
    ...(report.trend ? { trend: report.trend } : {}),
  };
}
