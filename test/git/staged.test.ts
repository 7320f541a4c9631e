import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { commit, expectOneLineError, gitWithInput, keyfence, keyfenceJson } from './gitHelpers.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

const where = (r: { findings: Array<{ file: string; line: number; column: number; ruleId: string }> }) =>
  r.findings.map((f) => [f.file, f.line, f.column, f.ruleId]);
const STRIPE = 'stripe-live-secret-key';

function repoWithBase(files: Record<string, string>): TempDir {
  const repo = tempRepo();
  for (const [name, content] of Object.entries(files)) repo.write(name, content);
  repo.git('add', '-A');
  commit(repo, 'base');
  return repo;
}

describe('keyfence staged', () => {
  it('works before the first commit and blocks with the file, line, redacted value and the way out', () => {
    dir = tempRepo();
    const key = fake.stripeLive();
    dir.write('config/settings.py', `DEBUG = False\n\nSTRIPE_KEY = "${key}"\n`);
    dir.git('add', '-A');
    const result = keyfenceJson(dir.path, ['staged']);
    expect(result.code).toBe(1);
    expect(where(result.report)).toEqual([['config/settings.py', 3, 15, STRIPE]]);
    expect(result.stdout).not.toContain(key);
    expect(result.report.stats).toMatchObject({ files: 1, commits: 0 });
    expect(result.stderr).toContain('keyfence:allow[');
    expect(result.stderr).toContain('git commit --no-verify');

    const text = keyfence(dir.path, ['staged']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^config\/settings\.py:3:15 +critical +stripe-live-secret-key .*sk_live_…/m);
  });

  it('reports nothing when nothing secret is staged, and nothing at all when nothing is staged', () => {
    dir = repoWithBase({ 'a.txt': 'one\n' });
    expect(keyfenceJson(dir.path, ['staged']).report.findings).toEqual([]);
    dir.write('a.txt', 'one\ntwo\n');
    dir.git('add', '-A');
    const result = keyfenceJson(dir.path, ['staged']);
    expect(result.code).toBe(0);
    expect(result.report.findings).toEqual([]);
    expect(result.stderr).toBe('');
  });

  it('scans the index, not the work tree: partial staging and later unstaged edits', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    dir = repoWithBase({ 'app.js': `${lines.join('\n')}\n` });
    const staged = fake.stripeLive();
    const unstaged = fake.stripeLive();
    // In the work tree: a key after line 2 and another after line 25.
    const edited = [...lines.slice(0, 2), `const a = "${staged}";`, ...lines.slice(2, 25), `const b = "${unstaged}";`, ...lines.slice(25)];
    dir.write('app.js', `${edited.join('\n')}\n`);
    // Stage only the first hunk, as `git add -p` would: a patch applied to the index alone.
    const patch = [
      'diff --git a/app.js b/app.js',
      '--- a/app.js',
      '+++ b/app.js',
      '@@ -2,0 +3 @@',
      `+const a = "${staged}";`,
      '',
    ].join('\n');
    gitWithInput(dir, patch, 'apply', '--cached', '--unidiff-zero', '-');
    expect(dir.git('diff', '--cached', '--name-only').trim()).toBe('app.js');
    const result = keyfenceJson(dir.path, ['staged']);
    expect(where(result.report)).toEqual([['app.js', 3, 12, STRIPE]]);

    // A later, unstaged edit of a staged file is not what the commit adds.
    dir.write('app.js', `${lines.join('\n')}\nconst c = "${fake.stripeLive()}";\n`);
    const again = keyfenceJson(dir.path, ['staged']);
    expect(where(again.report)).toEqual([['app.js', 3, 12, STRIPE]]);
  });

  it('reports nothing for a pure rename or a deletion, and only the new line of a renamed, edited file', () => {
    const key = fake.stripeLive();
    const body = Array.from({ length: 12 }, (_, i) => `setting_${i} = ${i}`).join('\n');
    dir = repoWithBase({ 'old.cfg': `${body}\nkey = ${key}\n`, 'doomed.cfg': `key = ${fake.stripeLive()}\n`, 'edit.cfg': `${body}\n` });
    dir.git('mv', 'old.cfg', 'new place.cfg');
    dir.git('rm', '-q', 'doomed.cfg');
    const result = keyfenceJson(dir.path, ['staged']);
    expect(result.code).toBe(0);
    expect(result.report.findings).toEqual([]);

    dir.git('mv', 'edit.cfg', 'edited.cfg');
    dir.write('edited.cfg', `${body}\nadded = ${fake.stripeLive()}\n`);
    dir.git('add', '-A');
    expect(dir.git('diff', '--cached', '-M', '--name-status')).toMatch(/^R\d+\tedit\.cfg\tedited\.cfg$/m);
    expect(where(keyfenceJson(dir.path, ['staged']).report)).toEqual([['edited.cfg', 13, 9, STRIPE]]);
  });

  it('skips binary files and submodules with a note', () => {
    dir = repoWithBase({ 'readme.md': 'hi\n' });
    dir.write('blob.bin', Buffer.concat([Buffer.from(`key=${fake.stripeLive()}\n`), Buffer.from([0, 1, 2, 0])]));
    dir.git('add', '-A');
    const sub = dir.git('rev-parse', 'HEAD').trim();
    dir.git('update-index', '--add', '--cacheinfo', `160000,${sub},vendor/lib`);
    const result = keyfenceJson(dir.path, ['staged']);
    expect(result.code).toBe(0);
    expect(result.report.findings).toEqual([]);
    expect(result.report.notes).toEqual([expect.stringMatching(/^1 binary file not scanned: blob\.bin$/), expect.stringMatching(/^1 submodule not scanned .*: vendor\/lib$/)]);
    expect(result.report.stats.skipped).toBe(2);
  });

  it('names files with spaces, tabs, quotes and non-ASCII characters exactly', () => {
    dir = repoWithBase({ 'a.txt': 'a\n' });
    const names = ['dir with space/my file.txt', 'tab\tname.txt', 'quote "q".txt', 'ключи/日本 é.txt', 'new\nline.txt'];
    for (const name of names) dir.write(name, `x = 1\nkey = ${fake.stripeLive()}\n`);
    dir.git('add', '-A');
    const result = keyfenceJson(dir.path, ['staged']);
    expect(where(result.report).sort()).toEqual(names.map((n) => [n, 2, 7, STRIPE]).sort());
  });

  it('keeps column numbers right in CRLF files', () => {
    dir = repoWithBase({ 'win.ini': '[a]\r\nx=1\r\n' });
    dir.write('win.ini', `[a]\r\nx=1\r\nkey=${fake.stripeLive()}\r\n`);
    dir.git('add', '-A');
    expect(where(keyfenceJson(dir.path, ['staged']).report)).toEqual([['win.ini', 3, 5, STRIPE]]);
  });

  it('classifies an env file by the environment its whole staged text declares', () => {
    dir = repoWithBase({ 'deploy/.env': 'NODE_ENV=production\nPORT=80\n' });
    dir.write('deploy/.env', `NODE_ENV=production\nPORT=80\nSTRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
    dir.git('add', '-A');
    const [finding] = keyfenceJson(dir.path, ['staged']).report.findings;
    expect(finding).toMatchObject({ file: 'deploy/.env', line: 3, environment: 'production' });
  });

  it('lets an inline allow comment through', () => {
    dir = repoWithBase({ 'a.txt': 'a\n' });
    dir.write('fixture.rb', `KEY = "${fake.stripeLive()}" # keyfence:allow[${STRIPE}] documented fake\n`);
    dir.git('add', '-A');
    const result = keyfence(dir.path, ['staged']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('works during a merge: the resolved conflict is what the commit adds, unresolved paths get a note', () => {
    dir = repoWithBase({ 'conf.txt': 'mode = base\n', 'other.txt': 'base\n' });
    dir.git('checkout', '-q', '-b', 'side');
    dir.write('conf.txt', 'mode = side\n');
    dir.write('other.txt', 'side\n');
    dir.git('add', '-A');
    commit(dir, 'side');
    dir.git('checkout', '-q', 'main');
    dir.write('conf.txt', 'mode = main\n');
    dir.write('other.txt', 'main\n');
    dir.git('add', '-A');
    commit(dir, 'main');
    expect(() => dir!.git('merge', '-q', 'side')).toThrow();

    // Both paths unmerged: nothing to scan yet, and the report says so.
    const during = keyfenceJson(dir.path, ['staged']);
    expect(during.code).toBe(0);
    expect(during.report.notes).toEqual([expect.stringMatching(/^2 unmerged paths not scanned: .*conf\.txt/)]);

    const key = fake.stripeLive();
    dir.write('conf.txt', `mode = merged\nkey = ${key}\n`);
    dir.git('add', 'conf.txt');
    const resolved = keyfenceJson(dir.path, ['staged']);
    expect(where(resolved.report)).toEqual([['conf.txt', 2, 7, STRIPE]]);
    expect(resolved.report.notes).toEqual([expect.stringMatching(/^1 unmerged path not scanned: .*other\.txt/)]);
  });

  it('works on a detached HEAD, as during a rebase', () => {
    dir = repoWithBase({ 'a.txt': 'a\n' });
    dir.git('checkout', '-q', '--detach');
    dir.write('a.txt', `a\nkey = ${fake.stripeLive()}\n`);
    dir.git('add', '-A');
    expect(where(keyfenceJson(dir.path, ['staged']).report)).toEqual([['a.txt', 2, 7, STRIPE]]);
  });

  it('runs from a subdirectory with paths relative to the repository root', () => {
    dir = repoWithBase({ 'pkg/a/b.txt': 'x\n' });
    dir.write('pkg/a/b.txt', `x\nkey = ${fake.stripeLive()}\n`);
    dir.git('add', '-A');
    expect(where(keyfenceJson(join(dir.path, 'pkg', 'a'), ['staged']).report)).toEqual([['pkg/a/b.txt', 2, 7, STRIPE]]);
  });

  it('takes its configuration from the root git names, even below a folder that only looks like a repository', () => {
    dir = repoWithBase({ 'keyfence.yml': 'overrides:\n  stripe-live-secret-key:\n    enabled: false\n', 'pkg/a/b.txt': 'x\n' });
    // Not a repository (git passes over an empty .git folder), but the first `.git` above pkg/a.
    dir.write('pkg/.git/.keep', '');
    dir.write('pkg/keyfence.yml', 'failOn: low\n');
    dir.write('pkg/a/b.txt', `x\nkey = ${fake.stripeLive()}\n`);
    dir.git('add', 'pkg/a/b.txt');
    const result = keyfenceJson(join(dir.path, 'pkg', 'a'), ['staged']);
    expect(where(result.report)).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('fails closed outside a repository: exit 2, one line, and the bypass hint', () => {
    const outside = mkdtempSync(join(tmpdir(), 'keyfence-norepo-'));
    try {
      const result = keyfence(outside, ['staged'], { GIT_CEILING_DIRECTORIES: tmpdir() });
      expectOneLineError(result, /^keyfence: not a git repository: /);
      expect(result.stderr).toContain('git commit --no-verify');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('rejects a PATH argument with a usage error', () => {
    dir = tempRepo();
    expectOneLineError(keyfence(dir.path, ['staged', 'src']), /staged takes no PATH/);
  });
});
