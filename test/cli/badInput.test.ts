/**
 * The command line given bad input, or an unusual place to write to: each mistake is one
 * `keyfence: …` line (and at most one `  hint: …` line) on stderr and exit 2, before any scanning;
 * a range or date that selects no commit is a note, not an error; a reader that stops early (`| head
 * -1`) is not an error either; and the summary and progress lines say what they should.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CLI, runCli, type CliResult } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { commit, ISOLATED_GIT_ENV, type JsonReport } from '../git/gitHelpers.js';

const DATE_HINT = '  hint: give a date such as 2024-01-31 (or 2024-01-31T12:00) or a relative one such as "6 months ago"';
const OUTPUT_HINT = '  hint: give --output a file path in a folder you can write to';

const repos: TempDir[] = [];
function repo(): TempDir {
  const r = tempRepo('keyfence-badinput-');
  repos.push(r);
  return r;
}
afterAll(() => {
  for (const r of repos) {
    // A folder made read-only by a test must be writable again to be removed.
    spawnSync('chmod', ['-R', 'u+w', r.path]);
    r.remove();
  }
});

const cli = (cwd: string, args: string[], input?: string): CliResult => runCli(args, cwd, ISOLATED_GIT_ENV, input);

/** Exit 2, nothing on stdout, and on stderr exactly `keyfence: MESSAGE` and, when given, the hint line. */
function expectUsageError(result: CliResult, message: string, hint?: string | RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
  const lines = result.stderr.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe(`keyfence: ${message}`);
  if (hint === undefined) expect(lines).toHaveLength(1);
  else {
    expect(lines).toHaveLength(2);
    if (typeof hint === 'string') expect(lines[1]).toBe(hint);
    else expect(lines[1]).toMatch(hint);
  }
}

/** Report and summary as lines, with the run's duration (which varies) as `T`. */
const lines = (text: string) => text.replace(/\b\d+ ms\b/g, 'T ms').split('\n');

/** A history of four commits (a key added, then taken out) with a live key left in the tree. */
let history: TempDir;

beforeAll(() => {
  history = repo();
  history.write('README.md', '# service\n');
  history.git('add', '-A');
  commit(history, 'base', '2026-01-01T10:00:00Z');
  history.write('src/config.js', `module.exports = { stripe: '${fake.stripeLive()}' };\n`);
  history.git('add', '-A');
  commit(history, 'add stripe', '2026-01-02T10:00:00Z');
  history.write('src/config.js', 'module.exports = { stripe: process.env.STRIPE_KEY };\n');
  history.git('add', '-A');
  commit(history, 'use the environment', '2026-01-03T10:00:00Z');
  history.write('config/.env.production', `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
  history.git('add', '-A');
  commit(history, 'production settings', '2026-01-04T10:00:00Z');
});

describe('dates that are not dates', () => {
  it.each([
    ['--since', 'not a date'],
    // A letter O for a zero: git would read it as 2001 and scan the wrong commits.
    ['--since', '2O24-01-01'],
    // No 13th month, no 45th day: git would roll it over into another date.
    ['--until', '2024-13-45'],
  ])('history %s "%s" is a usage error, before any commit is read', (option, value) => {
    expectUsageError(cli(history.path, ['history', option, value]), `${option} "${value}" is not a date`, DATE_HINT);
  });
});

describe('ranges that select no commit', () => {
  it('diff HEAD..HEAD~3 (reversed) selects 0 commits, exits 0 and says the range is reversed', () => {
    const note = '0 commits selected: HEAD~3 is an ancestor of HEAD, so HEAD..HEAD~3 is empty (reversed? HEAD~3..HEAD holds the commits between them)';
    const text = cli(history.path, ['diff', 'HEAD..HEAD~3']);
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(text.stdout)).toEqual([`note: ${note}`, '0 commits selected, T ms', '']);
    const json = cli(history.path, ['diff', 'HEAD..HEAD~3', '--format', 'json']);
    const report = JSON.parse(json.stdout) as JsonReport;
    const seen = { code: json.code, stderr: json.stderr, findings: report.findings, commits: report.stats.commits, notes: report.notes };
    expect(seen).toEqual({ code: 0, stderr: '', findings: [], commits: 0, notes: [note] });
  });

  it('diff HEAD..HEAD (empty) selects 0 commits, exits 0 and says why', () => {
    const text = cli(history.path, ['diff', 'HEAD..HEAD']);
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(text.stdout)).toEqual(['note: 0 commits selected: HEAD and HEAD are the same commit', '0 commits selected, T ms', '']);
  });

  it('history --since 2099-01-01 selects 0 commits, exits 0 and says why', () => {
    const text = cli(history.path, ['history', '--since', '2099-01-01']);
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(text.stdout)).toEqual(['note: 0 commits selected: no commit reachable from HEAD is newer than 2099-01-01', '0 commits selected, T ms', '']);
  });
});

describe('standard input', () => {
  it('scan /dev/stdin is a usage error pointing to `scan -`', () => {
    expectUsageError(cli(history.path, ['scan', '/dev/stdin'], ''), '/dev/stdin is not a file or directory', /^ {2}hint: .*`keyfence scan -`/);
  });

  it('scan - --stdin-filename config/.env.development reads a live key as a development file', () => {
    const key = fake.stripeLive();
    const input = `# local settings\nSTRIPE_SECRET_KEY=${key}\n`;
    const json = cli(history.path, ['scan', '-', '--stdin-filename', 'config/.env.development', '--format', 'json'], input);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.environment, f.secret])).toEqual([
      ['stripe-live-secret-key', 'config/.env.development', 2, 19, 'development', `sk_live_…${key.slice(-4)}`],
    ]);
    expect(report.stats).toMatchObject({ files: 1, commits: 0, skipped: 0 });

    const text = cli(history.path, ['scan', '-', '--stdin-filename', 'config/.env.development'], input);
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 1, stderr: '' });
    expect(lines(text.stdout)).toEqual([
      `config/.env.development:2:19  critical  stripe-live-secret-key  Stripe live secret key in a development file: development must use test-mode keys  sk_live_…${key.slice(-4)}`,
      '1 finding (1 critical) in 1 file, T ms',
      '',
    ]);
    expect(json.stdout + text.stdout).not.toContain(key);
  });
});

