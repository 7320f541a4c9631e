import type { Finding, Report, ReportFinding, ScanStats } from './finding.js';

/** A provider prefix such as `sk_live_`, `ghp_`, `xoxb-`, `glpat-`: public knowledge, safe to show. */
const PREFIX = /^[A-Za-z][A-Za-z0-9]{1,9}[_-](?:[A-Za-z]{2,8}[_-])?/;

/**
 * The redacted form of a secret: its public provider prefix, then at most a few characters at the
 * end for long values so a user can tell two keys apart. Short secrets show nothing of themselves.
 * `showPrefix` is false for values that have no provider prefix (passwords and other generic
 * secrets), where the first word is part of the secret: `correct-horse-…` is half a password.
 */
export function redactSecret(secret: string, showPrefix = true): string {
  if (secret === '') return '';
  const prefix = showPrefix ? (PREFIX.exec(secret)?.[0] ?? '') : '';
  const rest = secret.length - prefix.length;
  if (rest < 12) return `${prefix}…`;
  const tail = rest >= 24 ? secret.slice(-4) : '';
  return `${prefix}…${tail}`;
}

/** Orders findings by file, line, column, rule: the same input always gives the same report. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.commit?.date ?? '').localeCompare(b.commit?.date ?? '') ||
    (a.commit?.sha ?? '').localeCompare(b.commit?.sha ?? '')
  );
}

/**
 * The masking stage: the only way from findings to what reporters see. Raw secrets, source lines
 * and anything else that could hold a secret are dropped here unless `showSecrets`.
 */
export function toReport(findings: Finding[], stats: ScanStats, notes: string[], showSecrets: boolean, units: Report['units'] = ['files']): Report {
  return { findings: maskFindings(findings, showSecrets), stats, units, notes };
}

/** Findings as reporters may see them, in report order. */
export function maskFindings(findings: readonly Finding[], showSecrets: boolean): ReportFinding[] {
  return [...findings].sort(compareFindings).map((f): ReportFinding => {
    const { secret, lineText: _line, previousLineText: _previous, commit, related, ...rest } = f;
    return {
      ...rest,
      secret: showSecrets ? secret : redactSecret(secret, f.category !== 'generic-secret'),
      ...(related ? { related: related.map(({ commit: c, ...loc }) => ({ ...loc, ...(c ? { commit: c } : {}) })) } : {}),
      ...(commit ? { commit: commit.sha, author: commit.author, date: commit.date } : {}),
    };
  });
}
