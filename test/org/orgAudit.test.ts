import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { githubError } from '../support/githubServer.js';
import { fake } from '../support/secrets.js';
import { ORG, packNames, PER_PAGE, runCliAsync, startOrg, type Org } from './orgSupport.js';

interface Finding {
  repository?: string;
  ruleId: string;
  file: string;
  line: number;
  commit?: string;
}
const places = (findings: Finding[]) => findings.map((f) => `${f.repository} ${f.ruleId} ${f.file}:${f.line}${f.commit ? ' @' : ''}`);

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('keyfence audit --org', () => {
  it('lists every page, keeps what the filters select, audits each repository through the audit pipeline, and notes the one it cannot clone', async () => {
    const [api, web, old, fork, secret] = Array.from({ length: 5 }, () => fake.stripeLive());
    const keys = { api, web, old, fork, secret };
    org = await startOrg([
      { name: 'api', files: { 'src/pay.js': `const key = '${keys.api}';\n` } },
      { name: 'web', files: { 'config/.env.production': `STRIPE_SECRET_KEY=${keys.web}\n` } },
      { name: 'old', archived: true, files: { 'a.js': `k = '${keys.old}'\n` } },
      { name: 'fork-of-x', fork: true, files: { 'a.js': `k = '${keys.fork}'\n` } },
      { name: 'vault', visibility: 'private', files: { 'lib/keys.js': `\nconst k = '${keys.secret}';\n` } },
      { name: 'gone', missing: true },
      { name: 'docs' },
    ]);
    const state = join(org.dir.path, 'state');
    const extra = ['--report', 'sarif=org.sarif', '--report', 'markdown=org.md'];
    const run = await runCliAsync(['audit', '--org', ORG, '--format', 'json', '--jobs', '2', '--state-dir', state, ...extra], org.dir.path, org.env);
    expect(run.code, run.stderr).toBe(1);
    // Every format renders the one report: SARIF with a result per finding, markdown naming each repository's file.
    const sarif = JSON.parse(readFileSync(join(org.dir.path, 'org.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(Array(3).fill('stripe-live-secret-key'));
    expect(readFileSync(join(org.dir.path, 'org.md'), 'utf8')).toContain('lib/keys.js');
    const report = JSON.parse(run.stdout);
    expect(places(report.findings)).toEqual([
      'octo-org/api stripe-live-secret-key src/pay.js:1',
      'octo-org/vault stripe-live-secret-key lib/keys.js:2',
      'octo-org/web stripe-live-secret-key config/.env.production:1',
    ]);
    expect(report.notes).toEqual([
      '5 repositories of octo-org: 4 audited, 1 not',
      expect.stringMatching(/^octo-org\/gone: not audited: git clone failed: .*gone\.git/),
    ]);
    expect(run.stderr).toMatch(/^keyfence: octo-org\/gone: not audited: git clone failed/m);
    for (const value of Object.values(keys)) expect(run.stdout).not.toContain(value);
    // 7 repositories, 3 a page: pages 1, 2, 3 following the Link header, each asking for everything.
    const listings = org.server.requests.filter((r) => r.template === '/orgs/{org}/repos');
    expect(listings.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(listings[0]!.query.get('type')).toBe('all');
    expect(listings.every((r) => r.headers.authorization === `token ${org!.env.GITHUB_TOKEN}`)).toBe(true);
    expect(org.server.problems).toEqual([]);
    expect(packNames(org.packs()).sort()).toEqual(['api', 'docs', 'vault', 'web']);
    expect(Math.ceil(7 / PER_PAGE)).toBe(3);
    // A completed run forgets its state.
    expect(existsSync(state)).toBe(false);
  });

  it('filters by name globs, archived, forks and visibility', async () => {
    org = await startOrg([
      { name: 'api-core' },
      { name: 'api-legacy', archived: true },
      { name: 'api-fork', fork: true },
      { name: 'api-internal', visibility: 'internal' },
      { name: 'web' },
    ]);
    const run = await runCliAsync(
      ['audit', '--org', ORG, '--include-repo', 'api-*', '--exclude-repo', '*-core', '--archived', '--forks', '--visibility', 'public', '--format', 'json', '--jobs', '1'],
      org.dir.path,
      org.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).notes).toEqual(['2 repositories of octo-org: 2 audited, 0 not']);
    expect(packNames(org.packs()).sort()).toEqual(['api-fork', 'api-legacy']);
  });

  it('keeps the mirrors: the next run fetches only what changed, and audits the new commit', async () => {
    org = await startOrg([{ name: 'api' }, { name: 'web' }]);
    const first = await runCliAsync(['audit', '--org', ORG, '--format', 'json', '--jobs', '1'], org.dir.path, org.env);
    expect(first.code, first.stderr).toBe(0);
    expect(packNames(org.packs())).toEqual(['api', 'web']);
    const key = fake.stripeLive();
    org.push('web', { 'src/new.js': `const key = '${key}';\n` });
    const second = await runCliAsync(['audit', '--org', ORG, '--format', 'json', '--jobs', '1'], org.dir.path, org.env);
    expect(second.code, second.stderr).toBe(1);
    // api unchanged: its fetch got nothing to pack; web's fetch brought the new commit only.
    expect(packNames(org.packs())).toEqual(['api', 'web', 'web']);
    const report = JSON.parse(second.stdout);
    expect(places(report.findings)).toEqual(['octo-org/web stripe-live-secret-key src/new.js:1']);
    expect(report.stats.commits).toBe(3);
    expect(existsSync(join(org.env.KEYFENCE_CACHE_DIR!, 'org'))).toBe(true);
  });

  it('a clone that does not finish within --timeout is a note, and the run goes on', async () => {
    org = await startOrg([{ name: 'api' }, { name: 'slow' }, { name: 'web' }]);
    org.hang('slow');
    const run = await runCliAsync(['audit', '--org', ORG, '--format', 'json', '--jobs', '1', '--timeout', '2'], org.dir.path, org.env);
    org.release();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).notes).toEqual(['3 repositories of octo-org: 2 audited, 1 not', 'octo-org/slow: not audited: git clone did not finish in 2s']);
  });

  it('--settings reads each repository\'s settings as audit --github does; one GitHub will not show is a note', async () => {
    org = await startOrg([{ name: 'api' }, { name: 'web' }]);
    org.server.on('GET /repos/{owner}/{repo}', githubError(404, 'Not Found'));
    const run = await runCliAsync(['audit', '--org', ORG, '--settings', '--format', 'json', '--jobs', '1'], org.dir.path, org.env);
    expect(run.code, run.stderr).toBe(0);
    const notes: string[] = JSON.parse(run.stdout).notes;
    expect(notes.map((n) => n.replace(/(not audited: ).*$/, '$1…'))).toEqual([
      'octo-org/api: github: the repository settings were not audited: …',
      'octo-org/web: github: the repository settings were not audited: …',
      '2 repositories of octo-org: 2 audited, 0 not',
    ]);
    expect(notes[0]).toContain('octo-org/api was not found');
    expect(org.server.requests.filter((r) => r.template === '/repos/{owner}/{repo}').map((r) => r.path)).toEqual(['/repos/octo-org/api', '/repos/octo-org/web']);
    expect(org.server.problems).toEqual([]);
  });

  it('an organisation GitHub does not show is a usage error (exit 2, one line)', async () => {
    org = await startOrg([{ name: 'api' }]);
    const run = await runCliAsync(['audit', '--org', 'no-such-org', '--format', 'json'], org.dir.path, org.env);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('keyfence: GitHub shows no organisation "no-such-org"');
    expect(org.packs()).toEqual([]);
  });

  it('an organisation option without --org is a usage error, not ignored', async () => {
    org = await startOrg([{ name: 'api' }]);
    const run = await runCliAsync(['audit', '--include-repo', 'api'], org.dir.path, org.env);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'keyfence: --include-repo needs --org or --gitlab-group']);
  });

  it('without a token it says which variable to set, before any request', async () => {
    org = await startOrg([{ name: 'api' }]);
    const run = await runCliAsync(['audit', '--org', ORG], org.dir.path, { ...org.env, GITHUB_TOKEN: '', GH_TOKEN: '' });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('keyfence: audit --org needs a token to list the organisation\'s repositories');
    expect(org.server.requests).toEqual([]);
  });
});

