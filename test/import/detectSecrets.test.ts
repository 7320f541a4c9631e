import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, testToken } from '../support/customRules.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * A repository with a detect-secrets baseline, switched with `keyfence import detect-secrets`: the
 * values detect-secrets recorded (as the SHA-1 of each value) stay suppressed without keyfence ever
 * seeing them in clear, and a new value in the same file is reported.
 */

const sha1 = (value: string) => createHash('sha1').update(value).digest('hex');

interface Report {
  findings: Array<{ ruleId: string; file: string; line: number; secret: string }>;
  stats: { suppressed: unknown };
}

describe('keyfence import detect-secrets', () => {
  let repo: TempDir;
  const known = testToken();
  const fresh = testToken();
  const fixture = testToken();
  const historic = testToken();
  const password = fake.password();

  beforeAll(() => {
    repo = tempRepo();
    repo.write('keyfence.yml', `# team config\n${CUSTOM_RULES}`);
    repo.write('config/settings.py', `API_TOKEN = "${known}"\nOTHER_TOKEN = "${fresh}"\n`);
    repo.write('config/db.env', `DB_PASSWORD=${password}\n`);
    repo.write('third_party/client.py', `TOKEN = "${fixture}"\n`);
    repo.write('legacy.py', `TOKEN = "${historic}"\n`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first');
    repo.git('rm', '-q', 'legacy.py');
    repo.git('commit', '-qm', 'drop legacy');
    const result = (file: string, type: string, value: string, line: number) => ({
      type,
      filename: file,
      hashed_secret: sha1(value),
      is_verified: false,
      line_number: line,
    });
    repo.write(
      '.secrets.baseline',
      `${JSON.stringify(
        {
          version: '1.5.0',
          plugins_used: [{ name: 'KeywordDetector', keyword_exclude: '' }, { name: 'HexHighEntropyString', limit: 3.0 }],
          filters_used: [
            { path: 'detect_secrets.filters.allowlist.is_line_allowlisted' },
            { path: 'detect_secrets.filters.regex.should_exclude_file', pattern: ['^third_party/'] },
          ],
          results: {
            'config/db.env': [result('config/db.env', 'Secret Keyword', password, 1)],
            'config/settings.py': [result('config/settings.py', 'Hex High Entropy String', known, 1)],
            'legacy.py': [{ ...result('legacy.py', 'Hex High Entropy String', historic, 1), is_secret: true }],
          },
          generated_at: '2026-01-01T00:00:00Z',
        },
        null,
        2,
      )}\n`,
    );
  });

  afterAll(() => repo.remove());

  it('turns hashed secrets into imported baseline entries and exclude filters into allow entries', () => {
    const result = runCli(['import', 'detect-secrets'], repo.path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual(['wrote keyfence.yml: 0 rules, 1 allow entry, 0 rules switched off', 'wrote .keyfence-baseline.json: 3 new entries', '']);
    const config = readFileSync(join(repo.path, 'keyfence.yml'), 'utf8');
    expect(config.startsWith(`# team config\n${CUSTOM_RULES}`)).toBe(true);
    expect(config.slice(`# team config\n${CUSTOM_RULES}`.length)).toBe(
      'allow:\n  # imported from .secrets.baseline:18\n  - paths: [ third_party/*, third_party/*/** ]\n    reason: imported from detect-secrets --exclude-files\n',
    );
    const baseline = JSON.parse(readFileSync(join(repo.path, '.keyfence-baseline.json'), 'utf8')) as { entries: unknown[] };
    expect(baseline.entries).toEqual([
      { ruleId: '*', file: 'config/db.env', hash: `sha1:${sha1(password)}`, imported: 'detect-secrets', reason: 'detect-secrets: Secret Keyword' },
      { ruleId: '*', file: 'config/settings.py', hash: `sha1:${sha1(known)}`, imported: 'detect-secrets', reason: 'detect-secrets: Hex High Entropy String' },
      { ruleId: '*', file: 'legacy.py', hash: `sha1:${sha1(historic)}`, imported: 'detect-secrets', reason: 'detect-secrets: Hex High Entropy String, audited as a real secret: rotate it' },
    ]);
  });

  it('suppresses the recorded values in a scan and reports the new one', () => {
    const result = runCli(['scan', '--baseline', '.keyfence-baseline.json', '--format', 'json', '--show-secrets'], repo.path);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.secret}`)).toEqual([`kf-test-token config/settings.py:2 ${fresh}`]);
    expect(report.stats.suppressed).toEqual({ inline: 0, allow: 1, baseline: 2 });
    expect(result.code).toBe(1);
  });

  it('suppresses the recorded values in the history too', () => {
    const result = runCli(['history', '--baseline', '.keyfence-baseline.json', '--format', 'json', '--show-secrets'], repo.path);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.secret}`)).toEqual([`kf-test-token config/settings.py:2 ${fresh}`]);
    expect(report.stats.suppressed).toEqual({ inline: 0, allow: 1, baseline: 3 });
  });

  it('keeps imported entries that still match when the baseline is rewritten from history, and adds keyed ones for the rest', () => {
    const result = runCli(['baseline', '--history', '--output', '.keyfence-baseline.json'], repo.path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('updated .keyfence-baseline.json: 4 entries (1 new, 3 kept, 0 removed)\n');
    const baseline = JSON.parse(readFileSync(join(repo.path, '.keyfence-baseline.json'), 'utf8')) as { entries: Array<{ ruleId: string; file: string; hash: string }> };
    expect(baseline.entries.map((e) => [e.ruleId, e.file, e.hash.startsWith('sha1:') ? 'sha1' : 'keyed'])).toEqual([
      ['*', 'config/db.env', 'sha1'],
      ['*', 'config/settings.py', 'sha1'],
      ['kf-test-token', 'config/settings.py', 'keyed'],
      ['*', 'legacy.py', 'sha1'],
    ]);
    const history = runCli(['history', '--baseline', '.keyfence-baseline.json', '--format', 'json'], repo.path);
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('drops the entries of deleted files when the baseline is rewritten from the work tree', () => {
    const result = runCli(['baseline', '--output', '.keyfence-baseline.json'], repo.path);
    expect(result.code).toBe(0);
    // legacy.py is gone from the work tree, so a scan of it drops its entry (`baseline --history` keeps it).
    expect(result.stdout).toBe('updated .keyfence-baseline.json: 3 entries (0 new, 3 kept, 1 removed)\n');
    const baseline = JSON.parse(readFileSync(join(repo.path, '.keyfence-baseline.json'), 'utf8')) as { entries: Array<{ ruleId: string; file: string; hash: string }> };
    expect(baseline.entries.map((e) => [e.ruleId, e.file, e.hash.startsWith('sha1:') ? 'sha1' : 'keyed'])).toEqual([
      ['*', 'config/db.env', 'sha1'],
      ['*', 'config/settings.py', 'sha1'],
      ['kf-test-token', 'config/settings.py', 'keyed'],
    ]);
  });
});
