import { createHash } from 'node:crypto';
import { CATEGORIES, SEVERITIES, type ChangeSuppression, type Report, type ReportFinding } from '../findings/finding.js';
import { scopeText, type SecretInventoryRow } from '../findings/secretInventory.js';
import { bySeverity, htmlChartData, oldestByRepository, repositoryOf, THIS_REPOSITORY } from './htmlData.js';
import { htmlPageScript } from './htmlPageScript.js';
import { HTML_STYLE } from './htmlStyle.js';
import type { RenderContext, Reporter } from './reporter.js';
import { scannedText, summaryLine, suppressedText } from './summary.js';
import { verificationText } from './verificationText.js';

/**
 * One self-contained HTML page: summary cards, charts (Chart.js, bundled into the page's script),
 * a sortable, filterable table of findings, the settings findings, the secret inventory and the
 * notes. Nothing is loaded at view time: a Content-Security-Policy allows only the page's own
 * style and script (by hash), so the browser itself refuses any request. Every value comes masked
 * as the run made it (redacted unless --show-secrets); everything from the scanned repository is
 * escaped, and only http(s) links are made.
 */

/** Rows the findings table holds; the JSON report holds them all. */
export const MAX_ROWS = 10_000;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A link to an http(s) URL (blanks encoded, as in a doc page's name), or the text alone. */
function link(text: string, url: string | undefined): string {
  return url && /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url.replace(/\s/g, encodeURIComponent))}">${text}</a>` : text;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** A path as code that may wrap after each `/` (a long path in a narrow column), escaped. */
function pathCode(path: string): string {
  return `<code>${path.split('/').map(escapeHtml).join('/<wbr>')}</code>`;
}

function severityBadge(severity: string): string {
  return `<span class="sev sev-${escapeHtml(severity)}">${escapeHtml(severity)}</span>`;
}

function cell(label: string, content: string, sortKey?: string | number): string {
  return `<td data-label="${escapeHtml(label)}"${sortKey === undefined ? '' : ` data-sort="${escapeHtml(String(sortKey))}"`}>${content}</td>`;
}

/** The table's columns: the repository only in an organisation's report, the verification only with --verify. */
interface Columns {
  repository: boolean;
  verified: boolean;
}

function columnNames(columns: Columns): string[] {
  return [
    'Severity',
    'Rule',
    ...(columns.repository ? ['Repository'] : []),
    'Where',
    'Environment',
    'Category',
    'Value',
    'Message',
    'Commit',
    ...(columns.verified ? ['Verified'] : []),
  ];
}

/** A finding's place, linked to its line (at its commit) on GitHub when the run knows the repository there. */
function where(f: ReportFinding, context: RenderContext): string {
  const text = pathCode(`${f.file}:${f.line}`);
  // A finding of an organisation's report links into its own repository (the linker says whether it
  // can). A setting (`github:owner/repo/environments/prod`) is no file to link to.
  const linkable = !f.category.endsWith('-settings');
  return link(text, linkable ? context.linkTo?.(f.file, f.line, f.commit, f.repository || undefined) : undefined);
}

function findingRow(f: ReportFinding, context: RenderContext, docs: Map<string, string>, columns: Columns): string {
  const related = (f.related ?? []).map((r) => `<span class="related">${escapeHtml(r.label ?? 'also')}: ${pathCode(`${r.file}:${r.line}`)}</span>`).join('');
  const cells = [
    cell('Severity', severityBadge(f.severity), SEVERITIES.indexOf(f.severity)),
    cell('Rule', link(`<code>${escapeHtml(f.ruleId)}</code>`, docs.get(f.ruleId))),
    ...(columns.repository ? [cell('Repository', escapeHtml(repositoryOf(f)))] : []),
    cell('Where', where(f, context), `${f.file}:${String(f.line).padStart(9, '0')}`),
    cell('Environment', escapeHtml(f.environment)),
    cell('Category', escapeHtml(f.category)),
    cell('Value', f.secret ? `<code>${escapeHtml(f.secret)}</code>` : ''),
    cell('Message', `${escapeHtml(f.message)}${related}`),
    cell('Commit', f.commit ? `<code>${escapeHtml(f.commit.slice(0, 8))}</code>${f.date ? ` <time datetime="${escapeHtml(f.date)}">${escapeHtml(f.date.slice(0, 10))}</time>` : ''}` : '', f.date ?? ''),
    ...(columns.verified ? [cell('Verified', f.verification ? escapeHtml(verificationText(f.verification)) : '')] : []),
  ];
  return `<tr data-severity="${escapeHtml(f.severity)}">${cells.join('')}</tr>`;
}

