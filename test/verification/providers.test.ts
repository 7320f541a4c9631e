import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/verification/http.js';
import { VERIFIERS } from '../../src/verification/registry.js';
import { runChecks } from '../../src/verification/runner.js';
import type { Verifier } from '../../src/verification/verifier.js';
import { credentialFor, RULE_IDS } from './credentials.js';
import { ANSWERS } from './providerAnswers.js';
import { startProviderServer, type ProviderServer } from './providerServer.js';

let server: ProviderServer;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());

async function check(verifier: Verifier, credential: string) {
  const transport = createTransport({ KEYFENCE_VERIFY_BASE_URL: server.url });
  try {
    const check = { verifier, credential };
    return (await runChecks([check], { transport, now: () => new Date('2026-12-01T10:00:00Z') })).get(check)!;
  } finally {
    await transport.close();
  }
}

/** `GET https://host/path…` of the verifier's documented endpoint: method and path prefix up to the first placeholder. */
function documented(verifier: Verifier, credential: string): { method: string; path: string } {
  const request = verifier.request(credential);
  const url = new URL(request.url);
  return { method: request.method, path: `${url.pathname}${url.search}` };
}

describe('the verifiers', () => {
  it('cover at least 20 providers, each with recorded answers and rules that exist', () => {
    expect(VERIFIERS.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(ANSWERS).sort()).toEqual(VERIFIERS.map((v) => v.id).sort());
    const missing = VERIFIERS.flatMap((v) => v.rules.filter((r) => !RULE_IDS.has(r)).map((r) => `${v.id}: ${r}`));
    expect(missing).toEqual([]);
  });

  describe.each(VERIFIERS.map((v) => [v.id, v] as const))('%s', (_id, verifier) => {
    const answers = ANSWERS[verifier.id]!;
    const { credential } = credentialFor(verifier);

    it('reads a success as live, with the identity, asking the documented endpoint once', async () => {
      server.requests.length = 0;
      server.respond = () => answers.live;
      const result = await check(verifier, credential);
      expect(result).toEqual({ status: 'live', ...(answers.identity ? { identity: answers.identity } : {}), checkedAt: '2026-12-01T10:00:00.000Z' });
      expect(server.requests.length).toBe(1);
      const seen = server.requests[0]!;
      expect(verifier.hosts).toContain(seen.host);
      expect({ method: seen.method, path: seen.path }).toEqual(documented(verifier, credential));
      expect(verifier.endpoint).toContain(seen.host);
    });

    it('reads an unknown credential as invalid', async () => {
      server.respond = () => answers.invalid;
      expect((await check(verifier, credential)).status).toBe('invalid');
    });

    // Only where the provider's answer tells a revoked credential from one it never issued.
    if (answers.revoked)
      it('reads a revoked or expired credential as revoked', async () => {
        server.respond = () => answers.revoked!;
        expect((await check(verifier, credential)).status).toBe('revoked');
      });

    it('reads a rate limit as an error that says so', async () => {
      server.respond = () => answers.rateLimited;
      const result = await check(verifier, credential);
      expect(result.status).toBe('error');
      expect(result.reason).toMatch(/^rate limited \(HTTP (429|403|400)/);
    });

    it('reads a server error as an error', async () => {
      server.respond = () => ({ status: 503, body: 'upstream unavailable' });
      expect(await check(verifier, credential)).toEqual({ status: 'error', reason: 'provider error (HTTP 503)', checkedAt: '2026-12-01T10:00:00.000Z' });
    });
  });
});
