/**
 * Every GitLab CI check, in the order their findings are listed. Ids are stable (prefixed
 * `gitlab-`): docs, fixtures and suppressions use them.
 */
import type { GitlabCheck } from '../check.js';
import { gitlabDebugTrace } from './gitlab-debug-trace.js';
import { gitlabMrInjection } from './gitlab-mr-injection.js';
import { gitlabMrSecrets } from './gitlab-mr-secrets.js';
import { gitlabMutableImage } from './gitlab-mutable-image.js';
import { gitlabPipelineError } from './gitlab-pipeline-error.js';
import { gitlabSecretToLog } from './gitlab-secret-to-log.js';
import { gitlabUnpinnedInclude } from './gitlab-unpinned-include.js';
import { gitlabUntrustedArtifact } from './gitlab-untrusted-artifact.js';

export const GITLAB_CHECKS: readonly GitlabCheck[] = [
  gitlabMrSecrets,
  gitlabMrInjection,
  gitlabUntrustedArtifact,
  gitlabDebugTrace,
  gitlabSecretToLog,
  gitlabUnpinnedInclude,
  gitlabMutableImage,
  gitlabPipelineError,
];
