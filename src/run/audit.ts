import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { runGit } from '../sources/git.js';
import { historySource } from '../sources/history.js';
import { openRepository } from '../sources/repository.js';
import type { Source } from '../sources/source.js';
import { isRepositoryWorkflow } from '../workflows/workflowPath.js';
import { openFileSource } from './openFileSource.js';
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
): Promise<{ sources: Source[]; workers: ScanWorkers | undefined; root: string }> {
  const { source: tree, workers } = await openFileSource(path, cwd);
  const sources: Source[] = [tree];
  try {
    if (tree.set.inRepository && (await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], tree.root)).code === 0) {
      const repo = await openRepository(tree.root);
      sources.push({ ...(await historySource(repo, { all: true })), label: 'history' });
    }
  } catch (error) {
    await workers?.close();
    throw error;
  }
  return { sources, workers, root: tree.root };
}

/** The settings step of an audit: run after the scan, its findings and notes join the report. */
export function githubSettings(github: GitHubTarget, root: string, warn: (message: string) => void): () => Promise<ExtraFindings> {
  return async () => {
    const { createGitHubClient } = await import('../github/client.js');
    const { auditGitHubSettings, settingsRuleInfo } = await import('../github/auditSettings.js');
    const octokit = createGitHubClient({ token: github.token, baseUrl: github.baseUrl, warn });
    try {
      const settings = await auditGitHubSettings({ octokit, owner: github.owner, repo: github.repo, workflows: repositoryWorkflows(root) });
      return { findings: settings.findings, notes: settings.notes, rules: settingsRuleInfo(settings.findings) };
    } catch (error) {
      if (!github.optional || !(error instanceof UserError)) throw error;
      return { findings: [], notes: [`github: the repository settings were not audited: ${error.message}`], rules: [] };
    }
  };
}

/**
 * The repository's own workflows (`.github/workflows/*.yml`), for the cross-check of secret use
 * against where secrets are stored.
 */
function repositoryWorkflows(root: string): Array<{ file: string; text: string }> {
  let names: string[];
  try {
    names = readdirSync(join(root, '.github', 'workflows'));
  } catch {
    return [];
  }
  return names
    .map((name) => `.github/workflows/${name}`)
    .filter(isRepositoryWorkflow)
    .sort()
    .flatMap((file) => {
      try {
        return [{ file, text: readFileSync(join(root, file), 'utf8') }];
      } catch {
        return [];
      }
    });
}
