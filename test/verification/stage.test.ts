import { statSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileRule } from '../../src/engine/compiledRule.js';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { Scanner } from '../../src/engine/scanner.js';
import { VerificationCache, CACHE_TTL_MS } from '../../src/verification/cache.js';
import { verifyFindings } from '../../src/verification/stage.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { exampleTexts } from './credentials.js';
import { ANSWERS } from './providerAnswers.js';
import { startProviderServer, type ProviderServer } from './providerServer.js';

const scanner = new Scanner(loadRuleDirectory(new URL('../../rules', import.meta.url).pathname).map(({ spec, origin }) => compileRule(spec, origin)));

let server: ProviderServer;
let cache: TempDir;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());
afterEach(() => cache?.remove());

describe('the verification stage', () => {
  it('pairs an AWS key id with the secret a few lines below and asks STS once, signed with SigV4', async () => {
    cache = tempDir('keyfence-cache-');
    const text = exampleTexts('aws-secret-key-beside-key-id', 'stage')[0]!.text;
    const findings = scanner.scan({ file: 'terraform/main.tf', text }, 'production');
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-key-beside-key-id']);
    const keyId = findings.find((f) => f.ruleId === 'aws-access-key-id')!.secret;
    server.requests.length = 0;
    server.respond = () => ANSWERS.aws!.live;
    const env = { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path };
    const { findings: out } = await verifyFindings(findings, { env, onlyVerified: false });
    expect(out.map((f) => [f.ruleId, f.severity, f.verification?.status, f.verification?.identity])).toEqual(
      findings.map((f) => [f.ruleId, 'critical', 'live', ANSWERS.aws!.identity]),
    );
    expect(server.requests.length).toBe(1);
    const [request] = server.requests;
    expect([request!.host, request!.method, request!.path, request!.body]).toEqual(['sts.amazonaws.com', 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15']);
    expect(request!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${keyId}/\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$`));
    expect(request!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    // The secret itself never travels.
    const secret = findings.find((f) => f.ruleId === 'aws-secret-key-beside-key-id')!.secret;
    expect(request!.text).not.toContain(secret);
  });

  it('leaves a lone AWS key id unknown, saying the other half is missing, and asks nobody', async () => {
    cache = tempDir('keyfence-cache-');
    const text = exampleTexts('aws-access-key-id', 'stage')[0]!.text;
    const findings = scanner.scan({ file: 'app/settings.py', text }, 'production');
    expect(findings.map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
    server.requests.length = 0;
    const env = { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path };
    const { findings: out, notes } = await verifyFindings(findings, { env, onlyVerified: false });
    expect(out.map((f) => [f.severity, f.verification])).toEqual([[findings[0]!.severity, { status: 'unknown', reason: 'the other part of the credential was not found nearby' }]]);
    expect(notes).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('refuses a test redirect off loopback before anything is sent', async () => {
    await expect(verifyFindings([], { env: { KEYFENCE_VERIFY_BASE_URL: 'https://api.github.com' }, onlyVerified: false })).rejects.toThrow(
      'KEYFENCE_VERIFY_BASE_URL must point at a loopback address (127.0.0.1, ::1, localhost), not api.github.com',
    );
  });
});

describe('the cache', () => {
  it('keeps answers a day under keyed hashes in a private file, and never errors', () => {
    cache = tempDir('keyfence-cache-');
    let now = Date.parse('2026-12-01T10:00:00Z');
    const store = new VerificationCache(cache.path, 'providers', () => now);
    store.set('github', 'credential-one-value', { status: 'live', identity: 'login octocat', checkedAt: new Date(now).toISOString() });
    store.set('github', 'credential-two-value', { status: 'error', checkedAt: new Date(now).toISOString() });
    store.save();
    const files = readdirSync(cache.path).sort();
    expect(files).toEqual(['verification-v1.json', 'verification.key']);
    for (const f of files) {
      expect(statSync(join(cache.path, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(cache.path, f), 'utf8')).not.toContain('credential-');
    }
    const again = new VerificationCache(cache.path, 'providers', () => now);
    expect(again.get('github', 'credential-one-value')).toEqual({ status: 'live', identity: 'login octocat', checkedAt: '2026-12-01T10:00:00.000Z' });
    expect(again.get('github', 'credential-two-value')).toBeUndefined();
    expect(again.get('gitlab', 'credential-one-value')).toBeUndefined();
    expect(new VerificationCache(cache.path, 'test:http://127.0.0.1:1', () => now).get('github', 'credential-one-value')).toBeUndefined();
    now += CACHE_TTL_MS + 1;
    expect(again.get('github', 'credential-one-value')).toBeUndefined();
  });
});
