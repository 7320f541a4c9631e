/**
 * `keyfence audit --github OWNER/REPO`: reads the repository's settings once through the shared
 * facts, runs every settings check, and turns their reports into findings of category
 * `github-settings`. Requests the token may not make become notes; a check that throws anything
 * else is an internal error, never a silently skipped check.
 */
import { severityRank, type Environment, type Finding } from '../findings/finding.js';
import type { RuleInfo } from '../reporters/reporter.js';
import { settingsFinding, settingsRuleInfo as ruleInfoOf } from '../findings/settingsFinding.js';
import { sortInventory, type SecretInventoryRow } from '../findings/secretInventory.js';
import { defaultIsProductionEnvironment } from '../workflows/check.js';
import type { SettingsReport } from './check.js';
import { SETTINGS_CHECKS } from './checks/index.js';
import type { GitHubClient } from './client.js';
import { GitHubFacts } from './facts.js';
import { buildSecretInventory, defaultMaxSecretAgeDays, type SecretInventory, type StoredSecret } from './secretInventory.js';
import { secretUsesIn, type WorkflowText } from './secretUsage.js';

export interface SettingsAuditOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /**
   * The repository's workflow files and local actions, for the cross-check of secret use against
   * secret storage; or a loader given the default branch's name, to read them from that branch.
   */
  workflows: WorkflowText[] | ((defaultBranch: string) => Promise<WorkflowText[]>);
  isProduction?: (name: string) => boolean;
  /** The clock ages are measured against; default: now. */
  now?: Date;
  /** keyfence.yml `policy.<environment>.maxSecretAgeDays`; unset: 90 for production, 180 elsewhere. */
  maxSecretAgeDays?: Partial<Record<Environment, number>>;
}

export interface SettingsAuditResult {
  findings: Finding[];
  notes: string[];
  /**
   * Every stored secret with its scope, age and users, and the findings about it: all of them, before
   * any suppression (the run keeps only those the report still holds: inventoryOfReport).
   */
  inventory: InventoryRow[];
}

/** One row of the secret inventory in a report. */
export type InventoryRow = SecretInventoryRow;

/** `OWNER/REPO`, as given to --github. */
export function parseRepositorySlug(slug: string): { owner: string; repo: string } | undefined {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(slug.trim());
  if (!m || m[2] === '.' || m[2] === '..') return undefined;
  return { owner: m[1]!, repo: m[2]!.replace(/\.git$/, '') };
}

export async function auditGitHubSettings(options: SettingsAuditOptions): Promise<SettingsAuditResult> {
  const facts = new GitHubFacts(options.octokit, options.owner, options.repo);
  const repository = await facts.repository();
  const isProduction = options.isProduction ?? defaultIsProductionEnvironment;
  const workflows = typeof options.workflows === 'function' ? await options.workflows(repository.default_branch) : options.workflows;
  const secretUses = secretUsesIn(workflows);
  const now = options.now ?? new Date();
  const limits = options.maxSecretAgeDays ?? {};
  let inventory: Promise<SecretInventory> | undefined;
  const getInventory = () =>
    (inventory ??= buildSecretInventory({
      facts,
      secretUses,
      isProduction,
      now,
      maxSecretAgeDays: (env) => limits[env] ?? defaultMaxSecretAgeDays(env),
    }));
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const check of SETTINGS_CHECKS) {
    const reports: SettingsReport[] = [];
    try {
      await check.run({ facts, isProduction, secretUses, inventory: getInventory, now, report: (r) => reports.push(r) });
    } catch (error) {
      throw new Error(
        `settings check ${check.id} failed on ${facts.fullName}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        { cause: error },
      );
    }
    for (const r of reports) {
      const f = settingsFinding(check.id, 'github-settings', r);
      if (seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      findings.push(f);
    }
  }
  return { findings, notes: facts.notes, inventory: inventoryRows((await getInventory()).secrets, findings) };
}

const jobsOf = (uses: StoredSecret['users']) => [...new Map(uses.map((u) => [`${u.file}\0${u.job}`, { file: u.file, job: u.job }])).values()];

/** The inventory as report rows, riskiest first: most severe finding, then production, then oldest. */
function inventoryRows(secrets: StoredSecret[], findings: Finding[]): InventoryRow[] {
  const rows = secrets.map((s): InventoryRow => {
    const about = findings.filter((f) => f.file === s.place || (f.related ?? []).some((r) => r.file === s.place));
    return {
      name: s.name,
      scope: s.scope,
      ...(s.environmentName !== undefined ? { environmentName: s.environmentName } : {}),
      ...(s.visibility !== undefined ? { visibility: s.visibility } : {}),
      ...(s.sharedWith !== undefined ? { sharedWith: s.sharedWith } : {}),
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      ageDays: s.ageDays,
      maxAgeDays: s.maxAgeDays,
      environment: s.environment,
      usedBy: jobsOf(s.users),
      mayBeReadBy: jobsOf(s.broadUsers),
      findings: about
        .map((f) => ({ ruleId: f.ruleId, severity: f.severity, fingerprint: f.fingerprint }))
        .sort((a, b) => severityRank(b.severity) - severityRank(a.severity)),
    };
  });
  return sortInventory(rows);
}

/** What SARIF and markdown say about the settings checks: each one's description and doc page. */
export function settingsRuleInfo(findings: Finding[]): RuleInfo[] {
  return ruleInfoOf(SETTINGS_CHECKS, 'github-settings', findings);
}
