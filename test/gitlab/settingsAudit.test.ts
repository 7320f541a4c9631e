import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { auditGitLabSettings, parseProjectPath } from '../../src/gitlab/auditSettings.js';
import { GITLAB_SETTINGS_CHECKS } from '../../src/gitlab/checks/index.js';
import { createGitLabClient, resolveGitLabUrl } from '../../src/gitlab/client.js';
import { groupChain } from '../../src/gitlab/facts.js';
import { scopeReaches } from '../../src/gitlab/pipelineUse.js';
import { FORMATS } from '../../src/reporters/reporter.js';
import { bothSettings } from '../../src/run/gitlabSettings.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import {
  environment,
  gitlabError,
  insufficientScope,
  paginated,
  project,
  protectedBranch,
  protectedEnvironment,
  startGitLabServer,
  variable,
  type GitLabServer,
} from '../support/gitlabServer.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

const PROJECT = 'acme/web';

/**
 * The pipeline: merge-request and default-branch pipelines (workflow:rules); `test` has no rules of
 * its own, so merge requests run it; `deploy` runs on the default branch only.
 */
const PIPELINE = `stages: [test, deploy]
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
variables:
  NODE_ENV: test
test:
  stage: test
  script:
    - npm ci
    - npm test -- --registry-token "$NPM_TOKEN"
    - ./smoke.sh "$PROD_API_TOKEN"
deploy:
  stage: deploy
  environment: production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - ./deploy.sh "$DEPLOY_TOKEN" "$SIGNING_KEY"
`;

/** Variable values made at test time: GitLab's list answers carry them, reports must never. */
const random = seededRandom('gitlab-settings-audit');
const VALUES = Array.from({ length: 6 }, () => `glv-${randomString(random, 'alnum', 28)}`);

let server: GitLabServer;
beforeEach(async () => {
  server = await startGitLabServer();
});
afterEach(async () => {
  await server.close();
});

/** A group project where every condition the checks look for holds. */
function leakyProject() {
  server.on('GET /projects/:id', (req) => (req.params.id === PROJECT ? { body: project(PROJECT, { forkPipelines: true }) } : gitlabError(404, 'Project Not Found')));
  const vars = [
    variable('PROD_API_TOKEN', VALUES[0]!, { masked: true }),
    variable('NPM_TOKEN', VALUES[1]!),
    variable('DEPLOY_TOKEN', VALUES[2]!, { protected: true, masked: true, scope: 'production' }),
    variable('SIGNING_KEY', VALUES[3]!, { protected: true, masked: true, scope: 'staging' }),
    variable('DATABASE_URL', VALUES[4]!),
  ];
  // Two a page: three pages, followed through the Link header.
  server.on('GET /projects/:id/variables', paginated(vars, 2));
  server.on('GET /groups/:id/variables', (req, s) =>
    req.params.id === 'acme' ? paginated([variable('SENTRY_AUTH_TOKEN', VALUES[5]!, { masked: true })], 100)(req, s) : paginated([], 100)(req, s),
  );
  server.on('GET /projects/:id/environments', paginated([environment('production', 'production'), environment('staging', 'staging'), environment('prod-eu', 'production'), environment('review/fix-login', 'development')], 3));
  server.on('GET /projects/:id/protected_environments', paginated([protectedEnvironment('prod-eu', { deployLevel: 30 }), protectedEnvironment('staging', { approvals: 1 })], 100));
  server.on('GET /projects/:id/protected_branches', paginated([protectedBranch('main', { forcePush: true, pushLevel: 30 }), protectedBranch('release/*', { forcePush: true })], 100));
}

const files = { read: async () => undefined };
const client = (warn?: (m: string) => void) => createGitLabClient({ token: 'test-token', baseUrl: server.url, ...(warn ? { warn } : {}) });

