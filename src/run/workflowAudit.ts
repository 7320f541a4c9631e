import type { Finding } from '../findings/finding.js';
import { isWorkflowFile } from '../workflows/workflowPath.js';

/** A workflow file met by a scan, kept for auditing on another thread (see scanBatch). */
export interface WorkflowText {
  file: string;
  text: string;
}

/**
 * The workflow checks for a whole workflow file that a scan touches. The workflow model loads on
 * the first workflow file, so scans of trees without one never pay for it.
 */
export async function auditIfWorkflow(file: string, text: string): Promise<Finding[]> {
  if (!isWorkflowFile(file)) return [];
  const { auditWorkflowFile } = await import('../workflows/auditWorkflow.js');
  return auditWorkflowFile(file, text);
}
