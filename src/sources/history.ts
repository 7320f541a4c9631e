import { UserError } from '../errors.js';
import { hasCommits, resolveCommit, unknownRevision, type Repository } from './repository.js';

export interface HistoryOptions {
  /** Every ref (branches, tags, remotes, stash), not only HEAD. */
  all: boolean;
  /** Only commits more recent than this date (any date `git log --since` reads). */
  since?: string;
  maxCount?: number;
}

/**
 * The `git log` arguments for the history to scan: every commit reachable from HEAD (or from every
 * ref with `all`), newest first. A detached HEAD is fine (CI checks out commits, not branches); an
 * unborn one means there is nothing to scan.
 */
export async function historyRevisions(repo: Repository, options: HistoryOptions): Promise<string[]> {
  const limits = [
    ...(options.since !== undefined ? [`--since=${options.since}`] : []),
    ...(options.maxCount !== undefined ? [`--max-count=${options.maxCount}`] : []),
  ];
  if (options.all) {
    if (!(await hasCommits(repo))) throw new UserError(`the repository at ${repo.root} has no commits yet`, 'there is no history to scan');
    return [...limits, '--all'];
  }
  const head = await resolveCommit(repo, 'HEAD');
  if (!head) throw await unknownRevision(repo, 'HEAD');
  return [...limits, head];
}

/** `--max-count` as given on the command line: a whole number, at least 1. */
export function parseMaxCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`--max-count must be a whole number of commits, at least 1 (got "${value}")`);
  return Number(value);
}
