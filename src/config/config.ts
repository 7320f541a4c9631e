import { ENVIRONMENTS, type Environment, type Severity } from '../findings/finding.js';
import type { FailOn } from '../findings/failOn.js';
import type { RuleSpec } from '../rules/ruleSpec.js';

/** A user's allowlist entry: any field that is set must match for a finding to be dropped. */
export interface AllowEntry {
  /** Rule ids this entry applies to; default all. */
  rules?: string[];
  /** micromatch globs on the repository-relative path. */
  paths?: string[];
  /** Regexes on the secret. */
  secrets?: string[];
  /** Regexes on the whole line. */
  lines?: string[];
  /** Words that, found in the secret, make it not a secret. */
  stopwords?: string[];
  reason?: string;
  /** Where the entry was defined, for messages. */
  origin?: string;
}

export interface RuleOverride {
  enabled?: boolean;
  severity?: Severity;
}

/**
 * What `policy:` is keyed by: the environments, and `docs` (documentation and example code,
 * whatever their environment), whose policy applies on top of the environment's.
 */
export type PolicyScope = Environment | 'docs';
export const POLICY_SCOPES: readonly PolicyScope[] = [...ENVIRONMENTS, 'docs'];

/**
 * Generic secrets in test files and documentation are test data and examples far more often than
 * leaks, so by default they are reported at `low`: visible in an audit, not blocking. A live
 * provider key is not a generic secret and keeps blocking there. Elsewhere: unchanged.
 */
export function defaultGenericSecrets(scope: PolicyScope): Severity {
  return scope === 'test' || scope === 'docs' ? 'low' : 'critical';
}

/**
 * How many days a stored CI secret may go without an update before \`audit --github\` asks for its
 * rotation: 90 for production secrets, 180 elsewhere (\`policy.<environment>.maxSecretAgeDays\`).
 */
export function defaultMaxSecretAgeDays(scope: PolicyScope): number {
  return scope === 'production' ? 90 : 180;
}

/** What the policy stage does with findings in files of one environment (keyfence.yml `policy:`). */
export interface EnvironmentPolicy {
  /** Every finding in this environment is raised to at least this severity. */
  minSeverity?: Severity;
  /**
   * The highest severity a generic secret (password, private key, JWT, connection string, generic
   * token) reaches here; live provider keys are not affected. Default `low` for `test` and `docs`.
   */
  genericSecrets?: Severity;
  /** Rules switched off, or graded differently, in this environment only. */
  rules?: Record<string, RuleOverride>;
  /** `audit --github`: the most days a stored secret of this environment may go without an update. */
  maxSecretAgeDays?: number;
}

/** The effective configuration every command works from. Plain data: it is posted to workers. */
export interface KeyfenceConfig {
  /** Files the configuration was read from, the repository's own last. */
  sources: string[];
  /** Custom rules, same schema as rules/*.yml. */
  rules: Array<{ spec: RuleSpec; origin: string; fields?: Record<string, string> }>;
  overrides: Record<string, RuleOverride>;
  allow: AllowEntry[];
  /** Extra micromatch globs per environment; they win over the built-in path conventions. */
  environments: Partial<Record<Environment, string[]>>;
  /** Per-environment policy: severity floors and rule switches (see docs/environments.md). */
  policy: Partial<Record<PolicyScope, EnvironmentPolicy>>;
  /** Hostnames (and their subdomains) that are production. */
  productionDomains: string[];
  /** Files larger than this many bytes are skipped with a note. */
  maxFileSize: number;
  /** Inline comments from other scanners that also suppress a finding. */
  suppressionMarkers: string[];
  /**
   * When a data file holds personal data (docs/rules/prod-data.md): this many distinct values of
   * one kind (card numbers, IBANs, SSNs, phone numbers, e-mail addresses), or this many kinds.
   */
  prodData: { minValues: number; minKinds: number };
  /** `none`: report only, no finding fails the run. */
  failOn?: FailOn;
  /** Allow entries and inline ignore comments must give a reason, or they silence nothing. */
  requireReason?: boolean;
  /**
   * Pull-request mode: an inline marker the change itself adds still silences its finding, but
   * makes the run fail (exit 1), so a reviewer must look (`--fail-on-new-suppressions`).
   */
  failOnNewSuppressions?: boolean;
  /**
   * Where each setting came from, by setting path (`failOn`, `overrides.prod-host.severity`,
   * `allow[2]`, `environments.production[0]`): `file:line:col`. Settings not listed are defaults.
   */
  origins: Record<string, string>;
  /**
   * Guardrails locked by an extended policy, by setting path (`failOn`, `overrides.prod-host`,
   * `policy.production`, `environments`): where the lock was set. A later file cannot loosen them.
   */
  guardrails: Record<string, string>;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function defaultConfig(): KeyfenceConfig {
  return {
    sources: [],
    rules: [],
    overrides: {},
    allow: [],
    environments: {},
    policy: {},
    productionDomains: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    suppressionMarkers: ['gitleaks:allow', 'pragma: allowlist secret', 'secretlint-disable-line', 'ggignore'],
    prodData: { minValues: 5, minKinds: 3 },
    origins: {},
    guardrails: {},
  };
}
