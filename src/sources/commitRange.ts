import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { commitSource } from './commitSource.js';
import { resolveCommit, unknownRevision, type Repository } from './repository.js';
import type { StreamSource } from './source.js';

/** A range of commits to scan, as `git log` arguments built from resolved ids only. */
export interface CommitRange {
  revisions: string[];
  /** The resolved head commit of the range. */
  head?: string;
  /** The resolved base commit; absent for a push that created its branch. */
  base?: string;
  /** The range is a pull request's (or a merge queue entry's), from the CI event: its policy is the base's. */
  pullRequest: boolean;
  /** `abc1234..def5678`, for messages. */
  description: string;
  notes: string[];
}

const NULL_SHA = /^0+$/;

interface Endpoints {
  base?: string;
  head: string;
  /** Where the endpoints came from, for error messages. */
  origin: string;
  notes: string[];
  pullRequest?: boolean;
}

/**
 * The commits of `BASE..HEAD` (the commits reachable from HEAD and not from BASE: a pull request's
 * own commits). `BASE...HEAD`, the spelling `git diff` uses for the same question, means the same
 * here; a single revision means `REV..HEAD`. Without an argument the range comes from the GitHub
 * Actions event that started the job, read from $GITHUB_EVENT_PATH: nothing is fetched.
 */
export async function resolveRange(repo: Repository, argument: string | undefined, env: NodeJS.ProcessEnv): Promise<CommitRange> {
  const ends = argument !== undefined ? parseRange(argument) : fromGitHubEvent(env);
  const hint =
    env.GITHUB_ACTIONS === 'true'
      ? 'actions/checkout fetches a single commit by default: give it `fetch-depth: 0` so the range is in the clone'
      : undefined;
  const head = await resolveCommit(repo, ends.head);
  if (!head) throw await unknownRevision(repo, ends.head, hint && `${ends.origin}: ${hint}`);
  if (ends.base === undefined) {
    return { revisions: ['--max-count=1', head], head, description: head.slice(0, 12), notes: ends.notes, pullRequest: false };
  }
  const base = await resolveCommit(repo, ends.base);
  if (!base) throw await unknownRevision(repo, ends.base, hint && `${ends.origin}: ${hint}`);
  const notes = [...ends.notes];
  // An empty range is not a clean one: say which way round it is.
  if (Number((await repo.git.raw(['rev-list', '--count', `${base}..${head}`])).trim()) === 0) {
    const [b, h] = argument !== undefined ? [ends.base, ends.head] : [base.slice(0, 12), head.slice(0, 12)];
    notes.push(
      base === head
        ? `0 commits selected: ${b} and ${h} are the same commit`
        : `0 commits selected: ${h} is an ancestor of ${b}, so ${b}..${h} is empty (reversed? ${h}..${b} holds the commits between them)`,
    );
  }
  return { revisions: [`${base}..${head}`], head, base, description: `${base.slice(0, 12)}..${head.slice(0, 12)}`, notes, pullRequest: ends.pullRequest === true };
}

/** The commits of a range as a source, judged against its head commit. */
export async function rangeSource(repo: Repository, argument: string | undefined, env: NodeJS.ProcessEnv): Promise<StreamSource> {
  return sourceOfRange(repo, await resolveRange(repo, argument, env));
}

export function sourceOfRange(repo: Repository, range: CommitRange): StreamSource {
  return commitSource(repo, range.revisions, range.head, range.notes);
}

function parseRange(argument: string): Endpoints {
  const origin = `range "${argument}"`;
  const dots = argument.includes('...') ? '...' : argument.includes('..') ? '..' : undefined;
  if (!dots) {
    if (!argument) throw new UserError('empty range', 'give BASE..HEAD, e.g. origin/main..HEAD');
    return { base: argument, head: 'HEAD', origin, notes: [] };
  }
  const at = argument.indexOf(dots);
  const base = argument.slice(0, at);
  const head = argument.slice(at + dots.length) || 'HEAD';
  if (!base || head.includes('..')) throw new UserError(`cannot read the range "${argument}"`, 'give BASE..HEAD, e.g. origin/main..HEAD');
  return { base, head, origin, notes: [] };
}

/** The range of the pull request, merge queue entry or push that triggered the workflow run. */
function fromGitHubEvent(env: NodeJS.ProcessEnv): Endpoints {
  const path = env.GITHUB_EVENT_PATH;
  const usage = 'give a range: keyfence diff BASE..HEAD (e.g. origin/main..HEAD)';
  if (!path) throw new UserError('no commit range: none given, and $GITHUB_EVENT_PATH is not set (not in GitHub Actions)', usage);
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`cannot read the GitHub event payload ${path}: ${(error as Error).message.split('\n')[0]}`, usage);
  }
  const event = env.GITHUB_EVENT_NAME ?? 'unknown';
  const origin = `the ${event} event in ${path}`;
  const str = (v: unknown) => (typeof v === 'string' && /^[0-9a-f]{40,64}$/i.test(v) ? v.toLowerCase() : undefined);
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

  const pr = obj(payload.pull_request);
  if (pr) {
    const base = str(obj(pr.base)?.sha);
    const head = str(obj(pr.head)?.sha);
    if (base && head) return { base, head, origin, notes: [], pullRequest: true };
  }
  const group = obj(payload.merge_group);
  if (group) {
    const base = str(group.base_sha);
    const head = str(group.head_sha);
    if (base && head) return { base, head, origin, notes: [], pullRequest: true };
  }
  const before = str(payload.before);
  const after = str(payload.after);
  if (after && !NULL_SHA.test(after)) {
    if (before && !NULL_SHA.test(before)) return { base: before, head: after, origin, notes: [] };
    return {
      head: after,
      origin,
      notes: ['the push created its branch, so it has no base commit: only its newest commit was scanned (give BASE..HEAD to scan more)'],
    };
  }
  throw new UserError(`no commit range in ${origin}: it has neither pull_request base/head nor push before/after`, usage);
}
