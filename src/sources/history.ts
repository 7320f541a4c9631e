import { UserError } from '../errors.js';
import { commitSource } from './commitSource.js';
import { hasCommits, resolveCommit, unknownRevision, type Repository } from './repository.js';
import type { LogOptions } from './logOptions.js';
import type { StreamSource } from './source.js';

export interface HistoryOptions {
  /** Every ref (branches, tags, remotes, stash), not only HEAD. */
  all: boolean;
  /** Only commits more recent than this date (checked by parseGitDate). */
  since?: string | undefined;
  /** Only commits older than this date. */
  until?: string | undefined;
  maxCount?: number | undefined;
  /** --branch: the history of this revision instead of HEAD. */
  branch?: string | undefined;
  /** --path: only commits that touch these paths, and only their changes there. */
  paths?: string[] | undefined;
  /** --log-opts, checked by parseLogOptions. */
  logOptions?: LogOptions | undefined;
}

/**
 * The `git log` arguments for the history to scan: every commit reachable from HEAD (or from every
 * ref with `all`), newest first. A detached HEAD is fine (CI checks out commits, not branches); an
 * unborn one means there is nothing to scan.
 */
async function historyRevisions(repo: Repository, options: HistoryOptions): Promise<{ revisions: string[]; head: string | undefined }> {
  const log = options.logOptions;
  const paths = [...(options.paths ?? []), ...(log?.paths ?? [])];
  const limits = [
    ...(options.since !== undefined ? [`--since=${options.since}`] : []),
    ...(options.until !== undefined ? [`--until=${options.until}`] : []),
    ...(options.maxCount !== undefined ? [`--max-count=${options.maxCount}`] : []),
    ...(log?.options ?? []),
  ];
  const pathspec = paths.length ? ['--', ...paths] : [];
  if (options.all || log?.revisions.length) {
    if (!(await hasCommits(repo))) throw new UserError(`the repository at ${repo.root} has no commits yet`, 'there is no history to scan');
    const selected = [...(options.all ? ['--all'] : []), ...(options.branch !== undefined ? [await branchCommit(repo, options.branch)] : []), ...(log?.revisions ?? [])];
    return { revisions: [...limits, ...selected, ...pathspec], head: await resolveCommit(repo, 'HEAD') };
  }
  const revision = options.branch ?? 'HEAD';
  const head = options.branch !== undefined ? await branchCommit(repo, options.branch) : await resolveCommit(repo, 'HEAD');
  if (!head) throw await unknownRevision(repo, revision);
  return { revisions: [...limits, head, ...pathspec], head };
}

/** --branch: a branch, tag or commit, resolved (so nothing git reads as an option reaches git log). */
async function branchCommit(repo: Repository, branch: string): Promise<string> {
  const sha = await resolveCommit(repo, branch);
  if (!sha) throw await unknownRevision(repo, branch);
  return sha;
}

/** `--max-count` as given on the command line: a whole number, at least 1. */
export function parseMaxCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`--max-count must be a whole number of commits, at least 1 (got "${value}")`);
  return Number(value);
}

/**
 * The history as a source: judged against HEAD, whose tree holds the workflow files and config
 * files as they are now. A window (--since, --until) that holds no commit says so, and why.
 */
export async function historySource(repo: Repository, options: HistoryOptions): Promise<StreamSource> {
  const { revisions, head } = await historyRevisions(repo, options);
  const notes: string[] = [];
  if (options.since !== undefined || options.until !== undefined) {
    const count = Number((await repo.git.raw(['rev-list', '--count', ...revisions])).trim());
    if (count === 0) {
      const window = [options.since !== undefined ? `newer than ${options.since}` : '', options.until !== undefined ? `older than ${options.until}` : ''].filter(Boolean).join(' and ');
      notes.push(`0 commits selected: no commit ${options.all ? 'of any ref' : 'reachable from HEAD'} is ${window}`);
    }
  }
  return commitSource(repo, revisions, head, notes);
}
