/**
 * workflow-parse-error: YAML that does not parse, duplicate keys, documents that are not mappings,
 * unknown keys, and `${{ }}` expressions that do not parse. GitHub refuses or misreads such a file,
 * and the audit cannot see what it would do, so each problem is a finding with its position.
 */
import type { WorkflowCheck } from '../check.js';

export const workflowParseError: WorkflowCheck = {
  id: 'workflow-parse-error',
  category: 'workflow',
  description: 'Malformed YAML, unknown keys or unparsable ${{ }} expressions in a workflow or action.',
  run({ model, report }) {
    for (const d of model.diagnostics) {
      report({ severity: d.severity, message: d.message, span: d.span, what: d.what });
    }
  },
};
