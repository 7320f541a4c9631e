import { describe, expect, it } from 'vitest';
import { FORMATS, loadReporter } from '../../src/reporters/reporter.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { summaryLine } from '../../src/reporters/summary.js';
import { context, sampleReport, sampleSecrets } from './sample.js';

/** Pull-request mode always carries the list; every other mode leaves it out. Same secrets in both. */
const secrets = sampleSecrets();
const inPullRequest = () => ({ ...sampleReport(false, secrets), suppressedByChange: [] });
const elsewhere = () => {
  const { suppressedByChange: _, ...report } = sampleReport(false, secrets);
  return report;
};

describe('what the change suppressed, when it suppressed nothing', () => {
  it.each(FORMATS.filter((f) => f !== 'json'))('%s says nothing of it, in pull-request mode or not', async (format) => {
    const render = await loadReporter(format);
    const empty = render(inPullRequest(), context());
    expect(empty).toBe(render(elsewhere(), context()));
    expect(empty).not.toMatch(/suppressed by this change|"suppressions"/i);
  });

  it('json writes an empty list in pull-request mode, and no field elsewhere', async () => {
    const render = await loadReporter('json');
    expect(Object.keys(JSON.parse(render(inPullRequest(), context())))).toEqual(['version', 'tool', 'findings', 'suppressedByChange', 'stats', 'notes']);
    expect(JSON.parse(render(inPullRequest(), context())).suppressedByChange).toEqual([]);
    expect(Object.keys(JSON.parse(render(elsewhere(), context())))).toEqual(['version', 'tool', 'findings', 'stats', 'notes']);
  });

  it('the summary line counts it only when there is some', () => {
    expect(summaryLine(sampleReport())).toBe('5 findings (1 critical, 2 high, 1 medium, 1 low) in 12 files, 42 ms, 2 suppressed by this change');
    expect(summaryLine(inPullRequest())).toBe('5 findings (1 critical, 2 high, 1 medium, 1 low) in 12 files, 42 ms');
  });

  it('the summary line and the markdown say what else was suppressed, and by what', () => {
    const suppressed = { inline: 1, allow: 0, baseline: 2 };
    const report = { ...inPullRequest(), findings: [], stats: { ...inPullRequest().stats, suppressed } };
    expect(summaryLine(report)).toBe('no findings in 12 files, 42 ms, 3 suppressed (1 inline, 2 baseline)');
    const withChange = { ...report, suppressedByChange: sampleReport().suppressedByChange };
    expect(summaryLine(withChange)).toBe('no findings in 12 files, 42 ms, 3 suppressed (1 inline, 2 baseline), 2 suppressed by this change');
    expect(renderMarkdown(report, context()).split('\n')[2]).toBe('No secrets or workflow problems found in 12 files; 3 suppressed (1 inline, 2 baseline).');
  });
});
