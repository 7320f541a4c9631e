import type { SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';
import { gitFailure, notARepository, simpleGitAt } from './git.js';

/** A repository the history and commit-range sources read: found, and checked, by simple-git. */
export interface Repository {
  /** The work tree's top, or the git directory of a bare repository. */
  root: string;
  git: SimpleGit;
  shallow: boolean;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function openRepository(cwd: string): Promise<Repository> {
  const git = await simpleGitAt(cwd);
  let facts: string[];
  try {
    facts = (await git.raw(['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'])).trim().split('\n');
  } catch (error) {
    throw notARepository(cwd, message(error));
  }
  const [bare, shallow, gitDir] = facts;
  let root = gitDir ?? cwd;
  if (bare !== 'true') {
    try {
      root = (await git.revparse(['--show-toplevel'])).trim();
    } catch (error) {
      throw notARepository(cwd, message(error));
    }
  }
  return { root, git: root === cwd ? git : await simpleGitAt(root), shallow: shallow === 'true' };
}

/** The commit `revision` names, as a full id, or undefined when there is none. */
export async function resolveCommit(repo: Repository, revision: string): Promise<string | undefined> {
  try {
    const sha = (await repo.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])).trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error for a revision that does not resolve. For HEAD, git says why: an unborn branch (an
 * empty repository) or a commit that cannot be read (a damaged one).
 */
export async function unknownRevision(repo: Repository, revision: string, hint?: string): Promise<UserError> {
  if (revision === 'HEAD') {
    let stderr = '';
    try {
      await repo.git.raw(['rev-list', '--max-count=1', 'HEAD', '--']);
    } catch (error) {
      stderr = message(error);
    }
    if (stderr === '' || /does not have any commits yet|ambiguous argument 'HEAD'|unknown revision|bad revision 'HEAD'/i.test(stderr))
      return new UserError(`the repository at ${repo.root} has no commits yet`, 'commit something first; `keyfence staged` checks what the first commit would add');
    return gitFailure('rev-list HEAD', stderr, 128, 'the repository may be damaged: run `git fsck` to see which objects are missing or corrupt');
  }
  return new UserError(`unknown revision "${revision}" in ${repo.root}`, hint ?? 'check the name with `git rev-parse --verify`, and fetch it if it only exists on a remote');
}

export async function hasCommits(repo: Repository): Promise<boolean> {
  try {
    return (await repo.git.raw(['rev-list', '-n', '1', '--all'])).trim() !== '';
  } catch {
    return false;
  }
}

/** The note a shallow clone gets: what is missing and what the oldest commit present stands for. */
export const SHALLOW_NOTE =
  'shallow clone: commits before the shallow boundary are not in this clone and were not scanned; the oldest commits present are scanned as adding their whole tree (`git fetch --unshallow` for the full history)';
