import type { Finding } from '../findings/finding.js';

/**
 * `keyfence:allow` on the line, optionally naming rules (`keyfence:allow[rule-id] reason`), and
 * `keyfence-ignore-next-line` on the line above, in any comment syntax. Markers of other scanners
 * (`gitleaks:allow`, …) are honoured for teams migrating.
 */
const ALLOW = /keyfence:\s?(?:allow|ignore)(?:\[([a-z0-9,\s-]+)\])?/i;
const NEXT_LINE = /keyfence-ignore-next-line(?:\[([a-z0-9,\s-]+)\])?/i;

function names(list: string | undefined, ruleId: string): boolean {
  if (list === undefined) return true;
  return list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes(ruleId);
}

export function inlineSuppressed(finding: Finding, markers: readonly string[]): boolean {
  const line = finding.lineText;
  if (line !== undefined) {
    const allow = ALLOW.exec(line);
    if (allow && names(allow[1], finding.ruleId)) return true;
    if (markers.some((m) => line.includes(m))) return true;
  }
  const previous = finding.previousLineText;
  if (previous !== undefined) {
    const next = NEXT_LINE.exec(previous);
    if (next && names(next[1], finding.ruleId)) return true;
  }
  return false;
}
