/**
 * `--format codequality`: GitLab's Code Quality report, validated against the fields GitLab's
 * documentation lists (schemas/gitlab-code-quality.schema.json), mapped field by field, redacted as
 * every format is; and written by the CLI with the very command the `keyfence init` job runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GITLAB_JOB } from '../../src/cli/init/gitlabCi.js';
import { loadReporter } from '../../src/reporters/reporter.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { context, sampleReport, sampleSecrets } from './sample.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('./schemas/gitlab-code-quality.schema.json', import.meta.url)), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end?: number } };
}

function parseValid(text: string): Issue[] {
  const parsed = JSON.parse(text) as Issue[];
  expect(validate(parsed) ? [] : validate.errors).toEqual([]);
  return parsed;
}

let repo: TempDir | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

describe('--format codequality', () => {
  it('writes an issue per finding, then an info issue per finding the change silenced, severities mapped', async () => {
    const render = await loadReporter('codequality');
    const secrets = sampleSecrets();
    const report = sampleReport(false, secrets);
    const out = parseValid(render(report, context()));
    // In report order: the findings as the report sorts them, then the suppressions.
    expect(out.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin, i.location.lines.end])).toEqual([
      ['untrusted-checkout', 'minor', '.github/workflows/ci.yml', 20, 20],
      ['stripe-live-secret-key', 'blocker', 'config/.env.development', 3, 3],
      ['aws-access-key-id', 'critical', 'deploy/prod é, "x".env', 7, 7],
      ['private-key', 'critical', 'keys/id_rsa', 1, 4],
      ['generic-password', 'major', 'src/db|conn.ts', 12, 12],
      ['slack-bot-token', 'info', 'test/fixtures/slack reply.json', 2, 2],
      ['generic-api-key', 'info', 'docs/setup.md', 30, 30],
    ]);
    expect(out.map((i) => i.fingerprint)).toEqual([...report.findings, ...report.suppressedByChange!].map((f) => f.fingerprint));
    expect(out[0]!.description).toBe('checks out the head of a fork pull request, with: ref: ${{ github.event.pull_request.head.sha }}');
    expect(out[4]!.description).toBe('Password | in "config": 100% <b>real</b>\nsecond line: …');
    expect(out[6]!.description).toBe(`Generic API key: …${secrets.apiKey.slice(-4)} (silenced by gitleaks:allow that this change adds, giving no reason)`);
    expect(out[5]!.description).toMatch(/^Slack bot token: xoxb-…[A-Za-z0-9]{4} \(silenced by keyfence:allow\[slack-bot-token\] that this change adds: recorded `reply` \| token revoked\)$/);
  });

  it('shows the value redacted, in full only with --show-secrets', async () => {
    const secrets = sampleSecrets();
    const render = await loadReporter('codequality');
    const stripe = (showSecrets: boolean) => parseValid(render(sampleReport(showSecrets, secrets), context()))[1]!.description;
    expect(stripe(false)).toBe(`Stripe live secret key: sk_live_…${secrets.stripe.slice(-4)}`);
    expect(stripe(true)).toBe(`Stripe live secret key: ${secrets.stripe}`);
  });

  it('gives a repeated fingerprint a suffix (GitLab shows one issue per fingerprint), and names the repository', async () => {
    const render = await loadReporter('codequality');
    const base = sampleReport();
    const f = base.findings[0]!;
    const report = { ...base, findings: [f, { ...f, line: 30, endLine: 30, repository: 'acme/web' }, { ...f, line: 40, endLine: 40 }], suppressedByChange: [] };
    const out = parseValid(render(report, context()));
    expect(out.map((i) => i.fingerprint)).toEqual([f.fingerprint, `${f.fingerprint}-2`, `${f.fingerprint}-3`]);
    expect(out[1]!.description).toBe(`acme/web: ${f.message}`);
    expect(out[1]!.location).toEqual({ path: '.github/workflows/ci.yml', lines: { begin: 30, end: 30 } });
  });

  it('is an empty array for a clean run', async () => {
    const render = await loadReporter('codequality');
    const base = sampleReport();
    expect(render({ ...base, findings: [], suppressedByChange: [] }, context())).toBe('[]\n');
  });

  it('is written by the command of the job `keyfence init` writes for GitLab, beside the secret-detection report', () => {
    repo = tempRepo();
    repo.write('README.md', 'hello\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'base');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const key = fake.stripeLive();
    repo.write('config/prod.env', `# production\nSTRIPE_KEY=${key}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'config');
    const head = repo.git('rev-parse', 'HEAD').trim();

    // The job's keyfence command, with the variables GitLab sets in a merge-request pipeline.
    const command = (parse(GITLAB_JOB) as { keyfence: { script: string[] } }).keyfence.script[1]!;
    const args = command
      .replace(/^npx --yes keyfence@\S+ /, '')
      .replace('$CI_MERGE_REQUEST_DIFF_BASE_SHA', base)
      .replace('$CI_COMMIT_SHA', head)
      .split(' ')
      .map((a) => a.replace(/^"(.*)"$/, '$1'));
    expect(args).toEqual(['diff', `${base}..${head}`, '--format', 'gitlab', '--output', 'gl-secret-detection-report.json', '--report', 'codequality=gl-code-quality-report.json']);
    const run = runCli([...args, '--report', 'json=report.json'], repo.path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('keyfence: codequality report written to gl-code-quality-report.json');

    const json = JSON.parse(readFileSync(join(repo.path, 'report.json'), 'utf8')) as { findings: Array<{ fingerprint: string }> };
    expect(json.findings).toHaveLength(1);
    expect(parseValid(readFileSync(join(repo.path, 'gl-code-quality-report.json'), 'utf8'))).toEqual([
      {
        description: `Stripe live secret key: sk_live_…${key.slice(-4)}`,
        check_name: 'stripe-live-secret-key',
        fingerprint: json.findings[0]!.fingerprint,
        severity: 'blocker',
        location: { path: 'config/prod.env', lines: { begin: 2, end: 2 } },
      },
    ]);
    const gitlab = JSON.parse(readFileSync(join(repo.path, 'gl-secret-detection-report.json'), 'utf8')) as { vulnerabilities: unknown[] };
    expect(gitlab.vulnerabilities).toHaveLength(1);
  });
});
