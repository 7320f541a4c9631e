import type { Finding, Report, ReportFinding, ScanStats } from './finding.js';

/**
 * A provider prefix such as `sk_live_`, `ghp_`, `xoxb-`, `glpat-`, or one of the fixed prefixes
 * written without a separator (AWS key ids `AKIA`/`ASIA`, Google API keys `AIza`, SendGrid `SG.`):
 * public knowledge, safe to show.
 */
const PREFIX = /^(?:AKIA|ASIA|ABIA|ACCA|AIza|SG\.|[A-Za-z][A-Za-z0-9]{1,9}[_-](?:[A-Za-z]{2,8}[_-])?)/;

/**
 * The redacted form of a secret: its public provider prefix, then at most a few characters at the
 * end for long values so a user can tell two keys apart. Short secrets show nothing of themselves.
 * `showPrefix` is false for values that have no provider prefix (passwords and other generic
 * secrets), where the first word is part of the secret: `correct-horse-…` is half a password.
 */
export function redactSecret(secret: string, showPrefix = true): string {
  if (secret === '') return '';
  // A PEM block's first line names what it holds (`-----BEGIN RSA PRIVATE KEY-----`), nothing of the key.
  const pem = /^-----BEGIN [A-Z0-9 ]{1,40}-----/.exec(secret);
  if (pem) return `${pem[0]}…`;
  const prefix = showPrefix ? (PREFIX.exec(secret)?.[0] ?? '') : '';
  const rest = secret.length - prefix.length;
  if (rest < 12) return `${prefix}…`;
  // After a provider prefix the rest is random key material, of which four characters tell keys
  // apart; a value without one may be a password, of which they would be a quarter from 16 on.
  const tail = rest >= 24 || (prefix && rest >= 16) ? secret.slice(-4) : '';
  return `${prefix}…${tail}`;
}

/** A host name or a cloud instance connection name (`project:region:instance`): shown in full. */
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.:-]{0,251}[A-Za-z0-9])?$/;

/**
 * How an echo leak names what it prints: `$API_TOKEN`, `${API_TOKEN}`, `$(API_TOKEN)`,
 * `$env:API_TOKEN`, `%API_TOKEN%`. A default value (`${API_TOKEN:-...}`) may be a secret: dropped.
 */
const VARIABLE = /^(\$\{|\$\(|\$env:|\$\$?|%)([A-Za-z0-9_]{1,80})/i;
const CLOSING: Record<string, string> = { '${': '}', '$(': ')', '%': '%' };

/**
 * What a report shows of a finding's matched value (`secret` in every format), by category, so
 * that a finding can be found again without exposing a credential (schema/report.schema.json,
 * docs/cli.md "Redaction"):
 * - credentials (live-key, fixture, env-crossover): the provider prefix and the last four
 *   characters where the value is long enough (`sk_live_…4f2a`);
 * - generic-secret: no prefix (the first word of a password is half of it), last four of long values;
 * - prod-host: the host name in full: a host name is not a secret, and it is what to fix;
 * - echo-leak: the variable printed (`$API_TOKEN`), never a default value written beside it;
 * - categories that match no value (workflow, github-settings, policy, prod-data): empty.
 * A PEM block shows its BEGIN line. Anything that does not have the expected shape is redacted.
 */
export function reportedSecret(f: Pick<Finding, 'category' | 'secret'>): string {
  const { category, secret } = f;
  if (secret === '') return '';
  if (category === 'prod-host' && HOST.test(secret)) return secret;
  if (category === 'echo-leak') {
    const v = VARIABLE.exec(secret);
    if (v) return `${v[1]}${v[2]}${CLOSING[v[1]!.toLowerCase()] ?? ''}`;
    return redactSecret(secret, false);
  }
  return redactSecret(secret, category !== 'generic-secret');
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
    const { secret, lineText: _line, previousLineText: _previous, relatedLineTexts: _related, commit, related, ...rest } = f;
    return {
      ...rest,
      secret: showSecrets ? secret : reportedSecret(f),
      ...(related ? { related: related.map(({ commit: c, ...loc }) => ({ ...loc, ...(c ? { commit: c } : {}) })) } : {}),
      ...(commit ? { commit: commit.sha, author: commit.author, date: commit.date } : {}),
    };
  });
}
