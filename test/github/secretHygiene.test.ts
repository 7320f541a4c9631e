/**
 * The secret-hygiene checks of `audit --github` against the local, OpenAPI-checked GitHub server:
 * a repository whose workflows use, miss and over-scope secrets, with a fixed clock for ages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { auditGitHubSettings } from '../../src/github/auditSettings.js';
import { createGitHubClient } from '../../src/github/client.js';
import { agedSecret, CLOSED_TO_FORKS, deployKey, environment, minimalRepositories, repository } from '../support/githubFixtures.js';
import { githubError, paginated, startGitHubServer, type GitHubServer } from '../support/githubServer.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { repositoryWorkflows } from '../../src/run/repositoryWorkflows.js';
import { inlineSuppression } from '../../src/suppressions/inlineComment.js';

const R = '/repos/{owner}/{repo}';
const NOW = new Date('2026-12-07T12:00:00Z');
const HYGIENE = new Set([
  'secret-rotation-age',
  'secret-unused',
  'secret-missing',
  'prod-secret-repository-level',
  'secret-in-build-job',
  'secret-workflow-env',
  'cloud-long-lived-credentials',
  'environment-secrets-unprotected',
  'deploy-key-write',
]);

const CI = `name: ci
on:
  push:
    branches: [main]
  pull_request:
env:
  CODECOV_TOKEN: \${{ secrets.CODECOV_TOKEN }}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
        env:
          SENTRY_AUTH: \${{ secrets.SENTRY_AUTH }}
          DB_URL: \${{ secrets.STAGING_DB_URL }}
          EXTRA: \${{ secrets.MISSING_TOKEN }}
`;

const DEPLOY = `name: deploy
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
          STRIPE_KEY: \${{ secrets.STRIPE_KEY }}
          SENTRY_AUTH: \${{ secrets.SENTRY_AUTH }}
          SIGNING_KEY: \${{ secrets.SIGNING_KEY }}
  publish:
    uses: ./.github/workflows/reusable-publish.yml
    secrets:
      token: \${{ secrets.NPM_TOKEN }}
`;

/** A reusable workflow: its `secrets.token` is the caller's, under the name the caller passes. */
const REUSABLE = `on:
  workflow_call:
    secrets:
      token:
        required: true
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.token }}
`;

const WORKFLOWS = [
  { file: '.github/workflows/ci.yml', text: CI },
  { file: '.github/workflows/deploy.yml', text: DEPLOY },
  { file: '.github/workflows/reusable-publish.yml', text: REUSABLE },
];

let server: GitHubServer;
beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => {
  await server.close();
});

const client = () => createGitHubClient({ token: 'test-token', baseUrl: server.url });

