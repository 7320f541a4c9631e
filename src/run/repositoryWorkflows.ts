/**
 * The workflows GitHub runs for a repository, for `audit --github`'s cross-check of secret use
 * against secret storage: `.github/workflows/*.yml` and the local actions under `.github/actions/`,
 * as they are on the repository's default branch (what the stored secrets actually serve). Read
 * from the local clone's copy of that branch (`origin/<branch>`, else `<branch>`); a clone without
 * it (a shallow CI checkout) falls back to the work tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../sources/git.js';
import { isRepositoryWorkflow } from '../workflows/workflowPath.js';

export interface RepositoryWorkflow {
  file: string;
  text: string;
}

/** A local action's metadata file under .github/actions/ (composite actions live there by convention). */
function isLocalAction(path: string): boolean {
  return /^\.github\/actions\/(?:[^/]+\/)*action\.ya?ml$/i.test(path);
}

const wanted = (path: string) => isRepositoryWorkflow(path) || isLocalAction(path);

/** The default branch's workflows and local actions, and where they were read from. */
export async function repositoryWorkflows(
  root: string,
  defaultBranch: string | undefined,
): Promise<{ workflows: RepositoryWorkflow[]; from: string }> {
  if (defaultBranch) {
    for (const ref of [`refs/remotes/origin/${defaultBranch}`, `refs/heads/${defaultBranch}`]) {
      const found = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root).catch(() => undefined);
      if (!found || found.code !== 0) continue;
      const commit = found.stdout.toString('utf8').trim();
      const listed = await runGit(['ls-tree', '-r', '-z', '--name-only', commit, '--', '.github/workflows', '.github/actions'], root);
      if (listed.code !== 0) continue;
      const files = listed.stdout.toString('utf8').split('\0').filter((p) => p && wanted(p)).sort();
      const workflows: RepositoryWorkflow[] = [];
      for (const file of files) {
        const blob = await runGit(['cat-file', 'blob', `${commit}:${file}`], root);
        if (blob.code === 0) workflows.push({ file, text: blob.stdout.toString('utf8') });
      }
      return { workflows, from: ref.replace(/^refs\/(remotes\/|heads\/)/, '') };
    }
  }
  return { workflows: workTreeWorkflows(root), from: 'the work tree' };
}

function workTreeWorkflows(root: string): RepositoryWorkflow[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory() && depth > 0) walk(path, depth - 1);
      else if (e.isFile() && wanted(path)) files.push(path);
    }
  };
  walk('.github/workflows', 0);
  walk('.github/actions', 4);
  return files.sort().flatMap((file) => {
    try {
      return [{ file, text: readFileSync(join(root, file), 'utf8') }];
    } catch {
      return [];
    }
  });
}
