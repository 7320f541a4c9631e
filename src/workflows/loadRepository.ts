/**
 * Reads the workflows of the repository a workflow file belongs to, and the local actions they use
 * (followed through actions that use other local actions), into one `WorkflowRepository`. Reads
 * through the same file reader as a GitLab pipeline's includes: the scan's directory or snapshot.
 */
import type { PipelineFiles } from './gitlab/load.js';
import { WorkflowRepository, repositoryPrefix, type RepositoryFile } from './repository.js';

/** Local `uses: ./dir` of a file's text: the folders that may hold an `action.yml`. */
const LOCAL_USES = /^[\s-]*uses:\s*['"]?\.\/([^\s'"#@]+)/gm;

/** Past this many files a repository is not read further (a folder of thousands of workflows still loads). */
const MAX_FILES = 5000;

export async function loadWorkflowRepository(file: string, reader: PipelineFiles): Promise<WorkflowRepository> {
  const prefix = repositoryPrefix(file);
  const workflows = reader.glob
    ? [...(await reader.glob(`${prefix}.github/workflows/*.yml`)), ...(await reader.glob(`${prefix}.github/workflows/*.yaml`))]
    : [];
  const files: RepositoryFile[] = [];
  const queued = new Set<string>();
  const queue: string[] = [];
  const want = (path: string) => {
    if (queued.has(path) || queued.size >= MAX_FILES) return;
    queued.add(path);
    queue.push(path);
  };
  for (const w of workflows.sort()) want(w);
  want(file);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const text = await reader.read(path);
    // An action folder holds action.yml or action.yaml: both are asked for, one is there.
    if (text === undefined) continue;
    files.push({ file: path, text });
    for (const m of text.matchAll(LOCAL_USES)) {
      const target = m[1]!.replace(/\/+$/, '');
      if (/\.ya?ml$/i.test(target)) want(`${prefix}${target}`);
      else for (const name of ['action.yml', 'action.yaml']) want(`${prefix}${target}/${name}`);
    }
  }
  return new WorkflowRepository(files);
}
