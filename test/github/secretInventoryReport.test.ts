/**
 * The secret inventory of `keyfence audit --github` as every format shows it, from the CLI against
 * the local OpenAPI-checked GitHub server: its "findings" column holds only what the report holds
 * (a finding an inline marker or the baseline silenced is not listed about its secret), and the
 * CSV, JUnit, GitHub and GitLab formats carry the same rows as the JSON report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { validateXML } from 'xmllint-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { keyedHash, newBaseline, serializeBaseline } from '../../src/suppressions/baseline.js';
import { describeSchemaErrors, reportValidator } from '../support/cli.js';
import { agedSecret, CLOSED_TO_FORKS, environment, repository } from '../support/githubFixtures.js';
import { startGitHubServer, type GitHubServer } from '../support/githubServer.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

const R = '/repos/{owner}/{repo}';
const CI = `name: ci
on: push
env:
  CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }} # keyfence:allow[secret-workflow-env] upload-only token
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

const DEPLOY = `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
        with:
          registry-url: https://registry.npmjs.org
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;

let server: GitHubServer;
let repo: TempDir;
/** The stored secrets' names and dates, as the server lists them: each updated so many days before the run. */
let stored: Record<string, ReturnType<typeof agedSecret>>;
beforeEach(async () => {
  server = await startGitHubServer();
  repo = tempRepo();
  repo.write('.github/workflows/ci.yml', CI);
  repo.write('.github/workflows/deploy.yml', DEPLOY);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'workflows');
  const now = new Date();
  server.on(`GET ${R}`, { body: { ...repository('octocat/site', { visibility: 'private', ownerType: 'User' }), default_branch: 'main' } });
  const envs = [environment({ name: 'production', reviewers: 1, preventSelfReview: true })];
  server.on(`GET ${R}/environments`, { body: { total_count: 1, environments: envs } });
  const days = { DEPLOY_TOKEN: 100, NPM_TOKEN: 200, CODECOV_TOKEN: 10, OLD_WEBHOOK: 5 };
  stored = Object.fromEntries(Object.entries(days).map(([name, d]) => [name, agedSecret(name, now, d)]));
  server.on(`GET ${R}/environments/{environment_name}/secrets`, { body: { total_count: 1, secrets: [stored.DEPLOY_TOKEN] } });
  const repoSecrets = [stored.NPM_TOKEN!, stored.CODECOV_TOKEN!, stored.OLD_WEBHOOK!];
  server.on(`GET ${R}/actions/secrets`, { body: { total_count: repoSecrets.length, secrets: repoSecrets } });
  server.on(`GET ${R}/keys`, { body: [] });
  server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
  server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
});
afterEach(async () => {
  repo.remove();
  await server.close();
});

async function audit(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(['audit', '--github', 'octocat/site', '--github-url', server.url, ...args], { cwd: repo.path, env: { GITHUB_TOKEN: 'test-token' }, stdout, stderr });
  return { code, out, err };
}

interface Row {
  name: string;
  scope: string;
  findings: Array<{ ruleId: string; severity: string; fingerprint: string }>;
}
const rowsOf = (json: { secretInventory: Row[] }) => json.secretInventory.map((r) => `${r.scope} ${r.name}: ${r.findings.map((f) => `${f.ruleId} ${f.severity}`).join(', ')}`);

/** A baseline that accepts the report's findings of `rule`: built by keyfence's own baseline code. */
type ReportedFinding = { ruleId: string; file: string; secret: string; fingerprint: string };

async function baselineOf(findings: ReportedFinding[], rule: string): Promise<string> {
  const baseline = newBaseline();
  for (const f of findings.filter((x) => x.ruleId === rule)) {
    baseline.entries.push({ ruleId: f.ruleId, file: f.file, hash: await keyedHash(baseline.salt, f) });
  }
  return serializeBaseline(baseline);
}

const XSD = readFileSync(fileURLToPath(new URL('../reporters/schemas/junit-10.xsd', import.meta.url)), 'utf8');
const validateGitlab = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(fileURLToPath(new URL('../reporters/schemas/gitlab-secret-detection.schema.json', import.meta.url)), 'utf8')) as object,
);

