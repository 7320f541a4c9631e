/**
 * Promise: no code from the scanned repository runs. A repository is rigged with every way git
 * lets a repository run a program of its choosing (hooks, core.hooksPath, core.fsmonitor, textconv
 * and external diff drivers, clean/smudge/process filters, pagers, core.sshCommand, gpg.program
 * with signature display on, askpass and credential helpers, editors), symlinks that point out of
 * it at a secret, and workflows full of `${{ }}` expressions and shell. Each trap writes its name to
 * a marker file when it runs. First each trap is shown to be live (plain git fires it); then every
 * scanning command runs, and the marker must stay empty and the outside secret unread.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Evaluator } from '@actions/expressions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { ISOLATED_GIT_ENV, commit } from '../git/gitHelpers.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const HOOKS = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit',
  'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update', 'proc-receive', 'post-receive', 'post-update',
  'reference-transaction', 'push-to-checkout', 'pre-auto-gc', 'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'post-index-change',
];

let repo: TempDir;
let outside: TempDir;
let marker: string;
let base: string;
let head: string;
const outsideKey = fake.stripeLive();

/** A program that records that it ran: its trap's name, appended to the marker file. */
function trap(name: string): string {
  const path = join(outside.path, 'traps', name);
  writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${marker}"\ncat >/dev/null 2>&1 </dev/null\nexit 0\n`);
  chmodSync(path, 0o755);
  return path;
}
const fired = () => (existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n').filter(Boolean) : []);
const git = (...args: string[]) => spawnSync('git', args, { cwd: repo.path, env: { ...process.env, ...ISOLATED_GIT_ENV, GIT_TERMINAL_PROMPT: '0' }, encoding: 'utf8' });

beforeAll(() => {
  repo = tempRepo('keyfence-traps-');
  outside = tempDir('keyfence-outside-');
  marker = join(outside.path, 'MARKER');
  mkdirSync(join(outside.path, 'traps'));

  // Outside the repository: a secret, a folder with a secret, workflows that would be findings.
  writeFileSync(join(outside.path, 'secret.env'), `STRIPE_SECRET_KEY=${outsideKey}\n`);
  mkdirSync(join(outside.path, 'dir'));
  writeFileSync(join(outside.path, 'dir', 'inner.env'), `STRIPE_SECRET_KEY=${outsideKey}\n`);
  const pwn = `on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm test\n        env:\n          KEY: ${outsideKey}\n`;
  writeFileSync(join(outside.path, 'pwn.yml'), pwn);
  mkdirSync(join(outside.path, 'workflows'));
  writeFileSync(join(outside.path, 'workflows', 'pwn.yml'), pwn);

  // History: secrets to find, an env file whose blob is read, a merge, a commit with a signature.
  repo.write('.gitattributes', '* diff=trap filter=trap\n');
  repo.write('config/.env.production', `NODE_ENV=production\nSTRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
  repo.write('src/app.js', 'module.exports = {};\n');
  repo.write(
    '.github/workflows/ci.yml',
    `on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "\${{ github.event.pull_request.title }}" && touch "${marker}.shell"\n      - run: \${{ format('touch {0}', '${marker}.expression') }}\n      - if: \${{ fromJSON(github.event.pull_request.body).run }}\n        run: echo \${{ toJSON(secrets) }} $(touch "${marker}.substitution")\n`,
  );
  repo.git('add', '-A');
  base = commit(repo, 'base');
  repo.git('checkout', '-q', '-b', 'side');
  repo.write('src/side.js', `export const key = '${fake.stripeLive()}';\n`);
  repo.git('add', '-A');
  commit(repo, 'side');
  repo.git('checkout', '-q', 'main');
  repo.write('config/.env.production', `NODE_ENV=production\nSTRIPE_SECRET_KEY=${fake.stripeLive()}\nDB_PASSWORD=${fake.password()}\n`);
  repo.git('add', '-A');
  commit(repo, 'main');
  repo.git('merge', '-q', '--no-ff', '-m', 'merge', 'side');
  // A commit carrying a (fake) signature: showing it would run gpg.program.
  const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
  const parent = repo.git('rev-parse', 'HEAD').trim();
  const signed = `tree ${tree}\nparent ${parent}\nauthor Test Author <author@example.com> 1767323045 +0000\ncommitter Test Author <author@example.com> 1767323045 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n`;
  const sha = spawnSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo.path, input: signed, encoding: 'utf8', env: { ...process.env, ...ISOLATED_GIT_ENV } }).stdout.trim();
  repo.git('update-ref', 'refs/heads/main', sha);
  repo.write('src/after.js', `export const token = '${fake.stripeLive()}';\n`);
  repo.git('add', '-A');
  head = commit(repo, 'after the signed commit');
  // Staged and untracked work: what `staged` and `scan` read.
  repo.write('src/app.js', `module.exports = { key: '${fake.stripeLive()}' };\n`);
  repo.write('src/new.js', `export const k = '${fake.stripeLive()}';\n`);
  repo.git('add', '-A');
  repo.write('src/untracked.js', `export const k = '${fake.stripeLive()}';\n`);

  // Symlinks out of the repository: committed, untracked, as workflows, as a workflows folder.
  symlinkSync(join(outside.path, 'secret.env'), join(repo.path, 'leak.env'));
  symlinkSync(join(outside.path, 'dir'), join(repo.path, 'linked'));
  symlinkSync(join(outside.path, 'pwn.yml'), join(repo.path, '.github/workflows/evil.yml'));
  symlinkSync(join(outside.path, 'pwn.yml'), join(repo.path, 'action.yml'));
  mkdirSync(join(repo.path, 'sub/.github'), { recursive: true });
  symlinkSync(join(outside.path, 'workflows'), join(repo.path, 'sub/.github/workflows'));
  repo.git('add', 'leak.env');

  // The traps, last: from here on, git run by the repository's rules runs them.
  const hooks = join(outside.path, 'hooks');
  mkdirSync(hooks);
  for (const hook of HOOKS) {
    writeFileSync(join(repo.path, '.git', 'hooks', hook), readFileSync(trap(`hook:${hook}`)));
    chmodSync(join(repo.path, '.git', 'hooks', hook), 0o755);
    writeFileSync(join(hooks, hook), readFileSync(trap(`hooksPath:${hook}`)));
    chmodSync(join(hooks, hook), 0o755);
  }
  const config: Array<[string, string]> = [
    ['core.hooksPath', hooks],
    ['core.fsmonitor', trap('core.fsmonitor')],
    ['diff.trap.textconv', trap('diff.textconv')],
    ['diff.trap.command', trap('diff.command')],
    ['diff.external', trap('diff.external')],
    ['filter.trap.clean', trap('filter.clean')],
    ['filter.trap.smudge', trap('filter.smudge')],
    ['filter.trap.process', trap('filter.process')],
    ['filter.trap.required', 'true'],
    ['core.pager', trap('core.pager')],
    ['pager.log', trap('pager.log')],
    ['pager.diff', trap('pager.diff')],
    ['pager.show', trap('pager.show')],
    ['core.sshCommand', trap('core.sshCommand')],
    ['gpg.program', trap('gpg.program')],
    ['gpg.ssh.program', trap('gpg.ssh.program')],
    ['log.showSignature', 'true'],
    ['core.askPass', trap('core.askPass')],
    ['credential.helper', `!${trap('credential.helper')}`],
    ['core.editor', trap('core.editor')],
    ['sequence.editor', trap('sequence.editor')],
    ['core.alternateRefsCommand', trap('core.alternateRefsCommand')],
  ];
  for (const [key, value] of config) repo.git('config', key, value);
}, 60_000);

afterAll(() => {
  repo?.remove();
  outside?.remove();
});

describe('the traps', () => {
  it('are live: plain git runs them', () => {
    rmSync(marker, { force: true });
    // One trap at a time where an earlier one would stand in the way (a broken filter stops a diff).
    const without = (...keys: string[]) => keys.flatMap((k) => ['-c', `${k}=`]);
    const noFilter = [...without('filter.trap.process', 'filter.trap.clean', 'filter.trap.smudge'), '-c', 'filter.trap.required=false'];
    git(...noFilter, 'diff', base, head);
    git(...noFilter, 'cat-file', '--textconv', `${head}:src/app.js`);
    git('log', '-1', '--format=%H', 'HEAD~1');
    git('status');
    git('hook', 'run', 'pre-commit');
    git('ls-remote', 'ssh://git.example.invalid/repo.git');
    git('hash-object', '--path', 'src/app.js', 'src/app.js');
    const names = new Set(fired().map((line) => line.split(' ')[0]));
    const live = ['diff.command', 'diff.textconv', 'gpg.program', 'core.fsmonitor', 'hooksPath:pre-commit', 'core.sshCommand', 'filter.process'];
    for (const name of live) expect(names, [...names].join(', ')).toContain(name);
    rmSync(marker, { force: true });
  });
});

describe('keyfence in a rigged repository', () => {
  const COMMANDS = [
    ['scan'],
    ['scan', '--no-git'],
    ['scan', 'src', 'config'],
    ['staged'],
    ['diff', `BASE..HEAD`],
    ['history'],
    ['history', '--all'],
    ['workflows'],
    ['audit'],
    ['baseline', '--output', 'baseline.json'],
  ];

  it.each(COMMANDS.map((args) => ({ command: args.join(' '), args })))('$command runs none of them and reads nothing outside', ({ args }) => {
    rmSync(marker, { force: true });
    const real = args.map((a) => a.replace('BASE..HEAD', `${base}..${head}`));
    const result = runCli([...real, ...(real[0] === 'baseline' ? [] : ['--format', 'json', '--show-secrets'])], repo.path, { ...ISOLATED_GIT_ENV, GIT_TERMINAL_PROMPT: '0' });
    expect(result.code, result.stderr).toBeLessThan(2);
    expect(fired()).toEqual([]);
    for (const suffix of ['.shell', '.expression', '.substitution']) expect(existsSync(marker + suffix)).toBe(false);
    // The secret outside: not read through any symlink, even with --show-secrets.
    expect(result.stdout + result.stderr).not.toContain(outsideKey);
    if (real[0] !== 'baseline') {
      const report = JSON.parse(result.stdout) as { findings: Array<{ file: string; ruleId: string }>; stats: { files: number } };
      expect(report.findings.length).toBeGreaterThan(0);
      expect(report.findings.filter((f) => /^(leak\.env|linked\/|action\.yml|\.github\/workflows\/evil\.yml|sub\/)/.test(f.file))).toEqual([]);
    }
  });

  it('notes the symlinks it did not follow', () => {
    const result = runCli(['scan'], repo.path, ISOLATED_GIT_ENV);
    expect(result.stdout).toMatch(/symlinks? not followed: .*leak\.env/);
  });
});

describe('workflow expressions', () => {
  it('are parsed, never evaluated: the evaluator is never called, and not even in the bundle', () => {
    const evaluate = vi.spyOn(Evaluator.prototype, 'evaluate');
    const root = fileURLToPath(new URL('../../fixtures/workflows', import.meta.url));
    const files = readdirSync(root).flatMap((d) => readdirSync(join(root, d)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(root, d, f)));
    let expressions = 0;
    for (const file of [...files, join(repo.path, '.github/workflows/ci.yml')]) {
      const text = readFileSync(file, 'utf8');
      expressions += text.split('${{').length - 1;
      auditWorkflowFile('.github/workflows/ci.yml', text);
    }
    expect(expressions).toBeGreaterThan(50);
    expect(evaluate).not.toHaveBeenCalled();
    evaluate.mockRestore();
    const dist = fileURLToPath(new URL('../../dist', import.meta.url));
    const bundles = readdirSync(dist).filter((f) => f.endsWith('.js'));
    for (const file of bundles) expect(readFileSync(join(dist, file), 'utf8'), file).not.toMatch(/class Evaluator\b/);
  });
});
