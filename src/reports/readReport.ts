import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { SEVERITIES, type Report, type ReportFinding, type ScanStats } from '../findings/finding.js';
import type { ReportTrend } from '../findings/trend.js';

/** The JSON report version this keyfence reads and writes (schema/report.schema.json `version`). */
const REPORT_VERSION = 1;

const HINT = 'give JSON reports written by `keyfence ... --format json` (schema/report.schema.json)';

/**
 * One keyfence JSON report read back from a file (`--format json`, schema/report.schema.json), as
 * the reporters take it. The file's text is dropped once parsed: merging thousands of reports holds
 * one file's text at a time. Anything that is not such a report is a UserError naming the file, and
 * the line and column where JSON.parse says the text breaks.
 */
export async function readReport(path: string, shown: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UserError(`${shown}: cannot read it (${e.code ?? e.message})`, HINT);
  }
  return parseReport(text, shown);
}

/** The report in `text`; `shown` names its file in messages. */
export function parseReport(text: string, shown: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shown}${jsonPlace(text, (error as Error).message)}: not JSON (${jsonComplaint((error as Error).message)})`, HINT);
  }
  return toReport(data, shown);
}

/**
 * `:LINE:COLUMN` where JSON.parse stopped. Newer engines say where (`at position 42`); node 20 says
 * only `Unexpected token '}', "..." is not valid JSON` for many errors, and then the place is the end
 * of the shortest prefix of the text that already fails for a reason other than ending too soon.
 */
function jsonPlace(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : firstBadOffset(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `:${line}:${offset - before.lastIndexOf('\n')}`;
}

/** The offset of the character that makes `text` invalid JSON: a binary search over its prefixes (error path only). */
function firstBadOffset(text: string): number {
  const fails = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = (error as Error).message;
      if (/end of JSON input/.test(message)) return false;
      const at = /at position (\d+)/.exec(message);
      return !at || Number(at[1]) < length;
    }
  };
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fails(middle)) high = middle;
    else low = middle + 1;
  }
  return low - 1;
}

/** JSON.parse's complaint without the quoted text node 20 appends to it (it may span lines). */
function jsonComplaint(message: string): string {
  return message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const quote = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 40) ?? String(v));

/** The checks a report must pass to be merged, diffed and rendered; each names what is wrong and where. */
function toReport(data: unknown, shown: string): Report {
  const wrong = (where: string, what: string) => new UserError(`${shown}: not a keyfence JSON report: ${where} ${what}`, HINT);
  if (!isObject(data)) throw wrong('the top level', 'is not an object');
  const tool = data.tool;
  if (!isObject(tool) || tool.name !== 'keyfence') throw wrong('tool.name', `is ${quote(isObject(tool) ? tool.name : tool)}, not "keyfence"`);
  if (data.version !== REPORT_VERSION) {
    const writer = typeof tool.version === 'string' ? ` (written by keyfence ${tool.version})` : '';
    throw new UserError(`${shown}: report version ${quote(data.version)}${writer}, this keyfence reads version ${REPORT_VERSION}`, 'scan again with this keyfence, or use the keyfence that wrote it');
  }
  if (!Array.isArray(data.findings)) throw wrong('findings', 'is not a list');
  const findings = data.findings.map((f, i) => checkFinding(f, `findings[${i}]`, wrong));
  if (!isObject(data.stats)) throw wrong('stats', 'is not an object');
  const stats = checkStats(data.stats, wrong);
  const notes = data.notes ?? [];
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) throw wrong('notes', 'is not a list of strings');
  const report: Report = { findings, stats, units: unitsOf(stats), notes: notes as string[] };
  if (data.suppressedByChange !== undefined) {
    if (!Array.isArray(data.suppressedByChange)) throw wrong('suppressedByChange', 'is not a list');
    report.suppressedByChange = data.suppressedByChange.map((f, i) => {
      const where = `suppressedByChange[${i}]`;
      const finding = checkFinding(f, where, wrong);
      const { marker, reason } = f as Json;
      if (typeof marker !== 'string' || typeof reason !== 'string') throw wrong(where, 'has no marker and reason');
      return { ...finding, marker, reason };
    });
  }
  if (data.secretInventory !== undefined) {
    if (!Array.isArray(data.secretInventory) || !data.secretInventory.every((r) => isObject(r) && typeof r.name === 'string')) {
      throw wrong('secretInventory', 'is not a list of secrets');
    }
    report.secretInventory = data.secretInventory as Report['secretInventory'];
  }
  if (data.trend !== undefined) report.trend = checkTrend(data.trend, wrong);
  return report;
}

const STRINGS = ['ruleId', 'category', 'message', 'file', 'environment', 'secret', 'fingerprint'] as const;
const PLACE = ['line', 'column', 'endLine', 'endColumn'] as const;

function checkFinding(f: unknown, where: string, wrong: (where: string, what: string) => UserError): ReportFinding {
  if (!isObject(f)) throw wrong(where, 'is not an object');
  for (const key of STRINGS) if (typeof f[key] !== 'string') throw wrong(`${where}.${key}`, `is ${quote(f[key])}, not a string`);
  for (const key of PLACE) if (!isCount(f[key])) throw wrong(`${where}.${key}`, `is ${quote(f[key])}, not a line or column number`);
  if (!(SEVERITIES as readonly unknown[]).includes(f.severity)) throw wrong(`${where}.severity`, `is ${quote(f.severity)}, not one of ${SEVERITIES.join(', ')}`);
  if (f.repository !== undefined && typeof f.repository !== 'string') throw wrong(`${where}.repository`, `is ${quote(f.repository)}, not a string`);
  for (const key of ['commit', 'author', 'date'] as const) {
    if (f[key] !== undefined && typeof f[key] !== 'string') throw wrong(`${where}.${key}`, `is ${quote(f[key])}, not a string`);
  }
  if (f.related !== undefined && !Array.isArray(f.related)) throw wrong(`${where}.related`, 'is not a list');
  if (f.verification !== undefined && !(isObject(f.verification) && typeof f.verification.status === 'string')) {
    throw wrong(`${where}.verification`, 'has no status');
  }
  // The fields the JSON reporter writes; checked above or passed through as the schema describes them.
  return f as unknown as ReportFinding;
}

const STAT_COUNTS = ['files', 'bytes', 'commits', 'durationMs'] as const;

function checkStats(s: Json, wrong: (where: string, what: string) => UserError): ScanStats {
  for (const key of STAT_COUNTS) if (!isCount(s[key])) throw wrong(`stats.${key}`, `is ${quote(s[key])}, not a count`);
  for (const [key, value] of Object.entries(s)) if (!isCountTree(value)) throw wrong(`stats.${key}`, `is ${quote(value)}, not a count`);
  // Written by every keyfence that wrote version 1 since these counts exist; 0 where an older one did not.
  const suppressed = { inline: 0, allow: 0, baseline: 0, ...(isObject(s.suppressed) ? s.suppressed : {}) };
  return { ...s, skipped: isCount(s.skipped) ? s.skipped : 0, suppressed } as ScanStats;
}

/** A count, or an object of counts (`suppressed`): what summing stats can add up. */
function isCountTree(v: unknown): boolean {
  return isCount(v) || (isObject(v) && Object.values(v).every(isCountTree));
}

function checkTrend(t: unknown, wrong: (where: string, what: string) => UserError): ReportTrend {
  if (!isObject(t) || !Array.isArray(t.runs) || !isCount(t.new) || !isCount(t.fixed) || !isCount(t.open)) {
    throw wrong('trend', 'is not { runs, new, fixed, open }');
  }
  t.runs.forEach((p, i) => {
    const ok = isObject(p) && typeof p.date === 'string' && isObject(p.counts) && SEVERITIES.every((s) => isCount((p.counts as Json)[s]));
    if (!ok) throw wrong(`trend.runs[${i}]`, 'is not { date, counts: { critical, high, medium, low } }');
  });
  return t as unknown as ReportTrend;
}

/** What the summary counts: the JSON report does not say, so the stats do (commits walked, files read). */
export function unitsOf(stats: ScanStats): Report['units'] {
  const units: Report['units'] = [];
  if (stats.files > 0 || stats.commits === 0) units.push('files');
  if (stats.commits > 0) units.push('commits');
  return units;
}
