import type { Category, ChangeSuppression, Location, Report, ReportFinding, Severity } from '../findings/finding.js';
import { VERSION } from '../version.js';
import { writeJsonStreaming } from './jsonStream.js';
import type { Reporter, RuleInfo, StreamReporter } from './reporter.js';
import { HOMEPAGE_URL, suppressionHelp } from './ruleDocs.js';

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one `reportingDescriptor` per rule that ran (help
 * text and doc link, tags, `security-severity`), results with a region, related locations and a
 * partial fingerprint that survives line moves. The secret is whatever the masking stage left.
 * Findings the change suppressed (pull-request mode) are results too, with an in-source suppression
 * (SARIF §3.34): code scanning shows them as suppressed instead of not at all.
 */

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'keyfenceFingerprint/v1';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub maps >= 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, below that low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

/** Every category (a new one fails the type check until it is described here), and any other a report may name. */
const CATEGORY_TEXT: Record<Category, string> & Record<string, string | undefined> = {
  'live-key': 'A provider credential that grants access to a live account.',
  'generic-secret': 'A password, token, private key or connection string with a password.',
  'prod-host': 'A production hostname or endpoint in a development, test or staging file.',
  'env-crossover': 'A secret that crosses environments: shared by two of them, a live key in development or test, or a test key in production.',
  fixture: 'A live-looking credential in a test fixture.',
  'echo-leak': 'A secret printed to a log.',
  workflow: 'A CI workflow that lets untrusted code reach secrets.',
  'github-settings': 'A repository setting that weakens the protection of secrets.',
  'gitlab-settings': 'A GitLab project setting that weakens the protection of CI/CD variables.',
  'prod-data': 'Production data in the repository: a database dump, a customer export, or real personal data in fixtures.',
  policy: "A pull request that loosens keyfence's own configuration: new allow or baseline entries, rules turned off.",
};

/** GitHub shows `external/cwe/cwe-N` tags as CWE links: 798 hard-coded credentials, 532 sensitive data in a log. */
const CWE_798_HARD_CODED = 'external/cwe/cwe-798';
const CWE_532_LOGGED = 'external/cwe/cwe-532';
const CWE: Record<string, string> = {
  'live-key': CWE_798_HARD_CODED,
  'generic-secret': CWE_798_HARD_CODED,
  'env-crossover': CWE_798_HARD_CODED,
  fixture: CWE_798_HARD_CODED,
  'echo-leak': CWE_532_LOGGED,
};

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** A repository-relative path as a URI reference: each segment percent-encoded. */
export function fileUri(file: string): string {
  return file
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function descriptor(rule: RuleInfo) {
  const severity = (rule.severity in LEVEL ? rule.severity : 'medium') as Severity;
  const about = CATEGORY_TEXT[rule.category] ?? '';
  const workflow = rule.category === 'workflow';
  const kind = rule.category === 'policy' ? 'policy' : workflow ? 'workflow' : rule.byPath ? 'path' : 'secret';
  const how = suppressionHelp(rule.id, kind);
  const doc = rule.helpUri ? `Documentation: ${rule.helpUri}` : '';
  const docMd = rule.helpUri ? `[Documentation](${rule.helpUri})` : '';
  const tags = ['security', workflow ? 'ci' : kind === 'policy' ? 'configuration' : 'secret', rule.category, ...(CWE[rule.category] ? [CWE[rule.category]!] : [])];
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: [rule.description.replace(/\.?$/, '.'), about].filter(Boolean).join(' ') },
    help: {
      text: [rule.description.replace(/\.?$/, '.'), about, how, doc].filter(Boolean).join('\n\n'),
      markdown: [`**${rule.description}**`, about, how, docMd].filter(Boolean).join('\n\n'),
    },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[severity], category: rule.category },
  };
}

