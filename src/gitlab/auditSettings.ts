/**
 * `keyfence audit --gitlab GROUP/PROJECT`: reads the project's settings once through the shared
 * facts, reads what its pipeline does with CI/CD variables, runs every GitLab settings check, and
 * turns their reports into findings of category `gitlab-settings`. Requests the token may not make
 * become notes; a check that throws anything else is an internal error, never a skipped check.
 */
import type { Finding } from '../findings/finding.js';
import { settingsFinding, settingsRuleInfo } from '../findings/settingsFinding.js';
import type { RuleInfo } from '../reporters/reporter.js';
import { defaultIsProductionEnvironment } from '../workflows/check.js';
import type { GitLabSettingsReport } from './check.js';
import { GITLAB_SETTINGS_CHECKS } from './checks/index.js';
import type { GitLabClient } from './client.js';
import { GitLabFacts, type Project } from './facts.js';
import { variableUsesIn, type PipelineText } from './pipelineUse.js';

export interface GitLabAuditOptions {
  api: GitLabClient;
  /** GROUP/PROJECT (subgroups included: GROUP/SUBGROUP/PROJECT). */
  project: string;
  /**
   * The project's pipeline file, or a loader given the project (its default branch and CI config
   * path) to read it; undefined when the project has none.
   */
  pipeline: PipelineText | undefined | ((project: Project) => Promise<PipelineText | undefined>);
  isProduction?: (name: string) => boolean;
}

export interface GitLabAuditResult {
  findings: Finding[];
  notes: string[];
}

/** `GROUP/PROJECT` or `GROUP/SUBGROUP/…/PROJECT`, as given to --gitlab. */
export function parseProjectPath(path: string): string | undefined {
  const p = path.trim().replace(/\.git$/, '').replace(/^\/+|\/+$/g, '');
  const parts = p.split('/');
  if (parts.length < 2) return undefined;
  if (!parts.every((s) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s) && s !== '.' && s !== '..')) return undefined;
  return p;
}

export async function auditGitLabSettings(options: GitLabAuditOptions): Promise<GitLabAuditResult> {
  const facts = new GitLabFacts(options.api, options.project);
  const project = await facts.project();
  const isProduction = options.isProduction ?? defaultIsProductionEnvironment;
  const pipeline = typeof options.pipeline === 'function' ? await options.pipeline(project) : options.pipeline;
  const uses = await variableUsesIn(pipeline, isProduction);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const check of GITLAB_SETTINGS_CHECKS) {
    const reports: GitLabSettingsReport[] = [];
    try {
      await check.run({ facts, isProduction, uses, report: (r) => reports.push(r) });
    } catch (error) {
      throw new Error(`GitLab settings check ${check.id} failed on ${options.project}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { cause: error });
    }
    for (const r of reports) {
      const f = settingsFinding(check.id, 'gitlab-settings', r);
      if (seen.has(f.fingerprint)) continue;
      seen.add(f.fingerprint);
      findings.push(f);
    }
  }
  const notes = [...facts.notes];
  if (project.forkPipelinesInParent === undefined) {
    notes.push(`gitlab: GitLab did not show whether fork merge requests may run pipelines in ${options.project} (ci_allow_fork_pipelines_to_run_in_parent_project): the token's user needs at least the Maintainer role; the check was skipped`);
  }
  if (!pipeline) notes.push(`gitlab: no pipeline file (${project.ciConfigPath || '.gitlab-ci.yml'}) was found, so variable use was not cross-checked with the settings`);
  return { findings, notes };
}

/** What SARIF and markdown say about the GitLab settings checks: each one's description and doc page. */
export function gitlabSettingsRuleInfo(findings: Finding[]): RuleInfo[] {
  return settingsRuleInfo(GITLAB_SETTINGS_CHECKS, 'gitlab-settings', findings);
}
