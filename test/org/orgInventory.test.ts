/**
 * `audit --org --settings`: each repository's secret inventory, as `audit --github` builds it from
 * the local OpenAPI-checked GitHub server, carried into the organisation's report with the
 * repository named on every row, in every format that shows the inventory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { agedSecret, CLOSED_TO_FORKS, repository } from '../support/githubFixtures.js';
import { ORG, runCliAsync, startOrg, type Org } from './orgSupport.js';

const R = '/repos/{owner}/{repo}';
const DEPLOY = `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

/** Days since each repository's secrets were last updated: `api` uses its one, `web` uses none of its. */
const SECRETS: Record<string, Record<string, number>> = { api: { DEPLOY_TOKEN: 200 }, web: { NPM_TOKEN: 30, OLD_HOOK: 5 } };

async function orgWithSecrets(): Promise<Org> {
  const o = await startOrg([{ name: 'api', files: { '.github/workflows/deploy.yml': DEPLOY } }, { name: 'web' }]);
  const now = new Date();
  o.server.on(`GET ${R}`, (req) => ({ body: { ...repository(`${ORG}/${req.params.repo}`, { visibility: 'private', ownerType: 'Organization' }), default_branch: 'main' } }));
  o.server.on(`GET ${R}/environments`, { body: { total_count: 0, environments: [] } });
  o.server.on(`GET ${R}/actions/secrets`, (req) => {
    const secrets = Object.entries(SECRETS[req.params.repo!] ?? {}).map(([name, days]) => agedSecret(name, now, days));
    return { body: { total_count: secrets.length, secrets } };
  });
  o.server.on('GET /orgs/{org}/actions/secrets', { body: { total_count: 0, secrets: [] } });
  o.server.on(`GET ${R}/actions/organization-secrets`, { body: { total_count: 0, secrets: [] } });
  o.server.on(`GET ${R}/keys`, { body: [] });
  o.server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
  o.server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
  return o;
}

describe('audit --org --settings: the secret inventory', () => {
  it('carries every repository\'s rows, each naming its repository, riskiest first across the organisation', async () => {
    org = await orgWithSecrets();
    const reports = ['text=out/report.txt', 'csv=out/report.csv', 'markdown=out/report.md'].flatMap((r) => ['--report', r]);
    const run = await runCliAsync(['audit', '--org', ORG, '--settings', '--format', 'json', '--jobs', '1', '--fail-on', 'low', ...reports], org.dir.path, org.env);
    // --fail-on low: the settings findings (low) fail the run, as the tally of the streamed findings says.
    expect(run.code, run.stderr).toBe(1);
    expect(org.server.problems).toEqual([]);
    type Found = { ruleId: string; severity: string; fingerprint: string };
    const json = JSON.parse(run.stdout) as {
      secretInventory: Array<{ repository: string; name: string; scope: string; ageDays: number; findings: Found[] }>;
      findings: Array<Found & { repository: string }>;
    };
    const rows = json.secretInventory.map((r) => `${r.repository} ${r.scope} ${r.name} ${r.ageDays}: ${r.findings.map((f) => `${f.ruleId} ${f.severity}`).join(', ')}`);
    expect(rows).toEqual([
      'octo-org/api repository DEPLOY_TOKEN 200: secret-rotation-age low',
      'octo-org/web repository NPM_TOKEN 30: secret-unused low',
      'octo-org/web repository OLD_HOOK 5: secret-unused low',
    ]);
    // Each row's findings are findings of its own repository in the report.
    const own = new Set(json.findings.map((f) => `${f.repository} ${f.fingerprint}`));
    expect(json.secretInventory.flatMap((r) => r.findings.filter((f) => !own.has(`${r.repository} ${f.fingerprint}`)))).toEqual([]);

    const read = (file: string) => readFileSync(join(org!.dir.path, 'out', file), 'utf8');
    const text = read('report.txt').split('\n');
    const at = text.indexOf('secret inventory (3):');
    expect(text.slice(at + 1, at + 4).map((l) => l.replace(/updated \d{4}-\d\d-\d\d/, 'updated DATE'))).toEqual([
      '  octo-org/api DEPLOY_TOKEN  repository  age 200/180 days, updated DATE  used by .github/workflows/deploy.yml deploy  findings: secret-rotation-age (low)',
      '  octo-org/web NPM_TOKEN  repository  age 30/180 days, updated DATE  used by no job  findings: secret-unused (low)',
      '  octo-org/web OLD_HOOK  repository  age 5/180 days, updated DATE  used by no job  findings: secret-unused (low)',
    ]);
    const csv = parse(read('report.csv'), { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
    expect(csv.filter((r) => r.status === 'secret-inventory').map((r) => `${r.repository} ${r.secretName}`)).toEqual([
      'octo-org/api DEPLOY_TOKEN',
      'octo-org/web NPM_TOKEN',
      'octo-org/web OLD_HOOK',
    ]);
    expect(read('report.md').split('\n').filter((l) => l.startsWith('| octo\\-org/') || l.startsWith('| repository |'))).toEqual([
      '| repository | secret | scope | age / limit (days) | last update | used by | findings |',
      expect.stringMatching(/^\| octo\\-org\/api \| DEPLOY\\_TOKEN \| repository \| 200 \/ 180 \| /),
      expect.stringMatching(/^\| octo\\-org\/web \| NPM\\_TOKEN \| repository \| 30 \/ 180 \| /),
      expect.stringMatching(/^\| octo\\-org\/web \| OLD\\_HOOK \| repository \| 5 \/ 180 \| /),
    ]);
  });

  it('without --settings the report has no inventory', async () => {
    org = await orgWithSecrets();
    const run = await runCliAsync(['audit', '--org', ORG, '--format', 'json', '--jobs', '1'], org.dir.path, org.env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).secretInventory).toBeUndefined();
    expect(org.server.requests.filter((r) => r.template.startsWith(R))).toEqual([]);
  });
});
