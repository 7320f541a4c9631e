import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { streamGit } from '../../src/sources/git.js';
import { LOG_ARGS } from '../../src/sources/gitLog.js';
import { parsePatch, PatchParser, splitGitHeader, unquote, type FileChange, type PatchEvent } from '../../src/sources/patchParser.js';
import { STAGED_DIFF_ARGS } from '../../src/sources/stagedGit.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { commit } from './gitHelpers.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

const files = (events: PatchEvent[]) => events.flatMap((e) => (e.type === 'file' ? [e.file] : []));
const added = (f: FileChange) => f.added.map((text, i) => [f.lineNumbers[i], text]);

/** Runs a patch-producing git command for real and parses its output as it streams. */
async function gitEvents(repo: TempDir, args: string[]): Promise<PatchEvent[]> {
  const stream = streamGit(args, repo.path);
  const parser = new PatchParser();
  for await (const chunk of stream.stdout) parser.write(chunk);
  parser.end();
  const { code, stderr } = await stream.done;
  if (code !== 0) throw new Error(stderr);
  return parser.take();
}

describe('unquote and splitGitHeader', () => {
  it('undoes git C-quoting, octal bytes as UTF-8', () => {
    expect(unquote('"a\\tb\\nc\\"d\\\\e"')).toBe('a\tb\nc"d\\e');
    expect(unquote('"caf\\303\\251 \\346\\227\\245"')).toBe('café 日');
    expect(unquote('plain name')).toBe('plain name');
  });

  it('splits bare, quoted and mixed headers', () => {
    expect(splitGitHeader('a/x y.txt b/x y.txt')).toEqual(['a/x y.txt', 'b/x y.txt']);
    expect(splitGitHeader('"a/t\\tb" "b/t\\tb"')).toEqual(['a/t\tb', 'b/t\tb']);
    expect(splitGitHeader('a/plain "b/t\\tb"')).toEqual(['a/plain', 'b/t\tb']);
    expect(splitGitHeader('a/ b/ b/ b/')).toEqual(['a/ b/', 'b/ b/']);
  });
});

