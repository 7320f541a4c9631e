/**
 * Promise: fail closed. Inside the real husky pre-commit hook, a crash or an unreadable or malformed
 * keyfence.yml blocks the commit and says how to bypass it knowingly (`git commit --no-verify`); in
 * CI an internal error exits 2, never 1 (findings) nor 0; and SIGTERM or SIGINT at any moment of a
 * big scan writing `--output`, or of `baseline --output`, leaves the old file or the whole new one,
 * never half of one, and no temporary file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newBaseline, serializeBaseline } from '../../src/suppressions/baseline.js';
import { ISOLATED_GIT_ENV } from '../git/gitHelpers.js';
import { CLI, runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const project = fileURLToPath(new URL('../..', import.meta.url));
const BYPASS = 'git commit --no-verify';

let dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});
const track = <T extends TempDir>(d: T): T => (dirs.push(d), d);

/**
 * A node preload that makes keyfence crash where no command catches it: an exception thrown from a
 * callback once the report starts to be written. Node's own answer to that is exit code 1, which
 * means "findings"; keyfence must say "internal error" and exit 2.
 */
function crashPreload(dir: string): string {
  const path = join(dir, 'crash.mjs');
  writeFileSync(
    path,
    `let armed = true;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write;
  stream.write = function (...args) {
    if (armed) {
      armed = false;
      setImmediate(() => { throw new Error('a bug in a callback'); });
    }
    return write.apply(this, args);
  };
}
`,
  );
  return path;
}

// ------------------------------------------------------------------------------------------------
// The husky hook

