/**
 * `keyfence diff` in pull-request mode (docs/action.md, "Trust model"): a range from a pull_request
 * event, or --policy-from-base, is judged by the base's policy; the head's loosening is reported,
 * and the inline markers the change adds are listed. A plain range keeps the head's policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestPayload } from '../support/action.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

interface JsonReport {
  findings: Array<{ ruleId: string; file: string; line: number; message: string }>;
  suppressedByChange?: Array<{ ruleId: string; file: string; line: number; marker: string; reason: string; secret: string }>;
}

let repo: TempDir;
let work: TempDir;
let base: string;
let allowed: string;
let inline: string;
let key: string;

const found = (stdout: string) => (JSON.parse(stdout) as JsonReport).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

beforeAll(() => {
  repo = tempRepo('keyfence-diff-pr-');
  work = tempDir('keyfence-diff-pr-work-');
  key = fake.stripeLive();
  repo.write('keyfence.yml', 'failOn: medium\n');
  repo.write('README.md', '# api\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'base');
  base = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'allowed');
  repo.write('.env.development', `STRIPE_SECRET_KEY=${key}\n`);
  repo.write('keyfence.yml', "failOn: medium\nallow:\n  - paths: ['.env.*']\n");
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'key and its allow entry');
  allowed = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'inline', base);
  repo.write('.env.development', `# keyfence-ignore-next-line[stripe-live-secret-key] shared sandbox\nSTRIPE_SECRET_KEY=${key}\n`);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'key silenced inline');
  inline = repo.git('rev-parse', 'HEAD').trim();
});

afterAll(() => {
  repo?.remove();
  work?.remove();
});

describe('keyfence diff on a pull request', () => {
  it("judges by the base's policy when the range comes from a pull_request event, and reports the allow entry", () => {
    const event = work.write('event.json', JSON.stringify(pullRequestPayload({ base, head: allowed, number: 3, commits: 1 })));
    const run = runCli(['diff', '--format', 'json'], repo.path, { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    expect(run.code).toBe(1);
    expect(found(run.stdout)).toEqual(['policy-loosened keyfence.yml:3', 'stripe-live-secret-key .env.development:1']);
    expect((JSON.parse(run.stdout) as JsonReport).suppressedByChange).toEqual([]);
  });

  it('does the same for any range with --policy-from-base', () => {
    const run = runCli(['diff', `${base}..${allowed}`, '--policy-from-base', '--format', 'json'], repo.path);
    expect(run.code).toBe(1);
    expect(found(run.stdout)).toEqual(['policy-loosened keyfence.yml:3', 'stripe-live-secret-key .env.development:1']);
  });

  it("keeps the checkout's own policy for a plain range (a push: who pushes may change the policy)", () => {
    repo.git('checkout', '-q', 'allowed');
    const run = runCli(['diff', `${base}..${allowed}`, '--format', 'json'], repo.path);
    repo.git('checkout', '-q', 'inline');
    expect(run.code).toBe(0);
    expect(found(run.stdout)).toEqual([]);
    expect((JSON.parse(run.stdout) as JsonReport).suppressedByChange).toBeUndefined();
  });

  it('lists what inline markers of the change silence, without the secret, and fails on them when asked', () => {
    const run = runCli(['diff', `${base}..${inline}`, '--policy-from-base', '--format', 'json'], repo.path);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.suppressedByChange!.map(({ ruleId, file, line, marker, reason }) => ({ ruleId, file, line, marker, reason }))).toEqual([
      { ruleId: 'stripe-live-secret-key', file: '.env.development', line: 2, marker: 'keyfence-ignore-next-line[stripe-live-secret-key]', reason: 'shared sandbox' },
    ]);
    expect(run.stdout).not.toContain(key);

    const text = runCli(['diff', `${base}..${inline}`, '--policy-from-base', '--fail-on-new-suppressions'], repo.path);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('suppressed by this change (1):');
    expect(text.stdout + text.stderr).not.toContain(key);
  });

  it('refuses --fail-on-new-suppressions outside pull-request mode, saying how to get there', () => {
    const run = runCli(['diff', `${base}..${inline}`, '--fail-on-new-suppressions'], repo.path);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('keyfence: --fail-on-new-suppressions works in pull-request mode\n  hint: add --policy-from-base, or run on a pull_request event\n');
  });
});