describe('an interrupted run', () => {
  it('resumes: the repositories it finished are not cloned or audited again, and the report has them all', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    org = await startOrg(names.map((name) => ({ name, files: { 'src/key.js': `const key = '${fake.stripeLive()}';\n` } })));
    const state = join(org.dir.path, 'state');
    const args = ['audit', '--org', ORG, '--format', 'json', '--jobs', '1', '--state-dir', state];
    org.hang('charlie');
    const current = org;
    // One repository at a time, in name order: once charlie is being cloned, alpha and bravo are done.
    const killed = await runCliAsync(args, org.dir.path, org.env, (child) => {
      const poll = setInterval(() => {
        if (!packNames(current.packs()).includes('charlie')) return;
        clearInterval(poll);
        child.kill('SIGTERM');
      }, 50);
      child.on('close', () => clearInterval(poll));
    });
    org.release();
    expect(killed.code).toBe(-1);
    expect(killed.stdout).toBe('');
    const finished = readFileSync(join(state, 'state.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l).repository);
    expect(finished).toEqual(['octo-org/alpha', 'octo-org/bravo']);
    expect(packNames(org.packs())).toEqual(['alpha', 'bravo', 'charlie']);

    const rerun = await runCliAsync(args, org.dir.path, org.env);
    expect(rerun.code, rerun.stderr).toBe(1);
    // charlie's clone was cut short: cloned again; alpha and bravo: neither cloned nor fetched.
    expect(packNames(org.packs())).toEqual(['alpha', 'bravo', 'charlie', 'charlie', 'delta', 'echo']);
    const report = JSON.parse(rerun.stdout);
    expect(places(report.findings)).toEqual(names.map((n) => `octo-org/${n} stripe-live-secret-key src/key.js:1`));
    expect(report.notes).toEqual(['5 repositories of octo-org: 5 audited (2 by an earlier, interrupted run), 0 not']);
    // Each run lists the organisation once: 5 repositories, 3 a page, two pages a run.
    expect(org.server.requests.filter((r) => r.template === '/orgs/{org}/repos').map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '1', '2']);
    expect(existsSync(state)).toBe(false);
  });

  it('starts afresh when asked for something else (another filter)', async () => {
    org = await startOrg([{ name: 'alpha' }, { name: 'bravo' }]);
    const state = join(org.dir.path, 'state');
    org.hang('bravo');
    const current = org;
    await runCliAsync(['audit', '--org', ORG, '--jobs', '1', '--state-dir', state], org.dir.path, org.env, (child) => {
      const poll = setInterval(() => {
        if (!packNames(current.packs()).includes('bravo')) return;
        clearInterval(poll);
        child.kill('SIGTERM');
      }, 50);
      child.on('close', () => clearInterval(poll));
    });
    org.release();
    const rerun = await runCliAsync(['audit', '--org', ORG, '--jobs', '1', '--state-dir', state, '--include-repo', '*', '--format', 'json'], org.dir.path, org.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).notes).toEqual(['2 repositories of octo-org: 2 audited, 0 not']);
    // alpha was audited again (its mirror fetched: nothing new to pack), bravo cloned again.
    expect(packNames(org.packs())).toEqual(['alpha', 'bravo', 'bravo']);
  });
});
