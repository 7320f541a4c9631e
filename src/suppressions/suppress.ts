import { usedFeature } from '../codeCacheFeatures.js';
import type { KeyfenceConfig } from '../config/config.js';
import type { PolicyFiles } from '../config/policyFiles.js';
import type { Finding } from '../findings/finding.js';
import { allowEntryFor, compileAllowlist } from './allowlist.js';
import type { Baseline } from './baseline.js';
import { inlineSuppression } from './inlineComment.js';

export interface SuppressionOptions {
  config: KeyfenceConfig;
  /** --no-suppressions: report everything. */
  disabled: boolean;
}

export interface BaselineOption {
  /** Absolute path of --baseline FILE. */
  path: string;
  /** How messages name it (as the user wrote it). */
  shown: string;
  /** Whether the run scanned `file`, so stale entries are only those of scanned files. */
  covers?: (file: string) => boolean;
  /** For expiry, in tests; default now. */
  now?: Date;
  /** Read it from here rather than the disk: the base commit, in pull-request mode. */
  files?: PolicyFiles | undefined;
}

const MAX_INLINE_NOTES = 20;

/**
 * The synchronous part of the suppression stage: inline comments, then config allowlists. Returns
 * what survives, and notes for markers that were meant for a finding but could not silence it (a
 * workflow ignore without a reason).
 */
export function applySuppressions(findings: Finding[], options: SuppressionOptions): Suppressed {
  const suppressed = { inline: 0, allow: 0, baseline: 0 };
  const inlined: InlineSuppressed[] = [];
  if (options.disabled) return { kept: findings, notes: [], suppressed, inline: inlined, warnings: [] };
  const { config } = options;
  const allowlist = compileAllowlist(config.allow, config.requireReason === true);
  const problems = new Set<string>();
  const warnings = new Set<string>();
  const kept = findings.filter((f) => {
    const inline = inlineSuppression(f, { markers: config.suppressionMarkers, requireReason: config.requireReason === true });
    if (inline.suppressed) {
      suppressed.inline++;
      inlined.push({ finding: f, marker: inline.by?.marker ?? '', reason: inline.by?.reason ?? '' });
      return false;
    }
    if (inline.problem) problems.add(inline.problem);
    if (inline.typo) warnings.add(inline.typo);
    if (allowEntryFor(f, allowlist) !== undefined) return (suppressed.allow++, false);
    return true;
  });
  const notes = [...problems].slice(0, MAX_INLINE_NOTES);
  if (problems.size > MAX_INLINE_NOTES) notes.push(`${problems.size - MAX_INLINE_NOTES} more inline markers could not silence their finding`);
  return { kept, notes, suppressed, inline: inlined, warnings: [...warnings] };
}

/** A finding an inline marker silenced, with the marker and its reason. */
export interface InlineSuppressed {
  finding: Finding;
  marker: string;
  reason: string;
}

/** What survives the suppression stage, what it noted, and how many findings each kind silenced. */
export interface Suppressed {
  kept: Finding[];
  notes: string[];
  suppressed: { inline: number; allow: number; baseline: number };
  /** The findings inline markers silenced (for pull-request mode, which lists those its change added). */
  inline: InlineSuppressed[];
  /** Markers that most likely misspell the rule id of the finding on their line: for stderr, `file:line: …`. */
  warnings: string[];
}

/**
 * The whole suppression stage, as every scanning command runs it: inline comments, config
 * allowlists, then the baseline of --baseline FILE (read here, so a missing or broken file is a
 * usage error). --no-suppressions skips all of it.
 */
export async function suppressFindings(
  findings: Finding[],
  options: SuppressionOptions & { baseline?: BaselineOption | undefined },
): Promise<Suppressed> {
  const first = applySuppressions(findings, options);
  if (options.disabled || !options.baseline) return first;
  const { path, shown, covers, now, files } = options.baseline;
  // Loaded here: most runs (every pre-commit hook without --baseline) never need it.
  usedFeature('baseline');
  const { baselineNotes, matchBaseline, readBaseline, parseBaseline } = await import('./baseline.js');
  let baseline: Baseline;
  if (!files) baseline = await readBaseline(path, shown);
  else if (files.kind(path) === 'file') baseline = parseBaseline(files.read(path), `${shown} (${files.where ?? 'on disk'})`);
  else return { ...first, notes: [...first.notes, `baseline ${shown} is not in the base commit${files.where ? ` (${files.where})` : ''}, so no entry of it applies: a pull request cannot bring its own baseline`] };
  const match = await matchBaseline(first.kept, baseline, { covers, now });
  const suppressed = { ...first.suppressed, baseline: first.kept.length - match.kept.length };
  return { ...first, kept: match.kept, notes: [...first.notes, ...baselineNotes(shown, match)], suppressed };
}
