import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import type { ScanStats } from '../../src/findings/finding.js';

let dir: TempDir;
afterEach(() => dir?.remove());

interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  findings: Array<Record<string, unknown>>;
  stats: ScanStats;
  notes?: string[];
}

function scanJson(cwd: string, ...args: string[]): { code: number; report: JsonReport; stderr: string } {
  const result = runCli(['scan', ...args, '--format', 'json'], cwd);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

describe('keyfence scan', () => {
  it('reports exactly the live key and the database password of a small service, redacted', () => {
    dir = tempRepo();
    const key = fake.stripeLive();
    const password = fake.password();
    dir.write('.env.development', `# local settings\nPORT=3000\nSTRIPE_SECRET_KEY=${key}\n`);
    dir.write('config.yml', `service: billing\ndatabase:\n  url: postgres://billing:${password}@db.internal:5432/billing\n`);
    dir.write('src/server.js', "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\nmodule.exports = stripe;\n");
    dir.write('README.md', '# billing\nSet STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx in your .env\n');
    const { code, report } = scanJson(dir.path);
    expect(code).toBe(1);
    expect(report.version).toBe(1);
    expect(report.tool.name).toBe('keyfence');
    expect(report.stats.files).toBe(4);
    const found = report.findings.map((f) => [f.file, f.line, f.column, f.category]);
    expect(found).toEqual([
      // A live key in a development file is environments bleeding into each other.
      ['.env.development', 3, 19, 'env-crossover'],
      ['config.yml', 3, 27, 'generic-secret'],
    ]);
    const [stripe, postgres] = report.findings;
    expect(stripe).toMatchObject({ ruleId: 'stripe-live-secret-key', severity: 'critical', environment: 'development', endLine: 3, endColumn: 19 + key.length });
    expect(postgres).toMatchObject({ endColumn: 27 + password.length });
    const text = JSON.stringify(report);
    expect(text).not.toContain(key);
    expect(text).not.toContain(password);
    expect(stripe!.secret).toBe(`sk_live_…${key.slice(-4)}`);
    for (const f of report.findings) expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('prints secrets in full only with --show-secrets', () => {
    dir = tempRepo();
    const key = fake.stripeLive();
    dir.write('app.env', `STRIPE_SECRET_KEY=${key}\n`);
    expect(runCli(['scan'], dir.path).stdout).not.toContain(key);
    expect(runCli(['scan', '--show-secrets'], dir.path).stdout).toContain(key);
  });

  it('keeps fingerprints stable across runs and when the line moves', () => {
    dir = tempRepo();
    const key = fake.stripeLive();
    dir.write('settings.py', `STRIPE = "${key}"\n`);
    const first = scanJson(dir.path).report.findings[0]!.fingerprint;
    dir.write('settings.py', `import os\n\n\nSTRIPE = "${key}"\n`);
    const moved = scanJson(dir.path).report.findings[0]!;
    expect(moved.line).toBe(4);
    expect(moved.fingerprint).toBe(first);
  });

  it('scans tracked and untracked files but not ignored ones inside a work tree', () => {
    dir = tempRepo();
    dir.write('.gitignore', 'ignored.env\n');
    dir.write('tracked.env', `KEY=${fake.stripeLive()}\n`);
    dir.git('add', '.');
    dir.write('untracked.env', `KEY=${fake.stripeLive()}\n`);
    dir.write('ignored.env', `KEY=${fake.stripeLive()}\n`);
    const files = scanJson(dir.path).report.findings.map((f) => f.file);
    expect(files).toEqual(['tracked.env', 'untracked.env']);
    const all = scanJson(dir.path, '--no-git').report.findings.map((f) => f.file);
    expect(all).toEqual(['ignored.env', 'tracked.env', 'untracked.env']);
  });

  it('reports paths relative to the repository root, with spaces and non-ASCII names', () => {
    dir = tempRepo();
    dir.write('config files/prod é.env', `KEY=${fake.stripeLive()}\n`);
    const { report } = scanJson(join(dir.path, 'config files'), '.');
    expect(report.findings.map((f) => f.file)).toEqual(['config files/prod é.env']);
  });

  it('exits 0 on a clean tree and 2 with a one-line message for a missing path', () => {
    dir = tempRepo();
    dir.write('index.js', 'export const answer = 42;\n');
    expect(runCli(['scan'], dir.path).code).toBe(0);
    const missing = runCli(['scan', 'no-such-dir'], dir.path);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^keyfence: no-such-dir does not exist\n/);
  });

  it('skips binary and oversized files with a note, scans invalid UTF-8 and survives symlink loops', () => {
    dir = tempDir();
    const key = fake.stripeLive();
    dir.write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(key)]));
    dir.write('latin1.txt', Buffer.concat([Buffer.from([0xff, 0xfe, 0xe9]), Buffer.from(`\nKEY=${key}\n`)]));
    dir.write('keyfence.yml', 'maxFileSize: 1000\n');
    dir.write('big.txt', `${'a'.repeat(2000)}\nKEY=${key}\n`);
    symlinkSync('.', join(dir.path, 'loop'));
    const { code, report } = scanJson(dir.path);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['latin1.txt:2']);
    // A binary file of a work tree holds no text: neither noted nor skipped. The walk lists no
    // symlink, so the loop is neither followed nor counted.
    expect(report.notes).toEqual([expect.stringMatching(/^1 file over maxFileSize not scanned: big\.txt \(\d+ bytes\)$/)]);
    expect(report.stats.skipped).toBe(1);
  });

  it('finishes quickly on a minified multi-megabyte single line and still finds a key in it', () => {
    dir = tempDir();
    const key = fake.stripeLive();
    const chunk = 'function(a,b){return a.key+b.token};var secret_token=e.key;';
    const line = chunk.repeat(Math.ceil(2_000_000 / chunk.length));
    dir.write('bundle.min.js', `${line}var k="${key}";${line}\n`);
    const { report } = scanJson(dir.path, '--no-git');
    expect(report.findings.map((f) => f.ruleId)).toEqual(['stripe-live-secret-key']);
  });

  it('runs the workflow checks on the workflow files it scans', () => {
    dir = tempRepo();
    dir.write(
      '.github/workflows/pr.yml',
      [
        'on: pull_request_target',
        'jobs:',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '      - run: npm ci && npm test',
        '        env:',
        '          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
        '',
      ].join('\n'),
    );
    const { report } = scanJson(dir.path);
    const checkout = report.findings.find((f) => f.ruleId === 'untrusted-checkout');
    expect(checkout).toMatchObject({ file: '.github/workflows/pr.yml', category: 'workflow', environment: 'ci', severity: 'critical' });
  });

  it('rejects unknown options and formats with exit 2', () => {
    dir = tempDir();
    expect(runCli(['scan', '--bogus'], dir.path).code).toBe(2);
    const format = runCli(['scan', '--format', 'yaml'], dir.path);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown format "yaml"');
  });
});

describe('keyfence --help and --version', () => {
  it('prints usage and the version', () => {
    dir = tempDir();
    expect(runCli(['--help'], dir.path).stdout).toContain('Usage: keyfence <command>');
    expect(runCli(['--version'], dir.path).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(runCli(['scan', '--help'], dir.path).stdout).toContain('--fail-on');
  });
});
