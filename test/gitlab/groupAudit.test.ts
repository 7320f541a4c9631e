import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { accessEnv } from '../../src/run/org/mirror.js';
import { assertJsonReport } from '../support/cli.js';
import { environment, gitlabError, paginated, project } from '../support/gitlabServer.js';
import { fake } from '../support/secrets.js';
import { textSink } from '../support/textSink.js';
import { GROUP, PER_PAGE, startGroup, type Group } from './groupSupport.js';

interface Finding {
  repository?: string;
  ruleId: string;
  file: string;
  line: number;
}
const places = (findings: Finding[]) => findings.map((f) => `${f.repository} ${f.ruleId} ${f.file}:${f.line}`);

let group: Group | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

/** `keyfence ARGS` in this process (the loopback GitLab lives here too); a JSON report is checked by the schema. */
async function keyfence(args: string[], env: NodeJS.ProcessEnv = group!.env) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await main(args, { cwd: group!.dir.path, env, stdout, stderr });
  const result = { code, stdout: stdout.text, stderr: stderr.text };
  if (args.includes('json') && (code === 0 || code === 1)) assertJsonReport(`keyfence ${args.join(' ')}`, result);
  return result;
}

describe('keyfence audit --gitlab-group', () => {
  it('lists the group and its subgroups page by page, audits each project through the audit pipeline, and notes the one it cannot clone', async () => {
    const keys = Array.from({ length: 4 }, () => fake.stripeLive());
    group = await startGroup([
      { path: 'api', files: { 'src/pay.js': `const key = '${keys[0]}';\n` } },
      { path: 'backend/billing', files: { 'config/.env.production': `STRIPE_SECRET_KEY=${keys[1]}\n` } },
      { path: 'backend/deep/worker', files: { 'lib/run.js': `\nconst k = '${keys[2]}';\n` } },
      { path: 'old', archived: true, files: { 'a.js': `k = '${keys[3]}'\n` } },
      { path: 'fork-of-x', forkOf: 'someone/x' },
      { path: 'other/shared-lib', shared: true },
      { path: 'gone', missing: true },
      { path: 'docs' },
      { path: 'backend/new', empty: true },
    ]);
    const state = join(group.dir.path, 'state');
    const run = await keyfence(['audit', '--gitlab-group', GROUP, '--format', 'json', '--jobs', '2', '--state-dir', state]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(places(report.findings)).toEqual([
      'acme/api stripe-live-secret-key src/pay.js:1',
      'acme/backend/billing stripe-live-secret-key config/.env.production:1',
      'acme/backend/deep/worker stripe-live-secret-key lib/run.js:2',
    ]);
    // Listed: api, billing, worker, fork, gone, docs, new (not the archived or the shared one); the fork is left out.
    // The empty project is audited (no commit, no file), the missing one is a note.
    expect(report.notes).toEqual(['6 repositories of acme: 5 audited, 1 not', expect.stringMatching(/^acme\/gone: not audited: git clone failed: .*gone\.git/)]);
    expect(report.stats.commits).toBe(4);
    for (const key of keys) expect(run.stdout).not.toContain(key);
    // Seven projects, three a page: three pages, the later ones through the Link header; each asks
    // for subgroups' projects, no shared ones, no archived ones.
    const listings = group.listings();
    expect(listings.map((q) => q.get('page'))).toEqual([null, '2', '3']);
    expect(Math.ceil(7 / PER_PAGE)).toBe(3);
    expect(listings.map((q) => [q.get('include_subgroups'), q.get('with_shared'), q.get('archived')])).toEqual(Array(3).fill(['true', 'false', 'false']));
    expect(group.server.requests.map((r) => r.params.id)).toEqual([GROUP, GROUP, GROUP]);
    expect(group.server.requests.every((r) => r.headers['private-token'] === group!.env.GITLAB_TOKEN)).toBe(true);
    expect(group.server.problems).toEqual([]);
    // Subgroup projects are mirrored under their path below the group.
    expect(existsSync(join(group.env.KEYFENCE_CACHE_DIR!, 'org', new URL(group.server.url).host.replace(/:/g, '_'), GROUP, 'mirrors', 'backend', 'deep', 'worker.git', 'HEAD'))).toBe(true);
    expect(existsSync(state)).toBe(false);
  });

  it('filters by path globs below the group, archived, forks and visibility', async () => {
    group = await startGroup([
      { path: 'api', visibility: 'internal' },
      { path: 'backend/billing', visibility: 'internal' },
      { path: 'backend/deep/worker', visibility: 'internal' },
      { path: 'backend/legacy', archived: true, visibility: 'internal' },
      { path: 'backend/fork', forkOf: 'someone/fork', visibility: 'internal' },
      { path: 'backend/public-site', visibility: 'public' },
    ]);
    const args = ['audit', '--gitlab-group', GROUP, '--include-repo', 'backend/**', '--exclude-repo', '**/worker', '--archived', '--forks', '--visibility', 'internal'];
    const run = await keyfence([...args, '--format', 'json', '--jobs', '1']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.notes).toEqual(['3 repositories of acme: 3 audited, 0 not']);
    expect(report.stats.commits).toBe(3);
    // With --archived, archived projects are listed too: no `archived` filter is sent.
    expect(group.listings().map((q) => q.has('archived'))).toEqual([false, false]);
    const plan = await keyfence(['org', 'plan', ...args.slice(1), '--shards', '2']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual({ include: [{ shard: '1/2', repositories: 2, size: 0 }, { shard: '2/2', repositories: 1, size: 0 }] });
    expect(plan.stderr).toBe('keyfence: 3 repositories of acme in 2 shards\n');
  });

  it('shards: every project is audited by exactly one shard, and `org plan` counts what each gets', async () => {
    const names = ['a1', 'a2', 'sub/b1', 'sub/b2', 'sub/deeper/c1'];
    group = await startGroup(names.map((path) => ({ path, files: { 'key.js': `const key = '${fake.stripeLive()}';\n` } })));
    const plan = await keyfence(['org', 'plan', '--gitlab-group', GROUP, '--shards', '2']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual({ include: [{ shard: '1/2', repositories: 3, size: 0 }, { shard: '2/2', repositories: 2, size: 0 }] });
    const audited: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const run = await keyfence(['audit', '--gitlab-group', GROUP, '--shard', shard, '--format', 'json', '--jobs', '2']);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.notes).toEqual([`${shard === '1/2' ? 3 : 2} repositories of acme in shard ${shard}: ${shard === '1/2' ? 3 : 2} audited, 0 not`]);
      audited.push(...(report.findings as Finding[]).map((f) => f.repository!));
    }
    expect(audited.sort()).toEqual(names.map((n) => `${GROUP}/${n}`).sort());
  });

  it('keeps apart projects whose paths differ only by a slash (sub/app, sub_app)', async () => {
    group = await startGroup([
      { path: 'sub/app', files: { 'one.js': `const key = '${fake.stripeLive()}';\n` } },
      { path: 'sub_app', files: { 'two.js': `const key = '${fake.stripeLive()}';\n` } },
    ]);
    const run = await keyfence(['audit', '--gitlab-group', GROUP, '--format', 'json', '--jobs', '2']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(places(report.findings)).toEqual(['acme/sub/app stripe-live-secret-key one.js:1', 'acme/sub_app stripe-live-secret-key two.js:1']);
    expect(report.notes).toEqual(['2 repositories of acme: 2 audited, 0 not']);
  });

  it('links the markdown report to the GitLab instance the projects come from, not to GitHub, when GitHub Actions runs it', async () => {
    group = await startGroup([{ path: 'backend/billing', files: { 'config/prod env.txt': `\nSTRIPE_SECRET_KEY=${fake.stripeLive()}\n` } }]);
    const actions = { ...group.env, GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/audits', GITHUB_SHA: 'abc1234def' };
    const run = await keyfence(['audit', '--gitlab-group', GROUP, '--format', 'markdown', '--jobs', '1'], actions);
    expect(run.code, run.stderr).toBe(1);
    const links = [...run.stdout.matchAll(/\]\((https?:[^)]*)\)/g)].map((m) => m[1]).filter((url) => !url!.includes('/docs/'));
    // A finding of the tree the audit scanned (no commit of its own): the project's default branch.
    expect(links).toEqual([`${group.server.url}/acme/backend/billing/-/blob/HEAD/config/prod%20env.txt#L2`]);
    expect(run.stdout).toContain(`[acme/backend/billing:config/prod env.txt:2](${links[0]})`);
  });

  it('--settings audits each project\'s GitLab settings as audit --gitlab does; a project GitLab will not show is a note', async () => {
    group = await startGroup([{ path: 'api' }, { path: 'backend/web' }]);
    const server = group.server;
    server.on('GET /projects/:id', (req) => (req.params.id === 'acme/api' ? { body: project('acme/api', { forkPipelines: true }) } : gitlabError(404, 'Project Not Found')));
    server.on('GET /projects/:id/variables', paginated([], 100));
    server.on('GET /groups/:id/variables', paginated([], 100));
    server.on('GET /projects/:id/environments', paginated([environment('production', 'production')], 100));
    server.on('GET /projects/:id/protected_environments', paginated([], 100));
    server.on('GET /projects/:id/protected_branches', paginated([], 100));
    const run = await keyfence(['audit', '--gitlab-group', GROUP, '--settings', '--format', 'json', '--jobs', '1']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(places(report.findings).sort()).toEqual([
      'acme/api gitlab-default-branch-unprotected gitlab:acme/api/protected_branches/main:1',
      'acme/api gitlab-fork-pipelines-in-parent gitlab:acme/api/settings/ci_cd/fork-pipelines:1',
      'acme/api gitlab-prod-environment-unprotected gitlab:acme/api/environments/production:1',
    ]);
    expect(report.notes).toEqual([
      'acme/api: gitlab: no pipeline file (.gitlab-ci.yml) was found, so variable use was not cross-checked with the settings',
      expect.stringMatching(/^acme\/backend\/web: gitlab: the project settings were not audited: GitLab project acme\/backend\/web was not found/),
      '2 repositories of acme: 2 audited, 0 not',
    ]);
    expect(server.requests.filter((r) => r.route === 'GET /projects/:id').map((r) => r.params.id)).toEqual(['acme/api', 'acme/backend/web']);
    expect(server.problems).toEqual([]);
  });

  it('a group GitLab does not show is a usage error (exit 2, one line), before any clone', async () => {
    group = await startGroup([{ path: 'api' }]);
    const run = await keyfence(['audit', '--gitlab-group', 'nope', '--format', 'json']);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'keyfence: GitLab shows no group "nope"']);
    expect(existsSync(join(group.env.KEYFENCE_CACHE_DIR!, 'org'))).toBe(false);
  });

  it('usage errors come before any request: no token, a malformed path, both forges', async () => {
    group = await startGroup([{ path: 'api' }]);
    const noToken = await keyfence(['audit', '--gitlab-group', GROUP], { ...group.env, GITLAB_TOKEN: '' });
    expect([noToken.code, noToken.stderr.split('\n')[0]]).toEqual([2, 'keyfence: audit --gitlab-group needs a token to list the group\'s projects']);
    const bad = await keyfence(['audit', '--gitlab-group', 'acme/../x']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'keyfence: --gitlab-group "acme/../x" is not a GitLab group path']);
    const both = await keyfence(['audit', '--org', 'octo-org', '--gitlab-group', GROUP]);
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([2, 'keyfence: a GitHub organisation and --gitlab-group do not go together']);
    const project = await keyfence(['audit', '--gitlab-group', GROUP, '--gitlab', 'acme/api']);
    expect([project.code, project.stderr.split('\n')[0]]).toEqual([2, 'keyfence: --gitlab-group and --gitlab do not go together']);
    const planWithout = await keyfence(['org', 'plan', '--shards', '2']);
    expect([planWithout.code, planWithout.stderr.split('\n')[0]]).toEqual([2, 'keyfence: org plan takes one ORG']);
    const alone = await keyfence(['audit', '--include-repo', 'api']);
    expect([alone.code, alone.stderr.split('\n')[0]]).toEqual([2, 'keyfence: --include-repo needs --org or --gitlab-group']);
    expect(group.server.requests).toEqual([]);
  });
});

describe('clone access to GitLab', () => {
  const access = { token: 'test-token', hosts: ['gitlab.example.com'], username: 'oauth2' };

  it('sends the token as oauth2 basic auth to the instance\'s host only, through the environment', () => {
    expect(accessEnv('https://gitlab.example.com/acme/api.git', access)).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://gitlab.example.com/.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('oauth2:test-token').toString('base64')}`,
    });
    // Another host, or plain HTTP where anyone on the way could read it: no token.
    expect(accessEnv('https://elsewhere.example.com/acme/api.git', access)).toEqual({});
    expect(accessEnv('http://gitlab.example.com/acme/api.git', access)).toEqual({});
    // GitHub's user name stays the default.
    expect(accessEnv('https://github.com/o/r.git', { token: 't', hosts: ['github.com'] }).GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${Buffer.from('x-access-token:t').toString('base64')}`);
  });
});
