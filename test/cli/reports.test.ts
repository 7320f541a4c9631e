/**
 * Several reports from one run (`--report FORMAT=FILE`), and the messages around a run: an unknown
 * flag, findings below --fail-on, colours asked for by FORCE_COLOR and NO_COLOR.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wantsColour } from '../../src/run/report.js';
import { runCli, type CliResult } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

/** A repository with a high finding (line 1) and a low one (line 2); reports go to the ignored out/. */
function project(): TempDir {
  dir = tempRepo();
  dir.write('.gitignore', 'out/\n');
  dir.write('keyfence.yml', CUSTOM_RULES);
  dir.write('config/app.env', `A=${testToken()}\nB=${otherToken()}\n`);
  return dir;
}

/** Exit 2 before anything was scanned or written: nothing on stdout, one message line and one hint line. */
function expectUsageError(r: CliResult, message: string, hint: string): void {
  expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `keyfence: ${message}\n  hint: ${hint}\n` });
}

const withoutTimes = (text: string) => text.replace(/\b\d+ ms\b/g, 'T ms').replace(/"durationMs": \d+/g, '"durationMs": 0');

describe('--report FORMAT=FILE', () => {
  it('writes each report of the same run beside the console output', () => {
    const d = project();
    const r = runCli(['scan', '--report', 'json=out/report.json', '--report', 'sarif=out/keyfence.sarif', '--report', 'junit=out/junit.xml', '--report', 'csv=out/x/findings.csv'], d.path);
    expect(r.code).toBe(1);
    // The console report is the text one, as without --report.
    expect(withoutTimes(r.stdout)).toBe(withoutTimes(runCli(['scan'], d.path).stdout));
    expect(r.stderr).toBe('keyfence: json report written to out/report.json, sarif report written to out/keyfence.sarif, junit report written to out/junit.xml, csv report written to out/x/findings.csv\n');
    // Each file is what --format gives for that format.
    for (const [format, file] of [['json', 'out/report.json'], ['sarif', 'out/keyfence.sarif'], ['junit', 'out/junit.xml'], ['csv', 'out/x/findings.csv']] as const) {
      const alone = runCli(['scan', '--format', format], d.path).stdout;
      expect(withoutTimes(readFileSync(join(d.path, file), 'utf8')).replace(/time="[\d.]+"/g, ''), format).toBe(withoutTimes(alone).replace(/time="[\d.]+"/g, ''));
    }
    const json = JSON.parse(readFileSync(join(d.path, 'out/report.json'), 'utf8')) as { findings: Array<{ ruleId: string; line: number }> };
    expect(json.findings.map((f) => [f.ruleId, f.line])).toEqual([['kf-test-token', 1], ['kf-other-token', 2]]);
  });

  it('goes with --output and any --format', () => {
    const d = project();
    const r = runCli(['scan', '--format', 'json', '--output', 'out/main.json', '--report', 'markdown=out/summary.md'], d.path);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^keyfence: 2 findings \(1 high, 1 low\) in 3 files, \d+ ms; report written to out\/main\.json$/),
      'keyfence: markdown report written to out/summary.md',
      '',
    ]);
    expect(readFileSync(join(d.path, 'out/summary.md'), 'utf8')).toContain('kf-test-token');
  });

  it('a bad format, a missing file or an unwritable path fails before scanning, in one line', () => {
    const d = project();
    const formats = 'e.g. --report sarif=keyfence.sarif (formats: text, json, sarif, github, markdown, junit, csv';
    const bad = runCli(['scan', '--report', 'yaml=out.yml'], d.path);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('keyfence: --report "yaml=out.yml": unknown format "yaml"');
    expect(bad.stderr.split('\n')[1]).toContain(formats);
    expect(runCli(['scan', '--report', 'sarif'], d.path).stderr.split('\n')[0]).toBe('keyfence: --report "sarif": no file to write the sarif report to');
    mkdirSync(join(d.path, 'folder'));
    expectUsageError(runCli(['scan', '--report', 'sarif=folder'], d.path), 'cannot write the report to folder: it is a directory', 'give --report a file path in a folder you can write to');
    expectUsageError(runCli(['scan', '--report', 'sarif=config/app.env/x.sarif'], d.path), `cannot write the report to config/app.env/x.sarif: ${join(d.path, 'config/app.env')} is not a directory`, 'give --report a file path in a folder you can write to');
    expectUsageError(runCli(['scan', '-o', 'a.json', '--format', 'json', '--report', 'csv=a.json'], d.path), '--report a.json: the json report of --output goes to the same file', 'give each report its own file');
    expect(existsSync(join(d.path, 'out.yml'))).toBe(false);
    expect(existsSync(join(d.path, 'a.json'))).toBe(false);
  });
});

