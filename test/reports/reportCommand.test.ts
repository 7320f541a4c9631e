/**
 * `keyfence report merge` and `keyfence report diff` as users run them: on JSON reports that real
 * scans of real repositories wrote, through the built CLI.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/findings/finding.js';
import { FORMATS } from '../../src/reporters/reporter.js';
import { assertJsonReport, runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

type JsonReport = Report & { trend?: Report['trend'] };

let work: TempDir;
const secrets = { live: fake.stripeLive(), password: fake.password(), later: fake.stripeLive() };

const API = { 'config/.env.development': `STRIPE_KEY=${secrets.live}\n`, 'README.md': '# api\n' };

/** A repository scanned to `shards/name.json` (or `out` elsewhere) in the work folder; returns the report. */
function scanned(name: string, files: Record<string, string>, ...options: string[]): JsonReport {
  const repo = tempRepo();
  try {
    for (const [file, text] of Object.entries(files)) repo.write(file, text);
    repo.git('add', '-A');
    const out = join(work.path, 'shards', `${name}.json`);
    const r = runCli(['scan', '--format', 'json', '--output', out, ...options], repo.path);
    expect(r.code, r.stderr).toBe(1);
    return JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  } finally {
    repo.remove();
  }
}

let api: JsonReport;
let web: JsonReport;

beforeAll(() => {
  work = tempDir('keyfence-reports-');
  mkdirSync(join(work.path, 'shards'));
  api = scanned('api', API);
  web = scanned('web', { 'src/settings.py': `DB_PASSWORD = "${secrets.password}"\n`, 'config/.env.production': `STRIPE_KEY=${secrets.live}\n` });
});
afterAll(() => work.remove());

const merge = (...args: string[]) => runCli(['report', 'merge', ...args], work.path);
const parsed = (text: string) => JSON.parse(text) as JsonReport;
const place = (r: JsonReport) => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

