// The judged list: one line per blocking finding in docs/precision.md, in a form both people and this
// script read. A finding is known by its path, its rule and a short hash of its line's text, so a
// verdict follows the finding when the line number alone changes, and never holds the secret itself.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// `true risk`: a finding about no secret (a workflow check, a production host in a development
// config) that is right about what it says.
export const VERDICTS = ['true secret', 'true risk', 'test data', 'false alarm', 'unjudged'];

// - `path:line` rule-id (severity, 1a2b3c4d) — verdict: reason
const LINE = /^- `(?<path>[^`]+):(?<line>\d+)` (?<rule>\S+) \((?<severity>critical|high|medium|low), (?<hash>[0-9a-f]{8})\) — (?<verdict>[a-z ]+?)(?:: (?<reason>.*))?$/;

/** The judged entries among `text`'s lines (other lines are prose and are left alone). */
export function parseJudged(text) {
  const entries = [];
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const { path, line, rule, severity, hash, verdict, reason } = m.groups;
    entries.push({ path, line: Number(line), rule, severity, hash, verdict: VERDICTS.includes(verdict) ? verdict : 'unjudged', reason: reason?.trim() ?? '' });
  }
  return entries;
}

export function formatJudged(entry) {
  const reason = entry.reason ? `: ${entry.reason}` : '';
  return `- \`${entry.path}:${entry.line}\` ${entry.rule} (${entry.severity}, ${entry.hash}) — ${entry.verdict}${reason}`;
}

/**
 * A hasher of findings' lines: the first 8 hex digits of SHA-256 over the line with its surrounding
 * blanks trimmed (re-indenting does not orphan a verdict). Files are read once each.
 */
export function lineHasher(corpus) {
  const files = new Map();
  return (file, line) => {
    if (!files.has(file)) {
      let lines = [];
      try {
        lines = readFileSync(join(corpus, file), 'utf8').split('\n');
      } catch {
        // A file gone from the corpus: its findings hash as an empty line.
      }
      files.set(file, lines);
    }
    const text = (files.get(file)[line - 1] ?? '').trim();
    return createHash('sha256').update(text).digest('hex').slice(0, 8);
  };
}

const keyOf = (e) => `${e.path}\0${e.rule}\0${e.hash}`;

/**
 * Pairs current findings with judged entries: same path, rule and line hash, preferring the same
 * line number when one line's text occurs several times. Returns each finding with its entry (or
 * none: new, unjudged) and the judged entries no finding claimed (gone: fixed, or moved away).
 */
export function matchJudged(findings, judged) {
  const byKey = new Map();
  for (const entry of judged) {
    const list = byKey.get(keyOf(entry)) ?? [];
    list.push(entry);
    byKey.set(keyOf(entry), list);
  }
  const take = (finding, sameLine) => {
    const list = byKey.get(keyOf(finding)) ?? [];
    const i = list.findIndex((e) => !sameLine || e.line === finding.line);
    return i < 0 ? undefined : list.splice(i, 1)[0];
  };
  // Exact lines first, so a repeated line's verdicts are not handed out crosswise.
  const exact = findings.map((f) => take(f, true));
  const matched = findings.map((f, i) => ({ finding: f, judged: exact[i] ?? take(f, false) }));
  const gone = [...byKey.values()].flat();
  return { matched, gone };
}
