import micromatch from 'micromatch';
import type { AllowEntry } from '../config/config.js';
import type { Finding } from '../findings/finding.js';
import { UserError } from '../cli/errors.js';

interface CompiledAllow {
  entry: AllowEntry;
  secrets: RegExp[];
  lines: RegExp[];
}

function compile(source: string, entry: AllowEntry, field: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new UserError(`${entry.origin ?? 'config'}: allow.${field} "${source}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

export function compileAllowlist(entries: AllowEntry[]): CompiledAllow[] {
  return entries.map((entry) => ({
    entry,
    secrets: (entry.secrets ?? []).map((s) => compile(s, entry, 'secrets')),
    lines: (entry.lines ?? []).map((s) => compile(s, entry, 'lines')),
  }));
}

/** An entry drops a finding when every criterion it sets matches. */
export function allowedByConfig(finding: Finding, allowlist: CompiledAllow[]): boolean {
  return allowlist.some(({ entry, secrets, lines }) => {
    if (entry.rules && !entry.rules.includes(finding.ruleId)) return false;
    if (entry.paths && !micromatch.isMatch(finding.file, entry.paths, { dot: true })) return false;
    if (secrets.length && !secrets.some((re) => re.test(finding.secret))) return false;
    if (lines.length && !(finding.lineText !== undefined && lines.some((re) => re.test(finding.lineText!)))) return false;
    if (entry.stopwords && !entry.stopwords.some((w) => finding.secret.toLowerCase().includes(w.toLowerCase()))) return false;
    return Boolean(entry.rules || entry.paths || secrets.length || lines.length || entry.stopwords);
  });
}