function findingsSection(report: Report, context: RenderContext, docs: Map<string, string>): string {
  const { findings } = report;
  if (findings.length === 0) return `<section aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2><p>No findings.</p></section>`;
  const columns: Columns = {
    repository: findings.some((f) => repositoryOf(f) !== THIS_REPOSITORY),
    verified: findings.some((f) => f.verification),
  };
  const ordered = bySeverity(findings);
  const rows = ordered.slice(0, MAX_ROWS).map((f) => findingRow(f, context, docs, columns));
  const head = columnNames(columns)
    .map((name, i) => `<th scope="col"${i === 0 ? ' aria-sort="ascending"' : ''}><button type="button">${name}</button></th>`)
    .join('');
  const severityOptions = SEVERITIES.map((s) => `<option value="${s}">${s}</option>`).join('');
  const more = findings.length > MAX_ROWS ? `<p>…and ${findings.length - MAX_ROWS} more: see the JSON report (<code>--format json</code>).</p>` : '';
  return [
    '<section aria-labelledby="findings-h">',
    '<h2 id="findings-h">Findings</h2>',
    '<div class="controls">',
    '<label for="filter">Filter<input id="filter" type="search" placeholder="rule, file, message…" autocomplete="off"></label>',
    `<label for="severity-filter">Severity<select id="severity-filter"><option value="">all</option>${severityOptions}</select></label>`,
    `<p id="shown" class="status" role="status">${rows.length} of ${rows.length} finding${rows.length === 1 ? '' : 's'} shown</p>`,
    '</div>',
    // A wide table scrolls inside its box, which the keyboard can reach (tabindex), not the page.
    '<div class="table-scroll" role="region" aria-label="Findings table" tabindex="0">',
    `<table id="findings" class="stack"><caption class="visually-hidden">Findings, most severe first; the column buttons sort</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table>`,
    '</div>',
    more,
    '</section>',
  ].join('\n');
}

function listCard(title: string, entries: Array<[string, number]>): string {
  const items = entries.map(([name, n]) => `<li><span>${name}</span><span>${n}</span></li>`).join('');
  return `<li class="card"><h3>${escapeHtml(title)}</h3><ul>${items}</ul></li>`;
}

function numberCard(title: string, value: string, detail = '', size: 'big' | 'mid' = 'big'): string {
  return `<li class="card"><h3>${escapeHtml(title)}</h3><p class="${size}">${value}</p>${detail}</li>`;
}

