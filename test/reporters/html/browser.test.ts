import axe from 'axe-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../src/findings/finding.js';
import { renderHtml } from '../../../src/reporters/html.js';
import { tempDir, type TempDir } from '../../support/tempRepo.js';
import { ORG_COUNTS, orgContext, orgReport } from './orgReport.js';

/**
 * The HTML report as a reader sees it: opened from a file in Debian's Chromium (headless, no
 * network but the file itself), its charts drawn, its table sorted and filtered, on a phone and in
 * print, and checked by axe-core. The screenshots are kept: in $KEYFENCE_ARTIFACTS when set
 * (scripts/report-screenshot.mjs copies the desktop one to docs/report-screenshot.png), else in
 * the OS temp folder under keyfence-artifacts/.
 */

/** The little of the DOM the page functions below use: they run in the browser; the project's TypeScript knows Node. */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
declare const document: { getElementById(id: string): unknown; documentElement: { scrollWidth: number; clientWidth: number } };
declare const window: { keyfenceReady?: boolean; axe: typeof axe };
declare function getComputedStyle(element: unknown): { display: string };

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = process.env.KEYFENCE_ARTIFACTS ?? join(tmpdir(), 'keyfence-artifacts');
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir: TempDir;
let browser: BrowserContext;
let fileUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`);
  dir = tempDir('keyfence-html-');
  const page = dir.write('report.html', renderHtml(orgReport(), orgContext()));
  fileUrl = pathToFileURL(page).href;
  // A fresh profile each run (--user-data-dir): playwright takes it as the persistent context's folder.
  browser = await chromium.launchPersistentContext(join(dir.path, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  dir?.remove();
});

/** A page opened on the report; what it logged and asked for is collected. */
async function open(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  // Anything else is refused here too, so that a request cannot reach the network even if made.
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(fileUrl);
  await page.waitForFunction(() => window.keyfenceReady === true);
  return { page, errors, requests };
}

/** Pixels a canvas has painted (alpha above zero). */
const painted = (page: Page, id: string) =>
  page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as PageCanvas;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return { n, width: canvas.width, height: canvas.height };
  }, id);

const visibleRows = (page: Page) => page.locator('#findings tbody tr:not([hidden])').count();
const column = (page: Page, label: string) => page.locator(`#findings tbody tr td[data-label="${label}"]`).allTextContents();

// A browser is slower to start and drive than the unit tests' budget on a loaded 2-core machine.
describe('the HTML report in Chromium', { timeout: 90_000 }, () => {
  it('opens with no console error and no request but its own file, and draws every chart', async () => {
    const { page, errors, requests } = await open();
    expect(requests).toEqual([fileUrl]);
    const ids = await page.locator('canvas').evaluateAll((list) => list.map((c) => c.id));
    expect(ids).toEqual(['chart-category-environment', 'chart-repositories', 'chart-age', 'chart-trend']);
    for (const id of ids) {
      const { n, width, height } = await painted(page, id);
      expect(width, id).toBeGreaterThan(100);
      expect(height, id).toBeGreaterThan(100);
      expect(n, id).toBeGreaterThan(1000);
    }
    // The age of the oldest finding is filled in by the page's clock.
    expect(await page.locator('[data-since]').first().textContent()).toMatch(/^\d+ days? ago$/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-desktop.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters the table to exactly the rows that match', async () => {
    const { page, errors } = await open();
    expect(await visibleRows(page)).toBe(ORG_COUNTS.findings);
    await page.fill('#filter', 'octo/api');
    expect(await visibleRows(page)).toBe(ORG_COUNTS.repositories['octo/api']);
    expect(await page.locator('#shown').textContent()).toBe(`${ORG_COUNTS.repositories['octo/api']} of ${ORG_COUNTS.findings} findings shown`);
    // Every word must match, in any case.
    await page.fill('#filter', 'OCTO/SHOP production');
    expect(await visibleRows(page)).toBe(2);
    await page.fill('#filter', 'no such finding');
    expect(await visibleRows(page)).toBe(0);
    await page.fill('#filter', '');
    for (const severity of SEVERITIES) {
      await page.selectOption('#severity-filter', severity);
      expect(await visibleRows(page), severity).toBe(ORG_COUNTS.severities[severity]);
    }
    await page.selectOption('#severity-filter', 'high');
    await page.fill('#filter', 'octo/shop');
    expect(await visibleRows(page)).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts by a column, both ways, and back by severity', async () => {
    const { page, errors } = await open();
    const lines = await column(page, 'Where');
    const byFile = [...lines].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
    await page.click('th:has-text("Where") button');
    expect(await column(page, 'Where')).toEqual(byFile);
    expect(await page.locator('th:has-text("Where")').getAttribute('aria-sort')).toBe('ascending');
    await page.click('th:has-text("Where") button');
    expect(await column(page, 'Where')).toEqual([...byFile].reverse());
    expect(await page.locator('th:has-text("Where")').getAttribute('aria-sort')).toBe('descending');
    // Severity sorts by rank, not by name.
    await page.click('th:has-text("Severity") button');
    const ranked = SEVERITIES.flatMap((s) => Array<string>(ORG_COUNTS.severities[s]).fill(s));
    expect(await column(page, 'Severity')).toEqual(ranked);
    await page.click('th:has-text("Severity") button');
    expect(await column(page, 'Severity')).toEqual([...ranked].reverse());
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page, errors } = await open();
    await page.setViewportSize({ width: 375, height: 812 });
    // Chart.js redraws its canvases at the new width when their boxes resize.
    await page.waitForFunction(() => (document.getElementById('chart-trend') as PageCanvas).width < 375);
    const { scroll, client } = await page.evaluate(() => {
      const { scrollWidth, clientWidth } = document.documentElement;
      return { scroll: scrollWidth, client: clientWidth };
    });
    expect(client).toBe(375);
    expect(scroll).toBeLessThanOrEqual(client);
    // The table became cards: each cell labelled by its column, inside the screen.
    const widest = await page.locator('#findings tbody tr').evaluateAll((list) => Math.max(...list.map((r) => r.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(375);
    for (const id of ['chart-category-environment', 'chart-trend']) expect((await painted(page, id)).n, id).toBeGreaterThan(1000);
    await page.screenshot({ path: join(ARTIFACTS, 'report-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints: the controls hidden, the charts and every row kept', async () => {
    const { page, errors } = await open();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.controls').evaluate((e) => getComputedStyle(e).display)).toBe('none');
    expect(await page.locator('#findings thead').evaluate((e) => getComputedStyle(e).display)).toBe('table-header-group');
    expect(await visibleRows(page)).toBe(ORG_COUNTS.findings);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    for (const id of ['chart-category-environment', 'chart-repositories', 'chart-age', 'chart-trend']) expect((await painted(page, id)).n, id).toBeGreaterThan(1000);
    writeFileSync(join(ARTIFACTS, 'report.pdf'), pdf);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const { page, errors } = await open();
    // Through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    await page.evaluate(axe.source);
    const result = await page.evaluate(() => window.axe.run(document as Parameters<typeof axe.run>[0], { resultTypes: ['violations'] }));
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    // axe did look: the page's landmarks, labels, contrast and table headers were checked.
    expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'label', 'th-has-data-cells', 'landmark-one-main', 'document-title']));
    expect(errors).toEqual([]);
    await page.close();
  });
});
