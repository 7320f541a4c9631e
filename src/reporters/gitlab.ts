import type { Report, ReportFinding } from '../findings/finding.js';
import { VERSION } from '../version.js';
import { HOMEPAGE_URL } from './ruleDocs.js';
import type { Reporter } from './reporter.js';
import { verificationText } from './verificationText.js';

/**
 * GitLab's Secret Detection report (`artifacts: reports: secret_detection:`), which the security
 * dashboard and the merge-request widget read: report format 15.x, a vulnerability per finding
 * with the rule as its identifier and the file, lines and commit as its location. The value goes
 * in `raw_source_code_extract` as every format shows it: redacted unless `--show-secrets`.
 */

export const GITLAB_REPORT_VERSION = '15.2.1';

/** A commit is required in a secret-detection location; a file on disk has none yet. */
const NO_COMMIT = '0000000';

const SEVERITY: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/** `yyyy-mm-ddThh:mm:ss`, UTC, as the format wants it (no fraction, no zone). */
function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export const renderGitlab: Reporter = (report: Report, context) => {
  const help = new Map(context.rules.map((r) => [r.id, r]));
  const ids = new Set<string>();
  const vulnerability = (f: ReportFinding) => {
    let id = f.fingerprint;
    for (let n = 2; ids.has(id); n++) id = `${f.fingerprint}-${n}`;
    ids.add(id);
    const rule = help.get(f.ruleId);
    return {
      id,
      name: rule?.description ?? f.ruleId,
      description: f.verification ? `${f.message} (verified: ${verificationText(f.verification)})` : f.message,
      severity: SEVERITY[f.severity] ?? 'Unknown',
      ...(f.secret ? { raw_source_code_extract: f.secret } : {}),
      identifiers: [{ type: 'keyfence_rule_id', name: `keyfence ${f.ruleId}`, value: f.ruleId, ...(rule?.helpUri ? { url: rule.helpUri } : {}) }],
      location: {
        file: f.file,
        start_line: f.line,
        end_line: f.endLine,
        commit: { sha: f.commit ?? NO_COMMIT, ...(f.author ? { author: f.author } : {}), ...(f.date ? { date: f.date } : {}) },
      },
    };
  };
  const end = Date.now();
  const tool = { id: 'keyfence', name: 'keyfence', version: VERSION, url: HOMEPAGE_URL, vendor: { name: 'keyfence' } };
  const out = {
    version: GITLAB_REPORT_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'secret_detection',
      start_time: time(end - report.stats.durationMs),
      end_time: time(end),
      status: 'success',
      messages: report.notes.map((value) => ({ level: 'info', value })),
    },
    vulnerabilities: report.findings.map(vulnerability),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