describe('messages', () => {
  it('an unknown flag is one line with the flag it most likely meant', () => {
    const d = project();
    expectUsageError(runCli(['scan', '--formt', 'json'], d.path), 'scan: unknown option --formt (did you mean --format?)', 'run `keyfence scan --help` for usage');
    expectUsageError(runCli(['scan', '--fail-no', 'low'], d.path), 'scan: unknown option --fail-no (did you mean --fail-on?)', 'run `keyfence scan --help` for usage');
    expectUsageError(runCli(['history', '--reprot', 'csv=x.csv'], d.path), 'history: unknown option --reprot (did you mean --report?)', 'run `keyfence history --help` for usage');
    expectUsageError(runCli(['scan', '--zzzzzz'], d.path), 'scan: unknown option --zzzzzz', 'run `keyfence scan --help` for usage');
  });

  it('an unknown command gets a "did you mean" too', () => {
    const d = project();
    expectUsageError(runCli(['scna'], d.path), 'unknown command "scna" (did you mean scan?)', 'run `keyfence --help` for the list of commands');
  });

  it('the text report says which findings were below --fail-on and did not block', () => {
    const d = project();
    const r = runCli(['scan'], d.path);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(-3)).toEqual([expect.stringMatching(/^2 findings \(1 high, 1 low\) in 3 files, \d+ ms$/), '1 finding below fail-on medium did not block (1 low)', '']);
    const critical = runCli(['scan', '--fail-on', 'critical'], d.path);
    expect(critical.code).toBe(0);
    expect(critical.stdout.split('\n').at(-2)).toBe('2 findings below fail-on critical did not block (1 high, 1 low)');
    const low = runCli(['scan', '--fail-on', 'low'], d.path);
    expect(low.stdout.split('\n').at(-2)).toMatch(/^2 findings \(1 high, 1 low\) in 3 files, \d+ ms$/);
  });

  it('FORCE_COLOR paints text into a pipe; FORCE_COLOR=0 and NO_COLOR do not', () => {
    const d = project();
    expect(runCli(['scan'], d.path, { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain('\x1b[31mhigh    \x1b[0m');
    expect(runCli(['scan'], d.path, { NO_COLOR: '', FORCE_COLOR: '0' }).stdout).not.toContain('\x1b[');
    expect(runCli(['scan', '--report', 'text=out/x.txt'], d.path, { NO_COLOR: '', FORCE_COLOR: '1' }).code).toBe(1);
    // Files never get colours.
    expect(readFileSync(join(d.path, 'out/x.txt'), 'utf8')).toMatch(/^config\/app\.env:1:3 {2}high {6}kf-test-token/);
    expect([wantsColour({}, true), wantsColour({ NO_COLOR: '1' }, true), wantsColour({ NO_COLOR: '' }, true), wantsColour({}, false)]).toEqual([true, false, true, false]);
    expect([wantsColour({ FORCE_COLOR: '' }, false), wantsColour({ FORCE_COLOR: 'false' }, true), wantsColour({ FORCE_COLOR: '3', NO_COLOR: '1' }, false)]).toEqual([true, false, true]);
  });
});