/** A private organisation repository whose settings are otherwise clean: only hygiene findings remain. */
function shop() {
  server.on(`GET ${R}`, { body: repository('octo-org/shop', { visibility: 'private', ownerType: 'Organization' }) });
  const envs = [environment({ name: 'production', reviewers: 1, preventSelfReview: true }), environment({ name: 'staging' })];
  server.on(`GET ${R}/environments`, { body: { total_count: envs.length, environments: envs } });
  const envSecrets: Record<string, ReturnType<typeof agedSecret>[]> = {
    production: [agedSecret('DEPLOY_TOKEN', NOW, 100), agedSecret('STRIPE_KEY', NOW, 10)],
    staging: [agedSecret('STAGING_DB_URL', NOW, 10)],
  };
  server.on(`GET ${R}/environments/{environment_name}/secrets`, (req) => {
    const list = envSecrets[req.params.environment_name!] ?? [];
    return { body: { total_count: list.length, secrets: list } };
  });
  const repoSecrets = [
    agedSecret('NPM_TOKEN', NOW, 200),
    agedSecret('OLD_SLACK_WEBHOOK', NOW, 5),
    agedSecret('STRIPE_KEY', NOW, 10),
    agedSecret('SENTRY_AUTH', NOW, 30),
    agedSecret('AWS_ACCESS_KEY_ID', NOW, 400),
    agedSecret('AWS_SECRET_ACCESS_KEY', NOW, 400),
    agedSecret('CODECOV_TOKEN', NOW, 10),
  ];
  // Three per page: the list comes in three pages, followed through the Link header.
  server.on(`GET ${R}/actions/secrets`, paginated(repoSecrets, 3, (page) => ({ total_count: repoSecrets.length, secrets: page })));
  const shared = [agedSecret('SIGNING_KEY', NOW, 95), agedSecret('ORG_READ_TOKEN', NOW, 20)];
  server.on(`GET ${R}/actions/organization-secrets`, { body: { total_count: shared.length, secrets: shared } });
  server.on('GET /orgs/{org}/actions/secrets', {
    body: {
      total_count: 3,
      secrets: [
        { ...agedSecret('SIGNING_KEY', NOW, 95), visibility: 'private' },
        { ...agedSecret('ORG_READ_TOKEN', NOW, 20), visibility: 'selected', selected_repositories_url: 'https://api.github.com/orgs/octo-org/actions/secrets/ORG_READ_TOKEN/repositories' },
        { ...agedSecret('OTHER_TEAM_KEY', NOW, 900), visibility: 'selected', selected_repositories_url: 'https://api.github.com/orgs/octo-org/actions/secrets/OTHER_TEAM_KEY/repositories' },
      ],
    },
  });
  server.on('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', (req) => {
    const repos = req.params.secret_name === 'ORG_READ_TOKEN' ? minimalRepositories(['octo-org/shop', 'octo-org/docs']) : minimalRepositories(['octo-org/other']);
    return { body: { total_count: repos.length, repositories: repos } };
  });
  server.on(`GET ${R}/keys`, {
    body: [
      deployKey(7, 'ci-push', { readOnly: false, createdAt: '2025-06-01T09:00:00Z', lastUsed: '2026-11-30T08:00:00Z' }),
      deployKey(8, 'mirror-read', { readOnly: true, createdAt: '2024-01-01T09:00:00Z' }),
    ],
  });
  server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
  server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
}

