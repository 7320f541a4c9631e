/**
 * A verifier asks one provider whether a credential works: one read-only request to a fixed host
 * of that provider, and how to read the answer. Verifiers are data plus two small functions; the
 * runner (runner.ts) sends the request, so no verifier ever opens a connection itself.
 */

/** A finding's value and what is around it, for credentials that come in pairs (AWS, Twilio). */
export interface Candidate {
  ruleId: string;
  /** The raw value the rule found. */
  secret: string;
  /** The source line, when the source kept it. */
  lineText: string;
  /** Values other rules found in the same file (and commit) within a few lines. */
  nearby: ReadonlyArray<{ ruleId: string; secret: string }>;
}

export interface ProbeRequest {
  method: 'GET' | 'POST';
  /** Always `https://` + one of the verifier's `hosts`; the runner refuses anything else. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProbeResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** What the answer says. `identity` never holds the credential. */
export type Outcome =
  | { status: 'live'; identity?: string }
  | { status: 'invalid' | 'revoked'; identity?: string }
  | { status: 'error'; reason: string };

export interface Verifier {
  /** Stable id: names the doc section (docs/verification.md#id) and keys the cache. */
  id: string;
  provider: string;
  /** The rule ids whose findings this verifier checks. */
  rules: readonly string[];
  /** The only hosts a request may go to (printed by `keyfence verify --hosts`). */
  hosts: readonly string[];
  /** The documented endpoint, for the docs and `--hosts`. */
  endpoint: string;
  /** Per-provider timeout (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The value to check (a key id and secret pair, say); undefined when the finding lacks a part of it. */
  credential?(candidate: Candidate): string | undefined;
  request(credential: string): ProbeRequest;
  read(response: ProbeResponse, credential: string): Outcome;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The parsed JSON body, or undefined when it is not JSON. */
export function json(response: ProbeResponse): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return undefined;
  }
}

/** A field of a parsed body by path (`field(body, 'account', 'email')`), when it is a string, number or boolean. */
export function field(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean' ? String(at) : undefined;
}

/** `label value` parts joined by `, `, leaving out the missing ones. */
export function describe(parts: Array<[string, string | undefined]>): string | undefined {
  const text = parts
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([label, v]) => (label ? `${label} ${v}` : v!))
    .join(', ');
  return text || undefined;
}

/**
 * The usual reading of an answer: 2xx live (with `identity` from it), 401 (and 403, unless
 * `forbiddenIsLive`) invalid, 429 and 5xx errors. `revoked` picks the invalid answers that say the
 * credential existed and was revoked or expired.
 */
export function readStatus(
  response: ProbeResponse,
  options: {
    identity?: (body: unknown, response: ProbeResponse) => string | undefined;
    revoked?: (body: unknown, response: ProbeResponse) => boolean;
    forbiddenIsLive?: boolean;
    /** 404 means the credential is unknown (Telegram, Discord webhooks), not a moved endpoint. */
    notFoundIsInvalid?: boolean;
  } = {},
): Outcome {
  const { status } = response;
  const body = json(response);
  if (status >= 200 && status < 300) return { status: 'live', ...withIdentity(options.identity?.(body, response)) };
  if (status === 403 && options.forbiddenIsLive) return { status: 'live', identity: 'valid, but not allowed to read its own details' };
  if (status === 429) return { status: 'error', reason: rateLimited(response) };
  if (status === 401 || status === 403 || (status === 404 && options.notFoundIsInvalid)) return { status: options.revoked?.(body, response) ? 'revoked' : 'invalid' };
  return unexpected(status);
}

/** An answer no rule above covers: a provider error (5xx) or something else unexpected. */
export function unexpected(status: number): Outcome {
  return { status: 'error', reason: status >= 500 ? `provider error (HTTP ${status})` : `unexpected answer (HTTP ${status})` };
}

export function rateLimited(response: ProbeResponse): string {
  const after = response.headers['retry-after'];
  return `rate limited (HTTP ${response.status}${after && /^\d{1,6}$/.test(after) ? `, retry after ${after}s` : ''})`;
}

function withIdentity(identity: string | undefined): { identity?: string } {
  return identity ? { identity } : {};
}

/** `Authorization: Bearer …` plus a JSON Accept header. */
export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, accept: 'application/json', ...extra };
}

/** `Authorization: Basic …` of user:password. */
export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, accept: 'application/json' };
}