function summarySection(report: Report): string {
  const { findings } = report;
  const cards: string[] = [];
  // An organisation's report names the repositories of its findings; how many were audited is in its notes.
  const repositories = new Set(findings.map(repositoryOf));
  repositories.delete(THIS_REPOSITORY);
  cards.push(repositories.size > 0 ? numberCard('Repositories with findings', String(repositories.size)) : numberCard('Repositories', '1'));
  cards.push(numberCard('Findings', String(findings.length), `<ul>${SEVERITIES.map((s) => `<li><span>${severityBadge(s)}</span><span>${findings.filter((f) => f.severity === s).length}</span></li>`).join('')}</ul>`));
  const categories = CATEGORIES.map((c): [string, number] => [c, findings.filter((f) => f.category === c).length]).filter(([, n]) => n > 0);
  if (categories.length) cards.push(listCard('By category', categories));
  const verified = findings.filter((f) => f.verification);
  if (verified.length) {
    const live = verified.filter((f) => f.verification?.status === 'live').length;
    cards.push(numberCard('Live-verified', String(live), `<p class="lede">of ${verified.length} checked with the provider</p>`));
  }
  const oldest = [...oldestByRepository(findings).values()].sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (oldest) {
    const date = escapeHtml(oldest);
    cards.push(numberCard('Oldest open finding', `<time datetime="${date}">${escapeHtml(oldest.slice(0, 10))}</time>`, `<p class="lede">committed <span data-since="${date}">then</span></p>`, 'mid'));
  }
  if (report.trend) {
    const { trend } = report;
    cards.push(listCard('Since the last run', [['new', trend.new], ['fixed', trend.fixed], ['still open', trend.open]]));
  }
  const suppressed = suppressedText(report);
  cards.push(numberCard('Scanned', escapeHtml(scannedText(report)), `<p class="lede">${report.stats.durationMs} ms${suppressed ? `; ${escapeHtml(suppressed)}` : ''}</p>`, 'mid'));
  return `<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><ul class="cards">${cards.join('\n')}</ul></section>`;
}

/** One chart: a canvas the page's script draws on, named for screen readers by `description`. */
function figure(id: string, title: string, description: string): string {
  return `<figure><figcaption id="${id}-caption">${escapeHtml(title)}</figcaption><div class="chart-box"><canvas id="${id}" role="img" aria-labelledby="${id}-caption" aria-describedby="${id}-text"></canvas></div><p id="${id}-text" class="visually-hidden">${escapeHtml(description)}</p></figure>`;
}

function chartsSection(report: Report): string {
  const data = htmlChartData(report);
  const figures: string[] = [];
  const describe = (labels: string[], series: Array<{ name: string; values: number[] }>) =>
    labels.map((l, i) => `${l}: ${series.filter((s) => s.values[i]).map((s) => `${s.values[i]} ${s.name}`).join(', ')}`).join('; ');
  if (data.categoryEnvironment) {
    figures.push(figure('chart-category-environment', 'Findings by category and environment', describe(data.categoryEnvironment.labels, data.categoryEnvironment.series)));
  }
  if (data.repositories) figures.push(figure('chart-repositories', 'Findings by repository', describe(data.repositories.labels, data.repositories.series)));
  if (data.oldest) {
    const { labels, dates } = data.oldest;
    figures.push(figure('chart-age', 'Age of the oldest open finding, by repository', labels.map((l, i) => `${l}: committed ${dates[i]!.slice(0, 10)}`).join('; ')));
  } else if (report.findings.length > 0) {
    figures.push('<figure><figcaption>Age of the oldest open finding</figcaption><p class="empty">No finding carries a commit date: scan the history (<code>keyfence history</code>, <code>keyfence audit</code>) to date them.</p></figure>');
  }
  if (data.trend) figures.push(figure('chart-trend', 'Findings over runs, by severity', describe(data.trend.labels, data.trend.series)));
  if (figures.length === 0) return '';
  return `<section aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2><div class="charts">${figures.join('\n')}</div></section>`;
}

