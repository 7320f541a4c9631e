import type { Finding } from '../findings/finding.js';
import { readFileFragment } from '../sources/files.js';
import type { Skipped } from '../sources/fragment.js';
import type { Observation } from '../engine/crossover.js';
import type { Engine } from '../engine/engine.js';
import { auditWorkflowText, workflowTest, type WorkflowText, type WorkflowTree } from './workflowAudit.js';

export interface BatchRequest {
  root: string;
  files: string[];
  /**
   * Hand workflow files back in `workflows` instead of auditing them. Worker threads do, so that
   * only the main thread loads the workflow model (the YAML parser and the expression checks).
   */
  deferWorkflows?: boolean;
  /** Files audited as workflows whatever their name (named by the user). */
  namedWorkflows?: string[];
  /** The tree workflows are audited against; one per run, so their repository is read once. */
  tree?: WorkflowTree;
}

export interface BatchResult {
  findings: Finding[];
  skipped: Skipped[];
  files: number;
  bytes: number;
  /** Values a worker's engine saw, for the main engine's cross-environment check. */
  observations?: Observation[];
  /** The workflow files of a `deferWorkflows` batch, still to audit. */
  workflows?: WorkflowText[];
}

/** Reads and scans a batch of files; the unit of work of both the in-process scan and a worker. */
export async function scanBatch(
  engine: Engine,
  { root, files, deferWorkflows = false, namedWorkflows, tree = { root } }: BatchRequest,
): Promise<BatchResult> {
  const result: BatchResult = { findings: [], skipped: [], files: 0, bytes: 0 };
  const isWorkflow = workflowTest(namedWorkflows);
  const maxSize = engine.config.maxFileSize;
  const keepBinary = (file: string) => engine.scansBinary(file);
  for (const file of files) {
    const fragment = readFileFragment(root, file, maxSize, keepBinary);
    if (!fragment) continue;
    if ('reason' in fragment) {
      result.skipped.push(fragment);
      continue;
    }
    result.files++;
    result.bytes += fragment.bytes ?? fragment.text.length;
    await engine.prepare(fragment.file);
    for (const f of engine.scan(fragment)) result.findings.push(f);
    if (fragment.binary || !isWorkflow(fragment.file)) continue;
    if (deferWorkflows) (result.workflows ??= []).push({ file: fragment.file, text: fragment.text });
    else for (const f of await auditWorkflowText(fragment, tree)) result.findings.push(f);
  }
  return result;
}