const line = (f: { ruleId: string; severity: string; file: string; line: number; column: number }) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`;

/** No request may touch a single secret or the public key used to set one: names and dates come from the lists. */
function expectNoValueEndpoint(s: GitHubServer) {
  const touched = s.requests.filter((r) => /\/secrets\/(public-key|[^/]+)$/.test(r.path)).map((r) => `${r.method} ${r.path}`);
  expect(touched).toEqual([]);
  expect(s.requests.every((r) => r.method === 'GET')).toBe(true);
}

describe('secret hygiene checks', () => {
  it('reports rotation age, unused, missing and over-scoped secrets, long-lived cloud keys and write deploy keys', async () => {
    shop();
    const result = await auditGitHubSettings({ octokit: client(), owner: 'octo-org', repo: 'shop', workflows: WORKFLOWS, now: NOW });
    expect(server.problems).toEqual([]);
    expectNoValueEndpoint(server);
    expect(result.notes).toEqual([]);
    // Every finding of this repository comes from a hygiene check: its other settings are clean.
    expect(result.findings.filter((f) => !HYGIENE.has(f.ruleId)).map(line)).toEqual([]);
    expect(result.findings.map(line).sort()).toEqual(
      [
        'secret-rotation-age medium github:octo-org/shop/environments/production/secrets/DEPLOY_TOKEN:1:1',
        'secret-rotation-age medium github:octo-org/shop/secrets/AWS_ACCESS_KEY_ID:1:1',
        'secret-rotation-age medium github:octo-org/shop/secrets/AWS_SECRET_ACCESS_KEY:1:1',
        'secret-rotation-age low github:octo-org/shop/secrets/NPM_TOKEN:1:1',
        'secret-rotation-age medium github:octo-org/secrets/SIGNING_KEY:1:1',
        'secret-unused low github:octo-org/shop/secrets/OLD_SLACK_WEBHOOK:1:1',
        'secret-unused low github:octo-org/shop/secrets/STRIPE_KEY:1:1',
        'secret-unused low github:octo-org/secrets/ORG_READ_TOKEN:1:1',
        // Stored in staging, but the only job that reads it does not name the environment.
        'secret-unused low github:octo-org/shop/environments/staging/secrets/STAGING_DB_URL:1:1',
        'secret-missing medium .github/workflows/ci.yml:16:19',
        'secret-missing medium .github/workflows/ci.yml:17:18',
        'prod-secret-repository-level high github:octo-org/shop/secrets/STRIPE_KEY:1:1',
        'prod-secret-repository-level medium github:octo-org/shop/secrets/SENTRY_AUTH:1:1',
        'prod-secret-repository-level medium github:octo-org/shop/secrets/AWS_ACCESS_KEY_ID:1:1',
        'prod-secret-repository-level medium github:octo-org/shop/secrets/AWS_SECRET_ACCESS_KEY:1:1',
        'prod-secret-repository-level medium github:octo-org/secrets/SIGNING_KEY:1:1',
        'secret-in-build-job medium .github/workflows/ci.yml:15:24',
        'secret-workflow-env medium .github/workflows/ci.yml:7:18',
        'cloud-long-lived-credentials high .github/workflows/deploy.yml:14:30',
        'environment-secrets-unprotected medium github:octo-org/shop/environments/staging:1:1',
        'deploy-key-write medium github:octo-org/shop/keys/7:1:1',
      ].sort(),
    );
    const msg = (rule: string, file: string) => result.findings.find((f) => f.ruleId === rule && f.file === file)!.message;
    expect(msg('secret-rotation-age', 'github:octo-org/shop/environments/production/secrets/DEPLOY_TOKEN')).toBe(
      'secret DEPLOY_TOKEN of environment "production" was last updated 100 days ago (2026-08-29), over the 90-day limit for production secrets (policy.production.maxSecretAgeDays); used by .github/workflows/deploy.yml job `deploy`: issue a new credential at its provider, store it, then revoke the old one',
    );
    expect(msg('secret-rotation-age', 'github:octo-org/shop/secrets/NPM_TOKEN')).toContain('200 days ago (2026-05-21), over the 180-day limit for ci secrets (policy.ci.maxSecretAgeDays)');
    expect(msg('secret-rotation-age', 'github:octo-org/secrets/SIGNING_KEY')).toContain('organisation secret SIGNING_KEY, visible to private repositories was last updated 95 days ago');
    expect(msg('secret-unused', 'github:octo-org/secrets/ORG_READ_TOKEN')).toContain('organisation secret ORG_READ_TOKEN, shared with 2 repositories (last updated 20 days ago) is referenced by no workflow of octo-org/shop');
    const missing = result.findings.filter((f) => f.ruleId === 'secret-missing').sort((a, b) => a.line - b.line);
    expect(missing.map((f) => f.message)).toEqual([
      'secret STAGING_DB_URL, used by job "test", is stored nowhere the job can read it (repository, organisation): the step gets an empty string; it is stored in environment "staging", which the job does not name: add `environment: staging` to the job',
      'secret MISSING_TOKEN, used by job "test", is stored nowhere the job can read it (repository, organisation): the step gets an empty string: store it (in the environment of the job that needs it), or remove the reference',
    ]);
    expect(missing[0]!.related).toEqual([{ file: 'github:octo-org/shop/environments/staging/secrets/STAGING_DB_URL', line: 1, column: 1, endLine: 1, endColumn: 1, label: 'stored in environment "staging"' }]);
    expect(msg('secret-in-build-job', '.github/workflows/ci.yml')).toContain('build/test job "test" reads secret SENTRY_AUTH, and deploy job "deploy" uses it too');
    expect(msg('secret-workflow-env', '.github/workflows/ci.yml')).toContain('secret CODECOV_TOKEN is set in the workflow-level env:');
    const cloud = msg('cloud-long-lived-credentials', '.github/workflows/deploy.yml');
    expect(cloud).toContain('job "deploy" signs in with a long-lived AWS access key stored as secrets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, which works');
    expect(result.findings.find((f) => f.ruleId === 'cloud-long-lived-credentials')!.related!.map((l) => l.file)).toEqual([
      'github:octo-org/shop/secrets/AWS_ACCESS_KEY_ID',
      'github:octo-org/shop/secrets/AWS_SECRET_ACCESS_KEY',
    ]);
    expect(cloud).toContain('role-to-assume');
    expect(msg('deploy-key-write', 'github:octo-org/shop/keys/7')).toContain('deploy key "ci-push" can push to octo-org/shop (added 2025-06-01, 554 days ago; last used 2026-11-30)');
    expect(msg('environment-secrets-unprotected', 'github:octo-org/shop/environments/staging')).toContain('environment "staging" holds 1 secret (STAGING_DB_URL)');
    expect(msg('prod-secret-repository-level', 'github:octo-org/shop/secrets/STRIPE_KEY')).toContain('has the same name as the secret of production environment "production"');
    // The secret lists were paginated; the selected repositories were asked for the one shared secret only.
    expect(server.requests.filter((r) => r.path === '/repos/octo-org/shop/actions/secrets').map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
    expect(server.requests.filter((r) => r.template === '/orgs/{org}/actions/secrets/{secret_name}/repositories').map((r) => r.params.secret_name)).toEqual(['ORG_READ_TOKEN']);
    for (const f of result.findings) expect(f.secret).toBe('');
  });

  it('lists every stored secret in the inventory, riskiest first, with age, scope, users and findings', async () => {
    shop();
    const { inventory, findings } = await auditGitHubSettings({ octokit: client(), owner: 'octo-org', repo: 'shop', workflows: WORKFLOWS, now: NOW });
    expect(inventory.map((r) => `${r.scope}${r.environmentName ? `:${r.environmentName}` : ''} ${r.name} ${r.environment} ${r.ageDays}/${r.maxAgeDays}d`)).toEqual([
      // The production copy is named by the finding about its repository-level shadow.
      // high: a long-lived cloud key (both halves), a production secret copied to repository level
      'repository AWS_ACCESS_KEY_ID production 400/90d',
      'repository AWS_SECRET_ACCESS_KEY production 400/90d',
      'environment:production STRIPE_KEY production 10/90d',
      'repository STRIPE_KEY ci 10/180d',
      // medium, production first, oldest first
      'environment:production DEPLOY_TOKEN production 100/90d',
      'organization SIGNING_KEY production 95/90d',
      'repository SENTRY_AUTH production 30/90d',
      'repository CODECOV_TOKEN ci 10/180d',
      'environment:staging STAGING_DB_URL staging 10/180d',
      // low
      'organization ORG_READ_TOKEN production 20/90d',
      'repository NPM_TOKEN ci 200/180d',
      'repository OLD_SLACK_WEBHOOK ci 5/180d',
    ]);
    const sentry = inventory.find((r) => r.name === 'SENTRY_AUTH')!;
    expect(sentry.usedBy).toEqual([
      { file: '.github/workflows/ci.yml', job: 'test' },
      { file: '.github/workflows/deploy.yml', job: 'deploy' },
    ]);
    // Each entry names its finding by fingerprint: the run keeps only those its report still holds.
    const fingerprintOf = (rule: string, file: string) => findings.find((f) => f.ruleId === rule && f.file === file)!.fingerprint;
    expect(sentry.findings).toEqual([
      { ruleId: 'prod-secret-repository-level', severity: 'medium', fingerprint: fingerprintOf('prod-secret-repository-level', 'github:octo-org/shop/secrets/SENTRY_AUTH') },
      { ruleId: 'secret-in-build-job', severity: 'medium', fingerprint: fingerprintOf('secret-in-build-job', '.github/workflows/ci.yml') },
    ]);
    expect(inventory.find((r) => r.name === 'ORG_READ_TOKEN')).toMatchObject({ visibility: 'selected', sharedWith: 2, usedBy: [], createdAt: '2025-11-17T12:00:00Z', updatedAt: '2026-11-17T12:00:00Z' });
    expect(JSON.stringify(inventory)).not.toMatch(/"value"/);
  });

  it('takes the rotation limits from the policy and measures age against the given clock', async () => {
    shop();
    const later = new Date(NOW.getTime() + 100 * 24 * 60 * 60 * 1000);
    const result = await auditGitHubSettings({
      octokit: client(),
      owner: 'octo-org',
      repo: 'shop',
      workflows: WORKFLOWS,
      now: later,
      maxSecretAgeDays: { production: 365, ci: 250, staging: 100 },
    });
    expect(server.problems).toEqual([]);
    // 100 days on: ages are 110..500 days. Production allows 365, ci 250, staging 100.
    expect(result.findings.filter((f) => f.ruleId === 'secret-rotation-age').map((f) => `${f.severity} ${f.file}`).sort()).toEqual([
      'low github:octo-org/shop/environments/staging/secrets/STAGING_DB_URL',
      'low github:octo-org/shop/secrets/NPM_TOKEN',
      'medium github:octo-org/shop/secrets/AWS_ACCESS_KEY_ID',
      'medium github:octo-org/shop/secrets/AWS_SECRET_ACCESS_KEY',
    ]);
  });

  it('passes a clean repository: fresh secrets, each used where it is stored, keys read-only, OIDC for the cloud', async () => {
    server.on(`GET ${R}`, { body: repository('octocat/site', { visibility: 'private', ownerType: 'User' }) });
    const envs = [environment({ name: 'production', reviewers: 1, preventSelfReview: true })];
    server.on(`GET ${R}/environments`, { body: { total_count: 1, environments: envs } });
    server.on(`GET ${R}/environments/{environment_name}/secrets`, { body: { total_count: 1, secrets: [agedSecret('DEPLOY_TOKEN', NOW, 20)] } });
    server.on(`GET ${R}/actions/secrets`, { body: { total_count: 1, secrets: [agedSecret('NPM_TOKEN', NOW, 30)] } });
    server.on(`GET ${R}/keys`, { body: [deployKey(9, 'mirror', { readOnly: true, createdAt: '2026-01-01T00:00:00Z' })] });
    server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
    server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
    const OK = `name: release
