import type { Report } from '../findings/finding.js';
import { VERSION } from '../version.js';
import type { Reporter } from './reporter.js';

/** The JSON report of docs/cli.md (schema/report.schema.json), fields in the documented order. */
export const renderJson: Reporter = (report: Report) => {
  const findings = report.findings.map((f) => ({
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
    ...(f.commit ? { commit: f.commit, author: f.author, date: f.date } : {}),
    ...(f.related?.length ? { related: f.related } : {}),
  }));
  const out = {
    version: 1,
    tool: { name: 'keyfence', version: VERSION },
    findings,
    stats: report.stats,
    ...(report.notes.length ? { notes: report.notes } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
