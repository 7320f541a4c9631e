import type { Finding } from '../findings/finding.js';
import type { Snapshot } from '../sources/source.js';
import type { PipelineFiles } from '../workflows/gitlab/load.js';
import { isGitlabPipelineFile } from '../workflows/gitlab/gitlabPath.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';

/** A workflow file met by a scan, kept for auditing on another thread (see scanBatch). */
export interface WorkflowText {
  file: string;
  text: string;
}

/** Where a workflow's other files are read from: a directory on disk, or a snapshot of a repository. */
export interface WorkflowTree {
  root: string;
  snapshot?: Snapshot | undefined;
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
  return auditWorkflowFile(file, text);
}
