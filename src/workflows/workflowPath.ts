import { isGitlabPipelineFile } from './gitlab/gitlabPath.js';

/**
 * The one definition of a workflow file: `.github/workflows/*.yml|yaml` (at any depth in the path,
 * for folders of many repositories), a local action's `action.yml|yaml` anywhere, and a GitLab
 * pipeline's `.gitlab-ci.yml`. Kept apart
 * from the audit so sources can ask cheaply, without loading the workflow model.
 */
export function isWorkflowFile(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(p) || /(^|\/)action\.ya?ml$/i.test(p) || isGitlabPipelineFile(p);
}

/** A workflow of the repository itself, at its root: what GitHub runs, and what its settings apply to. */
export function isRepositoryWorkflow(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path.replace(/\\/g, '/'));
}
