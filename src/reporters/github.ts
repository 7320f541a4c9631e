import type { ChangeSuppression, Report, ReportFinding, Severity } from '../findings/finding.js';
import type { Reporter, StreamReporter } from './reporter.js';
import { inventoryLine } from './secretInventory.js';
import { verificationText } from './verificationText.js';

/**
 * GitHub Actions workflow commands: one annotation per finding
 * (`::error title=…,file=…,line=…,endLine=…,col=…,endColumn=…::message`), and a notice per finding
 * the change suppressed (pull-request mode), escaped exactly as GitHub's toolkit (@actions/core)
 * escapes them, so a `%`, a line break, a `:` or a `,` in a path or message can neither break the
 * command nor inject another one. The secret inventory of `audit --github` is a collapsed log group
 * (`::group::`), a line per stored secret, not annotations: GitHub shows at most 10 annotations of
 * each kind per step, and each risky secret already has its findings' annotations. (The Action's
 * job summary carries the inventory as the markdown report's table.)
 */

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };

/** The message part of a command: `%`, CR and LF. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: the message escapes, plus `:` and `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message`; empty properties are left out, as the toolkit does. */
export function workflowCommand(name: string, properties: Array<[string, string | number | undefined]>, message: string): string {
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '' && p[1] !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function messageOf(f: ReportFinding): string {
  let text = f.message;
  if (f.secret) text += `: ${f.secret}`;
  if (f.environment !== 'unknown' && f.category !== 'workflow') text += ` (${f.environment} file)`;
  if (f.verification) text += `\nverified: ${verificationText(f.verification)}`;
  if (f.commit) text += `\nadded in commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}` : ''}${f.date ? ` on ${f.date}` : ''}`;
  for (const r of f.related ?? []) text += `\n${r.label ?? 'also'}: ${r.file}:${r.line}:${r.column}`;
  return text;
}

/** An annotation at the finding's place: `name` and `title` say what kind. */
function annotationAt(f: ReportFinding, name: string, title: string, message: string): string {
  const oneLine = f.endLine === f.line;
  return workflowCommand(
    name,
    [
      ['title', title],
      ['file', f.file],
      ['line', f.line],
      ['endLine', f.endLine],
      // GitHub takes columns only for an annotation on one line.
      ['col', oneLine ? f.column : undefined],
      ['endColumn', oneLine ? f.endColumn : undefined],
    ],
    message,
  );
}

export function annotation(f: ReportFinding): string {
  return annotationAt(f, COMMAND[f.severity], `${f.ruleId} (${f.severity})`, messageOf(f));
}

/** A notice whatever the severity: the finding stays suppressed, but the reviewer sees it on its line. */
function suppressedAnnotation(s: ChangeSuppression): string {
  const why = `suppressed by this change with ${s.marker}: ${s.reason || 'no reason given'}`;
  return annotationAt(s, 'notice', `${s.ruleId} (${s.severity}, suppressed by this change)`, `${messageOf(s)}\n${why}`);
}

/** The lines after the findings' annotations: the change's suppressions, the notes, the inventory group. */
function trailingLines(report: Omit<Report, 'findings'>): string[] {
  const out = (report.suppressedByChange ?? []).map(suppressedAnnotation);
  for (const note of report.notes) out.push(workflowCommand('notice', [['title', 'keyfence']], note));
  const inventory = report.secretInventory ?? [];
  if (inventory.length > 0) {
    const risky = inventory.filter((r) => r.findings.length > 0).length;
    out.push(workflowCommand('group', [], `keyfence secret inventory: ${inventory.length} secret${inventory.length === 1 ? '' : 's'}, ${risky} with findings`));
    // Log lines, not commands: a secret's name (letters, digits, _) starts each, and no line break survives.
    for (const r of inventory) out.push(inventoryLine(r).replace(/[\r\n]+/g, ' '));
    out.push(workflowCommand('endgroup', [], ''));
  }
  return out;
}

const countLine = (n: number) => `keyfence: ${n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`}`;

export const renderGithub: Reporter = (report: Report) => {
  const out = [...report.findings.map(annotation), ...trailingLines(report), countLine(report.findings.length)];
  return `${out.join('\n')}\n`;
};

/** The same commands, written annotation by annotation as the findings come (organisation report, report merge). */
export const streamGithub: StreamReporter = async ({ head, findings }, _context, write) => {
  let n = 0;
  for await (const f of findings()) {
    await write(`${annotation(f)}\n`);
    n++;
  }
  for (const line of trailingLines(head)) await write(`${line}\n`);
  await write(`${countLine(n)}\n`);
};
