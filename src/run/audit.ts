import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { runGit } from '../sources/git.js';
import { historySource, type HistoryOptions } from '../sources/history.js';
import { openRepository } from '../sources/repository.js';
import type { Source } from '../sources/source.js';
import { openFileSource } from './openFileSource.js';
import { repositoryWorkflows } from './repositoryWorkflows.js';
import type { ExtraFindings } from './run.js';
import type { ScanWorkers } from './scanFiles.js';

/** A repository on GitHub whose settings an audit reads. */
export interface GitHubTarget {
  owner: string;
  repo: string;
  token: string;
  baseUrl: string;
  /**
   * The settings are a bonus (the Action's audit mode): a repository GitHub does not show, or an API
   * that does not answer, becomes a note and the rest of the audit still counts.
   */
  optional?: boolean;
}

/**
 * What `keyfence audit` and the Action's audit mode read: the tree under `path` first (where a
 * secret is now, and every workflow file, audited as it is on disk), then the history of every ref
 * (branches, tags, remote-tracking refs, stash: what is no longer in the tree, or never was).
 */
export async function openAuditSources(
  path: string[],
  cwd: string,
  history: Pick<HistoryOptions, 'branch' | 'paths' | 'logOptions'> = {},
): Promise<{ sources: Source[]; workers: ScanWorkers | undefined; root: string }> {
  const { source: tree, workers } = await openFileSource(path, cwd);
  const sources: Source[] = [tree];
  try {
    if (tree.set.inRepository && (await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], tree.root)).code === 0) {
      const repo = await openRepository(tree.root);
      // --branch or a range in --log-opts narrow the history to what they name; else every ref.
      const all = history.branch === undefined && !history.logOptions?.revisions.length;
      sources.push({ ...(await historySource(repo, { all, ...history })), label: 'history' });
    }
  } catch (error) {
    await workers?.close();
    throw error;
  }
  return { sources, workers, root: tree.root };
}

/**
 * The settings step of an audit: run after the scan, its findings, notes and secret inventory join
 * the report. `config` gives the rotation limits (`policy.<environment>.maxSecretAgeDays`); it is
 * asked for when the step runs, after the door's engine (and so the configuration) is ready.
 */
export function githubSettings(
  github: GitHubTarget,
  root: string,
  warn: (message: string) => void,
  config?: () => Promise<KeyfenceConfig>,
): () => Promise<ExtraFindings> {
  return async () => {
    const { createGitHubClient } = await import('../github/client.js');
    const { auditGitHubSettings, settingsRuleInfo } = await import('../github/auditSettings.js');
    const octokit = createGitHubClient({ token: github.token, baseUrl: github.baseUrl, warn });
    try {
      const policy = (await config?.())?.policy ?? {};
      const maxSecretAgeDays = Object.fromEntries(
        Object.entries(policy).flatMap(([env, p]) => (p.maxSecretAgeDays ? [[env, p.maxSecretAgeDays]] : [])),
      );
      const settings = await auditGitHubSettings({
        octokit,
        owner: github.owner,
        repo: github.repo,
        workflows: async (branch) => (await repositoryWorkflows(root, branch)).workflows,
        maxSecretAgeDays,
      });
      const { findings, notes, inventory } = settings;
      return { findings, notes, rules: settingsRuleInfo(findings), secretInventory: inventory };
    } catch (error) {
      if (!github.optional || !(error instanceof UserError)) throw error;
      return { findings: [], notes: [`github: the repository settings were not audited: ${error.message}`], rules: [] };
    }
  };
}
