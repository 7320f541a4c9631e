import type { DeploymentEnvironment } from './facts.js';

export interface Protection {
  /** Users and teams listed as required reviewers. */
  reviewers: number;
  preventSelfReview: boolean;
  /** A deployment branch policy (protected branches or custom branch/tag rules) is set. */
  branchPolicy: boolean;
  waitTimer: number;
}

/** What protects a deployment environment, from its `protection_rules` and `deployment_branch_policy`. */
export function protectionOf(env: DeploymentEnvironment): Protection {
  const out: Protection = { reviewers: 0, preventSelfReview: false, branchPolicy: env.deployment_branch_policy != null, waitTimer: 0 };
  for (const rule of env.protection_rules ?? []) {
    if (rule.type === 'required_reviewers' && 'reviewers' in rule) {
      out.reviewers += rule.reviewers?.length ?? 0;
      out.preventSelfReview ||= rule.prevent_self_review === true;
    } else if (rule.type === 'wait_timer' && 'wait_timer' in rule) {
      out.waitTimer = rule.wait_timer ?? 0;
    }
  }
  return out;
}

/** An environment whose jobs wait for a person: the only gate that stops an untrusted run. */
export function isProtected(env: DeploymentEnvironment | undefined): boolean {
  return env !== undefined && protectionOf(env).reviewers > 0;
}
