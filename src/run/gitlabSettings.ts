/**
 * The GitLab settings step of `keyfence audit --gitlab GROUP/PROJECT`: run after the scan, its
 * findings and notes join the report. The pipeline it cross-checks the settings with is the
 * project's CI configuration file (`ci_config_path`, else `.gitlab-ci.yml`) as it is on the default
 * branch of the local clone (`origin/<branch>`, else `<branch>`), else in the work tree: the branch
 * whose pipelines the stored variables serve.
 */
import { UserError } from '../errors.js';
import type { Project } from '../gitlab/facts.js';
import type { PipelineText } from '../gitlab/pipelineUse.js';
import { diskPipelineFiles, snapshotPipelineFiles } from '../sources/pipelineFiles.js';
import { runGit } from '../sources/git.js';
import type { ExtraFindings } from './run.js';

/** A project on a GitLab instance whose settings an audit reads. */
export interface GitLabTarget {
  /** GROUP/PROJECT. */
  project: string;
  token: string;
  /** The instance's address, e.g. https://gitlab.com. */
  baseUrl: string;
  /**
   * The settings are one part of a larger audit (`audit --gitlab-group … --settings`): a project
   * GitLab does not show, or an API that does not answer, becomes a note and the rest still counts.
   */
  optional?: boolean;
}

/** The pipeline file of the project in the clone at `root`, from its default branch when the clone has it. */
async function repositoryPipeline(root: string, project: Project): Promise<PipelineText | undefined> {
  // A ci_config_path of another project (`file.yml@group/project`) or a URL is not in this clone.
  const configured = project.ciConfigPath.trim();
  if (configured.includes('@') || /^[a-z]+:\/\//i.test(configured)) return undefined;
  const file = configured.replace(/^\/+/, '') || '.gitlab-ci.yml';
  if (project.defaultBranch) {
    for (const ref of [`refs/remotes/origin/${project.defaultBranch}`, `refs/heads/${project.defaultBranch}`]) {
      const found = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root).catch(() => undefined);
      if (!found || found.code !== 0) continue;
      const sha = found.stdout.toString('utf8').trim();
      const files = snapshotPipelineFiles(root, { kind: 'commit', sha });
      const text = await files.read(file);
      return text === undefined ? undefined : { file, text, files };
    }
  }
  const files = diskPipelineFiles(root);
  const text = await files.read(file);
  return text === undefined ? undefined : { file, text, files };
}

export function gitlabSettings(target: GitLabTarget, root: string, warn: (message: string) => void): () => Promise<ExtraFindings> {
  return async () => {
    const { createGitLabClient } = await import('../gitlab/client.js');
    const { auditGitLabSettings, gitlabSettingsRuleInfo } = await import('../gitlab/auditSettings.js');
    const api = createGitLabClient({ token: target.token, baseUrl: target.baseUrl, warn });
    const pipeline = (project: Project) => repositoryPipeline(root, project);
    try {
      const { findings, notes } = await auditGitLabSettings({ api, project: target.project, pipeline });
      return { findings, notes, rules: gitlabSettingsRuleInfo(findings) };
    } catch (error) {
      if (!target.optional || !(error instanceof UserError)) throw error;
      return { findings: [], notes: [`gitlab: the project settings were not audited: ${error.message}`], rules: [] };
    }
  };
}

/** Two settings steps in one report (`audit --github … --gitlab …`): findings, notes and rules of both. */
type SettingsStep = () => Promise<ExtraFindings>;

export function bothSettings(a: SettingsStep | undefined, b: SettingsStep | undefined): SettingsStep | undefined {
  if (!a || !b) return a ?? b;
  return async () => {
    const [x, y] = [await a(), await b()];
    return {
      findings: [...x.findings, ...y.findings],
      notes: [...x.notes, ...y.notes],
      rules: [...x.rules, ...y.rules],
      ...(x.secretInventory ?? y.secretInventory ? { secretInventory: [...(x.secretInventory ?? []), ...(y.secretInventory ?? [])] } : {}),
    };
  };
}
