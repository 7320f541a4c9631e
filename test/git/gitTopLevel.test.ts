import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plainTopLevel } from '../../src/sources/gitTopLevel.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const made: TempDir[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) dir.remove();
});
function repo(): TempDir {
  const dir = tempRepo();
  made.push(dir);
  dir.write('a.txt', 'a\n');
  dir.git('add', '.');
  dir.git('commit', '-qm', 'first');
  return dir;
}
/** What git says, from `cwd` with `env`: the answer plainTopLevel must give whenever it gives one. */
function gitSays(cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
}
const quiet: NodeJS.ProcessEnv = {};

describe('the top of the work tree, read from disk (no git process on a plain commit)', () => {
  it('is the folder git runs a commit hook in, as git reports it', () => {
    const dir = repo();
    expect(plainTopLevel(dir.path, quiet)).toBe(gitSays(dir.path));
  });

  it('resolves symbolic links, as git does', () => {
    const dir = repo();
    const links = tempDir();
    made.push(links);
    const link = join(links.path, 'link');
    symlinkSync(dir.path, link);
    expect(plainTopLevel(link, quiet)).toBe(realpathSync(dir.path));
    expect(plainTopLevel(link, quiet)).toBe(gitSays(link));
  });

  it('leaves to git a subfolder, a linked worktree and a submodule (their .git is a file or above)', () => {
    const dir = repo();
    mkdirSync(join(dir.path, 'sub'));
    expect(plainTopLevel(join(dir.path, 'sub'), quiet)).toBeUndefined();
    const worktree = `${dir.path}-wt`;
    dir.git('worktree', 'add', '-q', worktree);
    try {
      expect(gitSays(worktree)).toBe(realpathSync(worktree));
      expect(plainTopLevel(worktree, quiet)).toBeUndefined();
    } finally {
      dir.git('worktree', 'remove', '--force', worktree);
    }
  });

  it('leaves to git a repository whose config moves the work tree, makes it bare or includes another file', () => {
    for (const [key, value] of [
      ['core.worktree', '/tmp'],
      ['core.bare', 'true'],
      ['include.path', '../other.gitconfig'],
    ] as const) {
      const dir = repo();
      dir.git('config', key, value);
      expect(plainTopLevel(dir.path, quiet)).toBeUndefined();
    }
    const notBare = repo();
    notBare.git('config', 'core.bare', 'false');
    expect(plainTopLevel(notBare.path, quiet)).toBe(gitSays(notBare.path));
  });

  it('leaves to git an environment that points it elsewhere or configures it', () => {
    const dir = repo();
    const other = repo();
    const env = { GIT_DIR: join(other.path, '.git') };
    // git takes the current folder as the work tree of another repository: right, but not plain.
    expect(gitSays(dir.path, env)).toBe(realpathSync(dir.path));
    for (const e of [env, { GIT_WORK_TREE: other.path }, { GIT_COMMON_DIR: join(other.path, '.git') }, { GIT_CONFIG_COUNT: '1' }, { GIT_CONFIG_PARAMETERS: "'core.worktree'='/tmp'" }])
      expect(plainTopLevel(dir.path, e)).toBeUndefined();
    // What git sets for a commit hook (GIT_INDEX_FILE, GIT_PREFIX) and user.name from `git -c` do not count.
    expect(plainTopLevel(dir.path, { GIT_INDEX_FILE: '.git/index', GIT_PREFIX: '', GIT_CONFIG_PARAMETERS: "'user.name'='a'" })).toBe(gitSays(dir.path));
  });

  it('is undefined outside a repository and for a .git folder that is not one', () => {
    const plain = tempDir();
    made.push(plain);
    expect(plainTopLevel(plain.path, quiet)).toBeUndefined();
    mkdirSync(join(plain.path, '.git'));
    expect(plainTopLevel(plain.path, quiet)).toBeUndefined();
  });
});
