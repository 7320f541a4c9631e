import { fingerprint } from '../findings/fingerprint.js';
import { severityRank, type CommitInfo, type Environment, type Finding, type Location, type Severity } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { LineIndex } from './lineIndex.js';
import { isPlaceholder } from './placeholder.js';
import { ENV_CROSSOVER } from '../rules/policyRules.js';

/**
 * The cross-fragment stage: one secret value present in files of two environments (`.env.staging`
 * and `.env.production`, two Helm values files, two tfvars). Every fragment the engine scans or
 * observes leaves here the secret values found in it (the secrets of secret findings, and in config
 * files the values of secret-named settings, which need no rule to match); `Engine.finish()` turns
 * values seen in two environments into one `env-crossover` finding each, located at a place the
 * run reports, with every other place in `related`. The value itself is never put in the finding.
 *
 * Which pairs count: production with any other environment (high), staging with development or
 * test (medium). Development and test sharing a value is normal; `ci` and `unknown` files name no
 * environment to bleed into.
 */
export interface Observation {
  value: string;
  environment: Environment;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  commit?: CommitInfo;
  /** Found in a fragment the run reports (scan), not only observed (the index beside `staged`). */
  reported: boolean;
  lineText?: string;
  previousLineText?: string;
}

/** Environments whose values are compared, least protected first. */
const PROTECTION: Partial<Record<Environment, number>> = { development: 0, test: 1, staging: 2, production: 3 };

export function participates(environment: Environment): boolean {
  return PROTECTION[environment] !== undefined;
}

/** How bad it is for environments `a` and `b` to share a secret; undefined: it is fine. */
function pairSeverity(a: Environment, b: Environment): Severity | undefined {
  if (a === b || !participates(a) || !participates(b)) return undefined;
  if (a === 'production' || b === 'production') return 'high';
  if (a === 'staging' || b === 'staging') return 'medium';
  return undefined;
}

// --- values of secret-named settings ------------------------------------------------------------

/**
 * `DB_PASSWORD=…`, `jwtSecret: …`, `"apiKey": "…"`, `db_password = "…"`, `spring.datasource.password=…`:
 * a setting whose name ends in a secret word, and its value. Linear: the name prefix is bounded and
 * cannot hold the separator.
 */
