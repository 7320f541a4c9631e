import { createRequesterFn, type FormattedResponse, type RequestHandlerFn, type RequestOptions, type ResourceOptions } from '@gitbeaker/requester-utils';
import { Gitlab, GitbeakerRequestError } from '@gitbeaker/rest';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';

/**
 * The REST client every GitLab call goes through: @gitbeaker/rest's resources over a request
 * handler of keyfence's own, which waits out rate limits the way GitLab asks (`Retry-After`, else
 * `RateLimit-Reset`) instead of gitbeaker's default of ten immediate retries, retries a server error
 * twice, and says what it waits for.
 */
export type GitLabClient = InstanceType<typeof Gitlab<false>>;

export interface ClientOptions {
  token: string;
  /** The instance's web address, e.g. https://gitlab.com or https://gitlab.example.com/gitlab. */
  baseUrl: string;
  /** Where to say that a rate limit is being waited out. */
  warn?: (message: string) => void;
  /** Longest wait, in seconds, for a rate limit to reset before giving up on a request. */
  maxRateLimitWait?: number;
}

const DEFAULT_URL = 'https://gitlab.com';

/** The token of `keyfence audit --gitlab`: GITLAB_TOKEN. */
export function gitLabTokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITLAB_TOKEN || undefined;
}

/**
 * The instance's address from `--gitlab-url`, else CI_SERVER_URL (set in GitLab CI jobs), else
 * gitlab.com. An API root (`…/api/v4`) is taken back to the instance: the client adds it.
 */
export function resolveGitLabUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flag ?? env.CI_SERVER_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`"${raw}" is not a URL`, 'give --gitlab-url as https://HOST, the address of the GitLab instance');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`--gitlab-url must be an http(s) URL, not ${url.protocol}`);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  return `${url.origin}${path}`;
}

/** What a failed GitLab request tells: its status, headers and GitLab's message. */
export interface GitLabFailure {
  status: number | undefined;
  headers: Headers | undefined;
  message: string;
  /** GitLab's `scope` in an `insufficient_scope` answer: the scopes the endpoint accepts. */
  scope?: string;
}

export function gitLabFailure(error: unknown): GitLabFailure {
  if (error instanceof GitbeakerRequestError) {
    const cause = error.cause as { response?: Response; description?: string; scope?: string } | undefined;
    return {
      status: cause?.response?.status,
      headers: cause?.response?.headers,
      message: cause?.description ?? error.message,
      ...(cause?.scope ? { scope: cause.scope } : {}),
    };
  }
  const e = error as { name?: string; message?: string };
  const timeout = e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.name === 'GitbeakerTimeoutError';
  return { status: undefined, headers: undefined, message: timeout ? 'no answer in time' : (e?.message ?? String(error)) };
}

/** Seconds GitLab asks to wait before the next request: `Retry-After`, else until `RateLimit-Reset`. */
function waitSeconds(headers: Headers, now: number): number | undefined {
  const after = headers.get('retry-after');
  if (after !== null && /^\d+$/.test(after.trim())) return Number(after);
  if (after !== null) {
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) - Math.floor(now / 1000));
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function parseBody(response: Response): Promise<FormattedResponse['body']> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return ((await response.json()) as FormattedResponse['body']) ?? {};
  return response.text();
}

async function failure(request: Request, response: Response): Promise<never> {
  const text = await response.text();
  let description = text;
  let scope: string | undefined;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) {
    try {
      const body = JSON.parse(text) as { message?: unknown; error?: unknown; error_description?: unknown; scope?: unknown };
      const said = body.error_description ?? body.message ?? body.error ?? '';
      description = typeof said === 'string' ? said : JSON.stringify(said);
      if (typeof body.scope === 'string') scope = body.scope;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  throw new GitbeakerRequestError(description, { cause: { description, request, response, ...(scope ? { scope } : {}) } });
}

function requestHandler(warn: (m: string) => void, maxWait: number): RequestHandlerFn {
  return async (endpoint, options = {}) => {
    const { prefixUrl, searchParams, method, headers, body, signal } = options as {
      prefixUrl?: string;
      searchParams?: string;
      method?: string;
      headers?: Record<string, string>;
      body?: RequestInit['body'];
      signal?: AbortSignal;
    };
    const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : undefined;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    const shown = `${method ?? 'GET'} ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      const request = new Request(url, { method: method ?? 'GET', headers: { 'user-agent': `keyfence/${VERSION}`, ...headers }, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}) });
      const response = await fetch(request);
      if (response.ok) {
        return { body: await parseBody(response), headers: Object.fromEntries(response.headers.entries()), status: response.status };
      }
      if (response.status === 429) {
        const wait = waitSeconds(response.headers, Date.now()) ?? 60;
        if (attempt >= 3 || wait > maxWait) {
          warn(`GitLab rate limit on ${shown}: not waiting ${wait}s`);
          return failure(request, response);
        }
        warn(`GitLab rate limit on ${shown}: retrying in ${wait}s`);
        await response.body?.cancel();
        await sleep(wait * 1000);
        continue;
      }
      if ((response.status === 502 || response.status === 503) && attempt < 2) {
        await response.body?.cancel();
        await sleep(250 * 2 ** attempt);
        continue;
      }
      return failure(request, response);
    }
  };
}

export function createGitLabClient(options: ClientOptions): GitLabClient {
  const warn = options.warn ?? (() => {});
  const passOptions = (_service: ResourceOptions, requestOptions: RequestOptions) => Promise.resolve(requestOptions);
  const requesterFn = createRequesterFn(passOptions, requestHandler(warn, options.maxRateLimitWait ?? 120));
  return new Gitlab({
    host: options.baseUrl.replace(/\/+$/, ''),
    token: options.token,
    requesterFn,
    // GitLab's own limits are waited out above; gitbeaker's client-side limiter would only slow down.
    rateLimits: {},
    queryTimeout: 60_000,
  });
}
