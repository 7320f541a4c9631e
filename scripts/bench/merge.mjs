// `node scripts/bench.mjs --scenario merge`: `keyfence report merge` at the scale of an organisation.
// Generates one JSON report per repository (5,000 by default, seeded: the same files on every
// machine), as the shards of an org audit upload them, and measures the merge of the whole folder:
// wall time and peak resident memory (measure.mjs), beside the size of what was read.
//
// The findings follow what scans of real organisations look like: most repositories have none, a
// few have very many (a Pareto tail), generic secrets outnumber provider keys, workflow and
// settings findings are a minority, and severities lean by category.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './measure.mjs';
import { Rng } from './prng.mjs';

/** Share of repositories with no finding at all. */
const CLEAN = 0.72;
/** Pareto shape of the findings of the others: P(more than x) = x^-ALPHA; capped at MAX. */
const ALPHA = 1.1;
const MAX = 3000;

/** [weight, category, severities as [weight, severity] pairs, rule ids]. */
const CATEGORIES = [
  [40, 'generic-secret', [[30, 'high'], [60, 'medium'], [10, 'low']], ['generic-password', 'generic-api-key', 'private-key', 'connection-string-password']],
  [18, 'live-key', [[80, 'critical'], [20, 'high']], ['stripe-live-secret-key', 'aws-access-key-id', 'github-pat', 'slack-bot-token']],
  [10, 'prod-host', [[70, 'medium'], [30, 'low']], ['prod-host']],
  [10, 'workflow', [[10, 'critical'], [50, 'high'], [40, 'medium']], ['untrusted-checkout', 'excessive-permissions', 'secret-in-run']],
  [8, 'fixture', [[30, 'medium'], [70, 'low']], ['stripe-live-secret-key', 'aws-access-key-id']],
  [6, 'env-crossover', [[100, 'high']], ['env-crossover']],
  [4, 'echo-leak', [[60, 'high'], [40, 'medium']], ['echo-leak']],
  [3, 'github-settings', [[40, 'high'], [60, 'medium']], ['default-token-write', 'secret-rotation-age']],
  [1, 'prod-data', [[100, 'high']], ['database-dump']],
];
const ENVIRONMENT = { workflow: 'ci', 'github-settings': 'unknown', fixture: 'test', 'prod-host': 'development' };
const FOLDERS = ['config', 'src', 'deploy', 'test/fixtures', 'scripts', '.github/workflows', 'infra/terraform', 'docs'];
const FILES = ['.env.development', 'settings.py', 'application.yml', 'values.yaml', 'main.tf', 'ci.yml', 'README.md', 'docker-compose.yml'];

function findingsCount(rng) {
  if (rng.chance(CLEAN)) return 0;
  return Math.min(MAX, Math.ceil(1 / Math.pow(1 - rng.float(), 1 / ALPHA)));
}

function finding(rng, repository) {
  const [, category, severities, rules] = rng.weighted(CATEGORIES.map((c) => [c[0], c]));
  const line = rng.size(40, 1.2, 1, 5000);
  const commit = rng.chance(0.6) ? rng.hex(40) : undefined;
  return {
    ruleId: rng.pick(rules),
    category,
    severity: rng.weighted(severities),
    message: `${category} finding`,
    file: `${rng.pick(FOLDERS)}/${rng.pick(FILES)}`,
    line,
    column: rng.int(1, 60),
    endLine: line,
    endColumn: rng.int(61, 120),
    environment: ENVIRONMENT[category] ?? rng.pick(['development', 'test', 'staging', 'production']),
    secret: category === 'workflow' || category === 'github-settings' || category === 'prod-data' ? '' : `…${rng.base62(4)}`,
    fingerprint: rng.hex(32),
    ...(commit ? { commit, author: `Dev ${rng.int(1, 400)} <dev@example.com>`, date: `202${rng.int(0, 6)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}T10:00:00Z` } : {}),
    repository,
  };
}

function repositoryReport(rng, repository) {
  const files = rng.size(300, 1.3, 1, 200000);
  const findings = Array.from({ length: findingsCount(rng) }, () => finding(rng, repository));
  return {
    version: 1,
    tool: { name: 'keyfence', version: '0.1.0' },
    findings,
    stats: {
      files,
      bytes: files * rng.size(6000, 0.8, 200, 200000),
      commits: rng.size(800, 1.5, 1, 500000),
      durationMs: rng.size(20000, 1.2, 200, 3600000),
      skipped: rng.int(0, 20),
      suppressed: { inline: rng.int(0, 3), allow: rng.int(0, 2), baseline: rng.int(0, 5) },
    },
  };
}

/** The reports, one per repository in a folder per shard of 100: made once per size and seed, then reused. */
function ensureReports(dir, repositories, log) {
  const stamp = join(dir, 'complete.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const rng = new Rng(`merge-${repositories}`);
  let findings = 0;
  let bytes = 0;
  let largest = 0;
  for (let i = 0; i < repositories; i++) {
    const name = `repo-${String(i).padStart(5, '0')}`;
    const report = repositoryReport(rng, `acme/${name}`);
    const shard = join(dir, 'reports', `shard-${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(shard, { recursive: true });
    const text = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(join(shard, `${name}.json`), text);
    findings += report.findings.length;
    bytes += text.length;
    largest = Math.max(largest, report.findings.length);
  }
  const facts = { repositories, findings, bytes, largest };
  writeFileSync(stamp, JSON.stringify(facts));
  log(`generated ${repositories} reports: ${findings} findings, ${(bytes / 1e6).toFixed(1)} MB, the largest ${largest} findings`);
  return facts;
}

/** Runs the merge once and prints (and returns) what it measured. */
export async function benchMerge({ bench, cli, repositories = 5000, timeoutS = 600, log }) {
  const dir = join(bench, `merge-${repositories}`);
  const facts = ensureReports(dir, repositories, log);
  const out = join(dir, 'merged.json');
  rmSync(out, { force: true });
  const run = await runTool(
    { id: 'keyfence', steps: [{ argv: ['node', cli, 'report', 'merge', join(dir, 'reports'), '--format', 'json', '--output', out], cwd: dir, okCodes: [0] }] },
    timeoutS * 1000,
  );
  if (!run.ok) throw new Error(`report merge failed (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${run.stderr.slice(0, 2000)}`);
  const merged = JSON.parse(readFileSync(out, 'utf8'));
  // Every repository's findings are its own (they carry their repository): none may be lost or doubled.
  if (merged.findings.length !== facts.findings) throw new Error(`merged ${merged.findings.length} findings of ${facts.findings}`);
  const result = {
    scenario: 'merge',
    repositories,
    findings: facts.findings,
    largestReport: facts.largest,
    inputMB: +(facts.bytes / 1e6).toFixed(1),
    outputMB: +(statSync(out).size / 1e6).toFixed(1),
    mergeMs: Math.round(run.ms),
    peakRssMB: +(run.rssKb / 1024).toFixed(1),
  };
  log(
    `report merge: ${repositories} reports (${result.inputMB} MB, ${result.findings} findings, the largest ${result.largestReport}) ` +
      `in ${(result.mergeMs / 1000).toFixed(1)} s, peak RSS ${result.peakRssMB} MB; merged report ${result.outputMB} MB`,
  );
  mkdirSync(join(bench, 'results'), { recursive: true });
  writeFileSync(join(bench, 'results', `merge-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
