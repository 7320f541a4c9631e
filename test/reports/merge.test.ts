import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report, ReportFinding } from '../../src/findings/finding.js';
import { compareReportFindings, findingKey } from '../../src/reports/findingOrder.js';
import { ReportMerge, sumCounts } from '../../src/reports/mergeReports.js';
import { scanStats } from '../reporters/sample.js';
import { FINGERPRINTS, json, readBack, report } from './reportArbitraries.js';

function merge(reports: readonly Report[]): Report {
  const merged = new ReportMerge();
  for (const r of reports) merged.add(r);
  return merged.result();
}

/** The merged report as `report merge --format json` writes it, and read back as the next merge reads it. */
const mergedJson = (reports: readonly Report[]) => json(merge(reports));

/** Some reports, and the same reports in another order. */
const reportsAndShuffled = fc
  .array(report, { maxLength: 6 })
  .chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length })));

describe('report merge: properties', () => {
  it('does not depend on the order of the reports', () => {
    fc.assert(
      fc.property(reportsAndShuffled, ([reports, shuffled]) => {
        expect(mergedJson(shuffled)).toBe(mergedJson(reports));
      }),
    );
  });

  it('is idempotent: a merged report merged again, alone or with itself, is the same report', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 6 }), (reports) => {
        const once = mergedJson(reports);
        const merged = readBack(merge(reports), 'merged.json');
        expect(mergedJson([merged])).toBe(once);
        expect(mergedJson([merged, merged])).toBe(once);
        expect(mergedJson([...reports, ...reports])).toBe(once);
      }),
    );
  });

  it('keeps each finding once, every finding of every report, in report order', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 6 }), (reports) => {
        const merged = merge(reports);
        const keys = merged.findings.map(findingKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(reports.flatMap((r) => r.findings.map(findingKey))));
        for (let i = 1; i < merged.findings.length; i++) {
          expect(compareReportFindings(merged.findings[i - 1]!, merged.findings[i]!)).toBeLessThan(0);
        }
      }),
    );
  });

  it('adds up the stats of the distinct reports', () => {
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 6 }), (reports) => {
        const distinct = [...new Map(reports.map((r) => [json(r), r])).values()];
        const merged = merge(reports);
        for (const key of ['files', 'bytes', 'commits', 'durationMs', 'skipped'] as const) {
          expect(merged.stats[key]).toBe(distinct.reduce((n, r) => n + r.stats[key], 0));
        }
        expect(merged.stats.suppressed.baseline).toBe(distinct.reduce((n, r) => n + r.stats.suppressed.baseline, 0));
      }),
    );
  });
});

const at = (over: Partial<ReportFinding>): ReportFinding => ({
  ruleId: 'stripe-live-secret-key',
  category: 'live-key',
  severity: 'critical',
  message: 'Stripe live secret key',
  file: 'config/.env',
  line: 3,
  column: 14,
  endLine: 3,
  endColumn: 46,
  environment: 'development',
  secret: '…Qv9a',
  fingerprint: FINGERPRINTS[0]!,
  ...over,
});
const reportOf = (findings: ReportFinding[], over: Partial<Report> = {}): Report => readBack({ findings, stats: scanStats({ files: 1 }), units: ['files'], notes: [], ...over });

describe('report merge: examples', () => {
  it('counts one fingerprint in two repositories as two findings, and in one repository as one', () => {
    const api = reportOf([at({ repository: 'acme/api' })]);
    const web = reportOf([at({ repository: 'acme/web' })]);
    expect(merge([api, web]).findings.map((f) => f.repository)).toEqual(['acme/api', 'acme/web']);
    // The same finding from two shards that both covered acme/api (a retried job): once.
    const retried = reportOf([at({ repository: 'acme/api' })], { stats: scanStats({ files: 2 }) });
    const both = merge([api, retried]);
    expect(both.findings).toHaveLength(1);
    expect(both.stats.files).toBe(3);
  });

  it('keeps a secret pasted twice into one file as the two findings the scan reported', () => {
    const r = reportOf([at({ line: 3 }), at({ line: 9 })]);
    expect(merge([r]).findings.map((f) => f.line)).toEqual([3, 9]);
  });

  it('keeps the later provider answer of one finding, whichever report comes first', () => {
    const older = reportOf([at({ verification: { status: 'live', checkedAt: '2026-11-01T00:00:00Z' } })]);
    const newer = reportOf([at({ verification: { status: 'revoked', checkedAt: '2026-11-08T00:00:00Z' } })], { stats: scanStats({ files: 2 }) });
    expect(merge([older, newer]).findings.map((f) => f.verification?.status)).toEqual(['revoked']);
    expect(merge([newer, older]).findings.map((f) => f.verification?.status)).toEqual(['revoked']);
  });

  it('joins notes and secret inventories without repeats, and sums counts a report adds (repositories)', () => {
    const row = { name: 'NPM_TOKEN', scope: 'repository' as const, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ageDays: 5, maxAgeDays: 90, environment: 'unknown' as const, usedBy: [], mayBeReadBy: [], findings: [] };
    const a = reportOf([], { notes: ['b note', 'a note'], secretInventory: [row] });
    const b = reportOf([], { notes: ['a note', 'c note'], secretInventory: [row, { ...row, name: 'AWS_KEY', ageDays: 400, environment: 'production' }], stats: { ...scanStats({ files: 4 }), repositories: 2 } as Report['stats'] });
    const merged = merge([a, b]);
    expect(merged.notes).toEqual(['a note', 'b note', 'c note']);
    expect(merged.secretInventory?.map((r) => r.name)).toEqual(['AWS_KEY', 'NPM_TOKEN']);
    expect(merged.stats.files).toBe(5);
    expect((merged.stats as unknown as { repositories: number }).repositories).toBe(2);
  });

  it('keeps a trend every report that has one agrees on, and drops differing ones with a note', () => {
    const trend = { runs: [{ date: '2026-11-01T00:00:00Z', counts: { critical: 1, high: 0, medium: 0, low: 0 } }], new: 1, fixed: 0, open: 0 };
    const a = reportOf([at({})], { trend });
    expect(merge([a]).trend).toEqual(trend);
    const b = reportOf([], { trend: { ...trend, new: 0 } });
    const merged = merge([a, b]);
    expect(merged.trend).toBeUndefined();
    expect(merged.notes).toEqual(['2 different trends in the merged reports: none kept (give --previous to compute one)']);
  });

  it('sums nested counts key by key, a key missing on one side counting 0', () => {
    const sum = sumCounts({ a: 1, n: { x: 2 } } as Record<string, unknown>, { a: 2, b: 3, n: { x: 1, y: 4 } });
    expect(sum).toEqual({ a: 3, b: 3, n: { x: 3, y: 4 } });
  });
});
