import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../src/verification/registry.js';
import { runCli } from '../support/cli.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { runCliAsync } from './cliRun.js';
import { credentialFor } from './credentials.js';
import { ANSWERS } from './providerAnswers.js';
import { startProviderServer, type ProviderServer } from './providerServer.js';

const doc = (file: string, id: string) => {
  const section = readFileSync(new URL(`../../docs/rules/${file}.md`, import.meta.url), 'utf8').split(/^## /m).find((s) => s.startsWith(`${id}\n`))!;
  return section.split(/\n\s*\n/).find((p) => p.startsWith('**Rotate or revoke.**'))!.slice('**Rotate or revoke.**'.length).trim().replace(/\s*\n\s*/g, ' ');
};

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

describe('keyfence rotate', () => {
  it('--rule prints the rule doc page\'s rotate steps, where to look for use, and the link', () => {
    repo = tempDir();
    const result = runCli(['rotate', '--rule', 'stripe-live-secret-key'], repo.path);
    expect(result.code).toBe(0);
    const steps = doc('stripe', 'stripe-live-secret-key');
    expect(result.stdout.split('\n')).toEqual([
      'stripe-live-secret-key: Stripe live secret key',
      `  Rotate or revoke: ${steps}`,
      `  Look for its use: ${steps.split(/(?<=\.)\s+/).filter((s) => /logs?/i.test(s)).join(' ')}`,
      '  Docs: https://github.com/keyfence/keyfence/blob/main/docs/rules/stripe.md#stripe-live-secret-key',
      '',
    ]);
    const unknown = runCli(['rotate', '--rule', 'no-such-rule'], repo.path);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'keyfence: rotate: unknown rule "no-such-rule"']);
  });

  it('FINGERPRINT --from REPORT names the finding, says it was verified live, then the steps', async () => {
    repo = tempRepo();
    cache = tempDir('keyfence-cache-');
    const github = credentialFor(VERIFIERS.find((v) => v.id === 'github')!, 'rotate');
    repo.write('.env.production', `${github.text}\n`);
    server.respond = () => ANSWERS.github!.live;
    const env = { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path };
    const scan = await runCliAsync(['scan', '--verify', '--format', 'json', '--output', 'report.json'], repo.path, env);
    expect(scan.code).toBe(1);
    const report = JSON.parse(readFileSync(join(repo.path, 'report.json'), 'utf8')) as { findings: Array<{ fingerprint: string; secret: string; verification: { checkedAt: string } }> };
    const [finding] = report.findings;
    const result = runCli(['rotate', finding!.fingerprint.slice(0, 10), '--from', 'report.json'], repo.path);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `.env.production:1  ${github.ruleId}  ${finding!.secret}`,
      `  verified live (${ANSWERS.github!.identity}) at ${finding!.verification.checkedAt}: revoke it now, then look for its use as below`,
      `  ${github.ruleId}: GitHub personal access token (classic)`,
    ]);
    expect(lines[3]).toBe(`    Rotate or revoke: ${doc('github', github.ruleId)}`);
    expect(result.stdout).not.toContain(github.credential);
  });
});
