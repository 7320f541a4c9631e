import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report, ReportFinding } from '../../src/findings/finding.js';
import { diffReports } from '../../src/reports/diffReports.js';
import { secretKey } from '../../src/reports/findingOrder.js';
import { renderDiff } from '../../src/reports/renderDiff.js';
import { extendTrend, trendPoint } from '../../src/reports/reportTrend.js';
import { scanStats } from '../reporters/sample.js';
import { FINGERPRINTS, readBack, report as arbitraryReport } from './reportArbitraries.js';

const [F0, F1, F2, F3] = FINGERPRINTS as [string, string, string, string];

const finding = (repository: string, category: ReportFinding['category'], fingerprint: string, line = 3): ReportFinding => ({
  repository,
  ruleId: category === 'live-key' ? 'stripe-live-secret-key' : category === 'workflow' ? 'untrusted-checkout' : 'generic-password',
  category,
  severity: category === 'live-key' ? 'critical' : category === 'workflow' ? 'high' : 'medium',
  message: category,
  file: category === 'workflow' ? '.github/workflows/pr.yml' : 'config/.env',
  line,
  column: 1,
  endLine: line,
  endColumn: 20,
  environment: 'development',
  secret: category === 'workflow' ? '' : '…Qv9a',
  fingerprint,
});

const reportOf = (findings: ReportFinding[], over: Partial<Report> = {}): Report => readBack({ findings, stats: scanStats({ files: 3 }), units: ['files'], notes: [], ...over });

/** Last week's org report and this week's: what moved, what came, what went. */
const OLD = reportOf([
  finding('acme/api', 'live-key', F0),
  finding('acme/api', 'generic-secret', F1),
  finding('acme/web', 'workflow', F2),
  finding('acme/web', 'live-key', F0),
]);
const NEW = reportOf([
  // Moved from line 3 to 5: still open.
  finding('acme/api', 'live-key', F0, 5),
  finding('acme/api', 'live-key', F3),
  finding('acme/web', 'live-key', F0),
  // Pasted a second time into the same file: one secret, still open.
  finding('acme/web', 'live-key', F0, 9),
  // The fingerprint fixed in acme/api, now in acme/web: new there.
  finding('acme/web', 'generic-secret', F1),
]);