/** One audit, the same suppressions, every format: the console JSON and one --report of each other format. */
async function auditEveryFormat() {
  const all = JSON.parse((await audit(['--format', 'json', '--no-suppressions'])).out);
  writeFileSync(join(repo.path, 'baseline.json'), await baselineOf(all.findings, 'secret-unused'));
  const reports = ['csv=out/inventory.csv', 'junit=out/junit.xml', 'github=out/github.txt', 'gitlab=out/gitlab.json', 'text=out/report.txt', 'markdown=out/report.md'];
  const run = await audit(['--format', 'json', '--baseline', 'baseline.json', ...reports.flatMap((r) => ['--report', r])]);
  const read = (file: string) => readFileSync(join(repo.path, 'out', file), 'utf8');
  return { all, run, json: JSON.parse(run.out), read };
}

describe('the secret inventory after suppressions', () => {
  it('lists about each secret only the findings the report still holds, and is sorted by them', async () => {
    const { all, run, json } = await auditEveryFormat();
    expect(server.problems).toEqual([]);
    // Without suppressions: every finding about each secret.
    expect(rowsOf(all)).toEqual([
      'environment DEPLOY_TOKEN: secret-rotation-age medium',
      'repository CODECOV_TOKEN: secret-workflow-env medium',
      'repository NPM_TOKEN: secret-rotation-age low',
      'repository OLD_WEBHOOK: secret-unused low',
    ]);
    // The marker in ci.yml silences secret-workflow-env, the baseline secret-unused: neither is listed
    // about its secret any more, and the two secrets sort as the ones without findings.
    expect(run.code).toBe(1);
    expect(json.stats.suppressed).toEqual({ inline: 1, allow: 0, baseline: 1 });
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['long-lived-publish-token', 'secret-rotation-age', 'secret-rotation-age']);
    expect(rowsOf(json)).toEqual([
      'environment DEPLOY_TOKEN: secret-rotation-age medium',
      'repository NPM_TOKEN: secret-rotation-age low',
      'repository CODECOV_TOKEN: ',
      'repository OLD_WEBHOOK: ',
    ]);
    // Each listed finding is one of the report's, by fingerprint.
    const kept = new Set(json.findings.map((f: { fingerprint: string }) => f.fingerprint));
    expect(json.secretInventory.flatMap((r: Row) => r.findings).filter((f: Row['findings'][number]) => !kept.has(f.fingerprint))).toEqual([]);
    // The public contract: schema/report.schema.json, as every JSON report is checked against.
    const validate = reportValidator();
    expect(validate(json) ? '' : describeSchemaErrors(validate.errors)).toBe('');
  });

  it('every format carries the same inventory: text, markdown, csv, junit, github, gitlab', async () => {
    const { read } = await auditEveryFormat();
    expect(server.problems).toEqual([]);
    const date = (name: string) => stored[name]!.updated_at.slice(0, 10);

    const text = read('report.txt').split('\n');
    expect(text.slice(text.indexOf('secret inventory (4):'), text.indexOf('secret inventory (4):') + 5)).toEqual([
      'secret inventory (4):',
      `  DEPLOY_TOKEN  environment production  age 100/90 days, updated ${date('DEPLOY_TOKEN')}  used by .github/workflows/deploy.yml deploy  findings: secret-rotation-age (medium)`,
      `  NPM_TOKEN  repository  age 200/180 days, updated ${date('NPM_TOKEN')}  used by .github/workflows/deploy.yml publish  findings: secret-rotation-age (low)`,
      `  CODECOV_TOKEN  repository  age 10/180 days, updated ${date('CODECOV_TOKEN')}  used by .github/workflows/ci.yml test`,
      `  OLD_WEBHOOK  repository  age 5/180 days, updated ${date('OLD_WEBHOOK')}  used by no job`,
    ]);
    expect(read('report.md').split('\n').filter((l) => /^\| [A-Z_\\]+ \|/.test(l))).toEqual([
      `| DEPLOY\\_TOKEN | environment production | 100 / 90 | ${date('DEPLOY_TOKEN')} | .github/workflows/deploy.yml deploy | secret\\-rotation\\-age \\(medium\\) |`,
      `| NPM\\_TOKEN | repository | 200 / 180 | ${date('NPM_TOKEN')} | .github/workflows/deploy.yml publish | secret\\-rotation\\-age \\(low\\) |`,
      `| CODECOV\\_TOKEN | repository | 10 / 180 | ${date('CODECOV_TOKEN')} | .github/workflows/ci.yml test |  |`,
      `| OLD\\_WEBHOOK | repository | 5 / 180 | ${date('OLD_WEBHOOK')} | no job |  |`,
    ]);

    // CSV: one table; the inventory's rows have status secret-inventory and fill the last columns.
    const csv = parse(read('inventory.csv'), { columns: true, relax_quotes: false, relax_column_count: false, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    expect(csv.map((r) => r.status)).toEqual(['finding', 'finding', 'finding', 'secret-inventory', 'secret-inventory', 'secret-inventory', 'secret-inventory']);
    const inventory = csv.filter((r) => r.status === 'secret-inventory');
    const COLUMNS = ['secretName', 'scope', 'severity', 'environment', 'ageDays', 'maxAgeDays', 'usedBy', 'findings'];
    const cells = (r: Record<string, string>) => COLUMNS.map((c) => r[c]);
    expect(inventory.map(cells)).toEqual([
      ['DEPLOY_TOKEN', 'environment production', 'medium', 'production', '100', '90', '.github/workflows/deploy.yml deploy', 'secret-rotation-age (medium)'],
      ['NPM_TOKEN', 'repository', 'low', 'ci', '200', '180', '.github/workflows/deploy.yml publish', 'secret-rotation-age (low)'],
      ['CODECOV_TOKEN', 'repository', '', 'ci', '10', '180', '.github/workflows/ci.yml test', ''],
      ['OLD_WEBHOOK', 'repository', '', 'ci', '5', '180', 'no job', ''],
    ]);
    expect(inventory.map((r) => [r.createdAt, r.updatedAt])).toEqual(
      ['DEPLOY_TOKEN', 'NPM_TOKEN', 'CODECOV_TOKEN', 'OLD_WEBHOOK'].map((n) => [stored[n]!.created_at, stored[n]!.updated_at]),
    );
    expect(inventory[0]!.message).toBe('secret DEPLOY_TOKEN (environment production) last updated 100 days ago; rotation limit 90 days');
    // The findings' rows leave the inventory's columns empty.
    for (const r of csv.filter((x) => x.status === 'finding')) expect([r.secretName, r.scope, r.ageDays, r.usedBy, r.findings]).toEqual(['', '', '', '', '']);

    // JUnit: a suite with a testcase per secret, failed for the two with findings; valid for Jenkins.
    const xml = read('junit.xml');
    const check = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
    expect(check.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(xml).toContain('<testsuites name="keyfence" tests="7" failures="5" errors="0"');
    expect(xml).toContain('<testsuite name="keyfence secret-inventory" tests="4" failures="2" errors="0" skipped="0" time="0">');
    const cases = [...xml.matchAll(/<testcase name="([^"]+)" classname="keyfence\.secret-inventory" time="0">\n {6}<(failure|system-out)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(cases).toEqual(['DEPLOY_TOKEN (environment production) failure', 'NPM_TOKEN (repository) failure', 'CODECOV_TOKEN (repository) system-out', 'OLD_WEBHOOK (repository) system-out']);
    expect(xml).toContain('<failure message="secret DEPLOY_TOKEN: secret-rotation-age (medium)" type="medium">secret-rotation-age (medium): secret DEPLOY_TOKEN of environment "production" was last updated 100 days ago');

    // GitHub: annotations for the findings, the inventory as one collapsed log group.
    const github = read('github.txt').split('\n');
    const start = github.indexOf('::group::keyfence secret inventory: 4 secrets, 2 with findings');
    expect(github.slice(start + 1, github.indexOf('::endgroup::'))).toEqual(text.slice(text.indexOf('secret inventory (4):') + 1, text.indexOf('secret inventory (4):') + 5).map((l) => l.slice(2)));
    expect(github.filter((l) => l.startsWith('::')).map((l) => l.split(' ')[0])).toEqual(['::notice', '::warning', '::notice', '::group::keyfence', '::endgroup::']);

    // GitLab: valid; a vulnerability about a stored secret carries its row in details; a message counts them.
    const gitlab = JSON.parse(read('gitlab.json'));
    expect(validateGitlab(gitlab) ? [] : validateGitlab.errors).toEqual([]);
    expect(gitlab.scan.messages).toEqual([
      { level: 'info', value: 'secret inventory: 4 stored secrets, 2 with findings (each vulnerability about one carries its row in details); the json, csv and markdown reports list all 4' },
    ]);
    const details = gitlab.vulnerabilities.map((v: { identifiers: Array<{ value: string }>; details?: Record<string, { name: string }> }) => `${v.identifiers[0]!.value}: ${Object.values(v.details ?? {}).map((d) => d.name).join(', ')}`);
    expect(details).toEqual(['long-lived-publish-token: ', 'secret-rotation-age: Stored secret DEPLOY_TOKEN (environment production)', 'secret-rotation-age: Stored secret NPM_TOKEN (repository)']);
    expect(gitlab.vulnerabilities[1].details.stored_secret_1.items).toEqual({
      scope: { name: 'Scope', type: 'text', value: 'environment production' },
      age: { name: 'Days since the last update', type: 'value', value: 100 },
      limit: { name: 'Rotation limit in days (policy.production.maxSecretAgeDays)', type: 'value', value: 90 },
      updated: { name: 'Last update', type: 'text', value: stored.DEPLOY_TOKEN!.updated_at },
      created: { name: 'Created', type: 'text', value: stored.DEPLOY_TOKEN!.created_at },
      used_by: { name: 'Used by', type: 'list', items: [{ type: 'text', value: '.github/workflows/deploy.yml deploy' }] },
      findings: { name: 'Findings about it', type: 'list', items: [{ type: 'text', value: 'secret-rotation-age (medium)' }] },
    });
  });
});

describe('the documentation of the secret-hygiene checks', () => {
  const HYGIENE = [
    'secret-rotation-age',
    'secret-unused',
    'secret-missing',
    'prod-secret-repository-level',
    'secret-in-build-job',
    'secret-workflow-env',
    'cloud-long-lived-credentials',
    'environment-secrets-unprotected',
    'deploy-key-write',
  ];
  const doc = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

  it('gives each check a page with the seed practice behind it, a bad and a good example, linked from the index', () => {
    const index = doc('docs/github-settings/README.md');
    const missing: string[] = [];
    for (const id of HYGIENE) {
      const page = doc(`docs/github-settings/${id}.md`);
      const seed = /^## Seed practice\n([\s\S]*?)\n## /m.exec(page)?.[1] ?? '';
      // The practice is quoted from the seed articles, then said in keyfence's words.
      if (!/^"[^"]+"/.test(seed) || seed.split(/\s+/).length < 20) missing.push(`${id}: seed practice`);
      for (const section of ['## Bad', '## Good', '## How to fix', '## How to suppress']) if (!page.includes(`\n${section}\n`)) missing.push(`${id}: ${section}`);
      if (!index.includes(`| [${id}](${id}.md) |`)) missing.push(`${id}: index row`);
    }
    expect(missing).toEqual([]);
  });

  it('shows a sample inventory in the README audit section and in the index', () => {
    const header = '| secret | scope | age / limit (days) | last update | used by | findings |';
    for (const path of ['README.md', 'docs/github-settings/README.md']) {
      const lines = doc(path).split('\n');
      const at = lines.indexOf(header);
      expect(at, path).toBeGreaterThan(0);
      // The separator, then the sample's 8 rows.
      expect(lines.slice(at + 2).findIndex((l) => !l.startsWith('| ')), path).toBe(8);
    }
  });
});
