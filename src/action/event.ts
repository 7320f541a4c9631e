/**
 * What the Action learns from the workflow run: the event GitHub sent (GITHUB_EVENT_NAME and the
 * payload at GITHUB_EVENT_PATH), the repository, and the mode to run in.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

export const MODES = ['pull-request', 'push', 'audit'] as const;
export type Mode = (typeof MODES)[number];

export interface PullRequestEvent {
  number: number;
  baseSha: string;
  headSha: string;
  /** Commits in the pull request, for fetching enough history in a shallow checkout. */
  commits?: number;
  /** The head branch lives in another repository: the token is read-only, secrets are absent. */
  fromFork: boolean;
  headRepository?: string;
}

export interface RunEvent {
  name: string;
  /** OWNER/REPO of the workflow's repository. */
  repository: string;
  owner: string;
  repo: string;
  pullRequest?: PullRequestEvent;
  push?: { before: string; after: string };
}

const ZERO = /^0+$/;

/** The fields of an event payload the Action reads. Anything may be missing, or of another type. */
interface Payload {
  number?: unknown;
  before?: unknown;
  after?: unknown;
  pull_request?: {
    number?: unknown;
    commits?: unknown;
    base?: { sha?: unknown; repo?: { full_name?: string } | null };
    head?: { sha?: unknown; repo?: { full_name?: string } | null };
  };
}

export function readEvent(env: NodeJS.ProcessEnv): RunEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  let payload: Payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Payload | null) ?? {};
    } catch (error) {
      throw new UserError(`cannot read the event payload at GITHUB_EVENT_PATH: ${(error as Error).message}`);
    }
  }
  const event: RunEvent = { name, repository, owner, repo };
  const pr = payload.pull_request;
  const baseSha = pr?.base?.sha;
  const headSha = pr?.head?.sha;
  if (pr && typeof baseSha === 'string' && typeof headSha === 'string') {
    const headRepository: string | undefined = pr.head?.repo?.full_name;
    const baseRepository: string | undefined = pr.base?.repo?.full_name ?? repository;
    event.pullRequest = {
      number: Number(pr.number ?? payload.number),
      baseSha,
      headSha,
      ...(typeof pr.commits === 'number' ? { commits: pr.commits } : {}),
      // A deleted fork has no head repository: treat it as a fork.
      fromFork: headRepository === undefined || headRepository.toLowerCase() !== String(baseRepository).toLowerCase(),
      ...(headRepository ? { headRepository } : {}),
    };
  }
  if (name === 'push' && typeof payload.after === 'string') event.push = { before: String(payload.before ?? ''), after: payload.after };
  return event;
}

/** The mode input, or the event's natural mode: pull requests, pushes, an audit for anything else. */
export function chooseMode(input: string, event: RunEvent): Mode {
  if (input) {
    if (!MODES.includes(input as Mode)) throw new UserError(`unknown mode "${input}"`, `use one of ${MODES.join(', ')}`);
    const mode = input as Mode;
    if (mode === 'pull-request' && !event.pullRequest) throw new UserError(`mode pull-request needs a pull_request event, not "${event.name}"`);
    if (mode === 'push' && !event.push) throw new UserError(`mode push needs a push event, not "${event.name}"`);
    return mode;
  }
  if (event.pullRequest) return 'pull-request';
  if (event.push) return 'push';
  return 'audit';
}

export function isNewBranchPush(push: { before: string }): boolean {
  return push.before === '' || ZERO.test(push.before);
}
