import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';

/** The REST client every GitHub call goes through: retries, rate-limit throttling, GHES base URLs. */
const KeyfenceOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof KeyfenceOctokit>;

export interface ClientOptions {
  token: string;
  /** API root, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  baseUrl: string;
  /** Where to say that a rate limit is being waited out. */
  warn?: (message: string) => void;
  /** Longest wait, in seconds, for a rate limit to reset before giving up on a request. */
  maxRateLimitWait?: number;
}

const DEFAULT_API = 'https://api.github.com';

/** The token of `keyfence audit --github`: GITHUB_TOKEN, else GH_TOKEN (the gh CLI's). */
export function tokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/**
 * The API root from `--github-url`, else GITHUB_API_URL (set on Actions runners, GHES included),
 * else api.github.com. A GitHub Enterprise Server web address (https://ghe.example.com) becomes its
 * API root (https://ghe.example.com/api/v3); github.com becomes api.github.com.
 */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flag ?? env.GITHUB_API_URL ?? DEFAULT_API;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`"${raw}" is not a URL`, 'give --github-url as https://HOST (GitHub Enterprise Server) or its API root https://HOST/api/v3');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`--github-url must be an http(s) URL, not ${url.protocol}`);
  const path = url.pathname.replace(/\/+$/, '');
  if (url.hostname === 'github.com' || url.hostname === 'www.github.com') return DEFAULT_API;
  if (path === '' && flag !== undefined && url.hostname !== 'api.github.com') {
    return `${url.origin}/api/v3`;
  }
  return `${url.origin}${path}`;
}

export function createGitHubClient(options: ClientOptions): GitHubClient {
  const maxWait = options.maxRateLimitWait ?? 120;
  const warn = options.warn ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount >= 3 || retryAfter > maxWait) {
        warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: not waiting ${retryAfter}s`);
        return false;
      }
      warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: retrying in ${retryAfter}s`);
      return true;
    };
  return new KeyfenceOctokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: `keyfence/${VERSION}`,
    // Octokit's default logger prints deprecation and request warnings to the console; keyfence
    // reports through notes instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      fallbackSecondaryRateRetryAfter: 60,
    },
    // Server errors are retried with back-off; rate limits (403 with x-ratelimit-remaining 0, and
    // 429) are left to the throttling plugin, which waits as long as GitHub asks.
    retry: { retries: 2, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
}

/**
 * Why a GitHub request failed when GitHub itself is at fault or out of reach: a 5xx answer, a
 * refused connection, a timeout (octokit reports the last two as 500 without a response). These
 * are outages, not verdicts on the token: callers that can do without GitHub note them and go on.
 * Undefined for any other failure.
 */
export function gitHubOutage(error: unknown): string | undefined {
  const e = error as { status?: unknown; message?: unknown; response?: unknown; name?: unknown };
  if (typeof e !== 'object' || e === null || typeof e.status !== 'number' || e.status < 500) return undefined;
  const message = typeof e.message === 'string' && e.message ? e.message.split('\n')[0] : '';
  if (e.response === undefined) return `GitHub could not be reached${e.name === 'AbortError' ? ' in time' : ''}${message ? ` (${message})` : ''}`;
  return `GitHub answered ${e.status}, a server error${message ? ` (its message: ${message})` : ''}`;
}
