import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toReport } from '../../../src/findings/redact.js';
import { escapeHtml, renderHtml } from '../../../src/reporters/html.js';
import { htmlChartData, MAX_REPOSITORIES } from '../../../src/reporters/htmlData.js';
import { runCli } from '../../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../../support/customRules.js';
import { tempDir, type TempDir } from '../../support/tempRepo.js';
import { context, sampleReport, sampleSecrets, scanStats } from '../sample.js';
import { ORG_COUNTS, orgContext, orgReport } from './orgReport.js';

/** The secret's middle: what must never show, even when prefix and last four characters may. */
const middle = (s: string) => s.slice(Math.floor(s.length / 3), Math.ceil((2 * s.length) / 3));

const rows = (html: string) => html.match(/<tr data-severity="[a-z]+">/g) ?? [];
const scriptOf = (html: string) => /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)![1]!;
const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="keyfence-data">(.*?)<\/script>/.exec(html)![1]!);

describe('the HTML report', () => {
  it('never holds a full secret, nor its middle, unless the run showed secrets', () => {
    const secrets = sampleSecrets();
    const masked = renderHtml(orgReport(false, secrets), orgContext());
    for (const s of [secrets.stripe, secrets.aws, secrets.password, secrets.slack, secrets.apiKey]) {
      expect(masked).not.toContain(s);
      expect(masked).not.toContain(escapeHtml(s));
      expect(masked).not.toContain(middle(s));
    }
    // The redacted form is what the Value cells show: prefix and last four of a provider key.
    expect(masked).toContain(`<code>sk_live_…${secrets.stripe.slice(-4)}</code>`);
    const shown = renderHtml(orgReport(true, secrets), orgContext());
    for (const s of [secrets.stripe, secrets.aws, secrets.password, secrets.apiKey]) expect(shown).toContain(escapeHtml(s));
  });

  it('lists every finding once, with the repository and provider columns an organisation audit needs', () => {
    const html = renderHtml(orgReport(), orgContext());
    expect(rows(html)).toHaveLength(ORG_COUNTS.findings);
    for (const [severity, n] of Object.entries(ORG_COUNTS.severities)) expect(rows(html).filter((r) => r.includes(`"${severity}"`))).toHaveLength(n);
    const head = /<thead><tr>(.*?)<\/tr><\/thead>/.exec(html)![1]!;
    expect([...head.matchAll(/<button type="button">([^<]+)<\/button>/g)].map((m) => m[1])).toEqual([
      'Severity', 'Rule', 'Repository', 'Where', 'Environment', 'Category', 'Value', 'Message', 'Commit', 'Verified',
    ]);
    for (const [repository, n] of Object.entries(ORG_COUNTS.repositories)) {
      const findingRows = html.match(/<tr data-severity="[a-z]+">[\s\S]*?<\/tr>/g) ?? [];
      expect(findingRows.filter((r) => r.includes(`<td data-label="Repository">${repository}</td>`))).toHaveLength(n);
    }
    expect(html).toContain('<td data-label="Verified">live (account acct_1 (Shop Ltd))</td>');
    // Cards: repositories, live-verified of those checked, the trend's counts.
    expect(html).toContain('<h3>Repositories with findings</h3><p class="big">3</p>');
    expect(renderHtml(sampleReport(), context())).toContain('<h3>Repositories</h3><p class="big">1</p>');
    expect(html).toContain(`<h3>Live-verified</h3><p class="big">${ORG_COUNTS.live}</p><p class="lede">of ${ORG_COUNTS.verified} checked with the provider</p>`);
    expect(html).toContain('<li><span>new</span><span>1</span></li><li><span>fixed</span><span>3</span></li><li><span>still open</span><span>9</span></li>');
    expect(html).toContain('<time datetime="2024-12-24T10:00:00Z">2024-12-24</time>');
  });

  it('links rules to their doc pages, and lines to GitHub in each finding\'s own repository', () => {
    const org = renderHtml(orgReport(), orgContext());
    expect(org).toContain('<a href="https://github.com/keyfence/keyfence/blob/main/docs/rules/stripe.md#stripe-live-secret-key"><code>stripe-live-secret-key</code></a>');
    expect(org).toContain('<a href="https://github.com/keyfence/keyfence/blob/main/docs/workflows/untrusted-checkout.md"><code>untrusted-checkout</code></a>');
    // Each finding links into its own repository (the run's is octo/shop at f00dfeed): at its commit,
    // else at HEAD, the default branch the organisation's audit scanned; settings are not linked.
    expect([...org.matchAll(/<a href="(https:\/\/github\.com\/octo\/[^"]+)">/g)].map((m) => m[1])).toEqual([
      `https://github.com/octo/shop/blob/${'a1'.repeat(20)}/config/.env.production#L3`,
      `https://github.com/octo/shop/blob/${'c3'.repeat(20)}/.github/workflows/ci.yml#L20`,
      'https://github.com/octo/api/blob/HEAD/.github/workflows/release.yml#L31',
      `https://github.com/octo/shop/blob/${'b2'.repeat(20)}/deploy/staging.env#L7`,
      'https://github.com/octo/shop/blob/HEAD/test/db%20%3Cconn%3E.ts#L12',
      `https://github.com/octo/api/blob/${'d4'.repeat(20)}/test/fixtures/reply.json#L2`,
      'https://github.com/octo/docs/blob/HEAD/config/staging.yml#L9',
      `https://github.com/octo/api/blob/${'e5'.repeat(20)}/src/client.ts#L30`,
    ]);
    expect(org).not.toContain('f00dfeed');

    const { findings } = sampleReport();
    const one = renderHtml(sampleReport(), context({ linkTo: (file, line, sha) => `https://github.com/o/r/blob/${sha ?? 'head'}/${encodeURIComponent(file)}#L${line}` }));
    const lineLinks = [...one.matchAll(/<a href="(https:\/\/github\.com\/o\/r\/blob\/[^"]+)">/g)].map((m) => m[1]);
    expect(lineLinks).toHaveLength(findings.length);
    // The one from history links at its own commit.
    expect(lineLinks).toContain(`https://github.com/o/r/blob/${'c0ffee'.repeat(6)}abcd/${encodeURIComponent('deploy/prod é, "x".env').replace(/"/g, '&#34;')}#L7`);
    // A link that is not http(s) is not made.
    const unsafe = renderHtml(sampleReport(), context({ linkTo: () => 'javascript:alert(1)' }));
    expect(unsafe).not.toContain('javascript:');
  });

  it('escapes what comes from the repository', () => {
    const html = renderHtml(orgReport(), orgContext());
    expect(html).toContain('Password &#60;b&#62;assignment&#60;/b&#62; &#38; &#34;quotes&#34;');
    expect(html).toContain('<code>test/<wbr>db &#60;conn&#62;.ts:12</code>');
    expect(html).not.toContain('<b>assignment');
  });

  it('has the settings, secret inventory and notes sections', () => {
    const html = renderHtml(orgReport(), orgContext());
    const settings = /<section aria-labelledby="settings-h">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(settings.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(ORG_COUNTS.settings);
    expect(settings).toContain('<code>github:octo/<wbr>shop/<wbr>environments/<wbr>prod</code>');
    const inventory = /<section aria-labelledby="inventory-h">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(inventory.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(2);
    // An organisation's inventory: each row's repository comes first.
    expect([...inventory.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(['Repository', 'Secret', 'Scope', 'Age / limit (days)', 'Last update', 'Used by', 'Findings']);
    expect([...inventory.matchAll(/<td data-label="Repository">([^<]*)<\/td><td data-label="Secret"><code>([^<]*)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'octo/shop DEPLOY_TOKEN',
      'octo/api NPM_TOKEN',
    ]);
    expect(inventory).toContain('<span class="over">400</span> / 90');
    expect(inventory).toContain('<code>.github/workflows/ci.yml build</code> (all secrets)');
    expect(html).toContain('<li>octo/legacy: clone failed (404), recorded and skipped</li>');
  });

  it('gives the charts exact counts: by category and environment, by repository, oldest finding, trend', () => {
    const data = htmlChartData(orgReport());
    expect(data.categoryEnvironment?.labels).toEqual(['live-key', 'generic-secret', 'prod-host', 'fixture', 'echo-leak', 'workflow', 'github-settings']);
    const production = data.categoryEnvironment?.series.find((s) => s.name === 'production');
    expect(production?.values).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(data.categoryEnvironment?.series.map((s) => s.name)).toEqual(['development', 'test', 'staging', 'production', 'ci', 'unknown']);
    expect(data.repositories?.labels).toEqual(['octo/shop', 'octo/api', 'octo/docs']);
    expect(data.repositories?.series).toEqual([
      { name: 'critical', values: [1, 0, 0] },
      { name: 'high', values: [3, 1, 0] },
      { name: 'medium', values: [1, 1, 1] },
      { name: 'low', values: [0, 1, 1] },
    ]);
    expect(data.oldest).toEqual({ labels: Object.keys(ORG_COUNTS.oldest), dates: Object.values(ORG_COUNTS.oldest) });
    expect(data.trend?.labels).toEqual(['2025-12-15', '2025-12-22', '2025-12-29', '2026-01-05']);
    expect(data.trend?.series[0]).toEqual({ name: 'critical', values: [3, 2, 2, 1] });
    // One repository's scan: everything is "this repository"; no dates, no age chart.
    const single = htmlChartData(toReport(orgReport().findings.map(({ repository: _r, ...f }) => ({ ...f, secret: 'x', commit: undefined }) as never), scanStats(), [], false));
    expect(single.repositories?.labels).toEqual(['this repository']);
  });

  it('charts the repositories with the most findings, and lists every finding', () => {
    const base = orgReport().findings.find((f) => f.severity === 'critical')!;
    // Repository i has i + 1 findings: the chart keeps the MAX_REPOSITORIES largest, largest first.
    const findings = Array.from({ length: 30 }, (_, i) => Array.from({ length: i + 1 }, (_, j) => ({ ...base, repository: `octo/r${i}`, line: j + 1 }))).flat();
    const report = { ...orgReport(), findings };
    const data = htmlChartData(report);
    expect(data.repositories?.labels).toEqual(Array.from({ length: MAX_REPOSITORIES }, (_, k) => `octo/r${29 - k}`));
    expect(data.repositories?.series).toEqual([{ name: 'critical', values: Array.from({ length: MAX_REPOSITORIES }, (_, k) => 30 - k) }]);
    expect(rows(renderHtml(report, orgContext()))).toHaveLength((30 * 31) / 2);
  });

  it('loads nothing: no resource URL, and a Content-Security-Policy that allows only its own script and style', () => {
    const html = renderHtml(orgReport(), orgContext());
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\ssrc=/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const script = scriptOf(html);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = (s: string) => createHash('sha256').update(s).digest('base64');
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${hash(script)}'; style-src 'sha256-${hash(style)}'; img-src 'none'; base-uri 'none'; form-action 'none'`);
    // The chart library is inside, with its licence.
    expect(script).toContain('Chart.js v4');
    expect(script).toContain('Released under the MIT License');
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('is the same page for the same report, and a short one without findings', () => {
    expect(renderHtml(orgReport(), orgContext()).length).toBeGreaterThan(100_000);
    const report = orgReport();
    expect(renderHtml(report, orgContext())).toBe(renderHtml(report, orgContext()));
    const empty = renderHtml(toReport([], scanStats({ files: 3 }), [], false), orgContext());
    expect(empty).toContain('<title>keyfence report: no findings</title>');
    expect(empty).toContain('<p>No findings.</p>');
    expect(empty).not.toContain('id="charts-h"');
    expect(dataOf(empty)).toEqual({});
  });
});

describe('keyfence scan --format html / --report html=FILE', () => {
  it('writes the page, masked, to standard output or a file', () => {
    dir = tempDir();
    const a = testToken();
    const b = otherToken();
    dir.write('keyfence.yml', CUSTOM_RULES);
    dir.write('config/app.env', `A=${a}\nB=${b}\n`);
    const out = runCli(['scan', '--format', 'html'], dir.path);
    expect(out.code).toBe(1);
    expect(out.stdout.startsWith('<!doctype html>\n')).toBe(true);
    expect(rows(out.stdout)).toHaveLength(2);
    const report = runCli(['scan', '--report', 'html=out/report.html'], dir.path);
    expect(report.code).toBe(1);
    const page = readFileSync(join(dir.path, 'out/report.html'), 'utf8');
    expect(rows(page)).toHaveLength(2);
    for (const s of [a, b]) {
      expect(page).not.toContain(middle(s));
      expect(out.stdout).not.toContain(middle(s));
    }
    const shown = runCli(['scan', '--format', 'html', '--show-secrets'], dir.path);
    for (const s of [a, b]) expect(shown.stdout).toContain(s);
  });
});

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});