/** A developer's shell: no npm, husky, git or keyfence settings inherited from the test runner. */
function shellEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|HUSKY|GIT_|KEYFENCE_|NODE_OPTIONS)/i.test(k)) env[k] = v;
  return {
    ...env,
    ...ISOLATED_GIT_ENV,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    NO_COLOR: '1',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, env: shellEnv(env), encoding: 'utf8', timeout: 180_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function must(command: string, args: string[], cwd: string): string {
  const result = sh(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.out}`);
  return result.out;
}

describe('inside the husky pre-commit hook', () => {
  let work: string;
  let repo: string;
  let installed: string;

  beforeAll(() => {
    // As test/hook/husky.test.ts installs it: the packed package, `keyfence init`, husky's prepare.
    work = mkdtempSync(join(tmpdir(), 'keyfence-failclosed-'));
    must('npm', ['pack', '--ignore-scripts', '--pack-destination', work], project);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    repo = join(work, 'app');
    must('git', ['init', '-q', '-b', 'main', repo], work);
    writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2)}\n`);
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    must('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], repo);
    must(join(repo, 'node_modules', '.bin', 'keyfence'), ['init'], repo);
    must('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], repo);
    must('git', ['add', '-A'], repo);
    must('git', ['commit', '-q', '-m', 'set up keyfence'], repo);
    installed = join(repo, 'node_modules', 'keyfence', 'dist');
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const head = () => must('git', ['rev-parse', 'HEAD'], repo).trim();
  /** Stages a harmless change and tries to commit it; the hook decides. */
  function tryCommit(env: NodeJS.ProcessEnv = {}) {
    writeFileSync(join(repo, 'notes.txt'), `a change at ${Date.now()} ${Math.random()}\n`);
    must('git', ['add', 'notes.txt'], repo);
    const before = head();
    const result = sh('git', ['commit', '-m', 'a change'], repo, env);
    return { ...result, committed: head() !== before };
  }
  function expectBlocked(result: ReturnType<typeof tryCommit>, why: RegExp) {
    expect(result.committed, result.out).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(why);
    expect(result.out).toContain(BYPASS);
    // keyfence's own failure, not findings: husky reports the exit code.
    expect(result.out).toMatch(/pre-commit script failed \(code 2\)/);
  }

  it('lets a clean commit through (the hook is live)', () => {
    const result = tryCommit();
    expect(result.committed, result.out).toBe(true);
  });

  it('blocks the commit on a malformed keyfence.yml, naming file, line and the bypass', () => {
    writeFileSync(join(repo, 'keyfence.yml'), 'failOn: [high\nallow: {\n');
    try {
      expectBlocked(tryCommit(), /keyfence: keyfence\.yml:\d+:\d+: /);
    } finally {
      rmSync(join(repo, 'keyfence.yml'), { force: true });
    }
  });

  it('blocks the commit on an unreadable keyfence.yml', () => {
    // A folder where the file should be: unreadable even for root, which chmod 000 is not.
    mkdirSync(join(repo, 'keyfence.yml'));
    try {
      expectBlocked(tryCommit(), /keyfence: cannot read config keyfence\.yml/);
    } finally {
      rmSync(join(repo, 'keyfence.yml'), { recursive: true, force: true });
    }
    if (process.getuid?.() !== 0) {
      writeFileSync(join(repo, 'keyfence.yml'), 'failOn: high\n', { mode: 0o000 });
      try {
        expectBlocked(tryCommit(), /keyfence: cannot read config keyfence\.yml/);
      } finally {
        rmSync(join(repo, 'keyfence.yml'), { force: true });
      }
    }
  });

  it('blocks the commit when keyfence crashes: a broken install, and an error no command catches', () => {
    const rules = join(installed, 'rules.json');
    const intact = readFileSync(rules);
    writeFileSync(rules, '[{"spec": ');
    try {
      expectBlocked(tryCommit(), /keyfence: internal error: /);
    } finally {
      writeFileSync(rules, intact);
    }
    const preload = crashPreload(work);
    expectBlocked(tryCommit({ NODE_OPTIONS: `--import ${preload}` }), /keyfence: internal error: Error: a bug in a callback/);
    // Intact again: commits go through, and --no-verify passes a blocked one knowingly.
    expect(tryCommit().committed).toBe(true);
    writeFileSync(join(repo, 'keyfence.yml'), 'failOn: [\n');
    writeFileSync(join(repo, 'notes.txt'), 'bypassed\n');
    must('git', ['add', '-A'], repo);
    const before = head();
    must('git', ['commit', '-q', '--no-verify', '-m', 'knowingly'], repo);
    expect(head()).not.toBe(before);
    must('git', ['rm', '-q', 'keyfence.yml'], repo);
    must('git', ['commit', '-q', '--no-verify', '-m', 'config removed'], repo);
  });
});

// ------------------------------------------------------------------------------------------------
// CI

describe('in CI', () => {
  const CI = { CI: 'true', GITHUB_ACTIONS: 'true', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

  it('exits 2 on an internal error, 1 on findings, 0 when clean: never one for another', () => {
    const repo = track(tempRepo('keyfence-ci-'));
    const work = track(tempDir('keyfence-ci-work-'));
    repo.write('src/app.js', 'module.exports = {};\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'clean');
    expect(runCli(['scan'], repo.path, CI).code).toBe(0);
    repo.write('config/.env.production', `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
    expect(runCli(['scan'], repo.path, CI).code).toBe(1);

    // A broken install: a copy of the bundle whose rule pack is damaged.
    const dist = join(work.path, 'dist');
    cpSync(join(project, 'dist'), dist, { recursive: true });
    writeFileSync(join(dist, 'rules.json'), '{');
    for (const command of [['scan'], ['history'], ['staged'], ['diff', 'HEAD~0'], ['workflows'], ['audit']]) {
      const broken = spawnSync(process.execPath, [join(dist, 'cli.js'), ...command], { cwd: repo.path, env: { ...process.env, ...CI }, encoding: 'utf8' });
      expect(broken.status, `${command.join(' ')}: ${broken.stderr}`).toBe(2);
      expect(broken.stderr).toMatch(/^keyfence: internal error: /);
    }
    // An error thrown where no command catches it: node alone would exit 1, as if for findings.
    const preload = crashPreload(work.path);
    for (const args of [['scan'], ['scan', '--format', 'json']]) {
      const crashed = runCli(args, repo.path, { ...CI, NODE_OPTIONS: `--import ${preload}` });
      expect(crashed.code, crashed.stderr).toBe(2);
      expect(crashed.stderr).toMatch(/keyfence: internal error: Error: a bug in a callback/);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Signals

describe('SIGTERM and SIGINT', () => {
  let big: TempDir;
  const OLD: Record<string, string> = {
    'report.sarif': 'the previous report, which must survive whole or be replaced whole\n',
    // A baseline that exists is read (and updated) first: the old one must be a real one.
    'baseline.json': serializeBaseline(newBaseline()),
  };

  beforeAll(() => {
    // One key on 30,000 lines: a 27 MB SARIF report that takes a while to write.
    big = tempRepo('keyfence-signals-');
    const key = fake.stripeLive();
    const lines = Array.from({ length: 100 }, (_, i) => `export const key${i} = "${key}";`).join('\n');
    for (let f = 0; f < 300; f++) big.write(`src/f${f}.js`, `${lines}\n`);
    big.write('.gitignore', 'out/\n');
  });
  afterAll(() => big?.remove());

  /**
   * Runs `args`, and sends `signal` when `when` says so: at a delay, or as soon as a temporary file
   * shows up in out/ (in the middle of the write). Resolves once the process has ended.
   */
  function interrupt(args: string[], signal: NodeJS.Signals, when: { delayMs: number } | 'during-write'): Promise<{ signalled: boolean }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: big.path, env: { ...process.env, ...ISOLATED_GIT_ENV, NO_COLOR: '1' }, stdio: 'ignore' });
      let done = false;
      let signalled = false;
      const fire = () => {
        if (!done && !signalled) {
          signalled = true;
          child.kill(signal);
        }
      };
      if (when === 'during-write') {
        const poll = () => {
          if (done || signalled) return;
          if (readdirSync(join(big.path, 'out')).some((f) => f.endsWith('.tmp'))) fire();
          else setImmediate(poll);
        };
        poll();
      } else setTimeout(fire, when.delayMs);
      child.on('error', reject);
      child.on('exit', () => {
        done = true;
        resolve({ signalled });
      });
    });
  }

  function expectWholeOrOld(file: string, parse: (text: string) => unknown) {
    const text = readFileSync(join(big.path, 'out', file), 'utf8');
    if (text !== OLD[file]) expect(() => parse(text), `${file} is neither the old file nor a whole new one`).not.toThrow();
    const left = readdirSync(join(big.path, 'out')).filter((f) => f !== file);
    expect(left, 'temporary files left behind').toEqual([]);
  }

  const sarif = (text: string) => {
    const log = JSON.parse(text);
    if (log.runs[0].results.length !== 30_000) throw new Error(`${log.runs[0].results.length} results`);
  };
  const baseline = (text: string) => {
    const doc = JSON.parse(text);
    if (doc.entries.length !== 300) throw new Error(`${doc.entries.length} entries`);
  };

  it.each(['SIGTERM', 'SIGINT'] as const)('%s in the middle of writing a 27 MB --output leaves the old report or the new one, whole', async (signal) => {
    let caught = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      rmSync(join(big.path, 'out'), { recursive: true, force: true });
      mkdirSync(join(big.path, 'out'), { recursive: true });
      writeFileSync(join(big.path, 'out', 'report.sarif'), OLD['report.sarif']!);
      const { signalled } = await interrupt(['scan', '--format', 'sarif', '--output', 'out/report.sarif'], signal, 'during-write');
      if (signalled) caught++;
      expectWholeOrOld('report.sarif', sarif);
    }
    // The signal landed while the temporary file was being written, at least once.
    expect(caught).toBeGreaterThan(0);
  }, 120_000);

  it('at any moment of a scan or a baseline run, leaves the old file or the new one, whole', async () => {
    const started = Date.now();
    const full = runCli(['scan', '--format', 'sarif', '--output', 'out/timing.sarif'], big.path, ISOLATED_GIT_ENV);
    expect(full.code).toBe(1);
    const duration = Date.now() - started;
    rmSync(join(big.path, 'out'), { recursive: true, force: true });
    for (let i = 0; i < 8; i++) {
      const signal = i % 2 ? 'SIGINT' : 'SIGTERM';
      const delayMs = Math.round((duration * (i + 0.5)) / 8);
      const [args, file, parse] =
        i % 4 < 2
          ? ([['scan', '--format', 'sarif', '--output', 'out/report.sarif'], 'report.sarif', sarif] as const)
          : ([['baseline', '--output', 'out/baseline.json'], 'baseline.json', baseline] as const);
      mkdirSync(join(big.path, 'out'), { recursive: true });
      writeFileSync(join(big.path, 'out', file), OLD[file]!);
      await interrupt([...args], signal, { delayMs });
      expectWholeOrOld(file, parse);
      rmSync(join(big.path, 'out'), { recursive: true, force: true });
    }
    expect(existsSync(join(big.path, 'out'))).toBe(false);
  }, 120_000);
});
