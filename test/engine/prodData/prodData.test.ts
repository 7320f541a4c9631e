/**
 * Production data end to end through the built CLI (docs/rules/prod-data.md): one finding per file
 * with counts and never a value, graded by where the file is, synthetic data quiet, thresholds from
 * keyfence.yml, and a staged dump blocking `keyfence staged`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { people, pgDumpCopy } from '../../support/dumps.js';
import { runCli } from '../../support/cli.js';
import { expandTemplates, seededRandom } from '../../support/fakeSecrets.js';
import { cardNumber, email, phone } from '../../support/personalData.js';
import { tempDir, tempRepo, type TempDir } from '../../support/tempRepo.js';

interface Report {
  findings: Array<{ ruleId: string; category: string; severity: string; file: string; line: number; message: string; secret: string }>;
}

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

/** A CSV export of `n` customers with real-format e-mail addresses, phone numbers and card numbers. */
function customers(n: number, seed = 'customers'): { text: string; values: string[] } {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, (_, i) => [i + 1, email(random), phone(random, 'US').international, cardNumber(random, 'visa')]);
  return { text: `id,email,phone,card_number\n${rows.map((r) => r.join(',')).join('\n')}\n`, values: rows.flatMap((r) => r.slice(1).map(String)) };
}

function scan(files: Record<string, string>, args: string[] = []) {
  dir = tempDir('keyfence-prod-data-');
  for (const [file, text] of Object.entries(files)) dir.write(file, text);
  const run = runCli(['scan', '--no-git', '.', '--format', 'json', ...args], dir.path);
  const report = JSON.parse(run.stdout) as Report;
  return { run, found: report.findings.filter((f) => f.category === 'prod-data').map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`), report };
}

describe('production data', () => {
  it('is one finding per file at its first data line, with counts and no value, even with --show-secrets', () => {
    const { text, values } = customers(8);
    const { run, found, report } = scan({ 'test/fixtures/customers.csv': text }, ['--show-secrets']);
    expect(run.code).toBe(1);
    expect(found).toEqual(['test/fixtures/customers.csv:2 prod-data-personal high']);
    expect(report.findings[0]!.message).toBe(
      'Personal data: an export of 8 rows with email, phone, card_number: 8 email addresses, 8 phone numbers and 8 payment card numbers in a test fixture: production data in a non-production place',
    );
    expect(report.findings[0]!.secret).toBe('');
    for (const value of values) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it('is graded by where it is: low in documentation, medium in production files', () => {
    const { text } = customers(6);
    const config = "environments:\n  production: ['seeds/production/**']\n";
    const { found } = scan({ 'keyfence.yml': config, 'docs/sample-export.csv': text, 'seeds/production/users.csv': text, 'data/users.csv': text });
    expect(found).toEqual([
      'data/users.csv:2 prod-data-personal high',
      'docs/sample-export.csv:2 prod-data-personal low',
      'seeds/production/users.csv:2 prod-data-personal medium',
    ]);
  });

  it('stays quiet on synthetic data: reserved domains, test card numbers, fictional phone numbers; and below the threshold', () => {
    const synthetic = Array.from({ length: 30 }, (_, i) => `${i},user${i}@example.com,+1 415 555 01${String(i).padStart(2, '0')},4242424242424242`);
    const { text } = customers(4);
    const { found } = scan({ 'test/fixtures/users.csv': `id,email,phone,card_number\n${synthetic.join('\n')}\n`, 'test/fixtures/few.csv': text.split('\n').map((l) => l.split(',').slice(0, 2).join(',')).join('\n') });
    expect(found).toEqual([]);
  });

  it('takes its thresholds from keyfence.yml', () => {
    const random = seededRandom('three-addresses');
    const text = `email\n${[email(random), email(random), email(random)].join('\n')}\n`;
    expect(scan({ 'data/list.csv': text }).found).toEqual([]);
    expect(scan({ 'data/list.csv': text, 'keyfence.yml': 'prodData:\n  minValues: 3\n' }).found).toEqual(['data/list.csv:2 prod-data-personal high']);
  });

  it('reports a database file over maxFileSize by its name and first bytes, on disk and in `keyfence staged`', () => {
    const sqlite = Buffer.from(expandTemplates('{{dump:sqlite}}', seededRandom('big-sqlite')).text, 'latin1');
    const config = `maxFileSize: ${Math.floor(sqlite.length / 2)}\n`;
    dir = tempRepo('keyfence-prod-data-large-');
    dir.write('keyfence.yml', config);
    mkdirSync(join(dir.path, 'app'));
    writeFileSync(join(dir.path, 'app/production.sqlite3'), sqlite);
    const onDisk = runCli(['scan', '.', '--format', 'json'], dir.path);
    expect((JSON.parse(onDisk.stdout) as Report).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['app/production.sqlite3:1 prod-data-dump-file']);
    dir.git('add', '.');
    const staged = runCli(['staged', '--format', 'json'], dir.path);
    expect((JSON.parse(staged.stdout) as Report).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['app/production.sqlite3:1 prod-data-dump-file']);
  });

  it('reports a pg_dump with data at its first row, high even in tests, and blocks it in `keyfence staged`', () => {
    const dump = pgDumpCopy(people(12));
    const { found, report } = scan({ 'test/fixtures/backup.sql': dump.text });
    expect(found).toEqual([`test/fixtures/backup.sql:${dump.firstData + 1} prod-data-dump high`]);
    expect(report.findings[0]!.message).toBe('Database dump (pg_dump): 12 rows in 1 table');

    dir?.remove();
    dir = tempRepo('keyfence-prod-data-staged-');
    dir.write('db/users.sql', dump.text);
    dir.git('add', '.');
    const staged = runCli(['staged'], dir.path);
    expect(staged.code).toBe(1);
    expect(staged.stdout).toMatch(new RegExp(`^db/users\\.sql:${dump.firstData + 1}:1 +high +prod-data-dump +Database dump \\(pg_dump\\)`, 'm'));
  });
});
