import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { people, pgDumpCopy } from '../support/dumps.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { pwnRequestWorkflow } from '../support/workflows.js';
import { ISOLATED_GIT_ENV, keyfence } from '../git/gitHelpers.js';

const project = fileURLToPath(new URL('../..', import.meta.url));

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com',
};

/** The environment of a developer's shell: no npm or husky settings inherited from the test runner. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|HUSKY|GIT_|KEYFENCE_)/i.test(k)) env[k] = v;
  return { ...env, ...ISOLATED_GIT_ENV, ...IDENTITY, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function must(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.out}`);
  return result.out;
}

describe('the husky pre-commit hook, end to end', () => {
  let work: string;
  let tarball: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'keyfence-hook-'));
    // The package as it would be published (dist is built by the global setup; no scripts run).
    must('npm', ['pack', '--ignore-scripts', '--pack-destination', work], project);
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('blocks a commit that stages a live key, and lets it through once removed or suppressed', () => {
    const repo = join(work, 'app');
    must('git', ['init', '-q', '-b', 'main', repo], work);
    writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2)}\n`);
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    // A developer installs keyfence, runs `keyfence init`, then installs (husky's prepare runs).
    must('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], repo);
    const init = must(join(repo, 'node_modules', '.bin', 'keyfence'), ['init'], repo);
    expect(init).toContain('created  .husky/pre-commit');
    expect(init).toMatch(/changed {2}package\.json: devDependencies\.husky = "\^9\.\d+\.\d+", scripts\.prepare = "husky"/);
    must('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], repo);
    expect(must('git', ['config', 'core.hooksPath'], repo).trim()).toBe('.husky/_');
    must('git', ['add', '-A'], repo);
    must('git', ['commit', '-q', '-m', 'set up keyfence'], repo);

    // A live key: the commit is blocked, naming the file and line, with the way out.
    const key = fake.stripeLive();
    const write = (text: string) => writeFileSync(join(repo, 'billing.js'), text);
    write(`const stripe = require('stripe')('${key}');\nmodule.exports = stripe;\n`);
    must('git', ['add', 'billing.js'], repo);
    const blocked = run('git', ['commit', '-m', 'add billing'], repo);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toMatch(/billing\.js:1:\d+ +critical +stripe-live-secret-key/);
    expect(blocked.out).toContain('git commit --no-verify');
    expect(blocked.out).toContain('keyfence:allow[');
    expect(blocked.out).not.toContain(key);
    expect(must('git', ['log', '--format=%s'], repo).trim()).toBe('set up keyfence');

    // `git commit -a` stages in a temporary index the hook must read (GIT_INDEX_FILE).
    must('git', ['reset', '-q'], repo);
    must('git', ['add', '-N', 'billing.js'], repo);
    const all = run('git', ['commit', '-a', '-m', 'add billing'], repo);
    expect(all.code).not.toBe(0);
    expect(all.out).toMatch(/billing\.js:1:\d+ +critical +stripe-live-secret-key/);
    expect(must('git', ['log', '--format=%s'], repo).trim()).toBe('set up keyfence');

    // The key removed: the commit goes through.
    write("const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\nmodule.exports = stripe;\n");
    must('git', ['add', 'billing.js'], repo);
    must('git', ['commit', '-q', '-m', 'add billing'], repo);

    // A known fake, suppressed on its line: the commit goes through.
    write(`// keyfence test fixture\nconst fixture = '${key}'; // keyfence:allow[stripe-live-secret-key] fake key for the payment tests\n`);
    must('git', ['add', 'billing.js'], repo);
    must('git', ['commit', '-q', '-m', 'fixture'], repo);
    expect(must('git', ['log', '--format=%s'], repo).trim().split('\n')).toEqual(['fixture', 'add billing', 'set up keyfence']);

    // A workflow that runs a fork's code with secrets in reach ("pwn request"): blocked too.
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'test.yml'), pwnRequestWorkflow());
    must('git', ['add', '.github'], repo);
    const pwn = run('git', ['commit', '-m', 'test pull requests'], repo);
    expect(pwn.code).not.toBe(0);
    expect(pwn.out).toMatch(/\.github\/workflows\/test\.yml:9:\d+ +critical +untrusted-checkout/);
    // The same job on `pull_request` gets a read-only token and no secrets: it goes through.
    writeFileSync(join(repo, '.github', 'workflows', 'test.yml'), `permissions:\n  contents: read\n${pwnRequestWorkflow({ trigger: 'pull_request' })}`);
    must('git', ['add', '.github'], repo);
    must('git', ['commit', '-q', '-m', 'test pull requests'], repo);
    expect(must('git', ['log', '--format=%s'], repo).trim().split('\n')[0]).toBe('test pull requests');

    // A pg_dump of the users table, copied in for debugging: production data, blocked.
    const dump = pgDumpCopy(people(20));
    mkdirSync(join(repo, 'db'), { recursive: true });
    writeFileSync(join(repo, 'db', 'users.sql'), dump.text);
    must('git', ['add', 'db'], repo);
    const data = run('git', ['commit', '-m', 'debug data'], repo);
    expect(data.code).not.toBe(0);
    expect(data.out).toMatch(new RegExp(`db/users\\.sql:${dump.firstData + 1}:1 +high +prod-data-dump +Database dump \\(pg_dump\\): 20 rows in 1 table`));
    expect(must('git', ['log', '--format=%s'], repo).trim().split('\n')[0]).toBe('test pull requests');
  }, 240_000);
});

describe('keyfence init', () => {
  let dir: TempDir | undefined;
  afterEach(() => {
    dir?.remove();
    dir = undefined;
  });
  const read = (file: string) => readFileSync(join(dir!.path, file), 'utf8');

  it('keeps an existing hook and package.json, changes only what is missing, and is idempotent', () => {
    dir = tempRepo();
    dir.write('package.json', '{\n\t"name": "x",\n\t"scripts": {\n\t\t"prepare": "node build.js",\n\t\t"test": "node test.js"\n\t},\n\t"devDependencies": {\n\t\t"husky": "^9.0.0"\n\t}\n}\n');
    const hook = '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\nnpx lint-staged\nnpm test\nexit 0\n';
    dir.write('.husky/pre-commit', hook);
    dir.write('.keyfence.yml', 'failOn: high\n');
    dir.write('.github/workflows/keyfence.yml', 'name: mine\n');

    const first = keyfence(dir.path, ['init']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('changed  package.json: devDependencies.keyfence = "^');
    expect(first.stdout).toContain('scripts.prepare = "node build.js && husky" (husky appended)');
    expect(first.stdout).toContain('changed  .husky/pre-commit: runs `keyfence staged` first, then its 4 existing lines, unchanged');
    expect(first.stdout).toContain('kept     keyfence.yml: a configuration exists');
    expect(first.stdout).toContain('kept     .github/workflows/keyfence.yml: it exists (not overwritten)');

    const pkg = read('package.json');
    expect(pkg).toMatch(/^\{\n\t"name": "x",\n\t"scripts": \{\n\t\t"prepare": "node build\.js && husky",/);
    expect(JSON.parse(pkg).devDependencies).toEqual({ husky: '^9.0.0', keyfence: expect.stringMatching(/^\^\d+\.\d+\.\d+/) });
    const newHook = read('.husky/pre-commit');
    expect(newHook.startsWith('#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\n# keyfence:')).toBe(true);
    expect(newHook.indexOf('keyfence staged')).toBeLessThan(newHook.indexOf('npx lint-staged'));
    expect(newHook.endsWith('\nnpx lint-staged\nnpm test\nexit 0\n')).toBe(true);
    expect(statSync(join(dir.path, '.husky/pre-commit')).mode & 0o111).not.toBe(0);
    expect(read('.keyfence.yml')).toBe('failOn: high\n');
    expect(read('.github/workflows/keyfence.yml')).toBe('name: mine\n');

    const before = [read('package.json'), read('.husky/pre-commit')];
    const second = keyfence(dir.path, ['init']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^ {2}(changed|created) /m);
    expect([read('package.json'), read('.husky/pre-commit')]).toEqual(before);
  });

  it('writes a starter config and a least-privilege pull_request workflow, both clean for keyfence itself', () => {
    dir = tempRepo();
    dir.write('package.json', '{ "name": "y" }\n');
    const result = keyfence(dir.path, ['init']);
    expect(result.code).toBe(0);
    expect(read('package.json')).toMatch(/^\{\n {2}"name": "y",\n {2}"devDependencies": \{\n {4}"husky": /);
    const workflow = read('.github/workflows/keyfence.yml');
    expect(workflow).toMatch(/^on:\n {2}pull_request:\n/m);
    expect(workflow).toMatch(/^permissions:\n {2}contents: read\n/m);
    expect(workflow).not.toMatch(/^\s*pull_request_target:/m);
    expect(workflow).toContain('persist-credentials: false');
    expect(workflow).toMatch(/run: npx --yes keyfence@\d+\.\d+\.\d+ diff --format github/);
    expect(read('keyfence.yml')).toMatch(/^# keyfence configuration/);
    // The starter config loads, and a staged scan of everything init wrote is clean.
    dir.git('add', '-A');
    const staged = keyfence(dir.path, ['staged']);
    expect(staged.stdout).toContain('no findings');
    expect(staged.code).toBe(0);
  });

  it('explains what to do in a repository without package.json, and creates none', () => {
    dir = tempRepo();
    const result = keyfence(dir.path, ['init']);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir.path, 'package.json'))).toBe(false);
    expect(read('.husky/pre-commit')).toMatch(/^keyfence staged$/m);
    expect(result.stdout).toContain('No package.json');
    expect(result.stdout).toContain('npx husky');
    expect(result.stdout).toContain('.pre-commit-config.yaml');
  });

  it('fails with one line outside a repository and on a broken package.json', () => {
    const outside = mkdtempSync(join(tmpdir(), 'keyfence-norepo-'));
    try {
      const result = keyfence(outside, ['init'], { GIT_CEILING_DIRECTORIES: tmpdir() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^keyfence: not a git repository: /);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    dir = tempRepo();
    dir.write('package.json', '{ "name": ');
    const broken = keyfence(dir.path, ['init']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^keyfence: package\.json: /);
  });
});
