/**
 * `git push` to a local bare remote, through the pre-push hook `keyfence init --hook pre-push`
 * installs with each manager that needs no external tool: husky (its own `h` runner, from this
 * project's node_modules) and a plain git hook. keyfence is found on PATH, as a developer who
 * installed it would have it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { ISOLATED_GIT_ENV } from '../git/gitHelpers.js';

const HUSKY_BIN = fileURLToPath(new URL('../../node_modules/husky/bin.js', import.meta.url));

let work: string;
let bin: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'keyfence-prepush-'));
  bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'keyfence'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'keyfence'), 0o755);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A developer's shell: keyfence on PATH, no keyfence, husky or git settings from the test runner. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|HUSKY|GIT_|KEYFENCE_|SKIP$)/i.test(k)) clean[k] = v;
  return {
    ...clean,
    ...ISOLATED_GIT_ENV,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    ...extra,
  };
}

function run(cwd: string, command: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, env: env(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function must(cwd: string, command: string, args: string[], extra: NodeJS.ProcessEnv = {}): string {
  const result = run(cwd, command, args, extra);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.out}`);
  return result.out;
}

/** A repository with a bare remote `origin`, one clean commit, the hook installed by `setUp`. */
function repository(name: string, setUp: (app: string) => void): { app: string; remoteSha: (ref: string) => string } {
  const remote = join(work, `${name}.git`);
  const app = join(work, name);
  must(work, 'git', ['init', '-q', '--bare', '-b', 'main', remote]);
  must(work, 'git', ['init', '-q', '-b', 'main', app]);
  must(app, 'git', ['remote', 'add', 'origin', remote]);
  setUp(app);
  writeFileSync(join(app, 'README.md'), '# app\n');
  must(app, 'git', ['add', '-A']);
  must(app, 'git', ['commit', '-q', '-m', 'start']);
  return { app, remoteSha: (ref) => must(remote, 'git', ['rev-parse', '--verify', '--quiet', ref]).trim() };
}

const FINDING = /^billing\.js:1:\d+ +critical +stripe-live-secret-key/m;

function commitKey(app: string, file: string, message: string): string {
  const key = fake.stripeLive();
  writeFileSync(join(app, file), `const stripe = require('stripe')('${key}');\n`);
  must(app, 'git', ['add', file]);
  must(app, 'git', ['commit', '-q', '-m', message]);
  return key;
}

/** The same story through any manager's hook. */
function pushStory(app: string, remoteSha: (ref: string) => string): void {
  // A new branch on an empty remote: every commit is on no remote ref, and it is clean.
  const first = run(app, 'git', ['push', '-u', 'origin', 'main']);
  expect(first.code, first.out).toBe(0);
  expect(first.out).toMatch(/no findings/);
  const start = must(app, 'git', ['rev-parse', 'HEAD']).trim();
  expect(remoteSha('main')).toBe(start);

  // A live key in a new commit: the push is blocked, naming file and line, the key redacted.
  const key = commitKey(app, 'billing.js', 'add billing');
  const blocked = run(app, 'git', ['push', 'origin', 'main']);
  expect(blocked.code, blocked.out).not.toBe(0);
  expect(blocked.out.match(new RegExp(FINDING.source, 'gm'))).toHaveLength(1);
  expect(blocked.out).toContain('1 finding (1 critical) in 1 commit');
  expect(blocked.out).toContain('git push --no-verify');
  expect(blocked.out).not.toContain(key);
  expect(remoteSha('main')).toBe(start);

  // KEYFENCE_SKIP=1 skips keyfence only, saying so in one line.
  const skipped = run(app, 'git', ['push', 'origin', 'main'], { KEYFENCE_SKIP: '1' });
  expect(skipped.code, skipped.out).toBe(0);
  expect(skipped.out).toContain('keyfence: skipped (KEYFENCE_SKIP=1): the pushed commits were not scanned');
  expect(remoteSha('main')).toBe(must(app, 'git', ['rev-parse', 'HEAD']).trim());

  // A new branch: only its own commit counts, not the one already on origin/main.
  must(app, 'git', ['switch', '-q', '-c', 'feature']);
  commitKey(app, 'billing.js', 'another key');
  const feature = run(app, 'git', ['push', '-u', 'origin', 'feature']);
  expect(feature.code, feature.out).not.toBe(0);
  expect(feature.out.match(new RegExp(FINDING.source, 'gm'))).toHaveLength(1);
  expect(feature.out).toContain('1 finding (1 critical) in 1 commit');
  expect(run(app, 'git', ['ls-remote', '--exit-code', 'origin', 'refs/heads/feature']).code).toBe(2);

  // Deleting a remote branch pushes no commit: allowed.
  must(app, 'git', ['switch', '-q', 'main']);
  must(app, 'git', ['push', '-q', '--no-verify', 'origin', 'main:old']);
  const deleted = run(app, 'git', ['push', 'origin', '--delete', 'old']);
  expect(deleted.code, deleted.out).toBe(0);
  expect(deleted.out).toContain('1 deleted ref skipped: a deletion pushes no commits');
}

describe('the pre-push hook blocks a push that adds a secret', () => {
  it('installed with --manager husky (husky v9 runs .husky/pre-push)', () => {
    const { app, remoteSha } = repository('husky', (dir) => {
      const init = must(dir, 'keyfence', ['init', '--hook', 'pre-push', '--manager', 'husky']);
      expect(init).toContain('created  .husky/pre-push: runs `keyfence push`');
      must(dir, process.execPath, [HUSKY_BIN]);
      expect(must(dir, 'git', ['config', 'core.hooksPath']).trim()).toBe('.husky/_');
    });
    expect(readFileSync(join(app, '.husky', 'pre-push'), 'utf8')).toMatch(/^keyfence push$/m);
    pushStory(app, remoteSha);
  }, 120_000);

  it('installed with --manager git, in the folder core.hooksPath names', () => {
    const { app, remoteSha } = repository('plain', (dir) => {
      must(dir, 'git', ['config', 'core.hooksPath', 'githooks']);
      const init = must(dir, 'keyfence', ['init', '--hook', 'pre-push', '--manager', 'git']);
      expect(init).toContain('created  githooks/pre-push: runs `keyfence push`');
    });
    expect(existsSync(join(app, '.git', 'hooks', 'pre-push'))).toBe(false);
    pushStory(app, remoteSha);
  }, 120_000);

  it('SKIP=keyfence (the pre-commit framework\'s list) skips it too', () => {
    const { app, remoteSha } = repository('skip', (dir) => must(dir, 'keyfence', ['init', '--hook', 'pre-push', '--manager', 'git']));
    must(app, 'git', ['push', '-q', 'origin', 'main']);
    commitKey(app, 'billing.js', 'key');
    const skipped = run(app, 'git', ['push', 'origin', 'main'], { SKIP: 'eslint, keyfence' });
    expect(skipped.code, skipped.out).toBe(0);
    expect(skipped.out).toContain('keyfence: skipped (SKIP=eslint, keyfence names keyfence): the pushed commits were not scanned');
    expect(remoteSha('main')).toBe(must(app, 'git', ['rev-parse', 'HEAD']).trim());
    // Another hook's id does not skip keyfence.
    commitKey(app, 'billing.js', 'key again');
    expect(run(app, 'git', ['push', 'origin', 'main'], { SKIP: 'eslint,keyfence-lint' }).code).not.toBe(0);
  }, 120_000);
});
