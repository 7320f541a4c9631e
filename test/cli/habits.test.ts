/**
 * Habits other scanners' users bring (issue #18): report-only runs and custom exit codes, path
 * filters on every scanning command, gitleaks' --branch/--path/--log-opts for history, and
 * `keyfence push` reading the refs git hands the pre-push hook.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, expectOneLineError, ISOLATED_GIT_ENV, type JsonReport } from '../git/gitHelpers.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

/** A path for a remote that is never fetched from: only its remote-tracking ref is set. */
const tempPath = (name: string) => `/nonexistent/${name}`;

const ZERO = '0'.repeat(40);
let repo: TempDir;
const sha: Record<string, string> = {};

function cli(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(args, repo.path, { ...ISOLATED_GIT_ENV, KEYFENCE_SKIP: '', SKIP: '', ...env }, input);
}

/** `file:line` of every finding, sorted, and the exit code. */
function places(args: string[], input?: string): { code: number; places: string[]; report: JsonReport } {
  const result = cli([...args, '--format', 'json'], input);
  if (result.code !== 0 && result.code !== 1) throw new Error(`exit ${result.code}: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as JsonReport;
  return { code: result.code, places: report.findings.map((f) => `${f.file}:${f.line}`).sort(), report };
}

const line = (key: string) => `const stripe = require('stripe')('${key}');\n`;

beforeAll(() => {
  repo = tempRepo('keyfence-habits-');
  repo.write('src/pay.js', line(fake.stripeLive()));
  repo.write('docs/example.js', line(fake.stripeLive()));
  repo.git('add', '-A');
  sha.first = commit(repo, 'first');
  repo.write('vendor/lib.min.js', line(fake.stripeLive()));
  repo.write('src/other.js', `// other\n${line(fake.stripeLive())}`);
  repo.git('add', '-A');
  sha.second = commit(repo, 'second', '2026-01-03T03:04:05Z');
  // A side branch from the first commit, and a remote-tracking ref where origin has the first commit.
  repo.git('branch', 'side', sha.first);
  repo.git('remote', 'add', 'origin', tempPath('keyfence-habits-remote.git'));
  repo.git('update-ref', 'refs/remotes/origin/main', sha.first);
  repo.git('switch', '-q', 'side');
  repo.write('side.js', line(fake.stripeLive()));
  repo.git('add', '-A');
  sha.side = commit(repo, 'side');
  repo.git('switch', '-q', 'main');
});
afterAll(() => repo.remove());

describe('--include / --exclude', { timeout: 180_000 }, () => {
  it.each([
    [[], ['docs/example.js:1', 'src/other.js:2', 'src/pay.js:1', 'vendor/lib.min.js:1']],
    [['--exclude', 'docs'], ['src/other.js:2', 'src/pay.js:1', 'vendor/lib.min.js:1']],
    [['--exclude', '*.min.js', '--exclude', 'docs/'], ['src/other.js:2', 'src/pay.js:1']],
    [['--include', 'src/**'], ['src/other.js:2', 'src/pay.js:1']],
    [['--include', 'src', '--exclude', 'src/other.js'], ['src/pay.js:1']],
    [['--include', '*.js', '--exclude', '*.js'], []],
  ])('scan %j finds exactly %j', (flags, expected) => {
    expect(places(['scan', ...flags]).places).toEqual(expected);
  });

  it('filter history and audit the same way, commits still counted', () => {
    const history = places(['history', '--exclude', 'vendor/**']);
    expect(history.places).toEqual(['docs/example.js:1', 'src/other.js:2', 'src/pay.js:1']);
    expect(history.report.stats.commits).toBe(2);
    expect(places(['history', '--include', 'docs']).places).toEqual(['docs/example.js:1']);
    expect(places(['audit', '--include', 'src/**', '--exclude', 'src/pay.js']).places).toEqual(['src/other.js:2']);
  });

  it('filter staged and diff', () => {
    expect(places(['diff', `${sha.first}..${sha.second}`, '--exclude', 'vendor']).places).toEqual(['src/other.js:2']);
    repo.write('staged/new.js', line(fake.stripeLive()));
    repo.write('staged/skip.js', line(fake.stripeLive()));
    repo.git('add', 'staged');
    try {
      expect(places(['staged', '--exclude', 'staged/skip.js']).places).toEqual(['staged/new.js:1']);
    } finally {
      repo.git('rm', '-q', '--cached', '-r', 'staged');
      repo.git('clean', '-q', '-fd', 'staged');
    }
  });
});