describe('keyfence report merge', () => {
  it('merges the reports into one, in any order, and counts what they scanned', () => {
    expect(api.findings.length + web.findings.length).toBeGreaterThan(2);
    const r = merge('shards/api.json', 'shards/web.json', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const merged = parsed(r.stdout);
    expect(merged.findings).toHaveLength(api.findings.length + web.findings.length);
    // In report order: by file, then line.
    const byFile = [...api.findings, ...web.findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    expect(place(merged)).toEqual(place({ ...merged, findings: byFile }));
    expect(merged.stats.files).toBe(api.stats.files + web.stats.files);
    expect(merged.stats.bytes).toBe(api.stats.bytes + web.stats.bytes);
    expect(merge('shards/web.json', 'shards/api.json', '--format', 'json').stdout).toBe(r.stdout);
    // A folder is every .json file under it; a report named twice counts once.
    expect(merge('shards', 'shards/api.json', '--format', 'json').stdout).toBe(r.stdout);
  });

  it('is idempotent: the merged report merged again is the same file', () => {
    expect(merge('shards', '--format', 'json', '--output', 'out/merged.json').code).toBe(0);
    const once = readFileSync(join(work.path, 'out/merged.json'), 'utf8');
    const again = merge('out/merged.json', '--format', 'json');
    expect(again.stdout).toBe(once);
    expect(merge('out/merged.json', 'out/merged.json', 'shards/../out/merged.json', '--format', 'json').stdout).toBe(once);
  });

  it('adds to a merged report named as a PATH, and skips its own output lying in a merged folder', () => {
    const all = merge('shards', '--format', 'json').stdout;
    expect(merge('shards/api.json', '--format', 'json', '--output', 'out/growing.json').code).toBe(0);
    expect(merge('out/growing.json', 'shards/web.json', '--format', 'json', '--output', 'out/growing.json').code).toBe(0);
    expect(readFileSync(join(work.path, 'out/growing.json'), 'utf8')).toBe(all);
    try {
      for (let run = 0; run < 2; run++) expect(merge('shards', '--format', 'json', '--output', 'shards/all.json').code).toBe(0);
      expect(readFileSync(join(work.path, 'shards/all.json'), 'utf8')).toBe(all);
    } finally {
      rmSync(join(work.path, 'shards/all.json'), { force: true });
    }
  });

  it('renders the merged report in every format, and says on stderr where it went', () => {
    for (const format of FORMATS) {
      const r = merge('shards', '--format', format, '--output', `out/merged.${format}`);
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^keyfence: merged 2 reports: ${api.findings.length + web.findings.length} findings \\(.*\\) in 4 files, \\d+ ms; written to out/merged\\.${format}\\n$`));
      const text = readFileSync(join(work.path, `out/merged.${format}`), 'utf8');
      expect(text.length, format).toBeGreaterThan(0);
      for (const secret of Object.values(secrets)) expect(text, format).not.toContain(secret);
    }
    const sarif = JSON.parse(readFileSync(join(work.path, 'out/merged.sarif'), 'utf8')) as { runs: Array<{ results: unknown[]; tool: { driver: { rules: Array<{ id: string }> } } }> };
    expect(sarif.runs[0]!.results).toHaveLength(api.findings.length + web.findings.length);
    // Built-in rules keep their descriptions and doc links through the merge.
    expect(sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toContain('stripe-live-secret-key');
  });

  it('shows the values of a report written with --show-secrets only when asked again', () => {
    scanned('shown', API, '--show-secrets');
    mkdirSync(join(work.path, 'out'), { recursive: true });
    renameSync(join(work.path, 'shards/shown.json'), join(work.path, 'out/shown.json'));
    expect(readFileSync(join(work.path, 'out/shown.json'), 'utf8')).toContain(secrets.live);
    const masked = merge('out/shown.json', '--format', 'json');
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain(secrets.live);
    // Masked as the scan masks: the same report as the one written without --show-secrets.
    expect(parsed(masked.stdout).findings).toEqual(api.findings);
    expect(merge('out/shown.json', '--format', 'json', '--show-secrets').stdout).toContain(secrets.live);
    const diff = runCli(['report', 'diff', 'shards/api.json', 'out/shown.json', '--format', 'json'], work.path);
    expect(diff.stdout).not.toContain(secrets.live);
    expect((JSON.parse(diff.stdout) as { summary: unknown }).summary).toEqual({ new: 0, fixed: 0, open: api.findings.length });
  });

  it('refuses a file that is not a keyfence JSON report with one line naming it, and writes nothing', () => {
    const bad = join(work.path, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'a.json'), readFileSync(join(work.path, 'shards/api.json')));
    writeFileSync(join(bad, 'broken.json'), '{\n  "version": 1,\n  "findings": [\n    oops\n');
    const r = merge('bad', '--format', 'sarif', '--output', 'out/never.sarif');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: "keyfence: bad/broken.json:4:5: not JSON (Unexpected token 'o')\n  hint: give JSON reports written by `keyfence ... --format json` (schema/report.schema.json)\n",
    });
    expect(existsSync(join(work.path, 'out/never.sarif'))).toBe(false);
    renameSync(join(bad, 'broken.json'), join(bad, 'broken.txt'));
    writeFileSync(join(bad, 'sarif.json'), readFileSync(join(work.path, 'out/merged.sarif')));
    expect(merge('bad', '--format', 'json').stderr.split('\n')[0]).toBe('keyfence: bad/sarif.json: not a keyfence JSON report: tool.name is missing, not "keyfence"');
    writeFileSync(join(bad, 'sarif.json'), JSON.stringify({ ...api, version: 2 }));
    expect(merge('bad').stderr.split('\n')[0]).toBe('keyfence: bad/sarif.json: report version 2 (written by keyfence 0.1.0), this keyfence reads version 1');
    expect(merge('nowhere.json').stderr.split('\n')[0]).toBe('keyfence: report merge: nowhere.json does not exist');
    expect(merge('shards', '--format', 'pdf').stderr.split('\n')[0]).toBe('keyfence: report merge: unknown format "pdf"');
  });

  it('with --previous, carries a trend: last run, this run, and what changed', () => {
    // Last week: api's report alone, merged; its file dated last week.
    expect(merge('shards/api.json', '--format', 'json', '--output', 'out/last-week.json').code).toBe(0);
    utimesSync(join(work.path, 'out/last-week.json'), new Date('2026-11-30T09:00:00Z'), new Date('2026-11-30T09:00:00Z'));
    const r = merge('shards', '--previous', 'out/last-week.json', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const trend = parsed(r.stdout).trend!;
    expect(trend.runs).toHaveLength(2);
    expect(trend.runs[0]!.date).toBe('2026-11-30T09:00:00Z');
    expect(trend.runs[1]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const critical = (f: { severity: string }) => f.severity === 'critical';
    expect(trend.runs[0]!.counts.critical).toBe(api.findings.filter(critical).length);
    expect(trend.runs[1]!.counts.critical).toBe(api.findings.filter(critical).length + web.findings.filter(critical).length);
    expect([trend.new, trend.fixed, trend.open]).toEqual([web.findings.length, 0, api.findings.length]);
    // Next week, from this report: its runs are kept and one is added.
    writeFileSync(join(work.path, 'out/this-week.json'), r.stdout);
    const next = parsed(merge('shards/web.json', '--previous', 'out/this-week.json', '--format', 'json').stdout).trend!;
    expect(next.runs.map((p) => p.date).slice(0, 2)).toEqual(trend.runs.map((p) => p.date));
    expect(next.runs).toHaveLength(3);
    expect([next.new, next.fixed, next.open]).toEqual([0, api.findings.length, web.findings.length]);
  });
});

describe('keyfence report diff', () => {
  it('says what is new, fixed and still open, in text, JSON and markdown', () => {
    const r = runCli(['report', 'diff', 'shards/api.json', 'out/merged.json'], work.path);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${web.findings.length} new, 0 fixed, ${api.findings.length} still open`);
    expect(lines.filter((l) => l.startsWith('+ '))).toHaveLength(web.findings.length);
    expect(lines.filter((l) => l.startsWith('- '))).toHaveLength(0);
    const json = JSON.parse(runCli(['report', 'diff', 'out/merged.json', 'shards/web.json', '--format', 'json'], work.path).stdout) as { summary: unknown };
    expect(json.summary).toEqual({ new: 0, fixed: api.findings.length, open: web.findings.length });
    const md = runCli(['report', 'diff', 'shards/api.json', 'shards/web.json', '--format', 'markdown', '--output', 'out/diff.md'], work.path);
    expect(md).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(work.path, 'out/diff.md'), 'utf8').split('\n')[2]).toBe(`**${web.findings.length} new, ${api.findings.length} fixed, 0 still open**`);
  });

  it('fails with --fail-on only on what is new at or above it', () => {
    const diff = (...args: string[]) => runCli(['report', 'diff', ...args], work.path).code;
    const newCritical = web.findings.some((f) => f.severity === 'critical');
    expect(newCritical).toBe(true);
    expect(diff('shards/api.json', 'out/merged.json')).toBe(0);
    expect(diff('shards/api.json', 'out/merged.json', '--fail-on', 'critical')).toBe(1);
    // Nothing new: what is still open does not fail.
    expect(diff('out/merged.json', 'shards/web.json', '--fail-on', 'low')).toBe(0);
    expect(merge('shards', '--format', 'json', '--fail-on', 'critical').code).toBe(1);
    expect(merge('shards', '--format', 'json', '--fail-on', 'none').code).toBe(0);
    expect(merge('shards', '--fail-on', 'urgent').stderr.split('\n')[0]).toBe('keyfence: report: --fail-on "urgent" is not a severity');
  });

  it('refuses a bad report, a missing one and a report format it does not write', () => {
    expect(runCli(['report', 'diff', 'shards/api.json'], work.path).stderr.split('\n')[0]).toBe('keyfence: report diff: give OLD and NEW');
    expect(runCli(['report', 'diff', 'shards/api.json', 'out/merged.sarif'], work.path).stderr.split('\n')[0]).toBe(
      'keyfence: out/merged.sarif: not a keyfence JSON report: tool.name is missing, not "keyfence"',
    );
    expect(runCli(['report', 'diff', 'a.json', 'b.json', '--format', 'sarif'], work.path).stderr.split('\n')[0]).toBe('keyfence: report diff: unknown format "sarif"');
    expect(runCli(['report', 'frobnicate'], work.path).stderr.split('\n')[0]).toBe('keyfence: report: unknown action "frobnicate"');
  });
});

it('a merged JSON report matches the published schema', () => {
  const r = merge('shards', '--previous', 'out/last-week.json', '--format', 'json');
  assertJsonReport('report merge', r);
});
