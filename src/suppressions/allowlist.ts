import type { AllowEntry } from '../config/config.js';
import type { Finding } from '../findings/finding.js';
import { UserError } from '../errors.js';
import { globs } from '../engine/globs.js';

/**
 * Config allowlists (`allow:` in keyfence.yml): each entry drops the findings that match every
 * criterion it sets: rule ids, micromatch globs on the path, regexes on the secret or the whole
 * line, stopwords in the secret. An entry without `rules` applies to every rule.
 */
export interface CompiledAllow {
  entry: AllowEntry;
  rules?: string[];
  paths?: string[];
  secrets: RegExp[];
  lines: RegExp[];
  stopwords?: string[];
}

const FIELDS = ['rules', 'paths', 'secrets', 'lines', 'stopwords'] as const;

function where(entry: AllowEntry, index: number): string {
  return `${entry.origin ?? 'config'}: allow[${index}]`;
}

/** A list setting: one string is a list of one; anything else but strings is a config error. */
function list(entry: AllowEntry, index: number, field: (typeof FIELDS)[number]): string[] | undefined {
  const value = entry[field] as unknown;
  if (value === undefined || value === null) return undefined;
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.some((s) => typeof s !== 'string' || s === ''))
    throw new UserError(`${where(entry, index)}.${field} must be a list of non-empty strings`);
  return items as string[];
}

function compile(source: string, entry: AllowEntry, index: number, field: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new UserError(`${where(entry, index)}.${field} "${source}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

/**
 * Checks and compiles the allowlist. With `requireReason`, an entry without a `reason` is a config
 * error, so every exception in the policy says why it exists.
 */
export function compileAllowlist(entries: AllowEntry[], requireReason = false): CompiledAllow[] {
  return entries.map((entry, index) => {
    if (!entry || typeof entry !== 'object') throw new UserError(`${where(entry ?? {}, index)} must be a mapping (rules, paths, secrets, lines, stopwords, reason)`);
    const [rules, paths, secrets, lines, stopwords] = FIELDS.map((f) => list(entry, index, f));
    if (![rules, paths, secrets, lines, stopwords].some((l) => l && l.length > 0))
      throw new UserError(`${where(entry, index)} sets nothing to match`, 'give it rules, paths, secrets, lines or stopwords');
    if (entry.reason !== undefined && typeof entry.reason !== 'string') throw new UserError(`${where(entry, index)}.reason must be a string`);
    if (requireReason && !entry.reason?.trim())
      throw new UserError(`${where(entry, index)} has no reason, and the config sets requireReason`, 'add `reason: why these findings are safe` to the entry');
    return {
      entry,
      ...(rules ? { rules: rules.map((r) => r.toLowerCase()) } : {}),
      ...(paths ? { paths } : {}),
      secrets: (secrets ?? []).map((s) => compile(s, entry, index, 'secrets')),
      lines: (lines ?? []).map((s) => compile(s, entry, index, 'lines')),
      ...(stopwords ? { stopwords: stopwords.map((w) => w.toLowerCase()) } : {}),
    };
  });
}

/** The entry that drops the finding, if any: the first whose every criterion matches. */
export function allowEntryFor(finding: Finding, allowlist: readonly CompiledAllow[]): CompiledAllow | undefined {
  return allowlist.find(({ rules, paths, secrets, lines, stopwords }) => {
    if (rules && !rules.includes(finding.ruleId.toLowerCase())) return false;
    if (paths && !globs().isMatch(finding.file, paths, { dot: true })) return false;
    if (secrets.length && !(finding.secret !== '' && secrets.some((re) => re.test(finding.secret)))) return false;
    if (lines.length && !(finding.lineText !== undefined && lines.some((re) => re.test(finding.lineText!)))) return false;
    if (stopwords && !(finding.secret !== '' && stopwords.some((w) => finding.secret.toLowerCase().includes(w)))) return false;
    return true;
  });
}

/** An entry drops a finding when every criterion it sets matches. */
export function allowedByConfig(finding: Finding, allowlist: readonly CompiledAllow[]): boolean {
  return allowEntryFor(finding, allowlist) !== undefined;
}
