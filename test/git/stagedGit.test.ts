import { afterEach, describe, expect, it } from 'vitest';
import { abandonEarlyStagedGit, STAGED_DIFF_ARGS, stagedGitFor, startStagedGitEarly } from '../../src/sources/stagedGit.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir | undefined;
afterEach(() => {
  abandonEarlyStagedGit();
  dir?.remove();
  dir = undefined;
});

async function readAll(stdout: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdout) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A repository with `lines` staged lines in each of `files` files. */
function staged(files: number, lines: number): TempDir {
  const repo = tempRepo();
  for (let f = 0; f < files; f++) repo.write(`src/file${f}.txt`, Array.from({ length: lines }, (_, i) => `line ${i} of file ${f}\n`).join(''));
  repo.git('add', '.');
  return repo;
}

describe('the hook\'s head start (git started before the program loads)', () => {
  it('hands over the whole diff even when git has exited before anyone reads it', async () => {
    dir = staged(3, 20);
    const expected = dir.git(...STAGED_DIFF_ARGS);
    startStagedGitEarly(dir.path);
    // Wait for git to exit, as it does on a small diff while the hook's code is still loading.
    const early = stagedGitFor(dir.path);
    expect((await early.diff.done).code).toBe(0);
    expect(await readAll(early.diff.stdout)).toBe(expected);
    expect(await early.root).toBe(dir.git('rev-parse', '--show-toplevel').trim());
    // A plain repository's top is read from disk: known before git could answer.
    expect(early.plainRoot).toBe(await early.root);
  });

  it('hands over a diff larger than a pipe holds, which git writes only as it is read', async () => {
    dir = staged(40, 400);
    const expected = dir.git(...STAGED_DIFF_ARGS);
    expect(expected.length).toBeGreaterThan(256 * 1024);
    startStagedGitEarly(dir.path);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const early = stagedGitFor(dir.path);
    expect(await readAll(early.diff.stdout)).toBe(expected);
    expect((await early.diff.done).code).toBe(0);
  });

  it('starts afresh for another folder, and stops the early git it does not use', async () => {
    dir = staged(1, 3);
    const other = staged(2, 2);
    try {
      startStagedGitEarly(other.path);
      const mine = stagedGitFor(dir.path);
      expect(await readAll(mine.diff.stdout)).toBe(dir.git(...STAGED_DIFF_ARGS));
      // Taken once: a second reader starts its own git.
      const again = stagedGitFor(other.path);
      expect(await readAll(again.diff.stdout)).toBe(other.git(...STAGED_DIFF_ARGS));
    } finally {
      other.remove();
    }
  });
});
