import type { Environment, Severity } from '../findings/finding.js';
import type { RuleSpec } from '../engine/ruleSpec.js';

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

/** The effective configuration every command works from. */
export interface KeyfenceConfig {
  /** Files the configuration was read from, nearest last. */
  sources: string[];
  /** Custom rules, same schema as rules/*.yml. */
  rules: Array<{ spec: RuleSpec; origin: string }>;
  overrides: Record<string, RuleOverride>;
  allow: AllowEntry[];
  /** Extra micromatch globs per environment; they win over the built-in path conventions. */
  environments: Partial<Record<Environment, string[]>>;
  /** Hostnames (and their subdomains) that are production. */
  productionDomains: string[];
  /** Files larger than this many bytes are skipped with a note. */
  maxFileSize: number;
  /** Inline comments from other scanners that also suppress a finding. */
  suppressionMarkers: string[];
  failOn?: Severity;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export function defaultConfig(): KeyfenceConfig {
  return {
    sources: [],
    rules: [],
    overrides: {},
    allow: [],
    environments: {},
    productionDomains: [],
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    suppressionMarkers: ['gitleaks:allow', 'pragma: allowlist secret', 'secretlint-disable-line'],
  };
}
