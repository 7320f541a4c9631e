import { closest } from '../closest.js';
import type { Finding } from '../findings/finding.js';

/**
 * Inline suppressions, read from the finding's own line and the line above it.
 *
 * - `keyfence:allow` anywhere on the line silences every finding on it; `keyfence:allow[rule-a,
 *   rule-b] reason` only those rules, so a second secret of another rule on the same line still
 *   fires. `keyfence: ignore[...]` is the same marker in zizmor's spelling.
 * - `keyfence-ignore-next-line` (optionally `[rule-id]`) on the line above; so does a comment-only
 *   line above that holds a marker naming the rule (`# keyfence: ignore[untrusted-checkout] reason`
 *   over a workflow step).
 * - Workflow findings are only silenced by a marker that names the check and gives a reason, on
 *   their line or above it, or at one of their related places (the checkout of the code they run).
 * - Markers of other scanners (`gitleaks:allow`, `pragma: allowlist secret`,
 *   `secretlint-disable-line`, ggshield's `ggignore`: config `suppressionMarkers`) silence every
 *   secret finding on the line; their next-line forms (`pragma: allowlist nextline secret`,
 *   `secretlint-disable-next-line`) the line below.
 *
 * The comment syntax does not matter (`#`, `//`, `/* *\/`, `<!-- -->`, `--`, `;`): like gitleaks,
 * a marker counts anywhere on the line, except inside the matched secret itself, so a value that
 * happens to contain `keyfence:allow` cannot silence itself.
 */

export interface InlineOptions {
  /** Markers of other scanners that silence a secret finding on their line. */
  markers: readonly string[];
  /** Config `requireReason`: a marker without a reason does not silence anything. */
  requireReason?: boolean;
}

export interface InlineVerdict {
  suppressed: boolean;
  /** The marker that silenced the finding, as written, and the reason it gives ('' when none). */
  by?: { marker: string; reason: string };
  /** Why a marker that was meant for this finding did not silence it, for a note. */
  problem?: string;
  /** A marker that names a rule id close to this finding's: most likely misspelled (a warning). */
  typo?: string;
}

interface Marker {
  /** Rule ids the marker names, lower-cased; undefined when it names none (applies to all). */
  rules: string[] | undefined;
  reason: string;
  /** The marker as written, for messages. */
  text: string;
}