describe('PatchParser on hand-written patches', () => {
  it('numbers added lines as in the new file, across hunks, and ignores removed lines', () => {
    const patch = [
      'diff --git a/src/app.js b/src/app.js',
      'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644',
      '--- a/src/app.js',
      '+++ b/src/app.js',
      '@@ -3 +3,2 @@ function main() {',
      '-old line',
      '+new line three',
      '+new line four',
      '@@ -10,0 +12 @@',
      '+line twelve',
      '',
    ].join('\n');
    const [file] = files(parsePatch(patch));
    expect(file).toMatchObject({ path: 'src/app.js', status: 'modified', kind: 'text', blob: '2222222222222222222222222222222222222222', mode: '100644' });
    expect(added(file!)).toEqual([
      [3, 'new line three'],
      [4, 'new line four'],
      [12, 'line twelve'],
    ]);
  });

  it('reads new, deleted, renamed, copied, mode-only and binary files', () => {
    const patch = [
      'diff --git a/new file.txt b/new file.txt',
      'new file mode 100644',
      'index 0000000..1111111',
      '--- /dev/null',
      '+++ b/new file.txt\t',
      '@@ -0,0 +1 @@',
      '+hello',
      '\\ No newline at end of file',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      'index 1111111..0000000',
      'diff --git a/old name.txt b/new name.txt',
      'similarity index 100%',
      'rename from old name.txt',
      'rename to new name.txt',
      'diff --git a/src.txt b/copy.txt',
      'similarity index 90%',
      'copy from src.txt',
      'copy to copy.txt',
      'index 1111111..2222222 100644',
      '--- a/src.txt',
      '+++ b/copy.txt',
      '@@ -5,0 +6 @@',
      '+copied and changed',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/img.png b/img.png',
      'new file mode 100644',
      'index 0000000..3333333',
      'Binary files /dev/null and b/img.png differ',
    ].join('\n');
    const got = files(parsePatch(patch)).map((f) => ({
      path: f.path,
      oldPath: f.oldPath,
      status: f.status,
      kind: f.kind,
      mode: f.mode,
      added: added(f),
    }));
    expect(got).toEqual([
      { path: 'new file.txt', oldPath: undefined, status: 'added', kind: 'text', mode: '100644', added: [[1, 'hello']] },
      { path: 'gone.txt', oldPath: undefined, status: 'deleted', kind: 'text', mode: '100644', added: [] },
      { path: 'new name.txt', oldPath: 'old name.txt', status: 'renamed', kind: 'text', mode: undefined, added: [] },
      { path: 'copy.txt', oldPath: 'src.txt', status: 'copied', kind: 'text', mode: '100644', added: [[6, 'copied and changed']] },
      { path: 'run.sh', oldPath: undefined, status: 'modified', kind: 'text', mode: '100755', added: [] },
      { path: 'img.png', oldPath: undefined, status: 'added', kind: 'binary', mode: '100644', added: [] },
    ]);
  });

  it('keeps the CR of CRLF lines and treats lines that look like headers as content inside a hunk', () => {
    const patch = 'diff --git a/w.txt b/w.txt\n--- a/w.txt\n+++ b/w.txt\n@@ -1,0 +1,3 @@\n+key=value\r\n+++ b/not-a-header\n+--- a/nor-this\n';
    const [file] = files(parsePatch(patch));
    expect(added(file!)).toEqual([
      [1, 'key=value\r'],
      [2, '++ b/not-a-header'],
      [3, '--- a/nor-this'],
    ]);
  });

  it('counts only lines new against every parent in a combined diff', () => {
    const patch = [
      '\0' + 'a'.repeat(40) + '\0' + 'b'.repeat(40) + ' ' + 'c'.repeat(40) + '\0' + '1767323045' + '\0' + 'Ann Author' + '\0' + 'ann@example.com',
      '',
      'diff --cc "conflict \\303\\251.txt"',
      'index 1111111,2222222..3333333',
      '--- a/conflict é.txt',
      '+++ b/conflict é.txt',
      '@@@ -1,1 -1,1 +1,3 @@@',
      '- from main',
      ' -from side',
      '++resolved by hand',
      ' +kept from side',
      '+ kept from main',
      '@@@ -9,0 -9,0 +10,1 @@@',
      '++evil line',
    ].join('\n');
    const events = parsePatch(patch);
    expect(events[0]).toEqual({
      type: 'commit',
      commit: { sha: 'a'.repeat(40), parents: ['b'.repeat(40), 'c'.repeat(40)], author: 'Ann Author <ann@example.com>', date: '2026-01-02T03:04:05Z' },
    });
    const [file] = files(events);
    expect(file).toMatchObject({ path: 'conflict é.txt', combined: true });
    expect(added(file!)).toEqual([
      [1, 'resolved by hand'],
      [10, 'evil line'],
    ]);
  });

  it('skips submodule changes and reports unmerged paths', () => {
    const patch = [
      '* Unmerged path "both \\"ways\\".txt"',
      'diff --git a/lib/sub b/lib/sub',
      'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 160000',
      '--- a/lib/sub',
      '+++ b/lib/sub',
      '@@ -1 +1 @@',
      '-Subproject commit 1111111111111111111111111111111111111111',
      '+Subproject commit 2222222222222222222222222222222222222222',
      '* Unmerged path after-a-hunk.txt',
    ].join('\n');
    const events = parsePatch(patch);
    expect(events[0]).toEqual({ type: 'unmerged', path: 'both "ways".txt' });
    expect(events[1]).toMatchObject({ type: 'file', file: { path: 'lib/sub', kind: 'submodule', added: [] } });
    expect(events[2]).toEqual({ type: 'unmerged', path: 'after-a-hunk.txt' });
  });

  it('gives the same result however the input is cut, even inside a UTF-8 character', () => {
    const patch = Buffer.from('diff --git a/é.txt b/é.txt\n--- a/é.txt\n+++ b/é.txt\n@@ -0,0 +1,2 @@\n+日本語 ключ\n+last\n', 'utf8');
    const whole = parsePatch(patch);
    for (let size = 1; size <= 7; size++) {
      const parser = new PatchParser();
      for (let i = 0; i < patch.length; i += size) parser.write(patch.subarray(i, i + size));
      parser.end();
      expect(parser.take()).toEqual(whole);
    }
  });

  it('drops the added lines of a file past the size limit, keeping the file in the stream', () => {
    const long = 'x'.repeat(500);
    const patch = `diff --git a/big.txt b/big.txt\n--- a/big.txt\n+++ b/big.txt\n@@ -0,0 +1,3 @@\n+${long}\n+${long}\n+${long}\ndiff --git a/small.txt b/small.txt\n--- a/small.txt\n+++ b/small.txt\n@@ -0,0 +1 @@\n+ok\n`;
    const parser = new PatchParser({ maxFileLength: 800 });
    // One character at a time: the long lines are pending across many writes.
    for (const ch of patch) parser.write(ch);
    parser.end();
    const [big, small] = files(parser.take());
    expect(big).toMatchObject({ path: 'big.txt', truncated: true, added: [] });
    expect(small).toMatchObject({ path: 'small.txt', truncated: false, added: ['ok'] });
  });
});

