import { severityRank, type Environment, type Severity } from './finding.js';

/**
 * One row of a report's secret inventory (`audit --github`): a stored GitHub Actions secret, its
 * scope, dates, age against its rotation limit, the jobs that use it and the findings about it.
 * Names and dates only: GitHub never returns a value, and none is asked for.
 */
export interface SecretInventoryRow {
  name: string;
  scope: 'repository' | 'environment' | 'organization';
  /** For `environment`: the deployment environment's name. */
  environmentName?: string;
  /** For `organization`: who can see it (when the token may read the organisation's list). */
  visibility?: 'all' | 'private' | 'selected';
  /** For `selected`: how many repositories it is shared with. */
  sharedWith?: number;
  createdAt: string;
  updatedAt: string;
  /** Whole days since `updatedAt`. */
  ageDays: number;
  /** The rotation limit that applies (`policy.<environment>.maxSecretAgeDays`). */
  maxAgeDays: number;
  /** The policy environment that sets the limit. */
  environment: Environment;
  /** Jobs that reference it: workflow file and job id. */
  usedBy: Array<{ file: string; job: string }>;
  /** Jobs that get every secret (`secrets: inherit`, `toJSON(secrets)`), and so may read it. */
  mayBeReadBy: Array<{ file: string; job: string }>;
  /** The settings findings about it, most severe first; `fingerprint` names the finding in the report. */
  findings: InventoryFinding[];
  /** An organisation's report (`audit --org --settings`): the repository, `owner/name`, that can read it. */
  repository?: string;
}

export interface InventoryFinding {
  ruleId: string;
  severity: Severity;
  fingerprint: string;
}

/** The most severe finding's rank (0: none). */
const worstRank = (r: SecretInventoryRow) => Math.max(0, ...r.findings.map((f) => severityRank(f.severity)));

/** The most severe finding's severity; undefined when nothing is found about the secret. */
export function worstSeverity(r: SecretInventoryRow): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of r.findings) if (worst === undefined || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}

/** Riskiest first: most severe finding, then production, then oldest; then by name and scope, for a stable order. */
export function sortInventory(rows: SecretInventoryRow[]): SecretInventoryRow[] {
  return rows.sort(
    (a, b) =>
      worstRank(b) - worstRank(a) ||
      Number(b.environment === 'production') - Number(a.environment === 'production') ||
      b.ageDays - a.ageDays ||
      a.name.localeCompare(b.name) ||
      a.scope.localeCompare(b.scope),
  );
}

/**
 * The inventory as the report shows it: each row keeps only the findings the report still holds
 * (an inline marker, an allowlist or the baseline silenced the others), with the severity the report
 * gives them, and the rows are sorted again by what is left.
 */
export function inventoryOfReport(
  rows: SecretInventoryRow[],
  findings: ReadonlyArray<{ fingerprint: string; severity: Severity }>,
): SecretInventoryRow[] {
  const kept = new Map(findings.map((f) => [f.fingerprint, f.severity]));
  return sortInventory(
    rows.map((r) => ({
      ...r,
      findings: r.findings
        .filter((f) => kept.has(f.fingerprint))
        .map((f) => ({ ...f, severity: kept.get(f.fingerprint)! }))
        .sort((a, b) => severityRank(b.severity) - severityRank(a.severity)),
    })),
  );
}

/** "environment production", "repository", "organisation (selected: 2 repositories)": a row's scope in words. */
export function scopeText(r: SecretInventoryRow): string {
  if (r.scope === 'environment') return `environment ${r.environmentName}`;
  if (r.scope === 'repository') return 'repository';
  if (r.visibility === 'selected') return r.sharedWith !== undefined ? `organisation (${r.sharedWith} selected repositor${r.sharedWith === 1 ? 'y' : 'ies'})` : 'organisation (selected repositories)';
  return r.visibility ? `organisation (${r.visibility === 'all' ? 'all' : 'private'} repositories)` : 'organisation';
}