describe('a reader that stops early (broken pipe)', () => {
  /** A history whose text report is larger than a pipe's buffer (64 KiB), so `head -1` surely breaks the pipe. */
  let big: TempDir;
  beforeAll(() => {
    big = repo();
    big.write('README.md', '# keys\n');
    big.git('add', '-A');
    commit(big, 'base', '2026-01-01T10:00:00Z');
    big.write('config/keys.js', Array.from({ length: 1000 }, (_, i) => `export const key${i} = '${fake.stripeLive()}';\n`).join(''));
    big.git('add', '-A');
    commit(big, 'keys', '2026-01-02T10:00:00Z');
  });

  /**
   * `node dist/cli.js ARGS | READER` through a real shell pipe; node's exit status from PIPESTATUS.
   * `head -1` reads one line and exits; `true` exits before keyfence writes anything, so the first
   * write already finds the pipe closed.
   */
  function piped(cwd: string, args: string[], reader: string): { code: number; stdout: string; stderr: string } {
    const script = `set -o pipefail; node "$0" "$@" | ${reader}; echo "exit=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...ISOLATED_GIT_ENV, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '' }, timeout: 60_000 });
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe('');
    const status = /^exit=(\d+)$/.exec(out.pop() ?? '');
    expect(status).not.toBeNull();
    return { code: Number(status![1]), stdout: out.join('\n'), stderr: r.stderr };
  }

  const cases: Array<{ name: string; args: string[]; code: number; first: RegExp; where: () => TempDir }> = [
    { name: 'keyfence rules', args: ['rules'], code: 0, first: /^[a-z0-9-]+ +(critical|high|medium|low) +[\w-]+ +\S/, where: () => history },
    {
      name: 'keyfence history (1000 findings)',
      args: ['history'],
      code: 1,
      first: /^config\/keys\.js:1:\d+ {2}critical {2}stripe-live-secret-key {2}Stripe live secret key {2}sk_live_…\w{4}$/,
      where: () => big,
    },
    { name: 'keyfence scan --format sarif', args: ['scan', '--format', 'sarif'], code: 1, first: /^\{$/, where: () => big },
  ];

  it.each(cases)('$name | head -1: the first line, no error, the usual exit code', ({ args, code, first, where }) => {
    const run = piped(where().path, args, 'head -1');
    expect(run.stdout).toMatch(first);
    expect(run.stdout.split('\n')).toHaveLength(1);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
  });

  it.each(cases)('$name | a reader gone before the first write: no error, the usual exit code', ({ args, code, where }) => {
    const run = piped(where().path, args, 'true');
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code, stdout: '', stderr: '' });
  });

  it('the history and SARIF reports are larger than a pipe buffer, so `head -1` breaks the pipe', () => {
    expect(cli(big.path, ['history']).stdout.length).toBeGreaterThan(65536);
    expect(cli(big.path, ['scan', '--format', 'sarif']).stdout.length).toBeGreaterThan(65536);
  });
});

describe('--output', () => {
  /** A small repository: two files, one with a live key. */
  let small: TempDir;
  let key: string;
  beforeAll(() => {
    small = repo();
    key = fake.stripeLive();
    small.write('README.md', '# billing\n');
    small.write('src/billing.js', `export const stripe = '${key}';\n`);
    small.write('src/util.js', 'export const id = (x) => x;\n');
    small.git('add', '-A');
    commit(small, 'billing');
  });

  it('naming a directory is one usage error, before the scan starts, and writes nothing', () => {
    const top = readdirSync(small.path).sort();
    const before = readdirSync(join(small.path, 'src')).sort();
    const started = performance.now();
    const run = cli(small.path, ['scan', '--output', 'src']);
    const elapsed = performance.now() - started;
    expectUsageError(run, 'cannot write the report to src: it is a directory', OUTPUT_HINT);
    // Nothing else printed (no report, no summary line): the scan did not run.
    expect(readdirSync(join(small.path, 'src')).sort()).toEqual(before);
    expect(readdirSync(small.path).sort()).toEqual(top);
    expect(elapsed).toBeLessThan(10_000);
  });

  // Root writes anywhere: as root, the run drops the capability that lets it (CAP_DAC_OVERRIDE) with
  // setpriv. Without setpriv a root run cannot be refused, and the case is skipped, saying so.
  const root = process.getuid?.() === 0;
  const setpriv = root && spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search,-fowner', 'true']).status === 0;
  it('in a folder it may not write to is one usage error, before the scan starts', (ctx) => {
    if (root && !setpriv) ctx.skip('running as root, which may write to a 0555 folder, and without setpriv to drop that right');
    const dir = repo();
    dir.write('src/billing.js', `export const stripe = '${key}';\n`);
    dir.write('ro/.keep', '');
    chmodSync(join(dir.path, 'ro'), 0o555);
    const args = ['scan', '-o', 'ro/report.txt'];
    const r = setpriv
      ? spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search,-fowner', process.execPath, CLI, ...args], {
          cwd: dir.path,
          encoding: 'utf8',
          env: { ...process.env, ...ISOLATED_GIT_ENV, NO_COLOR: '1' },
        })
      : spawnSync(process.execPath, [CLI, ...args], { cwd: dir.path, encoding: 'utf8', env: { ...process.env, ...ISOLATED_GIT_ENV, NO_COLOR: '1' } });
    expectUsageError({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, `cannot write the report to ro/report.txt: ${join(dir.path, 'ro')} is not writable`, OUTPUT_HINT);
    expect(readdirSync(join(dir.path, 'ro'))).toEqual(['.keep']);
  });

  it('scan -o report.txt writes the report and one summary line on stderr', () => {
    const run = cli(small.path, ['scan', '-o', 'report.txt']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toEqual(['keyfence: 1 finding (1 critical) in 3 files, T ms; report written to report.txt', '']);
    const report = readFileSync(join(small.path, 'report.txt'), 'utf8');
    expect(report).toMatch(/^src\/billing\.js:1:24 {2}critical {2}stripe-live-secret-key {2}Stripe live secret key {2}sk_live_…\w{4}\n/);
    expect(report).not.toContain(key);
  });
});

describe('audit of a repository with binary and oversized files', () => {
  /**
   * maxFileSize 1000. Commits: base; two binary files; an oversized text file; the binary files
   * removed again (so only the history holds them); a small change.
   */
  let audited: TempDir;
  beforeAll(() => {
    audited = repo();
    audited.write('keyfence.yml', 'maxFileSize: 1000\n');
    audited.write('README.md', '# assets\n');
    audited.git('add', '-A');
    commit(audited, 'base', '2026-01-01T10:00:00Z');
    audited.write('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
    audited.write('assets/blob.bin', Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe, 0]));
    audited.git('add', '-A');
    commit(audited, 'assets', '2026-01-02T10:00:00Z');
    audited.write('data/big.txt', 'x = 1\n'.repeat(400));
    audited.git('add', '-A');
    commit(audited, 'data', '2026-01-03T10:00:00Z');
    audited.git('rm', '-q', '-r', 'assets');
    commit(audited, 'drop assets', '2026-01-04T10:00:00Z');
    audited.write('README.md', '# assets\n\nNone left.\n');
    audited.git('add', '-A');
    commit(audited, 'docs', '2026-01-05T10:00:00Z');
  });

  /** The files the notes say were passed over: the sum of the counts they open with. */
  const skippedInNotes = (notes: string[]) =>
    notes.reduce((sum, note) => sum + Number(/^(?:[\w-]+: )?(\d+) (?:binary files?|files?|submodules?|symlinks?|unmerged paths?) /.exec(note)?.[1] ?? 0), 0);

  it('counts as skipped exactly the files its notes name, every commit, and its own duration', () => {
    const started = performance.now();
    const run = cli(audited.path, ['audit', '--format', 'json']);
    const elapsed = performance.now() - started;
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.notes).toEqual([
      '1 file over maxFileSize not scanned: data/big.txt (2400 bytes)',
      'history: 1 file over maxFileSize not scanned: data/big.txt (added lines over maxFileSize)',
      'history: 2 binary files not scanned: assets/blob.bin, assets/logo.png',
    ]);
    expect(report.stats.skipped).toBe(skippedInNotes(report.notes));
    expect(report.stats.skipped).toBe(4);
    expect(report.stats.commits).toBe(5);
    expect(report.stats.durationMs).toBeGreaterThan(0);
    expect(report.stats.durationMs).toBeLessThanOrEqual(Math.ceil(elapsed));
  });

  // A binary file of the work tree holds no text: neither noted nor counted as skipped.
  it('counts binary files of the work tree only as its notes do', () => {
    const dir = repo();
    dir.write('README.md', '# assets\n');
    dir.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    dir.git('add', '-A');
    commit(dir, 'base');
    const report = JSON.parse(cli(dir.path, ['audit', '--format', 'json']).stdout) as JsonReport;
    expect(report.stats.skipped).toBe(skippedInNotes(report.notes ?? []));
  });

  /**
   * What a terminal showed on stderr, with ESC as `␛`: the progress line (at the first commit, then
   * rewritten at most every 200 ms), then its clearing, and nothing else (the report is elsewhere).
   */
  function expectProgressThenCleared(terminal: string) {
    const visible = terminal.replaceAll('\u001b', '␛');
    expect(visible).toMatch(/^(?:\r␛\[Kkeyfence: [\d,]+ commits?, [\d,]+ commits\/s)+\r␛\[K$/);
    expect(visible).toMatch(/^\r␛\[Kkeyfence: 1 commit, /);
  }

  /**
   * `keyfence audit` with stderr on a terminal: through `script` where it is installed (a real
   * pseudo-terminal), else in-process with a stderr stream that says it is a TTY.
   */
  async function auditOnTerminal(): Promise<{ terminal: string; report: JsonReport }> {
    if (spawnSync('script', ['--version']).status !== 0) {
      const capture = (isTTY: boolean) => {
        const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((stream.text += String(chunk)), done()) }), { text: '', isTTY });
        return stream;
      };
      const stdout = capture(false);
      const stderr = capture(true);
      expect(await main(['audit', '--format', 'json'], { cwd: audited.path, env: { ...process.env, ...ISOLATED_GIT_ENV }, stdout, stderr })).toBe(0);
      return { terminal: stderr.text, report: JSON.parse(stdout.text) as JsonReport };
    }
    // The report goes to a file outside the repository (so the audit does not scan it); stderr stays the terminal.
    const elsewhere = tempDir('keyfence-badinput-out-');
    const out = join(elsewhere.path, 'audit.json');
    try {
      const r = spawnSync('script', ['-qec', `node '${CLI}' audit --format json > '${out}'`, '/dev/null'], {
        cwd: audited.path,
        encoding: 'utf8',
        env: { ...process.env, ...ISOLATED_GIT_ENV, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '' },
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      return { terminal: r.stdout, report: JSON.parse(readFileSync(out, 'utf8')) as JsonReport };
    } finally {
      elsewhere.remove();
    }
  }

  it('on a terminal, shows the progress line on stderr and clears it; the report is unchanged', async () => {
    const { terminal, report } = await auditOnTerminal();
    expectProgressThenCleared(terminal);
    expect({ commits: report.stats.commits, skipped: report.stats.skipped }).toEqual({ commits: 5, skipped: 4 });
  });
});
