import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../src/verification/registry.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { runCliAsync } from './cliRun.js';
import { credentialFor, exampleTexts } from './credentials.js';
import { ANSWERS } from './providerAnswers.js';
import { startProviderServer, type ProviderServer, type Reply } from './providerServer.js';

/**
 * `keyfence scan --verify` end to end: the built CLI, a repository with four credentials, and the
 * provider server answering live for the GitHub token, invalid for the Stripe key, revoked for the
 * Slack token; the Vercel token has no verifier (unknown). Every format must say so.
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

const verifier = (id: string) => VERIFIERS.find((v) => v.id === id)!;
const github = credentialFor(verifier('github'), 'e2e');
const stripe = credentialFor(verifier('stripe'), 'e2e');
const slack = credentialFor(verifier('slack'), 'e2e');
const vercel = exampleTexts('vercel-token', 'e2e')[0]!.text;

function answerBy(request: { text: string }): Reply {
  if (request.text.includes(github.credential)) return ANSWERS.github!.live;
  if (request.text.includes(stripe.credential)) return ANSWERS.stripe!.invalid;
  if (request.text.includes(slack.credential)) return ANSWERS.slack!.revoked!;
  return { status: 500, body: 'unexpected credential' };
}

function setUp(): NodeJS.ProcessEnv {
  repo = tempRepo();
  cache = tempDir('keyfence-cache-');
  repo.write('config/.env.production', [github.text, stripe.text, slack.text, vercel].join('\n') + '\n');
  server.requests.length = 0;
  server.respond = answerBy;
  return { KEYFENCE_VERIFY_BASE_URL: server.url, KEYFENCE_CACHE_DIR: cache.path };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  line: number;
  verification?: { status: string; identity?: string; reason?: string; checkedAt?: string };
}

describe('keyfence scan --verify', () => {
  it('marks live, invalid, revoked and unknown findings in the JSON report, and adjusts severity', async () => {
    const env = setUp();
    const plain = await runCliAsync(['scan', '--format', 'json'], repo.path, env);
    const before = (JSON.parse(plain.stdout) as { findings: JsonFinding[] }).findings;
    expect(before.map((f) => f.ruleId)).toEqual([github.ruleId, stripe.ruleId, slack.ruleId, 'vercel-token']);
    expect(before.every((f) => f.verification === undefined)).toBe(true);
    expect(server.requests.length).toBe(0);

    const result = await runCliAsync(['scan', '--verify', '--format', 'json'], repo.path, env);
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.line, f.severity, f.verification?.status])).toEqual([
      [github.ruleId, 1, 'critical', 'live'],
      [stripe.ruleId, 2, 'low', 'invalid'],
      [slack.ruleId, 3, 'low', 'revoked'],
      ['vercel-token', 4, before[3]!.severity, 'unknown'],
    ]);
    expect(findings[0]!.verification!.identity).toBe(ANSWERS.github!.identity);
    expect(findings[0]!.verification!.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(findings[3]!.verification).toEqual({ status: 'unknown', reason: 'no verifier for this rule' });
    expect(server.requests.map((r) => r.host).sort()).toEqual(['api.github.com', 'api.stripe.com', 'slack.com']);
    for (const secret of [github.credential, stripe.credential, slack.credential]) expect(result.stdout).not.toContain(secret);

    // A second run asks nobody: the answers are cached, under keyed hashes, never the values.
    server.requests.length = 0;
    const again = await runCliAsync(['scan', '--verify', '--format', 'json'], repo.path, env);
    expect((JSON.parse(again.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.verification?.status)).toEqual(['live', 'invalid', 'revoked', 'unknown']);
    expect(server.requests.length).toBe(0);
    const stored = ['verification-v1.json', 'verification.key'].map((f) => readFileSync(join(cache.path, f), 'utf8')).join('\n');
    for (const secret of [github.credential, stripe.credential, slack.credential]) expect(stored).not.toContain(secret);
  });

  it('--only-verified reports only the live credential', async () => {
    const env = setUp();
    const result = await runCliAsync(['scan', '--only-verified', '--format', 'json'], repo.path, env);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.verification?.status])).toEqual([[github.ruleId, 'live']]);
  });

  it('carries the answers into SARIF, text and markdown', async () => {
    const env = setUp();
    const sarif = JSON.parse((await runCliAsync(['scan', '--verify', '--format', 'sarif'], repo.path, env)).stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; level: string; properties: { verification?: { status: string } } }> }>;
    };
    expect(sarif.runs[0]!.results.map((r) => [r.ruleId, r.level, r.properties.verification?.status])).toEqual([
      [github.ruleId, 'error', 'live'],
      [stripe.ruleId, 'note', 'invalid'],
      [slack.ruleId, 'note', 'revoked'],
      ['vercel-token', sarif.runs[0]!.results[3]!.level, 'unknown'],
    ]);

    const text = (await runCliAsync(['scan', '--verify'], repo.path, env)).stdout.split('\n');
    expect(text.filter((l) => l.startsWith('config/.env.production:')).map((l) => /\[([^\]]*)\]$/.exec(l)?.[1])).toEqual([
      `live (${ANSWERS.github!.identity})`,
      'invalid',
      'revoked',
      'unknown: no verifier for this rule',
    ]);

    const markdown = (await runCliAsync(['scan', '--verify', '--format', 'markdown'], repo.path, env)).stdout.split('\n');
    expect(markdown).toContain('| severity | rule | where | environment | value | message | verified |');
    const rows = markdown.filter((l) => l.startsWith('| ') && l.includes('config/.env.production'));
    // Most severe first: the live key (now critical), the unverified one, then the dead ones (now low).
    expect(rows.map((l) => l.split(' | ').at(-1))).toEqual([
      `live \\(login octocat, scopes repo, read:org\\) |`,
      'unknown: no verifier for this rule |',
      'invalid |',
      'revoked |',
    ]);
  });

  it('keeps the severity keyfence.yml sets for a rule when the key is dead, not when it is live', async () => {
    const env = setUp();
    repo.write('keyfence.yml', `overrides:\n  ${stripe.ruleId}:\n    severity: high\n  ${github.ruleId}:\n    severity: medium\n`);
    const findings = (JSON.parse((await runCliAsync(['scan', '--verify', '--format', 'json'], repo.path, env)).stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.severity, f.verification?.status])).toEqual([
      [github.ruleId, 'critical', 'live'],
      [stripe.ruleId, 'high', 'invalid'],
      [slack.ruleId, 'low', 'revoked'],
      ['vercel-token', findings[3]!.severity, 'unknown'],
    ]);
  });

  it('carries the answers into CSV, JUnit, GitHub annotations and the GitLab report', async () => {
    const env = setUp();
    const live = `live (${ANSWERS.github!.identity})`;
    const expected = [live, 'invalid', 'revoked', 'unknown: no verifier for this rule'];
    const byLine = (pairs: Array<[number, string]>) => pairs.sort((a, b) => a[0] - b[0]).map(([, v]) => v);

    const csv = parseCsv((await runCliAsync(['scan', '--verify', '--format', 'csv'], repo.path, env)).stdout, { columns: true }) as Array<Record<string, string>>;
    expect(byLine(csv.map((r) => [Number(r.line), r.verification!]))).toEqual(expected);

    const junit = (await runCliAsync(['scan', '--verify', '--format', 'junit'], repo.path, env)).stdout;
    const cases = [...junit.matchAll(/name="config\/\.env\.production:(\d+):[^"]*"[\s\S]*?verification: ([^\n&<]*)/g)];
    expect(byLine(cases.map((m) => [Number(m[1]), m[2]!]))).toEqual(expected.map((v) => v.replace(/&/g, '&amp;')));

    const github = (await runCliAsync(['scan', '--verify', '--format', 'github'], repo.path, env)).stdout.split('\n').filter((l) => l.includes('file=config/.env.production'));
    expect(byLine(github.map((l) => [Number(/,line=(\d+)/.exec(l)![1]), decodeURIComponent(/%0Averified: (.*?)(?:%0A|$)/.exec(l)![1]!.replace(/%(?![0-9A-F]{2})/g, '%25'))]))).toEqual(expected);

    const gitlab = JSON.parse((await runCliAsync(['scan', '--verify', '--format', 'gitlab'], repo.path, env)).stdout) as {
      vulnerabilities: Array<{ description: string; location: { start_line: number } }>;
    };
    expect(byLine(gitlab.vulnerabilities.map((v) => [v.location.start_line, /\(verified: (.*)\)$/.exec(v.description)![1]!]))).toEqual(expected);
  });
});
