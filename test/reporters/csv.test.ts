import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { toReport } from '../../src/findings/redact.js';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../src/reporters/csv.js';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { context, sampleFindings, sampleReport, scanStats } from './sample.js';

/** Read back with a real CSV parser (csv-parse, strict on quotes and column counts), as a spreadsheet import would. */
const read = (csv: string) => parse(csv, { columns: true, relax_quotes: false, relax_column_count: false, record_delimiter: '\r\n' }) as Array<Record<string, string>>;

describe('csv report', () => {
  it('is RFC 4180: a header row, a row per finding and per change suppression, CRLF, quoted where needed', () => {
    const csv = renderCsv(sampleReport(), context());
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = read(csv);
    expect(rows.map((r) => [r.status, r.ruleId, r.file, r.line, r.severity])).toEqual([
      ['finding', 'untrusted-checkout', '.github/workflows/ci.yml', '20', 'low'],
      ['finding', 'stripe-live-secret-key', 'config/.env.development', '3', 'critical'],
      ['finding', 'aws-access-key-id', 'deploy/prod é, "x".env', '7', 'high'],
      ['finding', 'private-key', 'keys/id_rsa', '1', 'high'],
      ['finding', 'generic-password', 'src/db|conn.ts', '12', 'medium'],
      ['suppressed-by-change', 'slack-bot-token', 'test/fixtures/slack reply.json', '2', 'high'],
      ['suppressed-by-change', 'generic-api-key', 'docs/setup.md', '30', 'medium'],
    ]);
    expect(rows[4]!.message).toBe('Password | in "config": 100% <b>real</b>\nsecond line');
    expect(rows[2]!.author).toBe('Dev, Eloper <dev@example.com>');
    expect([rows[5]!.marker, rows[5]!.reason]).toEqual(['keyfence:allow[slack-bot-token]', 'recorded `reply` | token revoked']);
    expect([rows[6]!.marker, rows[6]!.reason]).toEqual(['gitleaks:allow', '']);
    expect(rows[1]!.secret).toMatch(/^sk_live_…\w{4}$/);
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const [f] = sampleFindings();
    const formulas = ['=HYPERLINK("https://example.com/x","click")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    const report = toReport(
      formulas.map((file, i) => ({ ...f!, file, line: i + 1, message: file })),
      scanStats({ files: formulas.length }),
      [],
      false,
    );
    const rows = read(renderCsv(report, context()));
    expect(rows.map((r) => r.file)).toEqual(formulas.map((s) => `'${s}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const r of rows) expect(r.message).toBe(r.file);
    // Numbers stay numbers; text that merely contains a sign does not change.
    expect([csvCell(-1), csvCell('a=b'), csvCell('x,y'), csvCell('say "hi"')]).toEqual(['-1', 'a=b', '"x,y"', '"say ""hi"""']);
  });

  it('a clean run is the header alone', () => {
    expect(renderCsv(toReport([], scanStats(), [], false), context())).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  describe('from the CLI', () => {
    let dir: TempDir | undefined;
    afterEach(() => {
      dir?.remove();
      dir = undefined;
    });

    it('--format csv: one row per finding, redacted', () => {
      dir = tempDir();
      const [a, b] = [testToken(), otherToken()];
      dir.write('keyfence.yml', CUSTOM_RULES);
      dir.write('config/app.env', `A=${a}\nB=${b}\n`);
      const r = runCli(['scan', '--format', 'csv'], dir.path);
      expect(r.code).toBe(1);
      const rows = read(r.stdout);
      expect(rows.map((row) => [row.ruleId, row.file, row.line, row.column, row.secret])).toEqual([
        ['kf-test-token', 'config/app.env', '1', '3', `kft_…${a.slice(-4)}`],
        ['kf-other-token', 'config/app.env', '2', '3', `kfo_…${b.slice(-4)}`],
      ]);
      for (const s of [a, b]) expect(r.stdout).not.toContain(s);
    });
  });
});
