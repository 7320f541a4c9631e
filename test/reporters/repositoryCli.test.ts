/**
 * Through the built CLI: a real scan's JSON report, its findings named as an organisation's audit
 * names them (`repository`), merged with `keyfence report merge` into the other formats on "GitHub
 * Actions" of another repository: each shows the repository, and lines link into it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/findings/finding.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let repo: TempDir | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

describe('a merged report of another repository, through the CLI', () => {
  it('names acme/web in text, csv and codequality, and links markdown lines into it', () => {
    repo = tempRepo();
    const key = fake.stripeLive();
    repo.write('config/prod.env', `# production\nSTRIPE_KEY=${key}\n`);
    repo.git('add', '-A');
    const scan = runCli(['scan', '--format', 'json', '--output', 'shard.json'], repo.path);
    expect(scan.code, scan.stderr).toBe(1);
    const shard = JSON.parse(readFileSync(join(repo.path, 'shard.json'), 'utf8')) as Report;
    expect(shard.findings).toHaveLength(1);
    writeFileSync(join(repo.path, 'shard.json'), JSON.stringify({ ...shard, findings: shard.findings.map((f) => ({ ...f, repository: 'acme/web' })) }));

    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/audits', GITHUB_SHA: 'abc1234def' };
    const reports = ['--report', 'csv=out.csv', '--report', 'codequality=cq.json', '--report', 'markdown=out.md'];
    const run = runCli(['report', 'merge', 'shard.json', '--format', 'text', ...reports], repo.path, env);
    expect(run.code, run.stderr).toBe(0);
    const redacted = `sk_live_…${key.slice(-4)}`;
    expect(run.stdout.split('\n')[0]).toBe(`acme/web:config/prod.env:2:12  critical  stripe-live-secret-key  Stripe live secret key  ${redacted}`);

    const csv = readFileSync(join(repo.path, 'out.csv'), 'utf8').split('\r\n');
    expect(csv[0]!.endsWith(',findings,repository')).toBe(true);
    expect(csv[1]!.endsWith(',acme/web')).toBe(true);

    const cq = JSON.parse(readFileSync(join(repo.path, 'cq.json'), 'utf8')) as Array<{ description: string; location: unknown }>;
    expect(cq.map((i) => [i.description, i.location])).toEqual([
      [`acme/web: Stripe live secret key: ${redacted}`, { path: 'config/prod.env', lines: { begin: 2, end: 2 } }],
    ]);

    const md = readFileSync(join(repo.path, 'out.md'), 'utf8');
    expect(md).toContain('[acme/web:config/prod.env:2](https://github.com/acme/web/blob/HEAD/config/prod.env#L2)');
    expect(md).not.toContain('octo/audits');
  });
});
