import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { auditGitHubSettings, parseRepositorySlug } from '../../src/github/auditSettings.js';
import { SETTINGS_CHECKS } from '../../src/github/checks/index.js';
import { createGitHubClient, resolveApiUrl } from '../../src/github/client.js';
import { environment, orgSecret, repository, runners, secret } from '../support/githubFixtures.js';
import { githubError, paginated, startGitHubServer, type GitHubServer } from '../support/githubServer.js';

const REPO = 'octo-org/website';
const R = '/repos/{owner}/{repo}';

/** A workflow that pull_request_target runs (fork pull requests) can reach, reading repository secrets. */
const LABELER = `name: label
on:
  pull_request_target:
    types: [opened]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
  deploy:
    runs-on: ubuntu-latest
    environment: production-gated
    steps:
      - run: ./deploy
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
  same-repo-only:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    steps:
      - run: ./sync
        env:
          TOKEN: \${{ secrets.SYNC_TOKEN }}
`;

const RELEASE = `name: release
on:
  push:
    branches: [main]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: ./release
        env:
          DB: \${{ secrets.PROD_DB_PASSWORD }}
`;

const CI = `name: ci
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
        env:
          API_KEY: \${{ secrets.TEST_API_KEY }}
`;

let server: GitHubServer;
beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => {
  await server.close();
});

/** The public organisation repository where every listed condition holds. */
function publicOrgRepository() {
  server.on(`GET ${R}`, { body: repository(REPO, { visibility: 'public', ownerType: 'Organization' }) });
  const envs = [
    environment({ name: 'production' }),
    environment({ name: 'prod-eu', branchPolicy: true, waitTimer: 5 }),
    environment({ name: 'live', reviewers: 2, preventSelfReview: false }),
    environment({ name: 'staging' }),
    environment({ name: 'production-gated', reviewers: 1, preventSelfReview: true }),
  ];
  // Two per page: three pages, followed through Link headers.
  server.on(`GET ${R}/environments`, paginated(envs, 2, (page) => ({ total_count: envs.length, environments: page })));
  const repoSecrets = ['PROD_DB_PASSWORD', 'NPM_TOKEN', 'DEPLOY_KEY', 'SYNC_TOKEN'].map(secret);
  server.on(`GET ${R}/actions/secrets`, paginated(repoSecrets, 100, (page) => ({ total_count: repoSecrets.length, secrets: page })));
  server.on(`GET ${R}/actions/organization-secrets`, { body: { total_count: 1, secrets: [secret('LIVE_STRIPE_KEY')] } });
  server.on('GET /orgs/{org}/actions/secrets', { body: { total_count: 2, secrets: [orgSecret('LIVE_STRIPE_KEY', 'all'), orgSecret('SENTRY_DSN', 'selected')] } });
  server.on(`GET ${R}/environments/{environment_name}/secrets`, (req) => ({
    body: req.params.environment_name === 'production-gated' ? { total_count: 1, secrets: [secret('DEPLOY_TOKEN')] } : { total_count: 0, secrets: [] },
  }));
  server.on(`GET ${R}/actions/permissions/workflow`, { body: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true } });
  server.on(`GET ${R}/actions/permissions/fork-pr-contributor-approval`, { body: { approval_policy: 'first_time_contributors_new_to_github' } });
  const repoRunners = runners(['build-box']);
  server.on(`GET ${R}/actions/runners`, { body: { total_count: repoRunners.length, runners: repoRunners } });
  server.on('GET /orgs/{org}/actions/runner-groups', {
    ...githubError(403, 'Resource not accessible by personal access token'),
    headers: { 'x-accepted-github-permissions': 'organization_self_hosted_runners=read' },
  });
  server.on(`GET ${R}/keys`, { body: [] });
}

/** The fixtures' secrets were updated on 2026-01-10, three weeks before this clock: none is due for rotation. */
const NOW = new Date('2026-02-01T00:00:00Z');

const client = () => createGitHubClient({ token: 'test-token', baseUrl: server.url });