on:
  push:
    tags: ['v*']
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: npm ci && npm test
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
  deploy:
    needs: publish
    runs-on: ubuntu-latest
    environment: production
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;
    const result = await auditGitHubSettings({ octokit: client(), owner: 'octocat', repo: 'site', workflows: [{ file: '.github/workflows/release.yml', text: OK }], now: NOW });
    expect(server.problems).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.findings.map(line)).toEqual([]);
    expect(result.inventory.map((r) => `${r.name} ${r.usedBy.map((u) => u.job).join(',')}`)).toEqual(['DEPLOY_TOKEN deploy', 'NPM_TOKEN publish']);
    expect(server.requests.some((r) => r.path.startsWith('/orgs/'))).toBe(false);
  });

  it('skips what the token cannot read (403, 404) with a note, and never calls a secret missing it could not see', async () => {
    server.on(`GET ${R}`, { body: repository('octo-org/shop', { visibility: 'private', ownerType: 'Organization' }) });
    server.on(`GET ${R}/environments`, githubError(404, 'Not Found'));
    server.on(`GET ${R}/environments/{environment_name}/secrets`, {
      ...githubError(403, 'Resource not accessible by integration'),
      headers: { 'x-accepted-github-permissions': 'environments=read' },
    });
    server.on(`GET ${R}/actions/secrets`, { body: { total_count: 2, secrets: [agedSecret('CODECOV_TOKEN', NOW, 400), agedSecret('UNUSED_ONE', NOW, 1)] } });
    server.on(`GET ${R}/actions/organization-secrets`, {
      ...githubError(403, 'Resource not accessible by integration'),
      headers: { 'x-accepted-github-permissions': 'secrets=read' },
    });
    server.on('GET /orgs/{org}/actions/secrets', githubError(403, 'Must have admin rights to Repository.'));
    server.on(`GET ${R}/keys`, githubError(404, 'Not Found'));
    server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
    server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
    const result = await auditGitHubSettings({ octokit: client(), owner: 'octo-org', repo: 'shop', workflows: WORKFLOWS, now: NOW });
    expect(server.problems).toEqual([]);
    expectNoValueEndpoint(server);
    expect(result.notes).toEqual([
      'github: could not read the deployment environments (404 on GET /repos/octo-org/shop/environments): not found, or hidden from the token, which needs "Actions: read"; the check was skipped',
      'github: could not read the organisation secrets shared with the repository (403 on GET /repos/octo-org/shop/actions/organization-secrets): the token needs "Secrets: read" (GitHub accepts: secrets=read); the check was skipped',
      'github: could not read the secrets of organisation octo-org (403 on GET /orgs/octo-org/actions/secrets): the token needs "Secrets: read (organisation permission)"; the check was skipped',
      'github: could not read the secrets of environment "production" (403 on GET /repos/octo-org/shop/environments/production/secrets): the token needs "Environments: read" (GitHub accepts: environments=read); the check was skipped',
      'github: could not read the deploy keys (404 on GET /repos/octo-org/shop/keys): not found, or hidden from the token, which needs "Administration: read"; the check was skipped',
    ]);
    // The organisation's secrets are unreadable: a secret in none of the readable lists may be there,
    // so secret-missing says nothing.
    // The workflow-only checks need no API answer at all.
    expect(result.findings.map(line).sort()).toEqual([
      'cloud-long-lived-credentials high .github/workflows/deploy.yml:14:30',
      'secret-in-build-job medium .github/workflows/ci.yml:15:24',
      'secret-rotation-age low github:octo-org/shop/secrets/CODECOV_TOKEN:1:1',
      'secret-unused low github:octo-org/shop/secrets/UNUSED_ONE:1:1',
      'secret-workflow-env medium .github/workflows/ci.yml:7:18',
    ]);
  });
});

