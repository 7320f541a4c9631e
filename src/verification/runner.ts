import type { Verification } from '../findings/finding.js';
import type { VerificationCache } from './cache.js';
import { failureReason, type Transport } from './http.js';
import { DEFAULT_TIMEOUT_MS, type Outcome, type Verifier } from './verifier.js';

/** One credential to ask about: which verifier, and the value (or pair) it sends. */
export interface Check {
  verifier: Verifier;
  credential: string;
}

export interface RunnerOptions {
  transport: Transport;
  cache?: VerificationCache | undefined;
  /** Requests in flight at once, over all providers. */
  concurrency?: number;
  /** Requests in flight at once to one provider: fifty keys of one provider must not trip its rate limit. */
  perProvider?: number;
  /** Overrides every verifier's timeout (KEYFENCE_VERIFY_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  now?: () => Date;
}

/** A counting semaphore: at most `limit` holders at once. */
class Limit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Asks about each check once (the same credential found ten times is one request), cached answers
 * first, with bounded concurrency overall and per provider. Never throws: a failure is an `error`
 * with its reason. The answer's identity is dropped should it ever contain the credential.
 */
export async function runChecks(checks: readonly Check[], options: RunnerOptions): Promise<Map<Check, Verification>> {
  const all = new Limit(options.concurrency ?? 4);
  const perProvider = new Map<string, Limit>();
  const now = options.now ?? (() => new Date());
  const asked = new Map<string, Promise<Verification>>();
  const results = new Map<Check, Verification>();

  const ask = async ({ verifier, credential }: Check): Promise<Verification> => {
    const cached = options.cache?.get(verifier.id, credential);
    if (cached) return { ...cached };
    let limit = perProvider.get(verifier.id);
    if (!limit) perProvider.set(verifier.id, (limit = new Limit(options.perProvider ?? 2)));
    const checkedAt = now().toISOString();
    const outcome = await limit.run(() => all.run(() => probe(verifier, credential, options)));
    const verification = toVerification(outcome, credential, checkedAt);
    const { status, identity } = verification;
    options.cache?.set(verifier.id, credential, { status, checkedAt, ...(identity ? { identity } : {}) });
    return verification;
  };

  await Promise.all(
    checks.map(async (check) => {
      const key = `${check.verifier.id}\0${check.credential}`;
      let answer = asked.get(key);
      if (!answer) asked.set(key, (answer = ask(check)));
      results.set(check, await answer);
    }),
  );
  options.cache?.save();
  return results;
}

async function probe(verifier: Verifier, credential: string, options: RunnerOptions): Promise<Outcome> {
  try {
    const timeout = options.timeoutMs ?? verifier.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const response = await options.transport.send(verifier.request(credential), verifier.hosts, timeout);
    return verifier.read(response, credential);
  } catch (error) {
    return { status: 'error', reason: failureReason(error) };
  }
}

function toVerification(outcome: Outcome, credential: string, checkedAt: string): Verification {
  if (outcome.status === 'error') return { status: 'error', reason: outcome.reason, checkedAt };
  const identity = outcome.identity && !leaks(outcome.identity, credential) ? outcome.identity.slice(0, 300) : undefined;
  return { status: outcome.status, ...(identity ? { identity } : {}), checkedAt };
}

/** Whether text holds the credential or any part of a pair (`KEYID:SECRET`) of it. */
function leaks(text: string, credential: string): boolean {
  return [credential, ...credential.split(':')].some((part) => part.length >= 8 && text.includes(part));
}