/** A plain table of a section (settings, inventory, suppressions): headers and already escaped cells. */
function simpleTable(caption: string, headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => cell(headers[i]!, c)).join('')}</tr>`).join('\n');
  return `<table class="stack"><caption class="visually-hidden">${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function settingsSection(report: Report, docs: Map<string, string>): string {
  // github-settings, and gitlab-settings where GitLab's checks have landed.
  const settings = bySeverity(report.findings.filter((f) => f.category.endsWith('-settings')));
  if (settings.length === 0) return '';
  const rows = settings.map((f) => [severityBadge(f.severity), link(`<code>${escapeHtml(f.ruleId)}</code>`, docs.get(f.ruleId)), pathCode(f.file), escapeHtml(f.message)]);
  return [
    '<section aria-labelledby="settings-h"><h2 id="settings-h">Repository settings</h2>',
    '<p>What the GitHub (or GitLab) API says of the repository\'s settings: environments, branch protection, CI permissions.</p>',
    simpleTable('Settings findings', ['Severity', 'Check', 'Setting', 'Message'], rows),
    '</section>',
  ].join('\n');
}

function inventorySection(rows: SecretInventoryRow[] | undefined): string {
  if (!rows || rows.length === 0) return '';
  const jobs = (list: SecretInventoryRow['usedBy']) => list.map((u) => `<code>${escapeHtml(`${u.file} ${u.job}`)}</code>`);
  // An organisation's report: which repository can read each secret comes first.
  const org = rows.some((r) => r.repository !== undefined);
  const cells = rows.map((r) => [
    ...(org ? [escapeHtml(r.repository ?? '')] : []),
    `<code>${escapeHtml(r.name)}</code>`,
    escapeHtml(scopeText(r)),
    `<span${r.ageDays > r.maxAgeDays ? ' class="over"' : ''}>${r.ageDays}</span> / ${r.maxAgeDays}`,
    escapeHtml(r.updatedAt.slice(0, 10)),
    [...jobs(r.usedBy), ...jobs(r.mayBeReadBy).map((j) => `${j} (all secrets)`)].join(', ') || 'no job',
    r.findings.map((f) => `<code>${escapeHtml(f.ruleId)}</code> ${severityBadge(f.severity)}`).join(', '),
  ]);
  return [
    '<section aria-labelledby="inventory-h"><h2 id="inventory-h">Secret inventory</h2>',
    '<p>Every Actions secret the repository can read, riskiest first. GitHub returns names and dates, never values.</p>',
    simpleTable('Secret inventory', [...(org ? ['Repository'] : []), 'Secret', 'Scope', 'Age / limit (days)', 'Last update', 'Used by', 'Findings'], cells),
    '</section>',
  ].join('\n');
}

function suppressedSection(items: ChangeSuppression[] | undefined, docs: Map<string, string>): string {
  if (!items || items.length === 0) return '';
  const rows = items.map((s) => [
    link(`<code>${escapeHtml(s.ruleId)}</code>`, docs.get(s.ruleId)),
    pathCode(`${s.file}:${s.line}`),
    `<code>${escapeHtml(s.marker)}</code>`,
    s.reason ? escapeHtml(s.reason) : '<em>no reason given</em>',
  ]);
  return [
    '<section aria-labelledby="suppressed-h"><h2 id="suppressed-h">Suppressed by this change</h2>',
    '<p>Inline markers added by this change silence these findings. Check that each reason holds.</p>',
    simpleTable('Suppressed by this change', ['Rule', 'Where', 'Marker', 'Reason'], rows),
    '</section>',
  ].join('\n');
}

function notesSection(notes: string[]): string {
  if (notes.length === 0) return '';
  return `<section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`;
}

/** JSON for a `<script type="application/json">`: no `<`, so no `</script>` or `<!--` can end it early. */
function dataIsland(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const renderHtml: Reporter = (report: Report, context: RenderContext) => {
  const docs = new Map(context.rules.filter((r) => r.helpUri).map((r) => [r.id, r.helpUri!]));
  const script = htmlPageScript();
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    `style-src 'sha256-${sha256(HTML_STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const n = report.findings.length;
  const title = `keyfence report: ${n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="generator" content="keyfence">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>keyfence report</h1><p class="lede">${escapeHtml(summaryLine(report))}</p></header>`,
    '<main>',
    summarySection(report),
    chartsSection(report),
    findingsSection(report, context, docs),
    settingsSection(report, docs),
    inventorySection(report.secretInventory),
    suppressedSection(report.suppressedByChange, docs),
    notesSection(report.notes),
    '</main>',
    '<footer><p>Made by keyfence. Values are shown as the run masked them: redacted, unless it was run with <code>--show-secrets</code>.</p></footer>',
    `<script type="application/json" id="keyfence-data">${dataIsland(htmlChartData(report))}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
};