describe('the local GitHub server guards secret values', () => {
  it('records a problem when anything asks for one secret or the public key used to set one', async () => {
    server.on(`GET ${R}/actions/secrets/{secret_name}`, { body: agedSecret('NPM_TOKEN', NOW, 1) });
    server.on(`GET ${R}/actions/secrets/public-key`, { body: { key_id: '012345678912345678', key: 'hBT5WZEj8ZoOv6TYJsfWq7MxTEQopZO5/IT3ZCVQPzs=' } });
    await client().rest.actions.getRepoSecret({ owner: 'octo-org', repo: 'shop', secret_name: 'NPM_TOKEN' });
    await client().rest.actions.getRepoPublicKey({ owner: 'octo-org', repo: 'shop' });
    expect(server.problems).toEqual([
      'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}: keyfence must not touch a single secret or its public key',
      'GET /repos/{owner}/{repo}/actions/secrets/public-key: keyfence must not touch a single secret or its public key',
    ]);
    // Closing the server fails the test that made such a request, whether or not it reads `problems`.
    await expect(server.close()).rejects.toThrow(
      'the GitHub server was asked for a secret or its public key: GET /repos/octo-org/shop/actions/secrets/NPM_TOKEN, GET /repos/octo-org/shop/actions/secrets/public-key',
    );
    server.secretRequests.length = 0;
  });
});