describe('settings audit against a local GitHub API', () => {
  it('reports each listed condition of a public organisation repository', async () => {
    publicOrgRepository();
    const result = await auditGitHubSettings({
      octokit: client(),
      owner: 'octo-org',
      repo: 'website',
      now: NOW,
      workflows: [
        { file: '.github/workflows/label.yml', text: LABELER },
        { file: '.github/workflows/release.yml', text: RELEASE },
        { file: '.github/workflows/ci.yml', text: CI },
      ],
    });
    expect(server.problems).toEqual([]);
    const got = result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`).sort();
    expect(got).toEqual(
      [
        'actions-approve-pull-requests medium github:octo-org/website/settings/actions/workflow-permissions:1:1',
        'default-token-write medium github:octo-org/website/settings/actions/workflow-permissions:1:1',
        'fork-pr-approval-policy medium github:octo-org/website/settings/actions/fork-pr-approval:1:1',
        'fork-reachable-secret-unprotected high .github/workflows/label.yml:11:28',
        'org-secret-all-repositories high github:octo-org/secrets/LIVE_STRIPE_KEY:1:1',
        'prod-environment-branch-rules-only high github:octo-org/website/environments/prod-eu:1:1',
        'prod-environment-no-reviewers high github:octo-org/website/environments/production:1:1',
        'prod-environment-self-review medium github:octo-org/website/environments/live:1:1',
        'prod-secret-outside-environment high github:octo-org/secrets/LIVE_STRIPE_KEY:1:1',
        'prod-secret-outside-environment high github:octo-org/website/secrets/PROD_DB_PASSWORD:1:1',
        // Secret hygiene (secretHygiene.test.ts tests these checks one by one).
        'secret-missing medium .github/workflows/ci.yml:9:20',
        'secret-unused low github:octo-org/secrets/LIVE_STRIPE_KEY:1:1',
        'secret-unused low github:octo-org/website/secrets/DEPLOY_KEY:1:1',
        'self-hosted-runner-public-repo high github:octo-org/website/runners:1:1',
      ].sort(),
    );
    for (const f of result.findings) {
      expect(f.category).toBe('github-settings');
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(f.secret).toBe('');
    }
    const forkReach = result.findings.find((f) => f.ruleId === 'fork-reachable-secret-unprotected')!;
    expect(forkReach.message).toContain('secret NPM_TOKEN');
    expect(forkReach.message).toContain('pull_request_target');
    expect(forkReach.message).toContain('as a repository secret');
    expect(forkReach.related).toEqual([{ file: 'github:octo-org/website/secrets/NPM_TOKEN', line: 1, column: 1, endLine: 1, endColumn: 1, label: 'the secret' }]);

    // Pagination: the environments came in three pages, asked for through the Link header.
    const pages = server.requests.filter((r) => r.path === '/repos/octo-org/website/environments').map((r) => r.query.get('page'));
    expect(pages).toEqual([null, '2', '3']);
    // The token could not read the runner groups: a note naming the permission, not a crash.
    expect(result.notes).toEqual([
      'github: could not read the runner groups of organisation octo-org (403 on GET /orgs/octo-org/actions/runner-groups): the token needs "Self-hosted runners: read (organisation permission)" (GitHub accepts: organization_self_hosted_runners=read); the check was skipped',
    ]);
    // A public repository: the private-repository fork settings are not asked for.
    expect(server.requests.some((r) => r.path.endsWith('fork-pr-workflows-private-repos'))).toBe(false);
    // Every request carried the token.
    expect(new Set(server.requests.map((r) => r.headers.authorization))).toEqual(new Set(['token test-token']));
  });

  it('fingerprints are stable across runs and do not depend on the line of a workflow', async () => {
    publicOrgRepository();
    const run = (text: string) =>
      auditGitHubSettings({ octokit: client(), owner: 'octo-org', repo: 'website', now: NOW, workflows: [{ file: '.github/workflows/label.yml', text }] });
    const a = await run(LABELER);
    const b = await run(`# a comment moves every line down\n${LABELER}`);
    expect(b.findings.map((f) => f.fingerprint).sort()).toEqual(a.findings.map((f) => f.fingerprint).sort());
  });

  it('reports a private repository that sends secrets and write tokens to fork pull requests, and degrades 403 and 404 to notes', async () => {
    server.on(`GET ${R}`, { body: repository('octocat/app', { visibility: 'private', ownerType: 'User' }) });
    server.on(`GET ${R}/environments`, githubError(404, 'Not Found'));
    server.on(`GET ${R}/actions/secrets`, { body: { total_count: 1, secrets: [secret('TEST_API_KEY')] } });
    server.on(`GET ${R}/keys`, { body: [] });
    server.on(`GET ${R}/actions/permissions/workflow`, {
      ...githubError(403, 'Resource not accessible by integration'),
      headers: { 'x-accepted-github-permissions': 'administration=read' },
    });
    server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, {
      body: {
        run_workflows_from_fork_pull_requests: true,
        send_write_tokens_to_workflows: true,
        send_secrets_and_variables: true,
        require_approval_for_fork_pr_workflows: false,
      },
    });
    const result = await auditGitHubSettings({
      octokit: client(),
      owner: 'octocat',
      repo: 'app',
      now: NOW,
      workflows: [{ file: '.github/workflows/ci.yml', text: CI }],
    });
    expect(server.problems).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`).sort()).toEqual([
      'fork-reachable-secret-unprotected high .github/workflows/ci.yml:9',
      'private-fork-pr-secrets high github:octocat/app/settings/actions/fork-pr-workflows:1',
      'private-fork-pr-secrets high github:octocat/app/settings/actions/fork-pr-workflows:1',
    ]);
    expect(result.findings.find((f) => f.ruleId === 'fork-reachable-secret-unprotected')!.message).toContain('pull_request runs');
    expect(result.notes).toEqual([
      'github: could not read the deployment environments (404 on GET /repos/octocat/app/environments): not found, or hidden from the token, which needs "Actions: read"; the check was skipped',
      'github: could not read the default workflow token permissions (403 on GET /repos/octocat/app/actions/permissions/workflow): the token needs "Administration: read" (GitHub accepts: administration=read); the check was skipped',
    ]);
    // A user-owned repository: nothing is asked of an organisation.
    expect(server.requests.some((r) => r.path.startsWith('/orgs/'))).toBe(false);
  });

  it('waits out a primary rate limit (403, x-ratelimit-reset) and a secondary one (429, retry-after)', async () => {
    server.on(`GET ${R}`, { body: repository('octocat/app', { visibility: 'private', ownerType: 'User' }) });
    server.on(`GET ${R}/environments`, { body: { total_count: 0, environments: [] } });
    server.on(`GET ${R}/keys`, { body: [] });
    let secretsCalls = 0;
    server.on(`GET ${R}/actions/secrets`, () => {
      if (secretsCalls++ === 0)
        return {
          status: 403,
          body: { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
        };
      return { body: { total_count: 1, secrets: [secret('PRODUCTION_API_KEY')] } };
    });
    let permissionCalls = 0;
    server.on(`GET ${R}/actions/permissions/workflow`, () => {
      if (permissionCalls++ === 0)
        return {
          status: 429,
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest' },
          headers: { 'retry-after': '1' },
        };
      return { body: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: false } };
    });
    server.on(`GET ${R}/actions/permissions/fork-pr-workflows-private-repos`, {
      body: {
        run_workflows_from_fork_pull_requests: false,
        send_write_tokens_to_workflows: false,
        send_secrets_and_variables: false,
        require_approval_for_fork_pr_workflows: true,
      },
    });
    const warnings: string[] = [];
    const started = Date.now();
    const result = await auditGitHubSettings({
      octokit: createGitHubClient({ token: 't', baseUrl: server.url, warn: (m) => warnings.push(m) }),
      owner: 'octocat',
      repo: 'app',
      now: NOW,
      workflows: [],
    });
    expect(server.problems).toEqual([]);
    expect(secretsCalls).toBe(2);
    expect(permissionCalls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.notes).toEqual([]);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['default-token-write', 'prod-secret-outside-environment', 'secret-unused']);
    expect(warnings.some((w) => w.includes('primary rate limit'))).toBe(true);
    expect(warnings.some((w) => w.includes('secondary rate limit'))).toBe(true);
  });
});

describe('keyfence audit --github', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyfence-audit-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'label.yml'), LABELER);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], env: NodeJS.ProcessEnv) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    const code = await main(['audit', ...args], { cwd: dir, env, stdout, stderr });
    return { code, out, err };
  }

  it('puts settings findings and notes in the one report, with the workflow line of a fork-reachable secret', async () => {
    publicOrgRepository();
    // Rotation limits far beyond the fixtures' age (they were updated 2026-01-10): the policy reaches the checks.
    writeFileSync(join(dir, 'keyfence.yml'), 'policy:\n  production:\n    maxSecretAgeDays: 36500\n  ci:\n    maxSecretAgeDays: 36500\n');
    const { code, out, err } = await run(['--github', REPO, '--github-url', server.url, '--format', 'json', '--no-suppressions'], { GITHUB_TOKEN: 'test-token' });
    expect(err).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    const settings = report.findings.filter((f: { category: string }) => f.category === 'github-settings');
    // The 11 settings findings, and label.yml's secrets: NPM_TOKEN used; DEPLOY_TOKEN from its environment;
    // SYNC_TOKEN used; PROD_DB_PASSWORD, DEPLOY_KEY and LIVE_STRIPE_KEY referenced by no workflow here.
    expect(settings.length).toBe(14);
    expect(settings.filter((f: { ruleId: string }) => f.ruleId === 'secret-unused').map((f: { file: string }) => f.file).sort()).toEqual([
      'github:octo-org/secrets/LIVE_STRIPE_KEY',
      'github:octo-org/website/secrets/DEPLOY_KEY',
      'github:octo-org/website/secrets/PROD_DB_PASSWORD',
    ]);
    expect(report.secretInventory.map((r: { name: string; maxAgeDays: number }) => `${r.name} ${r.maxAgeDays}`).sort()).toEqual([
      'DEPLOY_KEY 36500',
      'DEPLOY_TOKEN 36500',
      'LIVE_STRIPE_KEY 36500',
      'NPM_TOKEN 36500',
      'PROD_DB_PASSWORD 36500',
      'SYNC_TOKEN 36500',
    ]);
    expect(settings.find((f: { ruleId: string }) => f.ruleId === 'fork-reachable-secret-unprotected')).toMatchObject({ file: '.github/workflows/label.yml', line: 11 });
    expect(report.notes.some((n: string) => n.includes('Self-hosted runners: read'))).toBe(true);
    expect(server.problems).toEqual([]);
  });

  it('is a usage error without a token, or with a malformed OWNER/REPO', async () => {
    const noToken = await run(['--github', REPO], {});
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('set GITHUB_TOKEN or GH_TOKEN');
    const bad = await run(['--github', 'not a repo'], { GITHUB_TOKEN: 'x' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not OWNER/REPO');
    expect(server.requests).toEqual([]);
  });

  it('names the repository when GitHub does not know it', async () => {
    server.on(`GET ${R}`, githubError(404, 'Not Found'));
    const { code, err } = await run(['--github', 'octo-org/nope', '--github-url', server.url], { GH_TOKEN: 'x' });
    expect(code).toBe(2);
    expect(err).toContain('octo-org/nope was not found');
  });
});

describe('GitHub addresses', () => {
  it('resolves GitHub Enterprise Server and github.com addresses to API roots', () => {
    expect(resolveApiUrl(undefined, {})).toBe('https://api.github.com');
    expect(resolveApiUrl(undefined, { GITHUB_API_URL: 'https://ghe.example.com/api/v3' })).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl('https://ghe.example.com', {})).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl('https://ghe.example.com/api/v3/', {})).toBe('https://ghe.example.com/api/v3');
    expect(resolveApiUrl('https://github.com', {})).toBe('https://api.github.com');
    expect(() => resolveApiUrl('ftp://x', {})).toThrow(/http/);
  });

  it('parses OWNER/REPO', () => {
    expect(parseRepositorySlug('octo-org/website')).toEqual({ owner: 'octo-org', repo: 'website' });
    expect(parseRepositorySlug('octo-org/website.git')).toEqual({ owner: 'octo-org', repo: 'website' });
    expect(parseRepositorySlug('octo-org')).toBeUndefined();
    expect(parseRepositorySlug('a/b/c')).toBeUndefined();
  });
});

describe('settings checks', () => {
  it('have unique ids and a doc page each', async () => {
    const { existsSync } = await import('node:fs');
    const ids = SETTINGS_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(existsSync(join(import.meta.dirname, '..', '..', 'docs', 'github-settings', `${id}.md`)), `docs/github-settings/${id}.md`).toBe(true);
  });
});
