// The generated part of docs/precision.md: the numbers of the last `--write-docs` run and the judged
// list. Everything outside the two markers is prose that people write; inside, the list's verdicts
// and reasons are theirs too, and a rewrite keeps them for the findings still present.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { formatJudged, parseJudged, VERDICTS } from './judged.mjs';
import { count, fixed, mb } from './summary.mjs';

const BEGIN = '<!-- precision:begin (written by `npm run precision -- --write-docs`: edit only verdicts and reasons here) -->';
const END = '<!-- precision:end -->';
const BEGIN_PREFIX = '<!-- precision:begin';

/** The generated section of the doc, or '' when the doc or the section does not exist yet. */
function generatedSection(docFile) {
  if (!existsSync(docFile)) return '';
  const text = readFileSync(docFile, 'utf8');
  const start = text.indexOf(BEGIN_PREFIX);
  const end = text.indexOf(END, start);
  return start < 0 || end < 0 ? '' : text.slice(start, end);
}

/** The judged entries of the doc: only those in the generated section (prose may quote old lines). */
export const readJudged = (docFile) => parseJudged(generatedSection(docFile));

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function renderSection(s, date) {
  const lines = [BEGIN, ''];
  lines.push(
    `Last measured ${date} with keyfence ${s.keyfence}${s.revision ? ` (${s.revision})` : ''}, \`--fail-on ${s.failOn}\` ` +
      `(the default): ${fixed(mb(s.scan.bytes), 1)} MB of text in ${count(s.scan.files)} files scanned ` +
      `(${count(s.scan.skipped)} skipped), ${s.corpus.packages} packages.`,
    '',
    table(
      ['blocking findings', 'per MB', 'target', ...VERDICTS, `below --fail-on ${s.failOn}`],
      [[count(s.blocking), fixed(s.perMB, 3), `≤ ${s.target}`, ...VERDICTS.map((v) => s.verdicts[v]), count(s.belowFailOn)]],
    ),
    '',
    table(
      ['language', 'packages', 'text files', 'MB of text'],
      s.corpus.byLanguage.map((l) => [l.language, l.packages, count(l.textFiles), fixed(mb(l.textBytes), 1)]),
    ),
    '',
    'Blocking findings by rule:',
    '',
    table(['rule', 'findings', 'false alarms'], s.byRule.map((r) => [`\`${r.rule}\``, r.count, r.falseAlarms])),
    '',
    'The judged list, one line per blocking finding: `path:line` rule (severity, hash of the line) — verdict: reason.',
    `Verdicts: ${VERDICTS.map((v) => `\`${v}\``).join(', ')}.`,
    '',
  );
  lines.push(...s.findings.map(formatJudged));
  if (s.findings.length === 0) lines.push('(no blocking finding)');
  lines.push('', END);
  return lines.join('\n');
}

/**
 * Replaces the generated section of the doc (or appends one) with this run's numbers and list,
 * written through a temporary file and a rename.
 */
export function writeDocs(docFile, summary, date) {
  const text = existsSync(docFile) ? readFileSync(docFile, 'utf8') : '# Precision on real code\n';
  const section = renderSection(summary, date);
  const start = text.indexOf(BEGIN_PREFIX);
  const end = start < 0 ? -1 : text.indexOf(END, start);
  const next = start < 0 || end < 0 ? `${text.trimEnd()}\n\n${section}\n` : text.slice(0, start) + section + text.slice(end + END.length);
  writeFileSync(`${docFile}.tmp`, next);
  renameSync(`${docFile}.tmp`, docFile);
}