describe('suppressing a hygiene finding at its workflow line', () => {
  it('an inline marker naming the check silences it there', async () => {
    shop();
    const marked = CI.replace('CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}', 'CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }} # keyfence:allow[secret-workflow-env] upload-only token');
    const workflows = [{ file: '.github/workflows/ci.yml', text: marked }, ...WORKFLOWS.slice(1)];
    const result = await auditGitHubSettings({ octokit: client(), owner: 'octo-org', repo: 'shop', workflows, now: NOW });
    const finding = result.findings.find((f) => f.ruleId === 'secret-workflow-env')!;
    expect(finding.lineText).toBe('  CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }} # keyfence:allow[secret-workflow-env] upload-only token');
    expect(inlineSuppression(finding, { markers: [] })).toEqual({ suppressed: true, by: { marker: 'keyfence:allow[secret-workflow-env]', reason: 'upload-only token' } });
    const other = result.findings.find((f) => f.ruleId === 'secret-missing')!;
    expect(inlineSuppression(other, { markers: [] }).suppressed).toBe(false);
  });
});

describe('keyfence audit --github: the default branch and the secret inventory', () => {
  let repo: TempDir;
  beforeEach(() => {
    repo = tempRepo();
    repo.write('.github/workflows/deploy.yml', `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/notify
        with:
          webhook: \${{ secrets.SLACK_WEBHOOK }}
      - run: ./deploy.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`);
    repo.write('.github/actions/notify/action.yml', `name: notify
inputs:
  webhook:
    required: true
runs:
  using: composite
  steps:
    - run: curl -fsS -X POST "$WEBHOOK" -d ok
      shell: bash
      env:
        WEBHOOK: \${{ inputs.webhook }}
`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'workflows');
    // An uncommitted edit: GitHub runs the default branch's workflows, not this one.
    repo.write('.github/workflows/deploy.yml', 'name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets.WORK_TREE_ONLY }}\n');
  });
  afterEach(() => repo.remove());

  it('reads the workflows and local actions of the default branch, else the work tree', async () => {
    const fromBranch = await repositoryWorkflows(repo.path, 'main');
    expect(fromBranch.from).toBe('main');
    expect(fromBranch.workflows.map((w) => w.file)).toEqual(['.github/actions/notify/action.yml', '.github/workflows/deploy.yml']);
    expect(fromBranch.workflows[1]!.text).toContain('secrets.DEPLOY_TOKEN');
    const noBranch = await repositoryWorkflows(repo.path, 'trunk');
    expect(noBranch.from).toBe('the work tree');
    expect(noBranch.workflows.map((w) => w.file)).toEqual(['.github/actions/notify/action.yml', '.github/workflows/deploy.yml']);
    expect(noBranch.workflows[1]!.text).toContain('secrets.WORK_TREE_ONLY');
  });

  async function run(args: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    const code = await main(['audit', ...args], { cwd: repo.path, env: { GITHUB_TOKEN: 'test-token' }, stdout, stderr });
    return { code, out, err };
  }

  it('prints the inventory in text, markdown and JSON, from the default branch, with the policy of keyfence.yml', async () => {
    server.on(`GET ${R}`, { body: { ...repository('octocat/site', { visibility: 'private', ownerType: 'User' }), default_branch: 'main' } });
    server.on(`GET ${R}/environments`, { body: { total_count: 0, environments: [] } });
    const updated = (days: number) => agedSecret('X', new Date(), days);
    server.on(`GET ${R}/actions/secrets`, {
      body: {
        total_count: 3,
        secrets: [
          { ...updated(3), name: 'DEPLOY_TOKEN' },
          { ...updated(40), name: 'SLACK_WEBHOOK' },
          { ...updated(1), name: 'WORK_TREE_ONLY' },
        ],
      },
    });
    server.on(`GET ${R}/keys`, { body: [] });
    server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false } });
    server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, { body: CLOSED_TO_FORKS });
    repo.write('keyfence.yml', 'policy:\n  ci:\n    maxSecretAgeDays: 30\n');
    const base = ['--github', 'octocat/site', '--github-url', server.url, '--no-suppressions'];

    const text = await run([...base, '--format', 'text']);
    expect(text.err).toBe('');
    expect(server.problems).toEqual([]);
    const inventory = text.out.split('\n').filter((l) => l.startsWith('secret inventory') || l.startsWith('  '));
    expect(inventory.map((l) => l.replace(/updated \d{4}-\d\d-\d\d/, 'updated DATE'))).toEqual([
      'secret inventory (3):',
      '  SLACK_WEBHOOK  repository  age 40/30 days, updated DATE  used by .github/workflows/deploy.yml deploy  findings: secret-rotation-age (low)',
      '  WORK_TREE_ONLY  repository  age 1/30 days, updated DATE  used by no job  findings: secret-unused (low)',
      '  DEPLOY_TOKEN  repository  age 3/30 days, updated DATE  used by .github/workflows/deploy.yml deploy',
    ]);

    const md = await run([...base, '--format', 'markdown', '--output', join(repo.path, 'report.md')]);
    expect(md.code).toBe(1);
    const markdown = readFileSync(join(repo.path, 'report.md'), 'utf8');
    expect(markdown).toContain('### Secret inventory');
    expect(markdown).toContain('| SLACK\\_WEBHOOK | repository | 40 / 30 |');

    const json = JSON.parse((await run([...base, '--format', 'json'])).out);
    expect(json.secretInventory.map((r: { name: string; usedBy: unknown[] }) => `${r.name} ${r.usedBy.length}`)).toEqual(['SLACK_WEBHOOK 1', 'WORK_TREE_ONLY 0', 'DEPLOY_TOKEN 1']);
    expect(JSON.stringify(json)).not.toContain('"value"');
  });
});
