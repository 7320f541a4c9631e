/**
 * Finds GitHub Actions workflows, local actions and GitLab pipelines (`.gitlab-ci.yml`) under the
 * given paths: every
 * `.github/workflows/*.yml|yaml` and `action.yml|yaml` at any depth (a repository, or a directory
 * holding many), skipping node_modules, .git and, inside a git work tree, what git ignores (a
 * bench or build folder of generated workflows is not the repository's). A file given explicitly
 * is always included, even if git ignores it or its name does not look like a workflow.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { UserError } from '../errors.js';
import { runGit } from './git.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';

const PATTERNS = ['**/.github/workflows/*.yml', '**/.github/workflows/*.yaml', '**/action.yml', '**/action.yaml', '**/.gitlab-ci.yml', '**/.gitlab-ci.yaml'];
const IGNORE = ['**/node_modules/**', '**/.git/**'];

export async function findWorkflowFiles(paths: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths.length > 0 ? paths : ['.']) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new UserError(`${p} does not exist`, 'give a workflow file, a repository or a directory of repositories');
    }
    if (info.isFile()) {
      out.add(toPosix(p));
      continue;
    }
    if (!info.isDirectory()) continue;
    const found = await fg(PATTERNS, {
      cwd: p,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      ignore: IGNORE,
      caseSensitiveMatch: false,
      suppressErrors: true,
    });
    // The globs only narrow the walk: isWorkflowFile is what a workflow file is.
    const workflows = found.filter((f) => isWorkflowFile(f));
    const ignored = await gitIgnored(p, workflows);
    for (const f of workflows) if (!ignored.has(f)) out.add(toPosix(path.join(p, f)));
  }
  return [...out].sort();
}

/** Which of `files` (relative to `dir`) git ignores; none outside a work tree or without git. */
async function gitIgnored(dir: string, files: string[]): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  // Exit 0: some are ignored; 1: none; 128: not a work tree. Paths come back as given.
  const result = await runGit(['check-ignore', '--stdin', '-z'], dir, files.map((f) => `${f}\0`).join('')).catch(() => undefined);
  if (!result || result.code !== 0) return new Set();
  return new Set(result.stdout.toString('utf8').split('\0').filter(Boolean));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
