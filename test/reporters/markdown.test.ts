import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { toReport } from '../../src/findings/redact.js';
import { githubLinker } from '../../src/run/reportLinks.js';
import { codeCell, escapeCell, MAX_ROWS, messageCell, renderMarkdown } from '../../src/reporters/markdown.js';
import { context, sampleFindings, sampleReport, sampleSuppressions, scanStats } from './sample.js';

const linkTo = githubLinker({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/shop', GITHUB_SHA: 'abc1234def' })!;

describe('markdown reporter', () => {
  const md = renderMarkdown(sampleReport(), context({ linkTo }));
  const lines = md.split('\n');

  it('counts findings by severity and by environment', () => {
    expect(lines[0]).toBe('## keyfence: 5 findings, 2 suppressed by this change');
    expect(md).toContain('| severity | findings |\n|---|---:|\n| critical | 1 |\n| high | 2 |\n| medium | 1 |\n| low | 1 |\n');
    expect(md).toContain('| environment | findings |\n|---|---:|\n| development | 1 |\n| test | 1 |\n| production | 1 |\n| ci | 1 |\n| unknown | 1 |\n');
  });

  it('lists findings most severe first, linking to the line (at the finding\'s commit when it has one) and to the rule\'s doc', () => {
    const rows = lines.filter((l) => /^\| (critical|high|medium|low) \| [[`]/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| critical', '| high', '| high', '| medium', '| low']);
    expect(rows[0]).toMatch(
      /^\| critical \| \[`stripe-live-secret-key`\]\(https:\/\/example\.com\/docs\/rules\/stripe\.md#stripe-live-secret-key\) \| \[config\/\.env\.development:3\]\(https:\/\/github\.com\/octo\/shop\/blob\/abc1234def\/config\/\.env\.development#L3\) \| development \| `sk_live_…\w{4}` \| Stripe live secret key \|$/,
    );
    expect(rows[1]).toContain('(https://github.com/octo/shop/blob/c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeeabcd/deploy/prod%20%C3%A9%2C%20%22x%22.env#L7)');
    expect(rows[1]).toContain('(commit `c0ffeec0ffee`)');
  });

  it('escapes pipes, markdown and HTML in cells, so a path or message cannot break the table', () => {
    const row = lines.find((l) => l.includes('generic-password'))!;
    expect(row).toContain('[src/db\\|conn.ts:12](https://github.com/octo/shop/blob/abc1234def/src/db%7Cconn.ts#L12)');
    expect(row).toContain('Password \\| in "config": 100% &lt;b\\>real&lt;/b\\> second line');
    // Every table row still has its six cells.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8);
    expect(escapeCell('*bold* _it_ [x](y) `c` <img src=x> a|b\nc')).toBe('\\*bold\\* \\_it\\_ \\[x\\]\\(y\\) \\`c\\` &lt;img src=x\\> a\\|b c');
    expect(codeCell('a`b|c')).toBe('``a`b\\|c``');
    expect(codeCell('`x`')).toBe('`` `x` ``');
  });

  it('lists what the change suppressed after the findings, with the marker and the reason', () => {
    const section = md.slice(md.indexOf('### Suppressed by this change'), md.indexOf('**Notes**'));
    expect(md.indexOf('### Suppressed by this change')).toBeGreaterThan(md.indexOf('| low | `untrusted-checkout`'));
    expect(section.split('\n').filter((l) => l.startsWith('|'))).toEqual([
      '| rule | where | marker | reason |',
      '|---|---|---|---|',
      '| `slack-bot-token` | [test/fixtures/slack reply.json:2](https://github.com/octo/shop/blob/c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeeabcd/test/fixtures/slack%20reply.json#L2) | `keyfence:allow[slack-bot-token]` | recorded `reply` \\| token revoked |',
      '| `generic-api-key` | [docs/setup.md:30](https://github.com/octo/shop/blob/abc1234def/docs/setup.md#L30) | `gitleaks:allow` | *no reason given* |',
    ]);
  });

  it('says how to suppress, and lists the notes', () => {
    expect(md).toContain('<details><summary>How to fix or suppress</summary>');
    expect(md).toContain('keyfence:allow[rule-id] reason');
    expect(md).toContain('keyfence baseline --output .keyfence-baseline.json');
    expect(md).toContain('**Notes**\n\n- 1 file skipped, binary: logo.png\n- note with \\| pipe, 50% and: colon\n');
  });

  it('shows plain locations without a link outside CI, and a short summary when clean (but for what the change suppressed)', () => {
    expect(renderMarkdown(sampleReport(), context())).toContain('| config/.env.development:3 |');
    const empty = toReport([], scanStats({ files: 3, bytes: 1, durationMs: 1 }), [], false);
    expect(renderMarkdown(empty, context())).toBe('## keyfence: no findings\n\nNo secrets or workflow problems found in 3 files.\n');
    const silenced = renderMarkdown({ ...empty, suppressedByChange: sampleSuppressions() }, context());
    expect(silenced).toMatch(/^## keyfence: no findings, 2 suppressed by this change\n\nNo secrets or workflow problems found in 3 files\.\n\n### Suppressed by this change\n/);
  });

  it(`caps the table at ${MAX_ROWS} rows`, () => {
    const one = sampleFindings()[0]!;
    const many: Finding[] = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({ ...one, line: i + 1, endLine: i + 1 }));
    const out = renderMarkdown(toReport(many, scanStats({ files: 1, bytes: 1, durationMs: 1 }), [], false), context());
    expect(out.split('\n').filter((l) => l.startsWith('| critical | [`')).length).toBe(MAX_ROWS);
    expect(out).toContain('…and 7 more');
  });
});

describe('links from the CI environment', () => {
  it('need GITHUB_REPOSITORY and a commit, and encode the path', () => {
    expect(githubLinker({})).toBeUndefined();
    expect(githubLinker({ GITHUB_REPOSITORY: 'not a repo' })).toBeUndefined();
    const link = githubLinker({ GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://ghe.example.com/' })!;
    expect(link('a b/c#d.txt', 4)).toBeUndefined();
    expect(link('a b/c#d.txt', 4, 'deadbeef')).toBe('https://ghe.example.com/o/r/blob/deadbeef/a%20b/c%23d.txt#L4');
  });
});

describe('message cells', () => {
  it('keep code spans as code and escape the rest, whatever the code holds', () => {
    expect(messageCell('job `build` runs `a|b` on *push*')).toBe('job `build` runs `a\\|b` on \\*push\\*');
    expect(messageCell('unbalanced ` tick | pipe')).toBe('unbalanced \\` tick \\| pipe');
    expect(messageCell('`<img src=x onerror=alert(1)>`')).toBe('`<img src=x onerror=alert(1)>`');
  });
});
