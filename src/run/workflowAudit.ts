import type { Finding } from '../findings/finding.js';
import type { Snapshot } from '../sources/source.js';
import type { PipelineFiles } from '../workflows/gitlab/load.js';
import type { WorkflowRepository } from '../workflows/repository.js';
import { isGitlabPipelineFile } from '../workflows/gitlab/gitlabPath.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';

/** A workflow file met by a scan, kept for auditing on another thread (see scanBatch). */
export interface WorkflowText {
  file: string;
  text: string;
}

/**
 * Where a workflow's other files are read from: a directory on disk, or a snapshot of a repository.
 * One object per run: the repositories read from it (a GitHub workflow's callers, reusable workflows,
 * local actions and `workflow_run` upstreams) are kept with it, so each is read and parsed once.
 */
export interface WorkflowTree {
  root: string;
  snapshot?: Snapshot | undefined;
}

const repositories = new WeakMap<WorkflowTree, Map<string, Promise<WorkflowRepository>>>();

/** The repository a GitHub workflow or local action belongs to, read once per tree and repository folder. */
async function repositoryOf(file: string, from: WorkflowTree): Promise<WorkflowRepository> {
  const { repositoryPrefix } = await import('../workflows/repository.js');
  const { loadWorkflowRepository } = await import('../workflows/loadRepository.js');
  const { diskPipelineFiles } = await import('../sources/pipelineFiles.js');
  let byPrefix = repositories.get(from);
  if (!byPrefix) repositories.set(from, (byPrefix = new Map()));
  const prefix = repositoryPrefix(file);
  let loaded = byPrefix.get(prefix);
  if (!loaded) {
    // Kept before anything is read, so audits that overlap share one read.
    const { root, snapshot } = from;
    const reader = async () => (snapshot ? snapshotWorkflowFiles(root, snapshot, prefix) : diskPipelineFiles(root));
    loaded = reader().then((files) => loadWorkflowRepository(file, files));
    byPrefix.set(prefix, loaded);
  }
  return loaded;
}

/** Larger workflow files are not read for the repository's graph: a workflow is small. */
const MAX_WORKFLOW_BYTES = 1024 * 1024;

/**
 * A snapshot's workflow and action files, read with one listing (not one per file): the YAML files
 * under the repository's `.github/` and every `action.yml`.
 */
async function snapshotWorkflowFiles(root: string, snapshot: Snapshot, prefix: string): Promise<PipelineFiles> {
  const { readSnapshotFiles } = await import('../sources/snapshotFiles.js');
  const want = (f: string) => f.startsWith(prefix) && (/\/action\.ya?ml$/i.test(f) || /^\.github\/.*\.ya?ml$/i.test(f.slice(prefix.length)));
  const texts = new Map((await readSnapshotFiles(root, snapshot, want, MAX_WORKFLOW_BYTES)).map((f) => [f.file, f.text]));
  return {
    read: (path) => Promise.resolve(texts.get(path)),
    glob: (pattern) => {
      // Only the loader's `<prefix>.github/workflows/*.yml` form is asked for.
      const dir = pattern.slice(0, pattern.lastIndexOf('/') + 1);
      const ext = pattern.slice(pattern.lastIndexOf('*') + 1);
      return Promise.resolve([...texts.keys()].filter((f) => f.startsWith(dir) && !f.slice(dir.length).includes('/') && f.endsWith(ext)));
    },
  };
}

/** Standard input has no tree: a GitLab pipeline's local includes are then reported missing. */
const NO_FILES: PipelineFiles = { read: () => Promise.resolve(undefined) };

/**
 * Whether a file of a scan is audited as a workflow: by its path, or because the user named it
 * (`keyfence workflows path/to/any.yml`).
 */
export function workflowTest(named: readonly string[] = []): (file: string) => boolean {
  if (named.length === 0) return isWorkflowFile;
  const set = new Set(named);
  return (file) => set.has(file) || isWorkflowFile(file);
}

/**
 * The workflow checks on a whole workflow file. The workflow model loads on the first workflow
 * file, so scans of trees without one never pay for it.
 */
export async function auditWorkflowText({ file, text }: WorkflowText, from?: WorkflowTree): Promise<Finding[]> {
  if (isGitlabPipelineFile(file)) {
    // A GitLab pipeline is its file and the local files it includes, read from the same tree.
    const { auditGitlabPipeline } = await import('../workflows/gitlab/auditPipeline.js');
    const { diskPipelineFiles, snapshotPipelineFiles } = await import('../sources/pipelineFiles.js');
    const files = !from ? NO_FILES : from.snapshot ? snapshotPipelineFiles(from.root, from.snapshot) : diskPipelineFiles(from.root);
    return auditGitlabPipeline(file, text, files);
  }
  const { auditWorkflowFile } = await import('../workflows/auditWorkflow.js');
  // Standard input has no tree: the file is judged on its own.
  return auditWorkflowFile(file, text, from ? { repository: await repositoryOf(file, from) } : {});
}

/**
 * For a change: the findings that the changed GitHub workflows cause in other files of the tree —
 * a reusable workflow or local action they now call with untrusted input, a `workflow_run` workflow
 * that now runs their artifacts. Only findings with a related place in a changed file are kept: the
 * other files' own findings are not the change's.
 */
export async function auditWorkflowDependents(
  changed: readonly string[],
  from: WorkflowTree,
  skip: ReadonlySet<string>,
): Promise<Finding[]> {
  const github = changed.filter((f) => !isGitlabPipelineFile(f));
  if (github.length === 0) return [];
  const { auditWorkflowFile } = await import('../workflows/auditWorkflow.js');
  const changedSet = new Set(changed);
  const out: Finding[] = [];
  const done = new Set<string>();
  for (const file of github) {
    const repository = await repositoryOf(file, from);
    for (const dependent of repository.dependents(github)) {
      if (done.has(dependent) || skip.has(dependent)) continue;
      done.add(dependent);
      const text = repository.text(dependent);
      if (text === undefined) continue;
      for (const f of auditWorkflowFile(dependent, text, { repository })) {
        if (f.related?.some((r) => changedSet.has(r.file))) out.push(f);
      }
    }
  }
  return out;
}

