import { CATEGORIES, type ChangeSuppression, type Report, type ReportFinding } from '../findings/finding.js';
import { scopeText, worstSeverity, type SecretInventoryRow } from '../findings/secretInventory.js';
import type { RenderContext, Reporter, StreamReporter } from './reporter.js';
import { findingsText, secretName, usedByText } from './secretInventory.js';
import { scannedText } from './summary.js';
import { verificationText } from './verificationText.js';

/**
 * JUnit XML for the test views of CI systems (GitLab merge requests, Jenkins, Azure Pipelines): a
 * `<testsuite>` per category with findings, a `<testcase>` per finding with one `<failure>`, and
 * what a pull request silenced with its own markers as `<skipped>` cases. A testcase per finding,
 * not per file: each of those views shows only the first failure of a testcase. A clean run is one
 * passing testcase, since Jenkins fails a build whose report holds no test at all. `audit --github`
 * adds a suite `keyfence secret-inventory`: a testcase per stored secret, failed when findings about
 * it remain (so a CI view lists the risky secrets by name), passing with its facts otherwise. Valid
 * against the Jenkins xUnit plugin's junit-10.xsd (test/reporters/junit.test.ts).
 */

/** Characters XML 1.0 cannot hold even escaped (control characters, lone surrogates, U+FFFE/F). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for element content: markup escaped, characters XML cannot hold replaced by U+FFFD. */
function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for an attribute value: quotes too, and line breaks and tabs as references (a parser reads them as spaces). */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join('');

/** A finding's testcase name: where it is and which rule, unique within a report (commit added for history). */
const caseName = (f: ReportFinding) => `${f.file}:${f.line}:${f.column} ${f.ruleId}${f.commit ? ` @ ${f.commit.slice(0, 12)}` : ''}`;