describe('baseline --include / --exclude', { timeout: 180_000 }, () => {
  it('records only the paths in scope, and keeps the entries of the others', () => {
    const out = tempDir('keyfence-habits-baseline-');
    try {
      const file = `${out.path}/baseline.json`;
      const entries = () => (JSON.parse(readFileSync(file, 'utf8')) as { entries: Array<{ file: string }> }).entries.map((e) => e.file).sort();
      expect(cli(['baseline', '--output', file, '--exclude', 'docs']).stdout).toMatch(/: 3 entries \(3 new, 0 kept, 0 removed\)$/m);
      expect(entries()).toEqual(['src/other.js', 'src/pay.js', 'vendor/lib.min.js']);
      expect(cli(['baseline', '--output', file, '--include', 'docs', '--include', 'src']).stdout).toMatch(/: 4 entries \(1 new, 3 kept, 0 removed\)$/m);
      expect(cli(['baseline', '--output', file, '--prune', '--include', 'src/pay.js']).stdout).toMatch(/: 4 entries \(0 new, 4 kept, 0 removed\)$/m);
      expect(entries()).toEqual(['docs/example.js', 'src/other.js', 'src/pay.js', 'vendor/lib.min.js']);
    } finally {
      out.remove();
    }
  });
});

describe('history --branch, --path, --log-opts', { timeout: 180_000 }, () => {
  it.each([
    [['--branch', 'side'], ['docs/example.js:1', 'side.js:1', 'src/pay.js:1']],
    [['--path', 'docs', '--path', 'vendor'], ['docs/example.js:1', 'vendor/lib.min.js:1']],
    [['--log-opts=--all'], ['docs/example.js:1', 'side.js:1', 'src/other.js:2', 'src/pay.js:1', 'vendor/lib.min.js:1']],
    [['--log-opts', 'main~1..main'], ['src/other.js:2', 'vendor/lib.min.js:1']],
    [['--log-opts="--branches=s*" -- "src/"'], ['src/pay.js:1']],
    [['--log-opts=--author=Nobody'], []],
    [['--log-opts=-1'], ['src/other.js:2', 'vendor/lib.min.js:1']],
  ])('history %j finds exactly %j', (flags, expected) => {
    expect(places(['history', ...flags]).places).toEqual(expected);
  });

  it('audit --branch reads that branch\'s history beside the tree', () => {
    expect(places(['audit', '--branch', 'side']).places).toEqual(['docs/example.js:1', 'side.js:1', 'src/other.js:2', 'src/pay.js:1', 'vendor/lib.min.js:1']);
    expect(places(['audit']).places).toHaveLength(5);
  });

  it('refuses --log-opts that change git log\'s output, and unbalanced quotes, with one line', () => {
    for (const bad of ['--stat', '--format=%H', '-p', '--output=/tmp/x', '--pretty=oneline'])
      expectOneLineError(cli(['history', `--log-opts=${bad}`]), new RegExp(`^keyfence: --log-opts: ${bad.split('=')[0]} changes the output of git log, which keyfence reads itself$`));
    expectOneLineError(cli(['history', '--log-opts=--upload-pack=x']), /^keyfence: --log-opts: --upload-pack is not an option that chooses commits$/);
    expectOneLineError(cli(['history', "--log-opts=--author='a b"]), /^keyfence: --log-opts: unbalanced single quote/);
    expectOneLineError(cli(['history', '--branch', 'no-such-branch']), /^keyfence: unknown revision "no-such-branch"/);
  });
});

describe('--fail-on none and --exit-code', { timeout: 180_000 }, () => {
  it('--fail-on none reports every finding and exits 0', () => {
    const result = places(['scan', '--fail-on', 'none']);
    expect(result.code).toBe(0);
    expect(result.places).toHaveLength(4);
  });

  it('--exit-code N is the code for findings; a clean run still exits 0', () => {
    expect(cli(['scan', '--exit-code', '7']).code).toBe(7);
    expect(cli(['history', '--exit-code', '7', '--fail-on', 'none']).code).toBe(0);
    expect(cli(['scan', '--exit-code', '7', '--exclude', '*.js']).code).toBe(0);
    expectOneLineError(cli(['scan', '--exit-code', '2']), /^keyfence: --exit-code 2 would look like an error/);
    expectOneLineError(cli(['scan', '--exit-code', '300']), /^keyfence: --exit-code must be a whole number from 0 to 255 \(got "300"\)$/);
    expectOneLineError(cli(['scan', '--fail-on', 'never']), /^keyfence: unknown severity "never" for --fail-on$/);
  });

  it('failOn: none in keyfence.yml, and a locked failOn refuses none from the command line and from a later file', () => {
    const dir = tempDir('keyfence-failon-none-');
    try {
      dir.write('src/app.js', line(fake.stripeLive()));
      dir.write('keyfence.yml', 'failOn: none\n');
      expect(runCli(['scan', '--no-git'], dir.path).code).toBe(0);
      expect(runCli(['scan', '--no-git', '--fail-on', 'high'], dir.path).code).toBe(1);
      dir.write('policy/org.yml', 'failOn: { severity: high, locked: true }\n');
      dir.write('keyfence.yml', 'extends: ./policy/org.yml\n');
      expectOneLineError(runCli(['scan', '--no-git', '--fail-on', 'none'], dir.path), /^keyfence: --fail-on none would loosen the locked guardrail failOn: high set at policy\/org\.yml:1:\d+/);
      dir.write('keyfence.yml', 'extends: ./policy/org.yml\nfailOn: none\n');
      expectOneLineError(runCli(['scan', '--no-git'], dir.path), /^keyfence: keyfence\.yml:2:\d+: failOn: none loosens the guardrail "failOn: high" locked in policy\/org\.yml/);
    } finally {
      dir.remove();
    }
  });
});

