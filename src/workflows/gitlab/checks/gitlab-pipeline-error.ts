/**
 * gitlab-pipeline-error: a pipeline file, include, `extends:` or `!reference` that GitLab would
 * refuse. The other checks audit what could be read; this one says what could not.
 */
import type { GitlabCheck } from '../check.js';

export const gitlabPipelineError: GitlabCheck = {
  id: 'gitlab-pipeline-error',
  category: 'workflow',
  description: 'A GitLab CI file, local include, extends or !reference that cannot be read, so part of the pipeline was not audited.',
  run({ model, report }) {
    for (const p of model.problems) report({ severity: 'medium', message: `${p.message}; this part of the pipeline was not audited.`, at: p.at, what: p.what });
  },
};