function region(l: Pick<Location, 'line' | 'column' | 'endLine' | 'endColumn'>) {
  const startLine = Math.max(1, l.line);
  const endLine = Math.max(startLine, l.endLine);
  const startColumn = Math.max(1, l.column);
  const endColumn = endLine === startLine ? Math.max(startColumn, l.endColumn) : Math.max(1, l.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

function physical(l: Pick<Location, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>) {
  return { artifactLocation: { uri: fileUri(l.file) }, region: region(l) };
}

function messageOf(f: ReportFinding): string {
  let text = f.message;
  if (f.secret) text += `: ${f.secret}`;
  if (f.environment !== 'unknown' && f.category !== 'workflow') text += ` (${f.environment} file)`;
  if (f.commit) text += `, added in commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}` : ''}${f.date ? ` on ${f.date}` : ''}`;
  return text;
}

/** The rules that ran; `add` describes a finding's rule the context does not, so its ruleIndex is valid. */
function ruleList(rules: RuleInfo[]) {
  const known = new Map<string, RuleInfo>();
  for (const r of rules) if (!known.has(r.id)) known.set(r.id, r);
  const add = (f: ReportFinding) => {
    if (!known.has(f.ruleId)) known.set(f.ruleId, { id: f.ruleId, description: f.message, category: f.category, severity: f.severity });
  };
  return { known, add };
}

function resultsOf(known: Map<string, RuleInfo>) {
  const index = new Map([...known.keys()].map((id, i) => [id, i]));
  const result = (f: ReportFinding) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: messageOf(f) },
    locations: [{ physicalLocation: physical(f) }],
    ...(f.related?.length
      ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, physicalLocation: physical(r), message: { text: r.label ?? 'related' } })) }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      severity: f.severity,
      category: f.category,
      environment: f.environment,
      // An organisation's report: the URI stays relative (to that repository's root), which SARIF's
      // artifactLocation cannot name; the repository goes beside it.
      ...(f.repository ? { repository: f.repository } : {}),
      ...(f.verification ? { verification: f.verification } : {}),
      ...(f.commit ? { commit: f.commit, ...(f.author ? { author: f.author } : {}), ...(f.date ? { date: f.date } : {}) } : {}),
    },
  });
  // Accepted in source by the marker the change added; the justification is what a reviewer reads.
  const suppressedResult = (s: ChangeSuppression) => {
    const { properties, ...rest } = result(s);
    return {
      ...rest,
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: s.reason || s.marker }],
      properties: { ...properties, marker: s.marker },
    };
  };
  return { result, suppressedResult };
}

function sarifLog(report: Omit<Report, 'findings'>, known: Map<string, RuleInfo>, results: unknown) {
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyfence',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: HOMEPAGE_URL,
            rules: [...known.values()].map(descriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(report.notes.length ? { toolExecutionNotifications: report.notes.map((n) => ({ level: 'note', message: { text: n } })) } : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: { stats: report.stats, ...(report.secretInventory ? { secretInventory: report.secretInventory } : {}) },
      },
    ],
  };
}

export const renderSarif: Reporter = (report: Report, { rules }) => {
  const { known, add } = ruleList(rules);
  const suppressed = report.suppressedByChange ?? [];
  for (const f of [...report.findings, ...suppressed]) add(f);
  const { result, suppressedResult } = resultsOf(known);
  const results = [...report.findings.map(result), ...suppressed.map(suppressedResult)];
  return `${JSON.stringify(sarifLog(report, known, results), null, 2)}\n`;
};

/** The same log written result by result (an organisation's report, `report merge`); read twice, rules first. */
export const streamSarif: StreamReporter = async ({ head, findings }, { rules }, write) => {
  const { known, add } = ruleList(rules);
  const suppressed = head.suppressedByChange ?? [];
  for await (const f of findings()) add(f);
  for (const f of suppressed) add(f);
  const { result, suppressedResult } = resultsOf(known);
  async function* results() {
    for await (const f of findings()) yield result(f);
    for (const s of suppressed) yield suppressedResult(s);
  }
  await writeJsonStreaming((slot) => sarifLog(head, known, slot(results())), write);
};
