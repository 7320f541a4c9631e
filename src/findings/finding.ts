/** The vocabulary every stage shares. Values are fixed by the public interface (docs/cli.md). */
import type { SecretInventoryRow } from './secretInventory.js';
import type { ReportTrend } from './trend.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'live-key',
  'generic-secret',
  'prod-host',
  'env-crossover',
  'fixture',
  'echo-leak',
  'workflow',
  'github-settings',
  'gitlab-settings',
  'policy',
  'prod-data',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ENVIRONMENTS = ['development', 'test', 'staging', 'production', 'ci', 'unknown'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Higher number = more severe; used by --fail-on and for sorting. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

export interface CommitInfo {
  sha: string;
  author: string;
  /** ISO 8601 */
  date: string;
}

/** A place in a file. Lines and columns are 1-based; endColumn is exclusive. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Short label shown next to extra locations ("this trigger", "also in production"). */
  label?: string;
  commit?: CommitInfo;
}

/**
 * A finding as the engine produces it. `secret` holds the raw matched value and must never reach a
 * reporter: the redaction stage (findings/redact.ts) turns Finding into ReportFinding.
 */
export interface Finding extends Location {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  environment: Environment;
  /** Raw value; empty for findings that have no secret (workflow, settings). */
  secret: string;
  /** Stable, keyed hash: see findings/fingerprint.ts. */
  fingerprint: string;
  /** Further places that belong to this finding (the other environment of a crossover, a trigger). */
  related?: Location[];
  /** The source line, untrimmed, used by inline suppressions; never reported. */
  lineText?: string;
  /** The line above, when the source has it, for `keyfence-ignore-next-line`; never reported. */
  previousLineText?: string;
  /**
   * The lines of its related places in the same file (and the line above each), where a marker
   * naming the check silences a workflow finding too: one set at a checkout still counts once the
   * finding is reported where the checked-out code runs. Never reported.
   */
  relatedLineTexts?: Array<{ lineText: string; previousLineText?: string }>;
  /** The provider's answer, with `--verify` only (src/verification). */
  verification?: Verification;
  /**
   * `audit --org`: the repository it was found in, "owner/name" (`audit --gitlab-group`: the
   * project's full path, "group/subgroup/project"); `file` is relative to its root.
   */
  repository?: string;
}

export const VERIFICATION_STATUSES = ['live', 'invalid', 'revoked', 'unknown', 'error'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * Whether a found credential works, as its provider answered (docs/verification.md): `unknown` when
 * no verifier covers the rule, `error` when the question could not be asked (`reason` says why).
 * Never holds the secret.
 */
export interface Verification {
  status: VerificationStatus;
  /** Who the credential belongs to (account, user, organisation, scopes, expiry), as the provider says. */
  identity?: string;
  /** Why the check failed (`error`) or could not be made (`unknown`). */
  reason?: string;
  /** When the provider was asked (ISO 8601, UTC); absent when it was not asked. */
  checkedAt?: string;
}

/** What reporters receive: the secret is redacted unless --show-secrets was given. */
export interface ReportFinding extends Omit<Finding, 'secret' | 'lineText' | 'previousLineText' | 'relatedLineTexts' | 'commit'> {
  secret: string;
  commit?: string;
  author?: string;
  date?: string;
}

/** What a run covered, in the units it scanned (docs/cli.md, schema/report.schema.json). */
export interface ScanStats {
  /** Distinct files scanned, whole or in part. */
  files: number;
  /** Bytes of text scanned. */
  bytes: number;
  /** Commits walked (diff, history, audit). */
  commits: number;
  durationMs: number;
  /** Files passed over (binary, too large, unreadable, submodules); the notes say which. */
  skipped: number;
  /** Findings silenced, by how. */
  suppressed: { inline: number; allow: number; baseline: number };
}

/**
 * A finding that an inline marker added by the change itself silenced (pull-request mode): still
 * suppressed, but listed in every report so the reviewer sees what the author chose to silence.
 */
export interface ChangeSuppression extends ReportFinding {
  /** The marker as written on the line: `keyfence:allow[stripe-live-secret-key]`, `gitleaks:allow`. */
  marker: string;
  /** The reason the marker gives; '' when it gives none. */
  reason: string;
}

export interface Report {
  findings: ReportFinding[];
  /**
   * Pull-request mode only (`keyfence diff`, the Action): findings the change silenced with inline
   * markers it added. Absent elsewhere; empty when the change silenced nothing.
   */
  suppressedByChange?: ChangeSuppression[];
  stats: ScanStats;
  /** What the summary counts: files, commits, or both (an audit). */
  units: Array<'files' | 'commits'>;
  /** One-line notes for the user: skipped files, a shallow clone, a check the token could not make. */
  notes: string[];
  /** `audit --github` only: every stored Actions secret the repository can read, riskiest first. */
  secretInventory?: SecretInventoryRow[];
  /** Counts over earlier runs and what changed since the last (`report diff`, `report merge`): charted by HTML. */
  trend?: ReportTrend;
}