describe('PatchParser on real git output', () => {
  it('reads names with spaces, tabs, newlines, quotes and non-ASCII, renames, binaries and merges', async () => {
    dir = tempRepo();
    const names = ['plain.txt', 'with space.txt', 'tab\there.txt', 'new\nline.txt', 'quote"d.txt', 'back\\slash.txt', 'café/日本.txt', ' lead and trail ', '-dash.txt'];
    names.forEach((n, i) => dir!.write(n, `first ${i}\nsecond ${i}\n`));
    dir.write('bin.dat', Buffer.from([1, 0, 2, 0, 3]));
    dir.git('add', '-A');
    const first = commit(dir, 'first');
    dir.git('mv', 'with space.txt', 'moved here.txt');
    dir.write('tab\there.txt', 'first 2\ninserted\nsecond 2\n');
    dir.git('add', '-A');
    commit(dir, 'second');
    dir.git('checkout', '-q', '-b', 'side');
    dir.write('side.txt', 'from side\n');
    dir.git('add', '-A');
    commit(dir, 'side');
    dir.git('checkout', '-q', 'main');
    dir.write('main.txt', 'from main\n');
    dir.git('add', '-A');
    commit(dir, 'main');
    dir.git('merge', '-q', '--no-ff', '--no-commit', 'side');
    dir.write('evil.txt', 'added by the merge itself\n');
    dir.git('add', '-A');
    const merge = commit(dir, 'merge');

    const events = await gitEvents(dir, [...LOG_ARGS, 'HEAD']);
    const commits = events.flatMap((e) => (e.type === 'commit' ? [e.commit.sha] : []));
    expect(commits).toHaveLength(5);
    const byCommit = new Map<string, FileChange[]>();
    for (const f of files(events)) byCommit.set(f.commit!.sha, [...(byCommit.get(f.commit!.sha) ?? []), f]);
    // The root commit adds every file, each under its exact name.
    const root = byCommit.get(first)!;
    expect(root.map((f) => f.path).sort()).toEqual([...names, 'bin.dat'].sort());
    for (const [i, n] of names.entries())
      expect(added(root.find((f) => f.path === n)!)).toEqual([
        [1, `first ${i}`],
        [2, `second ${i}`],
      ]);
    expect(root.find((f) => f.path === 'bin.dat')!.kind).toBe('binary');
    // The merge adds only what is new against both parents.
    const mergeFiles = byCommit.get(merge)!;
    expect(mergeFiles.filter((f) => f.added.length).map((f) => [f.path, added(f)])).toEqual([['evil.txt', [[1, 'added by the merge itself']]]]);
    // The pure rename adds nothing; the insertion is numbered in the new file.
    const second = [...byCommit.values()].find((list) => list.some((f) => f.status === 'renamed'))!;
    expect(second.find((f) => f.status === 'renamed')).toMatchObject({ path: 'moved here.txt', oldPath: 'with space.txt', added: [] });
    expect(added(second.find((f) => f.path === 'tab\there.txt')!)).toEqual([[2, 'inserted']]);
  });

  it('is not thrown off by the repository configuration', async () => {
    dir = tempRepo();
    dir.write('a b.txt', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    dir.git('add', '-A');
    commit(dir, 'first');
    for (const [key, value] of [
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.relative', 'true'],
      ['diff.renames', 'false'],
      ['diff.interHunkContext', '10'],
      ['diff.context', '5'],
      ['diff.submodule', 'log'],
      ['diff.suppressBlankEmpty', 'true'],
      ['diff.external', 'false'],
      ['color.ui', 'always'],
      ['core.quotePath', 'true'],
      ['format.pretty', 'fuller'],
      ['log.decorate', 'full'],
      ['log.showRoot', 'false'],
      ['i18n.logOutputEncoding', 'ISO-8859-1'],
    ])
      dir.git('config', key!, value!);
    mkdirSync(join(dir.path, 'sub dir'));
    dir.write('a b.txt', 'one\nTWO\nthree\nfour\nfive\nSIX\n');
    renameSync(join(dir.path, 'a b.txt'), join(dir.path, 'sub dir', 'é b.txt'));
    dir.git('add', '-A');
    const staged = files(await gitEvents({ ...dir, path: join(dir.path, 'sub dir') }, STAGED_DIFF_ARGS));
    expect(staged.map((f) => [f.path, f.status, added(f)])).toEqual([
      [
        'sub dir/é b.txt',
        'renamed',
        [
          [2, 'TWO'],
          [6, 'SIX'],
        ],
      ],
    ]);
  });
});

/** A file name git can store on Linux: anything but NUL and `/`, not `.`, `..` or `.git`. */
const nameChar = fc.constantFrom('a', 'b', 'Z', '0', ' ', '\t', '\n', '"', '\\', '-', '.', 'é', '日', '😀', '\x01', ':', '*', '#');
const fileName = fc
  .array(nameChar, { minLength: 1, maxLength: 10 })
  .map((chars) => chars.join(''))
  .filter((n) => n !== '.' && n !== '..' && n.toLowerCase() !== '.git');
const lineText = fc.array(fc.constantFrom('x', 'y', ' ', '\t', '+', '-', '@', '\\', 'ü', '"', '=', 'k'), { maxLength: 12 }).map((c) => c.join(''));
const fileSpec = fc.record({
  name: fileName,
  inSubdir: fc.boolean(),
  lines: fc.array(lineText, { maxLength: 6 }),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  /** What the second commit does to the file. */
  change: fc.constantFrom('keep', 'insert', 'rename', 'delete'),
  insertAt: fc.nat(),
  inserted: fc.array(lineText, { minLength: 1, maxLength: 3 }),
});

describe('PatchParser property: what git commits is what the parser reads back', () => {
  it('reports exactly the added lines with their new line numbers, for random names and contents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fileSpec, { minLength: 1, maxLength: 5, selector: (f) => `${f.inSubdir}/${f.name}` }), async (specs) => {
        const repo = tempRepo('keyfence-prop-');
        try {
          // Unique lines, so git's diff is unambiguous and the expected additions are known.
          const render = (lines: string[], crlf: boolean, finalNewline: boolean) => {
            const eol = crlf ? '\r\n' : '\n';
            return lines.length ? lines.join(eol) + (finalNewline ? eol : '') : '';
          };
          const pathOf = (s: (typeof specs)[number], i: number, renamed = false) => `${s.inSubdir ? 'dir é/' : ''}${renamed ? `renamed ${i} ` : ''}${s.name}`;
          const contents = specs.map((s, i) => s.lines.map((l, j) => `f${i}l${j} ${l}`));
          specs.forEach((s, i) => repo.write(pathOf(s, i), render(contents[i]!, s.crlf, s.finalNewline)));
          repo.git('add', '-A');
          // The text git shows for line k: with its CR when it ends in CRLF (the last line may not).
          const shown = (lines: string[], k: number, crlf: boolean, finalNewline: boolean) =>
            crlf && (k < lines.length - 1 || finalNewline) ? `${lines[k]}\r` : lines[k]!;
          const expectFirst = new Map(
            specs.map((s, i) => [
              pathOf(s, i),
              contents[i]!.map((_, j) => [j + 1, shown(contents[i]!, j, s.crlf, s.finalNewline)]),
            ]),
          );
          expect(addedByPath(await gitEvents(repo, STAGED_DIFF_ARGS))).toEqual(nonEmpty(expectFirst));
          commit(repo, 'first');

          const expectSecond = new Map<string, Array<[number, string]>>();
          specs.forEach((s, i) => {
            const path = pathOf(s, i);
            const lines = contents[i]!;
            if (s.change === 'delete') rmSync(join(repo.path, path));
            else if (s.change === 'rename' && lines.length >= 2) {
              const to = join(repo.path, pathOf(s, i, true));
              mkdirSync(dirname(to), { recursive: true });
              renameSync(join(repo.path, path), to);
            } else if (s.change === 'insert') {
              const at = s.insertAt % (lines.length + 1);
              const block = s.inserted.map((l, j) => `f${i}new${j} ${l}`);
              const next = [...lines.slice(0, at), ...block, ...lines.slice(at)];
              const finalNewline = s.finalNewline || lines.length === 0;
              writeFileSync(join(repo.path, path), render(next, s.crlf, finalNewline));
              const expected: Array<[number, string]> = block.map((_, j) => [at + j + 1, shown(next, at + j, s.crlf, finalNewline)]);
              // Appending after a last line that had no line break changes that line too.
              if (at === lines.length && lines.length > 0 && !s.finalNewline) {
                expected.unshift([at, shown(next, at - 1, s.crlf, finalNewline)]);
              }
              expectSecond.set(path, expected);
            }
          });
          repo.git('add', '-A');
          expect(addedByPath(await gitEvents(repo, STAGED_DIFF_ARGS))).toEqual(nonEmpty(expectSecond));
          const second = commit(repo, 'second');

          // The same two commits, read back from `git log -p`.
          const log = await gitEvents(repo, [...LOG_ARGS, 'HEAD']);
          const shaOf = (f: FileChange) => f.commit?.sha;
          expect(addedByPath(log.filter((e) => e.type !== 'file' || shaOf(e.file) === second))).toEqual(nonEmpty(expectSecond));
          expect(addedByPath(log.filter((e) => e.type !== 'file' || shaOf(e.file) !== second))).toEqual(nonEmpty(expectFirst));
        } finally {
          repo.remove();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

function addedByPath(events: PatchEvent[]): Map<string, Array<[number, string]>> {
  const out = new Map<string, Array<[number, string]>>();
  for (const f of files(events)) if (f.added.length) out.set(f.path, f.added.map((text, i) => [f.lineNumbers[i]!, text]));
  return out;
}

function nonEmpty(map: Map<string, unknown[][]>): Map<string, Array<[number, string]>> {
  return new Map([...map].filter(([, v]) => v.length > 0)) as Map<string, Array<[number, string]>>;
}