/** The failure's body: everything a reader of the CI page needs to find and judge the finding. */
function details(f: ReportFinding, docs: string | undefined): string {
  const rows: Array<[string, string | undefined]> = [
    ['rule', `${f.ruleId} (${f.category}, ${f.severity})`],
    ['repository', f.repository],
    ['location', `${f.file}:${f.line}:${f.column}`],
    ['environment', f.environment],
    ['secret', f.secret || undefined],
    ['verification', f.verification ? verificationText(f.verification) : undefined],
    ['commit', f.commit ? `${f.commit} by ${f.author ?? '?'} on ${f.date ?? '?'}` : undefined],
    ...(f.related ?? []).map((r): [string, string] => [r.label ?? 'also', `${r.file}:${r.line}:${r.column}`]),
    ['docs', docs],
  ];
  return [f.message, ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`)].join('\n');
}

/** `keyfence.<category>`; `keyfence.<owner/name>.<category>` in an organisation's report (grouped by repository). */
const classname = (f: ReportFinding) => (f.repository ? `keyfence.${f.repository}.${f.category}` : `keyfence.${f.category}`);

const headline = (f: ReportFinding) => (f.secret ? `${f.message}: ${f.secret}` : f.message);

function findingCase(f: ReportFinding, docs: string | undefined): string {
  const open = `    <testcase${attributes({ name: caseName(f), classname: classname(f), time: '0' })}>`;
  return `${open}\n      <failure${attributes({ message: headline(f), type: f.severity })}>${xmlText(details(f, docs))}</failure>\n    </testcase>`;
}

function suppressedCase(s: ChangeSuppression): string {
  const why = `silenced by ${s.marker} that this change adds${s.reason ? `: ${s.reason}` : ', giving no reason'}`;
  const open = `    <testcase${attributes({ name: caseName(s), classname: classname(s), time: '0' })}>`;
  return `${open}\n      <skipped${attributes({ message: `${headline(s)} (${why})` })}/>\n    </testcase>`;
}

/** A stored secret: failed with its findings' messages when there are some, else passing with its facts. */
function inventoryCase(r: SecretInventoryRow, findings: Map<string, ReportFinding>): string {
  const facts = [
    `scope: ${scopeText(r)}`,
    `age: ${r.ageDays} days since the last update (${r.updatedAt}), rotation limit ${r.maxAgeDays} days (policy.${r.environment}.maxSecretAgeDays)`,
    `created: ${r.createdAt}`,
    `used by: ${usedByText(r)}`,
  ].join('\n');
  const open = `    <testcase${attributes({ name: `${secretName(r)} (${scopeText(r)})`, classname: 'keyfence.secret-inventory', time: '0' })}>`;
  if (r.findings.length === 0) return `${open}\n      <system-out>${xmlText(facts)}</system-out>\n    </testcase>`;
  const messages = r.findings.map((f) => `${f.ruleId} (${f.severity}): ${findings.get(f.fingerprint)?.message ?? ''}`);
  const failure = `<failure${attributes({ message: `secret ${r.name}: ${findingsText(r)}`, type: worstSeverity(r)! })}>${xmlText([...messages, facts].join('\n'))}</failure>`;
  return `${open}\n      ${failure}\n    </testcase>`;
}

/** A testsuite: its counts, and its cases but the findings' (a category's suite lists them first). */
interface Suite {
  name: string;
  /** The category whose findings are this suite's first cases, `failures` of them. */
  category?: string;
  tests: number;
  failures: number;
  skipped: number;
  cases: string[];
}

/** What the suites need of the findings: how many of each category and in all, and those the inventory names. */
interface FindingCounts {
  byCategory: Map<string, number>;
  total: number;
  byFingerprint: Map<string, ReportFinding>;
}

function counter(report: Omit<Report, 'findings'>) {
  const wanted = new Set((report.secretInventory ?? []).flatMap((r) => r.findings.map((f) => f.fingerprint)));
  const counts: FindingCounts = { byCategory: new Map(), total: 0, byFingerprint: new Map() };
  const count = (f: ReportFinding) => {
    counts.byCategory.set(f.category, (counts.byCategory.get(f.category) ?? 0) + 1);
    counts.total++;
    // The last finding of a fingerprint, as a Map built from all of them keeps.
    if (wanted.has(f.fingerprint)) counts.byFingerprint.set(f.fingerprint, f);
  };
  return { counts, count };
}

function suitesOf(report: Omit<Report, 'findings'>, { byCategory, total, byFingerprint }: FindingCounts): Suite[] {
  const suites: Suite[] = [];
  const suppressed = report.suppressedByChange ?? [];
  for (const category of CATEGORIES) {
    const found = byCategory.get(category) ?? 0;
    const silenced = suppressed.filter((s) => s.category === category);
    if (found + silenced.length === 0) continue;
    suites.push({ name: `keyfence ${category}`, category, tests: found + silenced.length, failures: found, skipped: silenced.length, cases: silenced.map(suppressedCase) });
  }
  const inventory = report.secretInventory ?? [];
  if (inventory.length > 0) {
    suites.push({
      name: 'keyfence secret-inventory',
      tests: inventory.length,
      failures: inventory.filter((r) => r.findings.length > 0).length,
      skipped: 0,
      cases: inventory.map((r) => inventoryCase(r, byFingerprint)),
    });
  }
  if (total === 0) {
    const clean = `    <testcase${attributes({ name: `no findings in ${scannedText(report)}`, classname: 'keyfence', time: seconds(report.stats.durationMs) })}/>`;
    suites.unshift({ name: 'keyfence', tests: 1, failures: 0, skipped: 0, cases: [clean] });
  }
  return suites;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function documents(rules: RenderContext['rules']) {
  const docs = new Map(rules.flatMap((r) => (r.helpUri ? [[r.id, r.helpUri] as const] : [])));
  return (f: ReportFinding) => findingCase(f, docs.get(f.ruleId));
}

const head = (report: Omit<Report, 'findings'>, suites: Suite[]) => [
  '<?xml version="1.0" encoding="UTF-8"?>',
  `<testsuites${attributes({ name: 'keyfence', tests: suites.reduce((n, s) => n + s.tests, 0), failures: suites.reduce((n, s) => n + s.failures, 0), errors: 0, time: seconds(report.stats.durationMs) })}>`,
];

const suiteOpen = (s: Suite) => `  <testsuite${attributes({ name: s.name, tests: s.tests, failures: s.failures, errors: 0, skipped: s.skipped, time: '0' })}>`;

/**
 * The cases after the findings', and the run's notes (files skipped, a shallow clone) once, where
 * the views show a suite's output.
 */
const suiteTail = (report: Omit<Report, 'findings'>, s: Suite, first: boolean) => [
  ...s.cases,
  ...(first && report.notes.length ? [`    <system-out>${xmlText(report.notes.map((n) => `note: ${n}`).join('\n'))}</system-out>`] : []),
  '  </testsuite>',
];

export const renderJunit: Reporter = (report: Report, { rules }: RenderContext) => {
  const { counts, count } = counter(report);
  report.findings.forEach(count);
  const suites = suitesOf(report, counts);
  const findingCase = documents(rules);
  const out = head(report, suites);
  suites.forEach((s, i) => {
    out.push(suiteOpen(s));
    if (s.category) out.push(...report.findings.filter((f) => f.category === s.category).map(findingCase));
    out.push(...suiteTail(report, s, i === 0));
  });
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
};

/**
 * The same XML written case by case (an organisation's report, `report merge`). The counts come
 * first (`tests=`, `failures=`) and the cases by category: the findings are read once to count
 * them, then once per category that has some.
 */
export const streamJunit: StreamReporter = async ({ head: report, findings }, { rules }, write) => {
  const { counts, count } = counter(report);
  for await (const f of findings()) count(f);
  const suites = suitesOf(report, counts);
  const findingCase = documents(rules);
  await write(`${head(report, suites).join('\n')}\n`);
  for (const [i, s] of suites.entries()) {
    await write(`${suiteOpen(s)}\n`);
    if (s.category && s.failures > 0) for await (const f of findings()) if (f.category === s.category) await write(`${findingCase(f)}\n`);
    for (const line of suiteTail(report, s, i === 0)) await write(`${line}\n`);
  }
  await write('</testsuites>\n');
};
