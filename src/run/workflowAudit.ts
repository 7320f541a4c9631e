import type { Finding } from '../findings/finding.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';

/** A workflow file met by a scan, kept for auditing on another thread (see scanBatch). */
export interface WorkflowText {
  file: string;
  text: string;
}

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
export async function auditWorkflowText({ file, text }: WorkflowText): Promise<Finding[]> {
  const { auditWorkflowFile } = await import('../workflows/auditWorkflow.js');
  return auditWorkflowFile(file, text);
}