const SAME_LINE = /keyfence:\s*(?:allow|ignore)\b(?:\[([^\]\n]*)\])?/gi;
const NEXT_LINE = /keyfence-ignore-next-line\b(?:\[([^\]\n]*)\])?/gi;
/** Any marker, to end a reason where another marker starts. */
const ANY_MARKER = /keyfence(?::\s*(?:allow|ignore)|-ignore-next-line)\b/i;
/** A line that is only a comment, in any of the comment syntaxes we accept. */
const COMMENT_ONLY = /^\s*(?:#|\/\/|\/\*|\*|<!--|--|;|%|'|rem\s)/i;
/** Other scanners' next-line forms, honoured when their same-line form is configured. */
const NEXT_LINE_FORMS: Record<string, string> = {
  'pragma: allowlist secret': 'pragma: allowlist nextline secret',
  'secretlint-disable-line': 'secretlint-disable-next-line',
};

/** The reason after a marker: up to the end of the comment or the next marker. */
function reasonAfter(rest: string): string {
  let text = rest;
  const next = ANY_MARKER.exec(text);
  if (next) text = text.slice(0, next.index);
  const close = text.search(/\*\/|-->/);
  if (close !== -1) text = text.slice(0, close);
  text = text.replace(/^[\s:,;—–-]+/, '').trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : '';
}

function parseMarkers(line: string, pattern: RegExp): Marker[] {
  const out: Marker[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    const rules = m[1]
      ?.split(/[\s,]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    out.push({ rules: rules && rules.length > 0 ? rules : undefined, reason: reasonAfter(line.slice(m.index + m[0].length)), text: m[0] });
  }
  return out;
}

/** The line with the matched secret blanked out: a marker inside the secret does not count. */
function withoutSecret(finding: Finding, line: string): string {
  const { secret } = finding;
  if (!secret) return line;
  if (!secret.includes('\n') && line.includes(secret)) return line.split(secret).join(' '.repeat(secret.length));
  // A multi-line secret (a PEM block) starts at `column` and runs past the end of this line.
  const start = Math.max(0, finding.column - 1);
  const end = finding.endLine === finding.line ? Math.max(start, finding.endColumn - 1) : line.length;
  return line.slice(0, start) + ' '.repeat(Math.max(0, Math.min(end, line.length) - start)) + line.slice(end);
}

/**
 * Decides one marker for one finding: `undefined` when the marker is not meant for it, else whether
 * it silences it and, if not, why.
 */
function judge(marker: Marker, finding: Finding, strict: boolean, requireReason: boolean): InlineVerdict | undefined {
  const ruleId = finding.ruleId.toLowerCase();
  if (marker.rules && !marker.rules.includes(ruleId)) return undefined;
  const where = `${finding.file}:${finding.line}`;
  if (strict && !marker.rules)
    return { suppressed: false, problem: `${where}: \`${marker.text}\` must name the check, as \`keyfence: ignore[${finding.ruleId}] reason\`; the finding is still reported` };
  if ((strict || requireReason) && !marker.reason)
    return { suppressed: false, problem: `${where}: \`${marker.text}\` needs a reason after it (\`keyfence: ignore[${finding.ruleId}] why this is safe\`); the finding is still reported` };
  return { suppressed: true };
}

export function inlineSuppression(finding: Finding, options: InlineOptions): InlineVerdict {
  const strict = finding.category === 'workflow';
  const requireReason = options.requireReason === true;
  let problem: string | undefined;
  const consider = (markers: Marker[]): Marker | undefined => {
    for (const marker of markers) {
      const verdict = judge(marker, finding, strict, requireReason);
      if (!verdict) continue;
      if (verdict.suppressed) return marker;
      problem ??= verdict.problem;
    }
    return undefined;
  };
  const silenced = (marker: string, reason = ''): InlineVerdict => ({ suppressed: true, by: { marker, reason } });

  const line = finding.lineText;
  // A workflow finding's related places (its checkout, its download): markers there name the check.
  for (const place of strict ? (finding.relatedLineTexts ?? []) : []) {
    const markers = parseMarkers(place.lineText, SAME_LINE);
    const above = place.previousLineText;
    if (above !== undefined && COMMENT_ONLY.test(above)) markers.push(...parseMarkers(above, SAME_LINE).filter((m) => m.rules));
    const marker = consider(markers);
    if (marker) return silenced(marker.text, marker.reason);
  }
  if (line !== undefined) {
    const visible = withoutSecret(finding, line);
    const marker = consider(parseMarkers(visible, SAME_LINE));
    if (marker) return silenced(marker.text, marker.reason);
    const foreign = strict ? undefined : options.markers.find((m) => m && visible.includes(m));
    if (foreign !== undefined) {
      if (!requireReason) return silenced(foreign);
      problem ??= `${finding.file}:${finding.line}: \`${foreign}\` gives no reason and the config sets requireReason; use \`keyfence:allow[${finding.ruleId}] reason\`; the finding is still reported`;
    }
  }
  const previous = finding.previousLineText;
  if (previous !== undefined) {
    const markers = parseMarkers(previous, NEXT_LINE);
    // A comment-only line above that names the rule reads as "the next line": the YAML habit.
    if (COMMENT_ONLY.test(previous)) markers.push(...parseMarkers(previous, SAME_LINE).filter((m) => m.rules));
    const marker = consider(markers);
    if (marker) return silenced(marker.text, marker.reason);
    if (!strict && !requireReason) {
      const nextForms = options.markers.map((m) => NEXT_LINE_FORMS[m]).filter((m): m is string => m !== undefined);
      const form = nextForms.find((m) => previous.includes(m));
      if (form) return silenced(form);
    }
  }
  const typo = misspelled(finding, [line, previous]);
  return { suppressed: false, ...(problem ? { problem } : {}), ...(typo ? { typo } : {}) };
}

/**
 * `keyfence:allow[strpie-live-secret-key]` beside a `stripe-live-secret-key` finding: a marker meant
 * for it that silences nothing. Two edits at most, so another real rule id is not taken for a typo.
 */
function misspelled(finding: Finding, lines: Array<string | undefined>): string | undefined {
  const ruleId = finding.ruleId.toLowerCase();
  for (const text of lines) {
    if (text === undefined) continue;
    for (const marker of [...parseMarkers(withoutSecret(finding, text), SAME_LINE), ...parseMarkers(text, NEXT_LINE)]) {
      const near = marker.rules?.find((r) => r !== ruleId && closest(r, [ruleId], 2));
      if (near) return `${finding.file}:${finding.line}: \`${marker.text}\` names no rule found here: did you mean ${finding.ruleId}? The finding is still reported`;
    }
  }
  return undefined;
}
