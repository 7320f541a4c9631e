/**
 * `.github/workflows/*.yml|yaml` (at any depth in the path) and `action.yml|yaml` anywhere. Kept
 * apart from the audit so sources can ask cheaply, without loading the workflow model.
 */
export function isWorkflowFile(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(p) || /(^|\/)action\.ya?ml$/i.test(p);
}
