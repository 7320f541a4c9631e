import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../src/verification/registry.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { runCliAsync } from './cliRun.js';
import { credentialFor } from './credentials.js';
import { startProviderServer, type ProviderServer, type Reply } from './providerServer.js';

/**
 * Verification that fails (a provider that never answers, a 5xx, nothing listening) is an `error`
 * on the finding: the exit code stays the one the findings decide, and the scan never fails.
 */
let server: ProviderServer;
let repo: TempDir;
let cache: TempDir;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());
afterEach(() => {
  repo?.remove();
  cache?.remove();
});

const github = credentialFor(VERIFIERS.find((v) => v.id === 'github')!, 'failures');
const stripe = credentialFor(VERIFIERS.find((v) => v.id === 'stripe')!, 'failures');

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  verification?: { status: string; reason?: string };
}

const FAILURES: Array<[string, () => Promise<NodeJS.ProcessEnv>, string]> = [
  ['a provider that never answers', async () => ((server.respond = (): Reply => ({ status: 200, hang: true })), { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_VERIFY_TIMEOUT_MS: '300' }), 'timed out'],
  ['a server error', async () => ((server.respond = (): Reply => ({ status: 503, body: 'unavailable' })), { KEYFENCE_VERIFY_BASE_URL: server.url }), 'provider error (HTTP 503)'],
  ['nothing listening', async () => ({ KEYFENCE_VERIFY_BASE_URL: `http://127.0.0.1:${await closedPort()}` }), 'connection refused'],
];

describe('verification failures', () => {
  describe.each(FAILURES)('%s', (_name, failure, reason) => {
    it.each([
      ['medium', 1],
      ['none', 0],
    ] as const)('keep the exit code the findings decide (--fail-on %s)', async (failOn, code) => {
      repo = tempRepo();
      cache = tempDir('keyfence-cache-');
      repo.write('deploy/.env.production', `${github.text}\n${stripe.text}\n`);
      const env = { ...(await failure()), KEYFENCE_CACHE_DIR: cache.path };
      const plain = await runCliAsync(['scan', '--fail-on', failOn, '--format', 'json'], repo.path, env);
      const verified = await runCliAsync(['scan', '--verify', '--fail-on', failOn, '--format', 'json'], repo.path, env);
      expect(plain.code).toBe(code);
      expect(verified.code).toBe(code);
      const before = (JSON.parse(plain.stdout) as { findings: JsonFinding[] }).findings;
      const after = (JSON.parse(verified.stdout) as { findings: JsonFinding[]; notes?: string[] });
      expect(after.findings.map((f) => [f.ruleId, f.severity, f.verification])).toEqual(before.map((f) => [f.ruleId, f.severity, { status: 'error', reason, checkedAt: expect.any(String) }]));
      expect(after.notes).toContain('verification: 2 findings could not be checked (see verification.reason); severities of those are unchanged');
    });
  });

  it('staged never asks a provider unless --verify is given', async () => {
    repo = tempRepo();
    cache = tempDir('keyfence-cache-');
    repo.write('.env.production', `${github.text}\n`);
    repo.git('add', '.env.production');
    server.requests.length = 0;
    server.respond = () => ({ status: 200, body: { login: 'octocat' } });
    const env = { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path };
    const hook = await runCliAsync(['staged', '--format', 'json'], repo.path, env);
    expect(hook.code).toBe(1);
    expect((JSON.parse(hook.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.verification)).toEqual([undefined]);
    expect(server.requests).toEqual([]);
    const asked = await runCliAsync(['staged', '--verify', '--format', 'json'], repo.path, env);
    expect((JSON.parse(asked.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.verification?.status)).toEqual(['live']);
    expect(server.requests.map((r) => r.host)).toEqual(['api.github.com']);
  });

  it('history --verify checks a credential found in commits once', async () => {
    repo = tempRepo();
    cache = tempDir('keyfence-cache-');
    repo.write('.env.production', `${github.text}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'add');
    repo.write('.env.production', 'GITHUB_TOKEN=\n');
    repo.git('commit', '-q', '-am', 'remove');
    server.requests.length = 0;
    server.respond = () => ({ status: 401, body: { message: 'Bad credentials' } });
    const result = await runCliAsync(['history', '--verify', '--format', 'json'], repo.path, { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path });
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.verification?.status])).toEqual([[github.ruleId, 'low', 'invalid']]);
    expect(result.code).toBe(0);
    expect(server.requests.length).toBe(1);
  });
});
