import { EnvHttpProxyAgent, fetch, type Dispatcher } from 'undici';
import { UserError } from '../errors.js';
import type { ProbeRequest, ProbeResponse } from './verifier.js';

/**
 * Sends a verifier's request: HTTPS to one of its hosts only, through the proxy the environment
 * names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY: Node 20's own fetch ignores them, undici's
 * EnvHttpProxyAgent does not), never following a redirect, with a timeout. Failures come back as
 * a short reason that never quotes the URL (a Telegram token sits in its path).
 */

/** For tests only: send every request to this loopback server instead, as `BASE/HOST/PATH`. */
const BASE_URL_VARIABLE = 'KEYFENCE_VERIFY_BASE_URL';
const MAX_BODY = 256 * 1024;

class RefusedHost extends Error {}

export interface Transport {
  send(request: ProbeRequest, hosts: readonly string[], timeoutMs: number): Promise<ProbeResponse>;
  close(): Promise<void>;
}

/** The test redirect, checked: only a loopback host is accepted, so it can never send a credential elsewhere. */
export function testBaseUrl(env: NodeJS.ProcessEnv): URL | undefined {
  const value = env[BASE_URL_VARIABLE];
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${BASE_URL_VARIABLE}="${value}" is not a URL`, `it is for tests only: unset it, or give http://127.0.0.1:PORT`);
  }
  if (!isLoopback(url.hostname) || !['http:', 'https:'].includes(url.protocol))
    throw new UserError(`${BASE_URL_VARIABLE} must point at a loopback address (127.0.0.1, ::1, localhost), not ${url.host}`, 'it is for tests only: unset it');
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Where the request may go: https, one of `hosts`, no credentials or port in the URL. */
export function checkTarget(request: ProbeRequest, hosts: readonly string[]): URL {
  const url = new URL(request.url);
  if (url.protocol !== 'https:' || !hosts.includes(url.hostname) || url.port !== '' || url.username !== '' || url.password !== '')
    throw new RefusedHost(`refused: ${url.protocol}//${url.hostname} is not on the verifier's host list`);
  return url;
}

export function createTransport(env: NodeJS.ProcessEnv): Transport {
  const base = testBaseUrl(env);
  const dispatcher: Dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.HTTP_PROXY ?? env.http_proxy ?? '',
    httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy ?? '',
    noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
  });
  return {
    async send(request, hosts, timeoutMs) {
      const url = checkTarget(request, hosts);
      const target = base ? new URL(`${base.origin}/${url.hostname}${url.pathname}${url.search}`) : url;
      const response = await fetch(target, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
      const text = await response.text();
      return { status: response.status, headers, body: text.slice(0, MAX_BODY) };
    },
    close: () => dispatcher.close(),
  };
}

/** A failure as a short reason: never the error's message, which may quote the URL. */
export function failureReason(error: unknown): string {
  if (error instanceof RefusedHost) return error.message;
  const e = error as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.cause?.name === 'TimeoutError') return 'timed out';
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found (DNS)';
  if (typeof code === 'string' && /^[A-Z_]{3,40}$/.test(code)) return `network error (${code})`;
  return 'network error';
}
