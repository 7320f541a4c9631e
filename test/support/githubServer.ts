/**
 * A real HTTP server on 127.0.0.1 standing in for the GitHub REST API. Routes are keyed by the
 * OpenAPI path template ('GET /repos/{owner}/{repo}/environments'); every answer and every request
 * body is validated against GitHub's published description, and problems are collected for the
 * test to assert on. Nothing here reaches beyond loopback.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestProblems, responseProblems, templates } from './openapi.js';

export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Path without the prefix and query, e.g. /repos/o/r/environments. */
  path: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Handler = (req: RecordedRequest, server: GitHubServer) => Answer | Promise<Answer>;

export interface GitHubServer {
  /** API root to hand to keyfence, e.g. http://127.0.0.1:PORT/api/v3. */
  url: string;
  requests: RecordedRequest[];
  /** Schema mismatches of answers and requests; a test asserts this is empty. */
  problems: string[];
  /**
   * Requests for one secret or the public key used to set one (`GET /repos/o/r/actions/secrets/NAME`).
   * keyfence never makes one; `close()` rejects when any was made, so the test fails even when it
   * does not look at `problems`.
   */
  secretRequests: string[];
  routes: Map<string, Handler>;
  on(route: string, handler: Handler | Answer): void;
  close(): Promise<void>;
}

interface Matcher {
  template: string;
  regex: RegExp;
  names: string[];
}

let matchers: Matcher[] | undefined;
function match(path: string): { template: string; params: Record<string, string> } | undefined {
  matchers ??= templates()
    .map((template) => {
      const names: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      });
      return { template, names, regex: new RegExp(`^${source}$`) };
    })
    // Literal segments win over parameters: /pulls/comments/{id} before /pulls/{pull_number}/...
    .sort((a, b) => a.names.length - b.names.length);
  for (const m of matchers) {
    const hit = m.regex.exec(path);
    if (hit) return { template: m.template, params: Object.fromEntries(m.names.map((n, i) => [n, decodeURIComponent(hit[i + 1]!)])) };
  }
  return undefined;
}

export async function startGitHubServer(prefix = '/api/v3'): Promise<GitHubServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const secretRequests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      const found = match(path);
      const body = text ? safeJson(text) : undefined;
      const recorded: RecordedRequest = { method, path, template: found?.template ?? '?', params: found?.params ?? {}, query: url.searchParams, headers: req.headers, body };
      requests.push(recorded);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const json = payload === undefined ? '' : JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...headers });
        res.end(json);
      };
      if (!found) {
        problems.push(`${method} ${path}: not an endpoint of GitHub's REST API`);
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      }
      if (['POST', 'PUT', 'PATCH'].includes(method)) problems.push(...requestProblems(method, found.template, body));
      // keyfence reads secrets' names and dates from the lists; one secret's endpoint, or the public
      // key used to set a value, is never its business, whatever a test answers there.
      if (/\/secrets\/(public-key|\{secret_name\})$/.test(found.template)) {
        problems.push(`${method} ${found.template}: keyfence must not touch a single secret or its public key`);
        secretRequests.push(`${method} ${path}`);
      }
      const handler = routes.get(`${method} ${found.template}`);
      if (!handler) {
        problems.push(`${method} ${found.template}: no handler in this test`);
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      }
      try {
        const answer = await handler(recorded, self);
        const status = answer.status ?? 200;
        // Rate-limit answers are not documented per operation; everything else must match.
        if (!answer.headers?.['x-ratelimit-remaining'] && !answer.headers?.['retry-after']) problems.push(...responseProblems(method, found.template, status, answer.body));
        send(status, answer.body, answer.headers);
      } catch (error) {
        problems.push(`${method} ${found.template}: handler threw ${(error as Error).stack}`);
        send(500, { message: 'test handler failed' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const self: GitHubServer = {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    problems,
    routes,
    on(route, handler) {
      if (!templates().includes(route.split(' ')[1]!)) throw new Error(`${route} is not in GitHub's OpenAPI description`);
      routes.set(route, typeof handler === 'function' ? handler : () => handler);
    },
    secretRequests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (secretRequests.length > 0) throw new Error(`the GitHub server was asked for a secret or its public key: ${secretRequests.join(', ')}`);
    },
  };
  return self;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A GitHub error body, as `basic-error` describes it. */
export function githubError(status: number, message: string): Answer {
  return { status, body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) } };
}

/** Splits a list into pages and answers with GitHub's Link header, as the REST API paginates. */
export function paginated<T>(items: T[], perPage: number, wrap: (page: T[]) => unknown): Handler {
  return (req, server) => {
    const page = Number(req.query.get('page') ?? '1');
    const per = Math.min(Number(req.query.get('per_page') ?? String(perPage)), perPage);
    const last = Math.max(1, Math.ceil(items.length / per));
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(p));
      return `<${server.url}${req.path}?${q}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {};
    return { body: wrap(items.slice((page - 1) * per, page * per)), headers };
  };
}