const SETTING =
  /^[ \t]*(?:export[ \t]+|-[ \t]+)?["']?[A-Za-z0-9_.-]{0,60}?(?:password|passwd|secret|secret[_-]?key(?:[_-]?base)?|token|api[_-]?key|apikey|app[_-]?key|private[_-]?key|access[_-]?key|session[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|credentials?|connection[_-]?string|database[_-]?url|db[_-]?url)["']?[ \t]*[:=][ \t]*["']?([^\s"'#,;]{8,512})/gim;
const URL_PASSWORD = /^[a-z][a-z0-9+.-]{1,20}:\/\/[^:/@\s]{0,128}:([^@\s/]{1,256})@/i;
const NOT_A_SECRET = /^(?:true|false|null|none|nil|yes|no|on|off|undefined|required|optional|\d+(?:\.\d+)?)$/i;
/** Indirections to a secret store: the reference is not the secret. */
const REFERENCE = /\$\{|\{\{|\$\(|%\(|^(?:vault:|ref\+|arn:|secretsmanager:|projects\/[^/]+\/secrets\/|op:\/\/|ENC\[|sops:|file:|env:|secret:|!)/i;

/** The regexes that read settings, for the ReDoS check of the test suite. */
export const SETTING_PATTERNS: readonly RegExp[] = [SETTING, URL_PASSWORD];

export interface HarvestedValue {
  value: string;
  start: number;
  end: number;
}

/** The values of secret-named settings in a config fragment. */
export function secretSettings(text: string): HarvestedValue[] {
  const out: HarvestedValue[] = [];
  SETTING.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SETTING.exec(text)) !== null) {
    let value = m[1]!;
    let start = m.index + m[0].length - value.length;
    if (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) {
      const password = URL_PASSWORD.exec(value);
      if (!password) continue;
      start += password[0].length - 1 - password[1]!.length;
      value = password[1]!;
    }
    if (value.length < 8 || NOT_A_SECRET.test(value) || REFERENCE.test(value) || isPlaceholder(value)) continue;
    out.push({ value, start, end: start + value.length });
  }
  return out;
}

export function observationsOf(fragment: Fragment, environment: Environment, values: HarvestedValue[], reported: boolean): Observation[] {
  if (values.length === 0) return [];
  const lines = new LineIndex(fragment);
  return values.map(({ value, start, end }) => {
    const index = lines.lineOf(start);
    const from = lines.position(start);
    const to = lines.position(end);
    return {
      value,
      environment,
      file: fragment.file,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      reported,
      ...(fragment.commit ? { commit: fragment.commit } : {}),
      ...(reported ? { lineText: lines.lineText(index), previousLineText: lines.previousLineText(index) } : {}),
    };
  });
}

// --- the ledger ---------------------------------------------------------------------------------

export class CrossoverLedger {
  /** value -> one observation per environment and file (a reported one preferred). */
  private readonly byValue = new Map<string, Map<string, Observation>>();

  record(o: Observation): void {
    if (!participates(o.environment)) return;
    let places = this.byValue.get(o.value);
    if (!places) this.byValue.set(o.value, (places = new Map()));
    const key = `${o.environment}\0${o.file}`;
    const known = places.get(key);
    if (!known || (!known.reported && o.reported)) places.set(key, o);
  }

  /** Everything recorded so far, and forget it: how a worker hands its part to the main thread. */
  take(): Observation[] {
    const all = [...this.byValue.values()].flatMap((places) => [...places.values()]);
    this.byValue.clear();
    return all;
  }

  /**
   * One finding per value seen in two environments that should not share it, at the least
   * protected place the run reports. `grade` applies the primary environment's policy (it may drop
   * the finding or change its severity).
   */
  findings(grade: (environment: Environment, severity: Severity) => Severity | undefined): Finding[] {
    const out: Finding[] = [];
    for (const [value, places] of this.byValue) {
      if (places.size < 2) continue;
      const all = [...places.values()].sort(byProtection);
      let severity: Severity | undefined;
      let primary: Observation | undefined;
      for (const a of all) {
        if (!a.reported) continue;
        for (const b of all) {
          const s = pairSeverity(a.environment, b.environment);
          if (!s) continue;
          primary ??= a;
          if (!severity || severityRank(s) > severityRank(severity)) severity = s;
        }
      }
      if (!primary || !severity) continue;
      const graded = grade(primary.environment, severity);
      if (!graded) continue;
      const others = all
        .filter((o) => o !== primary)
        .sort((x, y) => PROTECTION[y.environment]! - PROTECTION[x.environment]! || byProtection(x, y));
      const environments = [...new Set(all.map((o) => o.environment))].sort((x, y) => PROTECTION[x]! - PROTECTION[y]!);
      const related: Location[] = others.map((o) => ({
        file: o.file,
        line: o.line,
        column: o.column,
        endLine: o.endLine,
        endColumn: o.endColumn,
        label: `also in ${o.environment}`,
        ...(o.commit ? { commit: o.commit } : {}),
      }));
      out.push({
        ruleId: ENV_CROSSOVER.id,
        category: 'env-crossover',
        severity: graded,
        message: `One secret value is used in ${environments.join(' and ')} files (${[primary, ...others].map((o) => o.file).join(', ')}): give each environment its own credential`,
        file: primary.file,
        line: primary.line,
        column: primary.column,
        endLine: primary.endLine,
        endColumn: primary.endColumn,
        environment: primary.environment,
        // Never the value: it would tell a reader which production secret a development file holds.
        secret: '',
        fingerprint: fingerprint(ENV_CROSSOVER.id, primary.file, value),
        related,
        ...(primary.lineText !== undefined ? { lineText: primary.lineText } : {}),
        ...(primary.previousLineText !== undefined ? { previousLineText: primary.previousLineText } : {}),
        ...(primary.commit ? { commit: primary.commit } : {}),
      });
    }
    return out;
  }
}

function byProtection(a: Observation, b: Observation): number {
  return PROTECTION[a.environment]! - PROTECTION[b.environment]! || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}