describe('GitLab settings audit against a local GitLab API', () => {
  it('reports each condition, cross-checked with the pipeline, and follows the pages', async () => {
    leakyProject();
    const result = await auditGitLabSettings({ api: client(), project: PROJECT, pipeline: { file: '.gitlab-ci.yml', text: PIPELINE, files } });
    expect(server.problems).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`).sort()).toEqual(
      [
        'gitlab-mr-reachable-variable critical .gitlab-ci.yml:13:20',
        'gitlab-mr-reachable-variable high .gitlab-ci.yml:12:38',
        'gitlab-variable-unprotected high gitlab:acme/web/variables/PROD_API_TOKEN:1:1',
        'gitlab-variable-unprotected medium gitlab:acme/web/variables/NPM_TOKEN:1:1',
        'gitlab-variable-unprotected medium gitlab:acme/variables/SENTRY_AUTH_TOKEN:1:1',
        'gitlab-variable-unmasked medium gitlab:acme/web/variables/NPM_TOKEN:1:1',
        'gitlab-variable-missing medium .gitlab-ci.yml:20:37',
        'gitlab-prod-environment-unprotected high gitlab:acme/web/environments/production:1:1',
        'gitlab-prod-environment-no-approval high gitlab:acme/web/environments/prod-eu:1:1',
        'gitlab-fork-pipelines-in-parent high gitlab:acme/web/settings/ci_cd/fork-pipelines:1:1',
        'gitlab-branch-force-push high gitlab:acme/web/protected_branches/main:1:1',
        'gitlab-branch-force-push medium gitlab:acme/web/protected_branches/release/*:1:1',
        'gitlab-default-branch-unprotected medium gitlab:acme/web/protected_branches/main:1:1',
      ].sort(),
    );
    expect(result.notes).toEqual([]);
    for (const f of result.findings) {
      expect(f.category).toBe('gitlab-settings');
      expect(f.secret).toBe('');
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    const critical = result.findings.find((f) => f.severity === 'critical')!;
    expect(critical.message).toContain('project variable PROD_API_TOKEN is not protected and job "test" reads it in a merge-request pipeline');
    expect(critical.related).toEqual([{ file: 'gitlab:acme/web/variables/PROD_API_TOKEN', line: 1, column: 1, endLine: 1, endColumn: 1, label: 'project variable PROD_API_TOKEN' }]);
    const missing = result.findings.find((f) => f.ruleId === 'gitlab-variable-missing')!;
    expect(missing.message).toContain('defined only for other environments (`staging`), and the job\'s is "production"');
    // The variables came in three pages, and the environments in two, asked for through the Link header.
    const pages = (path: string) => server.requests.filter((r) => r.path === path).map((r) => r.query.get('page'));
    expect(pages('/projects/acme%2Fweb/variables')).toEqual([null, '2', '3']);
    expect(pages('/projects/acme%2Fweb/environments')).toEqual([null, '2']);
    // The group above the project, read once.
    expect(server.requests.filter((r) => r.route === 'GET /groups/:id/variables').map((r) => r.params.id)).toEqual(['acme']);
    expect(new Set(server.requests.map((r) => r.headers['private-token']))).toEqual(new Set(['test-token']));
    // No value of a variable is in anything the audit returns.
    const returned = JSON.stringify(result);
    for (const value of VALUES) expect(returned).not.toContain(value);
  });

  it('finds nothing in a project where each condition is met (the ok fixture of every check)', async () => {
    server.on('GET /projects/:id', { body: project('acme/platform/web', { forkPipelines: false }) });
    server.on('GET /projects/:id/variables', paginated([
      variable('PROD_API_TOKEN', VALUES[0]!, { protected: true, masked: true }),
      variable('NPM_TOKEN', VALUES[1]!, { protected: true, masked: true }),
      variable('DEPLOY_TOKEN', VALUES[2]!, { protected: true, masked: true, scope: 'production' }),
      // Scoped by a wildcard that matches the deploy job's environment.
      variable('SIGNING_KEY', VALUES[3]!, { protected: true, masked: true, scope: 'prod*' }),
      // A file variable cannot be masked; named like no credential, unprotected is fine.
      variable('KUBECONFIG', VALUES[4]!, { protected: true, type: 'file' }),
      variable('NODE_OPTIONS', VALUES[5]!),
    ], 100));
    server.on('GET /groups/:id/variables', paginated([], 100));
    server.on('GET /projects/:id/environments', paginated([environment('production', 'production'), environment('staging', 'staging')], 100));
    server.on('GET /projects/:id/protected_environments', paginated([protectedEnvironment('production', { ruleApprovals: 2 })], 100));
    // A wildcard rule covers the default branch.
    server.on('GET /projects/:id/protected_branches', paginated([protectedBranch('ma*', { pushLevel: 0 })], 100));
    const result = await auditGitLabSettings({ api: client(), project: 'acme/platform/web', pipeline: { file: '.gitlab-ci.yml', text: PIPELINE, files } });
    expect(server.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([]);
    // Both groups above a subgroup's project, outermost first.
    expect(server.requests.filter((r) => r.route === 'GET /groups/:id/variables').map((r) => r.params.id)).toEqual(['acme', 'acme/platform']);
  });

  it('fingerprints do not depend on the line of the pipeline', async () => {
    leakyProject();
    const run = (text: string) => auditGitLabSettings({ api: client(), project: PROJECT, pipeline: { file: '.gitlab-ci.yml', text, files } });
    const a = await run(PIPELINE);
    const b = await run(`# a comment moves every line down\n${PIPELINE}`);
    expect(b.findings.map((f) => f.fingerprint).sort()).toEqual(a.findings.map((f) => f.fingerprint).sort());
  });

  it('turns 401, 403 and 404 into notes naming the scope and role, and skips what it cannot judge', async () => {
    server.on('GET /projects/:id', { body: project('solo/app', { namespaceKind: 'group' }) });
    server.on('GET /projects/:id/variables', paginated([variable('PROD_API_TOKEN', VALUES[0]!)], 100));
    server.on('GET /groups/:id/variables', gitlabError(403, 'Forbidden'));
    server.on('GET /projects/:id/environments', insufficientScope('api read_api'));
    server.on('GET /projects/:id/protected_environments', gitlabError(404, 'Not Found'));
    server.on('GET /projects/:id/protected_branches', gitlabError(401, 'Unauthorized'));
    const result = await auditGitLabSettings({ api: client(), project: 'solo/app', pipeline: { file: '.gitlab-ci.yml', text: PIPELINE, files } });
    expect(server.problems).toEqual([]);
    expect(result.notes).toEqual([
      'gitlab: could not read the CI/CD variables of group solo (403 on GET /groups/solo/variables): the token needs the read_api scope and at least the Maintainer role on group solo; the check was skipped',
      'gitlab: could not read the protected environments (404 on GET /projects/solo%2Fapp/protected_environments): not found, or hidden from the token, which needs the read_api scope and at least the Maintainer role on the project (protected environments need GitLab Premium or Ultimate); the check was skipped',
      'gitlab: could not read the environments (403 on GET /projects/solo%2Fapp/environments): the token needs the read_api scope and at least the Reporter role (GitLab accepts the scopes: api read_api); the check was skipped',
      'gitlab: could not read the protected branches (401 on GET /projects/solo%2Fapp/protected_branches): the token was not accepted here; it needs the read_api scope and at least the Maintainer role on the project; the check was skipped',
      'gitlab: GitLab did not show whether fork merge requests may run pipelines in solo/app (ci_allow_fork_pipelines_to_run_in_parent_project): the token\'s user needs at least the Maintainer role; the check was skipped',
    ]);
    // A group's variables unread: no variable can be said to be missing; what was read is still judged.
    expect(result.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`).sort()).toEqual([
      'gitlab-mr-reachable-variable critical .gitlab-ci.yml:13',
      'gitlab-variable-unmasked medium gitlab:solo/app/variables/PROD_API_TOKEN:1',
      'gitlab-variable-unprotected high gitlab:solo/app/variables/PROD_API_TOKEN:1',
    ]);
  });

  it('waits out 429 answers as Retry-After or RateLimit-Reset ask', async () => {
    server.on('GET /projects/:id', { body: project('solo/app', { namespaceKind: 'user', forkPipelines: false }) });
    let variableCalls = 0;
    server.on('GET /projects/:id/variables', (req, s) => {
      if (variableCalls++ === 0) return { status: 429, body: { message: 'Retry later' }, headers: { 'retry-after': '1' } };
      return paginated([variable('STAGING_DB_PASSWORD', VALUES[0]!, { protected: true, masked: true })], 100)(req, s);
    });
    let branchCalls = 0;
    server.on('GET /projects/:id/protected_branches', (req, s) => {
      // No Retry-After: the RateLimit-Reset time says when to come back.
      if (branchCalls++ === 0) return { status: 429, body: { message: 'Retry later' }, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) } };
      return paginated([protectedBranch('main')], 100)(req, s);
    });
    server.on('GET /projects/:id/environments', paginated([], 100));
    server.on('GET /projects/:id/protected_environments', paginated([], 100));
    const warnings: string[] = [];
    const result = await auditGitLabSettings({ api: client((m) => warnings.push(m)), project: 'solo/app', pipeline: undefined });
    expect(server.problems).toEqual([]);
    expect(variableCalls).toBe(2);
    expect(branchCalls).toBe(2);
    expect(result.findings).toEqual([]);
    // A user's namespace has no group variables to ask for.
    expect(server.requests.some((r) => r.path.startsWith('/groups/'))).toBe(false);
    expect(result.notes).toEqual(['gitlab: no pipeline file (.gitlab-ci.yml) was found, so variable use was not cross-checked with the settings']);
    expect(warnings.length).toBe(2);
    expect(warnings[0]).toMatch(/^GitLab rate limit on GET \/api\/v4\/projects\/solo%2Fapp\/(variables|protected_branches): retrying in [12]s$/);
  });

  it('gives up on a rate limit longer than it may wait, with a note', async () => {
    server.on('GET /projects/:id', { body: project('solo/app', { namespaceKind: 'user', forkPipelines: false }) });
    server.on('GET /projects/:id/variables', { status: 429, body: { message: 'Retry later' }, headers: { 'retry-after': '3600' } });
    server.on('GET /projects/:id/protected_branches', paginated([protectedBranch('main')], 100));
    server.on('GET /projects/:id/environments', paginated([], 100));
    server.on('GET /projects/:id/protected_environments', paginated([], 100));
    const result = await auditGitLabSettings({ api: client(), project: 'solo/app', pipeline: undefined });
    expect(result.notes[0]).toBe('gitlab: could not read the project CI/CD variables (429 on GET /projects/solo%2Fapp/variables): the API rate limit was exhausted; run the audit again later');
  });
});

describe('keyfence audit --gitlab', () => {
  let repo: TempDir;
  beforeEach(() => {
    repo = tempRepo('keyfence-gitlab-audit-');
    repo.write('.gitlab-ci.yml', PIPELINE);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'pipeline');
  });
  afterEach(() => repo.remove());

  async function run(args: string[], env: NodeJS.ProcessEnv) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    const code = await main(['audit', ...args], { cwd: repo.path, env, stdout, stderr });
    return { code, out, err };
  }

  it('puts the settings findings beside the pipeline checks in one report, and no format prints a variable value', async () => {
    leakyProject();
    const reports = FORMATS.map((f) => ['--report', `${f}=report.${f}`]).flat();
    const { code, out, err } = await run(['--gitlab', PROJECT, '--gitlab-url', server.url, '--format', 'json', '--no-suppressions', ...reports], { GITLAB_TOKEN: 'test-token' });
    expect(err).toBe(`keyfence: ${FORMATS.map((f) => `${f} report written to report.${f}`).join(', ')}\n`);
    expect(code).toBe(1);
    expect(server.problems).toEqual([]);
    const report = JSON.parse(out);
    const settings = report.findings.filter((f: { category: string }) => f.category === 'gitlab-settings');
    expect(settings.length).toBe(13);
    // The pipeline was read from the default branch's commit: its uses are placed in it.
    expect(settings.find((f: { severity: string }) => f.severity === 'critical')).toMatchObject({ ruleId: 'gitlab-mr-reachable-variable', file: '.gitlab-ci.yml', line: 13 });
    // The pipeline checks of `keyfence workflows` ran on the same file.
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'gitlab-mr-secrets').map((f: { line: number }) => f.line)).toEqual([13]);
    for (const format of FORMATS) {
      const text = readFileSync(join(repo.path, `report.${format}`), 'utf8');
      expect(text.length, format).toBeGreaterThan(0);
      for (const value of VALUES) expect(text.includes(value), `${format} holds a variable's value`).toBe(false);
    }
    for (const value of VALUES) expect(out.includes(value)).toBe(false);
    // Not even when asked to show secrets: the audit never held the values.
    const shown = await run(['--gitlab', PROJECT, '--gitlab-url', server.url, '--show-secrets', '--no-suppressions'], { GITLAB_TOKEN: 'test-token' });
    expect(shown.code).toBe(1);
    expect(shown.out).toContain('gitlab-mr-reachable-variable');
    for (const value of VALUES) expect(shown.out.includes(value) || shown.err.includes(value)).toBe(false);
  });

  it('is a usage error without a token, with a malformed path, or with --gitlab-url alone', async () => {
    const noToken = await run(['--gitlab', PROJECT], {});
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('set GITLAB_TOKEN');
    const bad = await run(['--gitlab', 'just-a-name'], { GITLAB_TOKEN: 'x' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not GROUP/PROJECT');
    const urlOnly = await run(['--gitlab-url', server.url], { GITLAB_TOKEN: 'x' });
    expect(urlOnly.code).toBe(2);
    expect(urlOnly.err).toContain('--gitlab-url needs --gitlab');
    expect(server.requests).toEqual([]);
  });

  it('names the project when GitLab does not know it', async () => {
    server.on('GET /projects/:id', gitlabError(404, 'Project Not Found'));
    const { code, err } = await run(['--gitlab', 'acme/nope', '--gitlab-url', server.url], { GITLAB_TOKEN: 'x' });
    expect(code).toBe(2);
    expect(err).toContain('GitLab project acme/nope was not found');
  });
});

describe('both settings audits in one report', () => {
  it('joins the findings, notes and rules of --github and --gitlab', async () => {
    const step = (name: string, inventory?: boolean) => async () => ({
      findings: [],
      notes: [`${name} note`],
      rules: [{ id: `${name}-check`, description: name, category: 'gitlab-settings' as const, severity: 'high' as const }],
      ...(inventory ? { secretInventory: [] } : {}),
    });
    expect(bothSettings(undefined, undefined)).toBeUndefined();
    const one = step('one');
    expect(bothSettings(one, undefined)).toBe(one);
    const joined = await bothSettings(step('github', true), step('gitlab'))!();
    expect(joined).toEqual({
      findings: [],
      notes: ['github note', 'gitlab note'],
      rules: [
        { id: 'github-check', description: 'github', category: 'gitlab-settings', severity: 'high' },
        { id: 'gitlab-check', description: 'gitlab', category: 'gitlab-settings', severity: 'high' },
      ],
      secretInventory: [],
    });
  });
});

describe('GitLab addresses and names', () => {
  it('resolves the instance address', () => {
    expect(resolveGitLabUrl(undefined, {})).toBe('https://gitlab.com');
    expect(resolveGitLabUrl(undefined, { CI_SERVER_URL: 'https://gitlab.example.com' })).toBe('https://gitlab.example.com');
    expect(resolveGitLabUrl('https://gitlab.example.com/gitlab/', {})).toBe('https://gitlab.example.com/gitlab');
    expect(resolveGitLabUrl('https://gitlab.example.com/api/v4', {})).toBe('https://gitlab.example.com');
    expect(() => resolveGitLabUrl('ftp://x', {})).toThrow(/http/);
  });

  it('parses GROUP/PROJECT with subgroups', () => {
    expect(parseProjectPath('acme/web')).toBe('acme/web');
    expect(parseProjectPath('acme/platform/web.git')).toBe('acme/platform/web');
    expect(parseProjectPath('acme')).toBeUndefined();
    expect(parseProjectPath('acme/../web')).toBeUndefined();
    expect(parseProjectPath('acme/we b')).toBeUndefined();
  });

  it('lists the groups above a project, outermost first', () => {
    expect(groupChain('acme/platform/backend')).toEqual(['acme', 'acme/platform', 'acme/platform/backend']);
    expect(groupChain('acme')).toEqual(['acme']);
  });

  it('matches environment scopes as GitLab does', () => {
    expect(scopeReaches('*', undefined)).toBe(true);
    expect(scopeReaches('production', 'production')).toBe(true);
    expect(scopeReaches('production', undefined)).toBe(false);
    expect(scopeReaches('review/*', 'review/fix-login')).toBe(true);
    expect(scopeReaches('review/*', 'production')).toBe(false);
  });
});

describe('GitLab settings checks', () => {
  it('have unique ids and a doc page each', () => {
    const ids = GITLAB_SETTINGS_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(existsSync(join(import.meta.dirname, '..', '..', 'docs', 'gitlab-settings', `${id}.md`)), `docs/gitlab-settings/${id}.md`).toBe(true);
  });
});
