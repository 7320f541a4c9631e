import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../../errors.js';
import { workflowCheckDocUrl } from '../../reporters/ruleDocs.js';
import { openEngine } from '../../run/openEngine.js';
import { runScan } from '../../run/run.js';
import { findRepoRoot } from '../../sources/git.js';
import type { FileSource } from '../../sources/source.js';
import { findWorkflowFiles } from '../../sources/workflowFiles.js';
import { WORKFLOW_CHECKS } from '../../workflows/checks/index.js';
import { GITLAB_CHECKS } from '../../workflows/gitlab/checks/index.js';
import { gitlabIncludedFiles } from '../../sources/pipelineFiles.js';
import type { Command } from '../command.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export const command: Command = {
  summary: 'audit GitHub Actions workflows, local actions and GitLab pipelines: forks and merge requests get no secrets, no secret reaches a log',
  usage: `Usage: keyfence workflows [PATH...] [options]

Audits GitHub Actions workflows (.github/workflows/*.yml|yaml), local actions (action.yml|yaml) and
GitLab pipelines (.gitlab-ci.yml, with the local files they include) found at any depth under each PATH (default: the current directory). PATH may be one workflow file,
a repository, or a directory holding many repositories; a file given explicitly is audited even if
git ignores it. A file that does not parse is reported as a finding and never stops the others.
The secret rules run on these files too, as in every other command.

Checks: ${WORKFLOW_CHECKS.map((c) => c.id).join(', ')}.
GitLab checks: ${GITLAB_CHECKS.map((c) => c.id).join(', ')}.
Silence one finding with \`# keyfence: ignore[<check-id>] <reason>\` on its line or the line above.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, positionals } = parseCommandArgs(context.args, {}, 'workflows');
    const targets = (positionals.length > 0 ? positionals : ['.']).map((p) => resolve(context.cwd, p));
    for (const t of targets) {
      if (!(await stat(t).catch(() => undefined))) throw new UserError(`${relative(context.cwd, t) || t} does not exist`, 'give a workflow file, a repository or a directory of repositories');
    }
    // Paths in the report: relative to the repository root, else to the one directory given, else
    // to the working directory.
    const firstIsDir = (await stat(targets[0]!)).isDirectory();
    const repoRoot = await findRepoRoot(firstIsDir ? targets[0]! : dirname(targets[0]!)).catch(() => undefined);
    const found = await findWorkflowFiles(targets);
    const preferred = repoRoot ?? (targets.length === 1 && firstIsDir ? targets[0]! : context.cwd);
    const inside = (root: string) => found.every((abs) => !relative(root, abs).startsWith('..') && !isAbsolute(relative(root, abs)));
    const root = inside(preferred) ? preferred : context.cwd;
    const files = found.map((abs) => toPosix(relative(root, abs)));
    const source: FileSource = {
      kind: 'files',
      unit: 'files',
      root,
      // A GitLab pipeline's included files are scanned by the secret rules, not audited on their own.
      set: {
        root,
        files: [...files, ...(await gitlabIncludedFiles(root, files))],
        inRepository: repoRoot !== undefined,
        whole: false,
        namedWorkflows: files,
      },
      snapshot: undefined,
      notes: found.length === 0 ? ['no GitHub Actions workflow, action.yml or .gitlab-ci.yml found'] : [],
    };
    const rules = [...WORKFLOW_CHECKS, ...GITLAB_CHECKS].map((c) => ({ id: c.id, description: c.description, category: c.category, severity: 'medium', helpUri: workflowCheckDocUrl(c.id) }));
    return runScan({ engine: openEngine(root, options.config), sources: [source], rules }, options, context);
  },
};
