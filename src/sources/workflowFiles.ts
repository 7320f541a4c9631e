/**
 * Finds GitHub Actions workflows, local actions and GitLab pipelines (`.gitlab-ci.yml`) under the
 * given paths: every
 * `.github/workflows/*.yml|yaml` and `action.yml|yaml` at any depth (a repository, or a directory
 * holding many), skipping node_modules and .git. A file given explicitly is always included, even
 * if git ignores it or its name does not look like a workflow.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { UserError } from '../errors.js';
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
    for (const f of found) if (isWorkflowFile(f)) out.add(toPosix(path.join(p, f)));
  }
  return [...out].sort();
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
