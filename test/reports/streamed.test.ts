import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report, ReportFinding } from '../../src/findings/finding.js';
import type { SecretInventoryRow } from '../../src/findings/secretInventory.js';
import { FORMATS, loadReporter, reporterEntry, type RenderContext, type StreamedReport } from '../../src/reporters/reporter.js';
import { ReportMerge } from '../../src/reports/mergeReports.js';
import { SpilledMerge } from '../../src/reports/spilledMerge.js';
import { context, sampleReport } from '../reporters/sample.js';
import { report } from './reportArbitraries.js';

/** The formats an organisation's report and `report merge` write as the findings come. */
const STREAMED = FORMATS.filter((f) => reporterEntry(f).stream);

/** A held report as a streamed one: its findings read from the list, as often as asked. */
function streamedOf(r: Report): StreamedReport {
  const { findings, ...head } = r;
  return {
    head,
    async *findings() {
      yield* findings;
    },
  };
}

type Streamed = (typeof STREAMED)[number];

async function streamedText(format: Streamed, r: StreamedReport, ctx: RenderContext): Promise<{ text: string; chunks: number }> {
  const stream = await reporterEntry(format).stream!();
  const chunks: string[] = [];
  await stream(r, ctx, async (chunk) => void chunks.push(chunk));
  return { text: chunks.join(''), chunks: chunks.length };
}

const trend = { runs: [{ date: '2026-11-01T00:00:00Z', counts: { critical: 1, high: 0, medium: 2, low: 0 } }], new: 1, fixed: 0, open: 2 };

/** Stored secrets, one with a finding of the report about it (JUnit fails its case, GitLab details it). */
const inventoryOf = (r: Report): SecretInventoryRow[] => [
  {
    name: 'DEPLOY_KEY',
    scope: 'repository',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ageDays: 300,
    maxAgeDays: 90,
    environment: 'production',
    usedBy: [{ file: '.github/workflows/deploy.yml', job: 'deploy' }],
    mayBeReadBy: [],
    findings: [{ ruleId: r.findings[1]!.ruleId, severity: r.findings[1]!.severity, fingerprint: r.findings[1]!.fingerprint }],
    repository: 'acme/api',
  },
  { name: 'NPM_TOKEN', scope: 'organization', visibility: 'all', createdAt: '2026-05-01T00:00:00Z', updatedAt: '2026-05-01T00:00:00Z', ageDays: 20, maxAgeDays: 180, environment: 'unknown', usedBy: [], mayBeReadBy: [], findings: [] },
];

describe('streamed formats', () => {
  // GitLab's report says when the scan ended: the same instant for both renderings.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('are every format but those people read whole (text, markdown, HTML)', () => {
    expect(STREAMED).toEqual(['json', 'sarif', 'github', 'junit', 'csv', 'gitlab', 'codequality']);
  });

  it.each(STREAMED.flatMap((format) => [[format, 'no'] as const, [format, 'a'] as const]))('%s: writes the bytes its string reporter returns, for the sample report with %s secret inventory', async (format, inventory) => {
    const sample = sampleReport();
    const r = { ...sample, trend, secretInventory: inventory === 'a' ? inventoryOf(sample) : [] };
    const whole = (await loadReporter(format))(r, context());
    const streamed = await streamedText(format, streamedOf(r), context());
    expect(streamed.text).toBe(whole);
    // In pieces, at least one per finding: none is held to write it.
    expect(streamed.chunks).toBeGreaterThan(r.findings.length);
  });

  it.each(STREAMED)('%s: writes the bytes its string reporter returns, for any report (none, one or many findings)', async (format) => {
    const render = await loadReporter(format);
    await fc.assert(
      fc.asyncProperty(report, fc.boolean(), async (r, withTrend) => {
        const given = withTrend ? { ...r, trend } : r;
        expect((await streamedText(format, streamedOf(given), context())).text).toBe(render(given, context()));
      }),
      { numRuns: 150 },
    );
  });
});

describe('SpilledMerge', () => {
  const collect = async (items: AsyncIterable<ReportFinding>) => {
    const out: ReportFinding[] = [];
    for await (const f of items) out.push(f);
    return out;
  };

  it('gives the findings and the rest of ReportMerge, with its findings in runs on disk, read again as often as asked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(report, { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), async (reports, runSize) => {
        const held = new ReportMerge();
        const spilled = new SpilledMerge(runSize);
        for (const r of reports) {
          held.add(r);
          spilled.add(r);
        }
        try {
          const { findings, ...head } = held.result();
          expect(spilled.head()).toEqual(head);
          expect(await collect(spilled.merged())).toEqual(findings);
          expect(await collect(spilled.merged())).toEqual(findings);
        } finally {
          await spilled.dispose();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('removes its runs when disposed', async () => {
    const spilled = new SpilledMerge(1);
    const r = sampleReport();
    spilled.add(r);
    const folder = (spilled as unknown as { folder: string }).folder;
    expect(folder.startsWith(tmpdir())).toBe(true);
    expect(existsSync(folder)).toBe(true);
    expect((await collect(spilled.merged())).length).toBe(r.findings.length);
    await spilled.dispose();
    expect(existsSync(folder)).toBe(false);
  });
});
