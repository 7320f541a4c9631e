import type { ChangeSuppression, Report, ReportFinding } from '../findings/finding.js';
import { VERSION } from '../version.js';
import type { Reporter } from './reporter.js';

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
export const renderJson: Reporter = (report: Report) => {
  const out = {
    version: 1,
    tool: { name: 'keyfence', version: VERSION },
    findings: report.findings.map(findingJson),
    ...(report.suppressedByChange ? { suppressedByChange: report.suppressedByChange.map(suppressionJson) } : {}),
    stats: report.stats,
    ...(report.notes.length ? { notes: report.notes } : {}),
    ...(report.secretInventory ? { secretInventory: report.secretInventory } : {}),
    ...(report.trend ? { trend: report.trend } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
