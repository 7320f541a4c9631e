import type { CompiledRule } from './compiledRule.js';

/** A regex match of one rule, before verification. Offsets are into the fragment's text. */
export interface Candidate {
  rule: number;
  secret: string;
  start: number;
  end: number;
}

/** Lines longer than this are searched only in a window around each keyword hit. */
const LONG_LINE = 4096;
const WINDOW = 512;

/**
 * Runs `rule` on the text near each keyword hit: the whole line for ordinary lines, a bounded window
 * for long (minified) lines, so no single line can make the scan quadratic. Multiline rules run
 * once from the first hit's line.
 */
export function matchRule(rule: CompiledRule, ruleIndex: number, text: string, hits: number[] | undefined, out: Candidate[]): void {
  if (rule.spec.multiline || hits === undefined) {
    const from = hits === undefined ? 0 : lineStart(text, hits[0]!);
    runRegex(rule, ruleIndex, text, from, text.length, out);
    return;
  }
  let coveredUntil = -1;
  // Hits are ascending, so the line of the previous hit is reused, and finding the next line's
  // bounds never scans text twice: minified files with thousands of hits on one line stay linear.
  let lineFrom = 0;
  let lineTo = -1;
  for (const hit of hits) {
    if (hit < coveredUntil) continue;
    if (hit > lineTo) {
      lineFrom = text.lastIndexOf('\n', hit - 1) + 1;
      const nl = text.indexOf('\n', hit);
      lineTo = nl === -1 ? text.length : nl;
    }
    let start = lineFrom;
    let end = lineTo;
    if (end - start > LONG_LINE) {
      start = Math.max(start, hit - WINDOW, coveredUntil);
      end = Math.min(end, hit + WINDOW);
    }
    runRegex(rule, ruleIndex, text, start, end, out);
    coveredUntil = end;
  }
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function runRegex(rule: CompiledRule, ruleIndex: number, text: string, from: number, to: number, out: Candidate[]): void {
  const window = from === 0 && to === text.length ? text : text.slice(from, to);
  const regex = rule.regex;
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(window)) !== null) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    const secret = match[rule.secretGroup];
    const span = match.indices?.[rule.secretGroup];
    if (!secret || !span || rule.exempts?.(window, span[0], secret)) continue;
    out.push({ rule: ruleIndex, secret, start: from + span[0], end: from + span[1] });
  }
}
