import type { ReportFinding } from '../findings/finding.js';
import { findingJson } from '../reporters/json.js';
import { codeCell, escapeCell, messageCell } from '../reporters/markdown.js';
import { VERSION } from '../version.js';
import type { ReportDiff } from './diffReports.js';

export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `report diff` in one of its formats. Like the reporters, it only formats. */
export function renderDiff(diff: ReportDiff, format: DiffFormat): string {
  if (format === 'json') return diffJson(diff);
  if (format === 'markdown') return diffMarkdown(diff);
  return diffText(diff);
}

const totals = (d: ReportDiff) => `${d.new.length} new, ${d.fixed.length} fixed, ${d.open.length} still open`;
const where = (f: ReportFinding) => `${f.repository ? `${f.repository}: ` : ''}${f.file}:${f.line}`;
const repositoryName = (r: string) => r || '(this repository)';

function diffJson(d: ReportDiff): string {
  const out = {
    version: 1,
    tool: { name: 'keyfence', version: VERSION },
    summary: { new: d.new.length, fixed: d.fixed.length, open: d.open.length },
    groups: d.groups.map(({ repository, ...g }) => ({ ...(repository ? { repository } : {}), ...g })),
    new: d.new.map(findingJson),
    fixed: d.fixed.map(findingJson),
    open: d.open.map(findingJson),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The table, then one line per new and per fixed finding; open ones are counted, not listed. */
function diffText(d: ReportDiff): string {
  const lines = [totals(d)];
  if (d.groups.length) {
    const rows = [['repository', 'category', 'new', 'fixed', 'open'], ...d.groups.map((g) => [repositoryName(g.repository), g.category, `${g.new}`, `${g.fixed}`, `${g.open}`])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    lines.push('', ...rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()));
  }
  const item = (sign: string, f: ReportFinding) => `${sign} ${f.severity.padEnd(8)} ${where(f)}  ${f.ruleId}${f.secret ? `  ${f.secret}` : ''}`;
  if (d.new.length) lines.push('', 'New:', ...d.new.map((f) => item('+', f)));
  if (d.fixed.length) lines.push('', 'Fixed:', ...d.fixed.map((f) => item('-', f)));
  return `${lines.join('\n')}\n`;
}

function diffMarkdown(d: ReportDiff): string {
  const lines = ['## keyfence: what changed', '', `**${totals(d)}**`];
  if (d.groups.length) {
    lines.push('', '| repository | category | new | fixed | open |', '| --- | --- | ---: | ---: | ---: |');
    for (const g of d.groups) lines.push(`| ${escapeCell(repositoryName(g.repository))} | ${escapeCell(g.category)} | ${g.new} | ${g.fixed} | ${g.open} |`);
  }
  const table = (title: string, list: ReportFinding[]) => {
    if (!list.length) return;
    lines.push('', `### ${title}`, '', '| severity | where | rule | what |', '| --- | --- | --- | --- |');
    for (const f of list) {
      lines.push(`| ${f.severity} | ${escapeCell(where(f))} | ${codeCell(f.ruleId)} | ${messageCell(f.message)}${f.secret ? ` ${codeCell(f.secret)}` : ''} |`);
    }
  };
  table('New', d.new);
  table('Fixed', d.fixed);
  return `${lines.join('\n')}\n`;
}
