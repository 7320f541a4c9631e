import type { Report, ReportFinding } from '../findings/finding.js';
import { scopeText, type SecretInventoryRow } from '../findings/secretInventory.js';
import { VERSION } from '../version.js';
import { HOMEPAGE_URL } from './ruleDocs.js';
import { mapped, writeJsonStreaming } from './jsonStream.js';
import type { RenderContext, Reporter, StreamReporter } from './reporter.js';
import { secretName } from './secretInventory.js';
import { verificationText } from './verificationText.js';

/**
 * GitLab's Secret Detection report (`artifacts: reports: secret_detection:`), which the security
 * dashboard and the merge-request widget read: report format 15.x, a vulnerability per finding
 * with the rule as its identifier and the file, lines and commit as its location. The value goes
 * in `raw_source_code_extract` as every format shows it: redacted unless `--show-secrets`.
 *
 * The secret inventory of `audit --github` has no place of its own in the format (a vulnerability
 * is a problem, and a stored secret without findings is none): a vulnerability about a stored
 * secret carries that secret's row in `details` (a `named-list`, which GitLab shows on the
 * vulnerability's page), and one `info` message in `scan.messages` counts the inventory and says
 * which formats hold all of it. A finding of an organisation's report names its repository in
 * `details` too (a `repository` text entry): `location.file` is relative to that repository.
 */

export const GITLAB_REPORT_VERSION = '15.2.1';

/** A commit is required in a secret-detection location; a file on disk has none yet. */
const NO_COMMIT = '0000000';

const SEVERITY: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/** `yyyy-mm-ddThh:mm:ss`, UTC, as the format wants it (no fraction, no zone). */
function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

const text = (name: string, value: string) => ({ name, type: 'text', value });

/** A stored secret's inventory row as a `details` entry (`named-list` of text, value and list fields). */
function inventoryDetail(r: SecretInventoryRow) {
  const jobs = [...r.usedBy.map((u) => `${u.file} ${u.job}`), ...r.mayBeReadBy.map((u) => `${u.file} ${u.job} (all secrets)`)];
  return {
    name: `Stored secret ${secretName(r)} (${scopeText(r)})`,
    type: 'named-list',
    items: {
      scope: text('Scope', scopeText(r)),
      age: { name: 'Days since the last update', type: 'value', value: r.ageDays },
      limit: { name: `Rotation limit in days (policy.${r.environment}.maxSecretAgeDays)`, type: 'value', value: r.maxAgeDays },
      updated: text('Last update', r.updatedAt),
      created: text('Created', r.createdAt),
      used_by: { name: 'Used by', type: 'list', items: (jobs.length ? jobs : ['no job']).map((value) => ({ type: 'text', value })) },
      findings: { name: 'Findings about it', type: 'list', items: r.findings.map((f) => ({ type: 'text', value: `${f.ruleId} (${f.severity})` })) },
    },
  };
}

/** The info message about the inventory: how many secrets, how many with findings, where the rest is. */
function inventoryMessage(rows: SecretInventoryRow[]): string {
  const risky = rows.filter((r) => r.findings.length > 0).length;
  const n = `${rows.length} stored secret${rows.length === 1 ? '' : 's'}`;
  return `secret inventory: ${n}, ${risky} with findings (each vulnerability about one carries its row in details); the json, csv and markdown reports list all ${rows.length}`;
}

/**
 * A finding's vulnerability. The ids given are kept (a short string each, not the finding), so a
 * repeated fingerprint gets `-2` wherever it comes.
 */
function vulnerabilityMaker(report: Omit<Report, 'findings'>, context: RenderContext) {
  const inventory = report.secretInventory ?? [];
  const help = new Map(context.rules.map((r) => [r.id, r]));
  const ids = new Set<string>();
  return (f: ReportFinding) => {
    let id = f.fingerprint;
    for (let n = 2; ids.has(id); n++) id = `${f.fingerprint}-${n}`;
    ids.add(id);
    const rule = help.get(f.ruleId);
    const stored = inventory.filter((r) => r.findings.some((x) => x.fingerprint === f.fingerprint));
    // An organisation's report: `file` is relative to the finding's repository, which goes in details.
    const details = {
      ...(f.repository ? { repository: text('Repository', f.repository) } : {}),
      ...Object.fromEntries(stored.map((r, i) => [`stored_secret_${i + 1}`, inventoryDetail(r)])),
    };
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
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  };
}

/** The report around its vulnerabilities; the scan ends now and started the run's duration before. */
function gitlabReport(report: Omit<Report, 'findings'>, vulnerabilities: unknown) {
  const inventory = report.secretInventory ?? [];
  const end = Date.now();
  const tool = { id: 'keyfence', name: 'keyfence', version: VERSION, url: HOMEPAGE_URL, vendor: { name: 'keyfence' } };
  return {
    version: GITLAB_REPORT_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'secret_detection',
      start_time: time(end - report.stats.durationMs),
      end_time: time(end),
      status: 'success',
      messages: [...report.notes, ...(inventory.length > 0 ? [inventoryMessage(inventory)] : [])].map((value) => ({ level: 'info', value })),
    },
    vulnerabilities,
  };
}

export const renderGitlab: Reporter = (report: Report, context) =>
  `${JSON.stringify(gitlabReport(report, report.findings.map(vulnerabilityMaker(report, context))), null, 2)}\n`;

/** The same report, written vulnerability by vulnerability as the findings come (organisation report, report merge). */
export const streamGitlab: StreamReporter = ({ head, findings }, context, write) =>
  writeJsonStreaming((slot) => gitlabReport(head, slot(mapped(findings(), vulnerabilityMaker(head, context)))), write);
