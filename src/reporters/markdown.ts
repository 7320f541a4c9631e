import { ENVIRONMENTS, SEVERITIES, severityRank, type ChangeSuppression, type Report, type ReportFinding } from '../findings/finding.js';
import type { RenderContext, Reporter } from './reporter.js';
import { inventoryMarkdownLines } from './secretInventory.js';
import { scannedText, suppressedByChangeText, suppressedText } from './summary.js';
import { verificationText } from './verificationText.js';

/**
 * A GitHub-flavoured markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments: counts
 * by severity and environment, a table of findings (most severe first) linking to their lines, how
 * to suppress, and what the change itself suppressed (pull-request mode). Everything that comes
 * from the scanned repository (paths, messages, markers, redacted values) is escaped, so a file
 * name cannot inject markdown or HTML into the page.
 */

/** Rows shown; a PR comment holds at most 65,536 characters. */
export const MAX_ROWS = 100;

/** Escapes text for a table cell: markdown punctuation, HTML, pipes and line breaks. */
export function escapeCell(value: string): string {
  return value
    .replace(/[\\`*_{}[\]()#+!|~>-]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/**
 * An inline code span that survives any content: a fence longer than any backtick run inside, pipes
 * escaped for tables.
 */
export function codeCell(value: string): string {
  const flat = value.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/**
 * A message for a cell: its `code spans` stay code (rebuilt safely by codeCell), everything else is
 * escaped. Unbalanced backticks are escaped like any other character.
 */
export function messageCell(value: string): string {
  const parts = value.split(/(`[^`\r\n]+`)/);
  return parts.map((p, i) => (i % 2 === 1 ? codeCell(p.slice(1, -1)) : escapeCell(p))).join('');
}

/** A link target kept inside its parentheses: spaces, parentheses and angle brackets encoded. */
function safeUrl(url: string): string {
  return url.replace(/[\s()<>|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function count<T extends string>(findings: ReportFinding[], key: (f: ReportFinding) => T): Map<T, number> {
  const counts = new Map<T, number>();
  for (const f of findings) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

/** `file:line`, after `owner/name:` for a finding of an organisation's report, linked into its own repository. */
function where(f: ReportFinding, linkTo: RenderContext['linkTo']): string {
  const text = escapeCell(`${f.repository ? `${f.repository}:` : ''}${f.file}:${f.line}`);
  const url = linkTo?.(f.file, f.line, f.commit, f.repository);
  return url ? `[${text}](${safeUrl(url)})` : text;
}

function ruleCell(f: ReportFinding, docs: Map<string, string>): string {
  const url = docs.get(f.ruleId);
  return url ? `[${codeCell(f.ruleId)}](${safeUrl(url)})` : codeCell(f.ruleId);
}

/** `verified`: the run asked the providers (--verify), so the table has a column for their answers. */
function row(f: ReportFinding, context: RenderContext, docs: Map<string, string>, verified = false): string {
  let message = messageCell(f.message);
  if (f.commit) message += ` (commit ${codeCell(f.commit.slice(0, 12))})`;
  const cells = [f.severity, ruleCell(f, docs), where(f, context.linkTo), f.environment, f.secret ? codeCell(f.secret) : '', message];
  if (verified) cells.push(f.verification ? escapeCell(verificationText(f.verification)) : '');
  return `| ${cells.join(' | ')} |`;
}

/** At most MAX_ROWS rows, then a line saying how many more the full report holds. */
function capped<T>(items: T[], render: (item: T) => string): string[] {
  const rows = items.slice(0, MAX_ROWS).map(render);
  if (items.length > MAX_ROWS) rows.push('', `…and ${items.length - MAX_ROWS} more: see the full report (\`--format sarif\` or \`--format json\`).`);
  return rows;
}

function suppressedRow(s: ChangeSuppression, context: RenderContext, docs: Map<string, string>): string {
  const cells = [ruleCell(s, docs), where(s, context.linkTo), codeCell(s.marker), s.reason ? messageCell(s.reason) : '*no reason given*'];
  return `| ${cells.join(' | ')} |`;
}

/** Still suppressed, but the reviewer sees what the change chose to silence, and why. */
function suppressedSection(items: ChangeSuppression[], context: RenderContext, docs: Map<string, string>): string[] {
  if (items.length === 0) return [];
  return [
    '',
    '### Suppressed by this change',
    '',
    'Inline markers added by this change silence these findings. Check that each reason holds.',
    '',
    '| rule | where | marker | reason |',
    '|---|---|---|---|',
    ...capped(items, (s) => suppressedRow(s, context, docs)),
  ];
}

export const renderMarkdown: Reporter = (report: Report, context: RenderContext) => {
  const { findings, notes } = report;
  const out: string[] = [];
  const n = findings.length;
  const scanned = scannedText(report);
  const suppressed = suppressedByChangeText(report);
  const docs = new Map(context.rules.filter((r) => r.helpUri).map((r) => [r.id, r.helpUri!]));
  out.push(`## keyfence: ${n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`}${suppressed ? `, ${suppressed}` : ''}`, '');
  const silenced = suppressedText(report);
  if (n === 0) {
    out.push(`No secrets or workflow problems found in ${scanned}${silenced ? `; ${silenced}` : ''}.`);
  } else {
    const bySeverity = count(findings, (f) => f.severity);
    const byEnvironment = count(findings, (f) => f.environment);
    out.push(`Scanned ${scanned}${silenced ? `; ${silenced}` : ''}.`, '');
    out.push('| severity | findings |', '|---|---:|');
    for (const s of SEVERITIES) if (bySeverity.get(s)) out.push(`| ${s} | ${bySeverity.get(s)} |`);
    out.push('', '| environment | findings |', '|---|---:|');
    for (const e of ENVIRONMENTS) if (byEnvironment.get(e)) out.push(`| ${e} | ${byEnvironment.get(e)} |`);

    const ordered = [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const verified = findings.some((f) => f.verification);
    if (verified) out.push('', '| severity | rule | where | environment | value | message | verified |', '|---|---|---|---|---|---|---|');
    else out.push('', '| severity | rule | where | environment | value | message |', '|---|---|---|---|---|---|');
    out.push(...capped(ordered, (f) => row(f, context, docs, verified)));

    out.push(
      '',
      '<details><summary>How to fix or suppress</summary>',
      '',
      '- A real secret: rotate it at the provider first, then remove it. Deleting it from the file does not remove it from history.',
      '- A false alarm: add `keyfence:allow[rule-id] reason` in a comment on the line, or `keyfence-ignore-next-line[rule-id]` on the line above.',
      '- A workflow finding: `# keyfence: ignore[check-id] reason` on the line or the comment line above; the reason is required.',
      '- Known findings of an old repository: `keyfence baseline --output .keyfence-baseline.json`, then scan with `--baseline .keyfence-baseline.json`.',
      '- Whole paths or patterns: an `allow:` entry in `keyfence.yml`.',
      '',
      '</details>',
    );
  }
  out.push(...suppressedSection(report.suppressedByChange ?? [], context, docs));
  out.push(...inventoryMarkdownLines(report.secretInventory, escapeCell, MAX_ROWS));
  if (notes.length) {
    out.push('', '**Notes**', '');
    for (const note of notes) out.push(`- ${escapeCell(note)}`);
  }
  return `${out.join('\n')}\n`;
};
