import type { SettingsCheck } from '../check.js';
import { check as actionsApprovePullRequests } from './actions-approve-pull-requests.js';
import { check as cloudLongLivedCredentials } from './cloud-long-lived-credentials.js';
import { check as defaultTokenWrite } from './default-token-write.js';
import { check as deployKeyWrite } from './deploy-key-write.js';
import { check as environmentSecretsUnprotected } from './environment-secrets-unprotected.js';
import { check as forkPrApprovalPolicy } from './fork-pr-approval-policy.js';
import { check as forkReachableSecretUnprotected } from './fork-reachable-secret-unprotected.js';
import { check as orgSecretAllRepositories } from './org-secret-all-repositories.js';
import { check as privateForkPrSecrets } from './private-fork-pr-secrets.js';
import { check as prodEnvironmentBranchRulesOnly } from './prod-environment-branch-rules-only.js';
import { check as prodEnvironmentNoReviewers } from './prod-environment-no-reviewers.js';
import { check as prodEnvironmentSelfReview } from './prod-environment-self-review.js';
import { check as prodSecretOutsideEnvironment } from './prod-secret-outside-environment.js';
import { check as prodSecretRepositoryLevel } from './prod-secret-repository-level.js';
import { check as secretInBuildJob } from './secret-in-build-job.js';
import { check as secretMissing } from './secret-missing.js';
import { check as secretRotationAge } from './secret-rotation-age.js';
import { check as secretUnused } from './secret-unused.js';
import { check as secretWorkflowEnv } from './secret-workflow-env.js';
import { check as selfHostedRunnerPublicRepo } from './self-hosted-runner-public-repo.js';

/** Every settings check, in the order they run. Each has a doc page in docs/github-settings/<id>.md. */
export const SETTINGS_CHECKS: SettingsCheck[] = [
  prodEnvironmentNoReviewers,
  prodEnvironmentBranchRulesOnly,
  prodEnvironmentSelfReview,
  prodSecretOutsideEnvironment,
  orgSecretAllRepositories,
  forkReachableSecretUnprotected,
  defaultTokenWrite,
  actionsApprovePullRequests,
  forkPrApprovalPolicy,
  privateForkPrSecrets,
  selfHostedRunnerPublicRepo,
  // Secret hygiene: the stored secrets themselves, and how the workflows use them.
  secretRotationAge,
  secretUnused,
  secretMissing,
  prodSecretRepositoryLevel,
  secretInBuildJob,
  secretWorkflowEnv,
  cloudLongLivedCredentials,
  environmentSecretsUnprotected,
  deployKeyWrite,
];
