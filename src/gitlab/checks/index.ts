import type { GitLabSettingsCheck } from '../check.js';
import { check as branchForcePush } from './gitlab-branch-force-push.js';
import { check as defaultBranchUnprotected } from './gitlab-default-branch-unprotected.js';
import { check as forkPipelinesInParent } from './gitlab-fork-pipelines-in-parent.js';
import { check as mrReachableVariable } from './gitlab-mr-reachable-variable.js';
import { check as prodEnvironmentNoApproval } from './gitlab-prod-environment-no-approval.js';
import { check as prodEnvironmentUnprotected } from './gitlab-prod-environment-unprotected.js';
import { check as variableMissing } from './gitlab-variable-missing.js';
import { check as variableUnmasked } from './gitlab-variable-unmasked.js';
import { check as variableUnprotected } from './gitlab-variable-unprotected.js';

/** Every GitLab settings check, in the order they run. Each has a doc page in docs/gitlab-settings/<id>.md. */
export const GITLAB_SETTINGS_CHECKS: GitLabSettingsCheck[] = [
  mrReachableVariable,
  variableUnprotected,
  variableUnmasked,
  variableMissing,
  prodEnvironmentUnprotected,
  prodEnvironmentNoApproval,
  forkPipelinesInParent,
  branchForcePush,
  defaultBranchUnprotected,
];
