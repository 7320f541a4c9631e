import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { loadConfig } from '../../config/configFile.js';
import { createEngine } from '../../engine/createEngine.js';
import type { Engine } from '../../engine/engine.js';
import { scanFiles, skipNotes } from '../../engine/scanFiles.js';
import type { Finding, ScanStats } from '../../findings/finding.js';
import { listFiles, type FileSet } from '../../sources/files.js';
import { runGit } from '../../sources/git.js';
import { SkipTally } from '../../sources/gitChanges.js';
import { readLog, type LogScan } from '../../sources/gitLog.js';
import { historyRevisions } from '../../sources/history.js';
import { openRepository, SHALLOW_NOTE } from '../../sources/repository.js';
import { scanGitFragment } from '../gitScan.js';
import type { RuleInfo } from '../../reporters/reporter.js';
import { findWorkflowFiles } from '../../sources/workflowFiles.js';
import { auditWorkflowFile, isWorkflowFile } from '../../workflows/auditWorkflow.js';
import type { Command, CommandContext } from '../command.js';
import { emitReport, type ScanOutcome } from '../emitReport.js';
import { UserError } from '../../errors.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'history + tree + workflows in one report; with --github, the repository\'s GitHub settings too',
  usage: `Usage: keyfence audit [PATH] [--github OWNER/REPO] [--github-url URL] [options]

Audits a repository in one report: its whole history (every commit reachable from any branch,
tag, remote-tracking ref or stash, so unmerged work is covered too; a secret that is still in the
tree is reported once, where it is now), the files on disk under PATH, the GitHub
Actions workflows and, with
--github and a token in GITHUB_TOKEN or GH_TOKEN, the repository's settings on GitHub (environments,
where secrets are stored and which jobs can reach them, the default token permissions, fork pull
request policies, self-hosted runners). A setting the token may not read becomes a note naming the
permission it needs.

      --github OWNER/REPO  also audit this repository's settings on GitHub
      --github-url URL     GitHub Enterprise Server: https://HOST or its API root https://HOST/api/v3
                           (default: GITHUB_API_URL, else https://api.github.com)
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(
      context.args,
      { github: { type: 'string' }, 'github-url': { type: 'string' } },
      'audit',
    );
    if (positionals.length > 1) throw new UserError('audit takes one PATH', 'run `keyfence audit --help` for usage');
    const githubSlug = values.github as string | undefined;
    // Settle the GitHub part's usage errors before any scanning.
    const github = githubSlug !== undefined ? await githubTarget(githubSlug, values['github-url'] as string | undefined, context) : undefined;

    const set = await listFiles(positionals, context.cwd);
    const engine = await createEngine(await loadConfig(set.root, options.config));
    const audit = await collectAudit(engine, set, github, (m) => context.stderr.write(`keyfence: ${m}\n`));
    return emitReport(context, options, engine, audit);
  },
};

export interface GitHubTarget {
  owner: string;
  repo: string;
  token: string;
  baseUrl: string;
}

/** Everything `audit` reports, before suppressions: also what the Action's audit mode runs. */
export async function collectAudit(
  engine: Engine,
  set: FileSet,
  github: (GitHubTarget & { optional?: boolean }) | undefined,
  warn: (message: string) => void,
): Promise<ScanOutcome> {
  const notes: string[] = [];

  // The tree.
  const tree = await scanFiles(engine, set);
  const findings: Finding[] = [...tree.findings];
  notes.push(...skipNotes(tree.skipped));
  const stats: ScanStats = { ...tree.stats };

  // The history of every ref: what is no longer in the tree, or never was (an unmerged branch), but
  // is in a commit. A secret found in both is reported once, where it is now; one added by several
  // commits, once, with the oldest.
  if (set.inRepository && (await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], set.root)).code === 0) {
    const repo = await openRepository(set.root);
    if (repo.shallow) notes.push(SHALLOW_NOTE);
    const scan: LogScan = { skipped: new SkipTally(), commits: 0, patchBytes: 0 };
    const inTree = new Set(findings.map((f) => f.fingerprint));
    const oldest = new Map<string, Finding>();
    for await (const item of readLog(repo.root, await historyRevisions(repo, { all: true }), engine.config.maxFileSize, scan)) {
      if (item.type !== 'fragment') continue;
      stats.bytes += item.item.fragment.bytes ?? item.item.fragment.text.length;
      for (const f of scanGitFragment(engine, item.item)) {
        if (inTree.has(f.fingerprint)) continue;
        // git log lists newest first: the last one seen is the oldest.
        oldest.set(`${f.ruleId}\0${f.fingerprint}`, f);
      }
    }
    findings.push(...oldest.values());
    stats.commits = scan.commits;
    notes.push(...scan.skipped.notes().map((n) => `history: ${n}`));
  }

  // The workflows.
  const workflows = await readWorkflows(set.root);
  for (const w of workflows) findings.push(...auditWorkflowFile(w.file, w.text));

  // The settings.
  const rules: RuleInfo[] = [];
  if (github) {
    const { createGitHubClient } = await import('../../github/client.js');
    const { auditGitHubSettings, settingsRuleInfo } = await import('../../github/auditSettings.js');
    const octokit = createGitHubClient({ token: github.token, baseUrl: github.baseUrl, warn });
    try {
      const settings = await auditGitHubSettings({
        octokit,
        owner: github.owner,
        repo: github.repo,
        workflows: workflows.filter((w) => /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(w.file)),
      });
      findings.push(...settings.findings);
      notes.push(...settings.notes);
      rules.push(...settingsRuleInfo(settings.findings));
    } catch (error) {
      // Asked for explicitly (--github), a repository GitHub does not show is a usage error; where
      // the settings are a bonus (the Action's audit mode), it is a note and the rest still counts.
      if (!github.optional || !(error instanceof UserError)) throw error;
      notes.push(`github: the repository settings were not audited: ${error.message}`);
    }
  }

  findings.push(...engine.finish());
  return { findings, stats, notes, rules };
}

async function githubTarget(slug: string, url: string | undefined, context: CommandContext): Promise<GitHubTarget> {
  const { parseRepositorySlug } = await import('../../github/auditSettings.js');
  const { resolveApiUrl, tokenFromEnv } = await import('../../github/client.js');
  const repo = parseRepositorySlug(slug);
  if (!repo) throw new UserError(`--github "${slug}" is not OWNER/REPO`, 'give the repository as OWNER/REPO, e.g. --github octo-org/website');
  const token = tokenFromEnv(context.env);
  if (!token) throw new UserError('--github needs a token to read the repository settings', 'set GITHUB_TOKEN or GH_TOKEN (gh auth token prints yours)');
  return { ...repo, token, baseUrl: resolveApiUrl(url, context.env) };
}

/** Workflows and local actions of the repository, paths relative to its root. */
async function readWorkflows(root: string): Promise<Array<{ file: string; text: string }>> {
  const out: Array<{ file: string; text: string }> = [];
  for (const path of await findWorkflowFiles([root])) {
    const file = relative(root, resolve(root, path)).split(sep).join('/');
    if (!isWorkflowFile(file)) continue;
    out.push({ file, text: await readFile(resolve(root, path), 'utf8') });
  }
  return out;
}
