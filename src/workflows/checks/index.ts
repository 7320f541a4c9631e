/**
 * Every workflow check, in the order their findings are listed. Ids are stable: docs, fixtures and
 * suppressions use them.
 */
import type { WorkflowCheck } from '../check.js';
import { cachePoisoning } from './cache-poisoning.js';
import { envFileInjection } from './env-file-injection.js';
import { excessivePermissions } from './excessive-permissions.js';
import { hardcodedCredentials } from './hardcoded-credentials.js';
import { longLivedPublishToken } from './long-lived-publish-token.js';
import { productionOnUntrustedTrigger } from './production-on-untrusted-trigger.js';
import { remoteScriptExecution } from './remote-script-execution.js';
import { secretToLog } from './secret-to-log.js';
import { secretsHandedOn } from './secrets-handed-on.js';
import { selfHostedOnFork } from './self-hosted-on-fork.js';
import { templateInjection } from './template-injection.js';
import { tokenInArtifact } from './token-in-artifact.js';
import { unpinnedAction } from './unpinned-action.js';
import { unsoundGuard } from './unsound-guard.js';
import { untrustedArtifact } from './untrusted-artifact.js';
import { untrustedCheckout } from './untrusted-checkout.js';
import { workflowParseError } from './workflow-parse-error.js';

export const WORKFLOW_CHECKS: readonly WorkflowCheck[] = [
  untrustedCheckout,
  untrustedArtifact,
  templateInjection,
  envFileInjection,
  secretsHandedOn,
  productionOnUntrustedTrigger,
  secretToLog,
  tokenInArtifact,
  cachePoisoning,
  unpinnedAction,
  remoteScriptExecution,
  hardcodedCredentials,
  longLivedPublishToken,
  excessivePermissions,
  selfHostedOnFork,
  unsoundGuard,
  workflowParseError,
];