describe('keyfence push', { timeout: 180_000 }, () => {
  it('an update reads the commits between the remote\'s and the pushed one', () => {
    const result = places(['push'], `refs/heads/main ${sha.second} refs/heads/main ${sha.first}\n`);
    expect(result.code).toBe(1);
    expect(result.places).toEqual(['src/other.js:2', 'vendor/lib.min.js:1']);
    expect(result.report.stats.commits).toBe(1);
  });

  it('a new branch (remote sha all zeros) reads only the commits on no remote-tracking ref', () => {
    const result = places(['push'], `refs/heads/side ${sha.side} refs/heads/side ${ZERO}\n`);
    expect(result.places).toEqual(['side.js:1']);
    expect(result.report.stats.commits).toBe(1);
  });

  it('a deleted ref is skipped: alone it scans nothing, beside an update it adds nothing', () => {
    const deleted = places(['push'], `(delete) ${ZERO} refs/heads/old ${sha.first}\n`);
    expect(deleted.code).toBe(0);
    expect(deleted.places).toEqual([]);
    expect(deleted.report.notes).toEqual(['1 deleted ref skipped: a deletion pushes no commits']);
    const both = places(['push'], `(delete) ${ZERO} refs/heads/old ${sha.first}\nrefs/heads/main ${sha.second} refs/heads/main ${sha.first}\n`);
    expect(both.places).toEqual(['src/other.js:2', 'vendor/lib.min.js:1']);
  });

  it('without input, @{upstream}..HEAD; --include and --fail-on apply as everywhere', () => {
    const none = cli(['push']);
    expectOneLineError(none, /^keyfence: push: no refs on standard input, and the current branch has no upstream/);
    repo.git('branch', '--set-upstream-to=origin/main', 'main');
    try {
      const result = places(['push']);
      expect(result.places).toEqual(['src/other.js:2', 'vendor/lib.min.js:1']);
      expect(places(['push', '--include', 'vendor']).places).toEqual(['vendor/lib.min.js:1']);
      expect(places(['push', '--fail-on', 'none']).code).toBe(0);
    } finally {
      repo.git('branch', '--unset-upstream', 'main');
    }
  });

  it('reads the pre-commit framework\'s PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF', () => {
    const result = cli(['push', '--format', 'json'], undefined, { PRE_COMMIT_FROM_REF: sha.first, PRE_COMMIT_TO_REF: sha.second });
    expect((JSON.parse(result.stdout) as JsonReport).findings.map((f) => f.file).sort()).toEqual(['src/other.js', 'vendor/lib.min.js']);
  });

  it('refuses input of another shape, exit 2 with the bypass', () => {
    const result = cli(['push'], 'refs/heads/main HEAD\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyfence: push: standard input line 1 is not "<local ref> <local sha> <remote ref> <remote sha>"\n {2}hint: .*git push --no-verify/);
  });

  it('KEYFENCE_SKIP=1 and SKIP=keyfence skip push and staged with one line, exit 0', () => {
    const input = `refs/heads/main ${sha.second} refs/heads/main ${sha.first}\n`;
    for (const [command, env] of [
      ['push', { KEYFENCE_SKIP: '1' }],
      ['staged', { KEYFENCE_SKIP: '1' }],
      ['push', { SKIP: 'lint,keyfence' }],
      ['staged', { SKIP: 'keyfence' }],
    ] as const) {
      const result = cli([command], input, env);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^keyfence: skipped \((KEYFENCE_SKIP=1|SKIP=.*names keyfence)\): the (staged changes|pushed commits) were not scanned\n$/);
    }
    expect(cli(['push'], input, { KEYFENCE_SKIP: '0' }).code).toBe(1);
  });
});