describe('report diff', () => {
  it('says what is new, fixed and still open, per repository and category', () => {
    const diff = diffReports(OLD, NEW);
    expect([diff.new.length, diff.fixed.length, diff.open.length]).toEqual([2, 2, 2]);
    expect(diff.groups).toEqual([
      { repository: 'acme/api', category: 'generic-secret', new: 0, fixed: 1, open: 0 },
      { repository: 'acme/api', category: 'live-key', new: 1, fixed: 0, open: 1 },
      { repository: 'acme/web', category: 'generic-secret', new: 1, fixed: 0, open: 0 },
      { repository: 'acme/web', category: 'live-key', new: 0, fixed: 0, open: 1 },
      { repository: 'acme/web', category: 'workflow', new: 0, fixed: 1, open: 0 },
    ]);
    // An open finding is shown where NEW has it.
    expect(diff.open.map((f) => `${f.repository} ${f.line}`)).toEqual(['acme/api 5', 'acme/web 3']);
  });

  it('finds nothing changed between a report and itself, and everything new against an empty one', () => {
    const same = diffReports(NEW, NEW);
    expect([same.new.length, same.fixed.length, same.open.length]).toEqual([0, 0, 4]);
    const first = diffReports(reportOf([]), NEW);
    expect([first.new.length, first.fixed.length, first.open.length]).toEqual([4, 0, 0]);
  });

  it('renders as text, JSON and markdown', () => {
    const diff = diffReports(OLD, NEW);
    expect(renderDiff(diff, 'text')).toBe(
      [
        '2 new, 2 fixed, 2 still open',
        '',
        'repository  category        new  fixed  open',
        'acme/api    generic-secret    0      1     0',
        'acme/api    live-key          1      0     1',
        'acme/web    generic-secret    1      0     0',
        'acme/web    live-key          0      0     1',
        'acme/web    workflow          0      1     0',
        '',
        'New:',
        '+ critical acme/api: config/.env:3  stripe-live-secret-key  …Qv9a',
        '+ medium   acme/web: config/.env:3  generic-password  …Qv9a',
        '',
        'Fixed:',
        '- medium   acme/api: config/.env:3  generic-password  …Qv9a',
        '- high     acme/web: .github/workflows/pr.yml:3  untrusted-checkout',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(renderDiff(diff, 'json')) as { summary: unknown; groups: unknown[]; new: Array<{ fingerprint: string; repository: string }>; open: unknown[] };
    expect(json.summary).toEqual({ new: 2, fixed: 2, open: 2 });
    expect(json.groups).toHaveLength(5);
    expect(json.new.map((f) => `${f.repository} ${f.fingerprint === F3 ? 'F3' : 'F1'}`)).toEqual(['acme/api F3', 'acme/web F1']);
    expect(json.open).toHaveLength(2);
    const markdown = renderDiff(diff, 'markdown').split('\n');
    expect(markdown.slice(0, 10)).toEqual([
      '## keyfence: what changed',
      '',
      '**2 new, 2 fixed, 2 still open**',
      '',
      '| repository | category | new | fixed | open |',
      '| --- | --- | ---: | ---: | ---: |',
      '| acme/api | generic\\-secret | 0 | 1 | 0 |',
      '| acme/api | live\\-key | 1 | 0 | 1 |',
      '| acme/web | generic\\-secret | 1 | 0 | 0 |',
      '| acme/web | live\\-key | 0 | 0 | 1 |',
    ]);
    expect(markdown.filter((l) => l.startsWith('| critical') || l.startsWith('| medium') || l.startsWith('| high'))).toHaveLength(4);
  });
});

describe('report diff: properties', () => {
  const keys = (r: Report) => new Set(r.findings.map(secretKey));
  it('splits the secrets of both reports into new, fixed and open, each once, and the table adds up', () => {
    fc.assert(
      fc.property(arbitraryReport, arbitraryReport, (before, after) => {
        const diff = diffReports(before, after);
        const of = (list: ReportFinding[]) => list.map(secretKey);
        expect(new Set([...of(diff.new), ...of(diff.open)])).toEqual(keys(after));
        expect(new Set([...of(diff.fixed), ...of(diff.open)])).toEqual(keys(before));
        expect(diff.new.length + diff.open.length).toBe(keys(after).size);
        expect(diff.fixed.length + diff.open.length).toBe(keys(before).size);
        for (const what of ['new', 'fixed', 'open'] as const) expect(diff.groups.reduce((n, g) => n + g[what], 0)).toBe(diff[what].length);
        // Backwards, what was new is what was fixed.
        const back = diffReports(after, before);
        expect(of(back.fixed).sort()).toEqual(of(diff.new).sort());
        expect(of(back.new).sort()).toEqual(of(diff.fixed).sort());
      }),
    );
  });
});

describe('the trend of report merge --previous', () => {
  it('starts from a previous report without one: its own point, then this run', () => {
    const trend = extendTrend(OLD, '2026-11-30T09:00:00Z', NEW, '2026-12-07T09:00:00Z');
    expect(trend).toEqual({
      runs: [
        { date: '2026-11-30T09:00:00Z', counts: { critical: 2, high: 1, medium: 1, low: 0 } },
        { date: '2026-12-07T09:00:00Z', counts: { critical: 4, high: 0, medium: 1, low: 0 } },
      ],
      new: 2,
      fixed: 2,
      open: 2,
    });
  });

  it("keeps the previous report's runs and adds this one", () => {
    const runs = [trendPoint(reportOf([]), '2026-11-23T09:00:00Z'), trendPoint(OLD, '2026-11-30T09:00:00Z')];
    const previous = { ...OLD, trend: { runs, new: 4, fixed: 0, open: 0 } };
    const trend = extendTrend(previous, 'ignored: the previous report has its runs', NEW, '2026-12-07T09:00:00Z');
    expect(trend.runs.map((r) => r.date)).toEqual(['2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z', '2026-12-07T09:00:00Z']);
    expect(trend.runs[0]!.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
    expect([trend.new, trend.fixed, trend.open]).toEqual([2, 2, 2]);
  });
});
