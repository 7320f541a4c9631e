/** Schema-valid GitHub API objects for the local server, built from the description's own examples. */
import { componentExample, example } from './openapi.js';

export function repository(fullName: string, opts: { visibility: 'public' | 'private' | 'internal'; ownerType: 'Organization' | 'User' }) {
  const [owner, name] = fullName.split('/') as [string, string];
  const repo = example('GET', '/repos/{owner}/{repo}');
  // GitHub's own example omits `language`, which its schema requires.
  delete repo.source;
  delete repo.parent;
  delete repo.template_repository;
  return {
    ...repo,
    language: null,
    name,
    full_name: fullName,
    private: opts.visibility !== 'public',
    visibility: opts.visibility,
    owner: { ...repo.owner, login: owner, type: opts.ownerType },
  };
}

let nextId = 1000;

export interface EnvironmentSpec {
  name: string;
  reviewers?: number;
  preventSelfReview?: boolean;
  branchPolicy?: boolean;
  waitTimer?: number;
}

export function environment(spec: EnvironmentSpec) {
  const base = example('GET', '/repos/{owner}/{repo}/environments').environments[0];
  const user = componentExample('simple-user');
  const rules: unknown[] = [];
  if (spec.waitTimer) rules.push({ id: nextId++, node_id: 'MDQ6R2F0ZTM3MzY=', type: 'wait_timer', wait_timer: spec.waitTimer });
  if (spec.reviewers)
    rules.push({
      id: nextId++,
      node_id: 'MDQ6R2F0ZTM3NTU=',
      type: 'required_reviewers',
      prevent_self_review: spec.preventSelfReview ?? false,
      reviewers: Array.from({ length: spec.reviewers }, () => ({ type: 'User', reviewer: user })),
    });
  if (spec.branchPolicy) rules.push({ id: nextId++, node_id: 'MDQ6R2F0ZTM3NTY=', type: 'branch_policy' });
  return {
    ...base,
    id: nextId++,
    name: spec.name,
    url: `https://api.github.com/repos/octo-org/website/environments/${encodeURIComponent(spec.name)}`,
    protection_rules: rules,
    deployment_branch_policy: spec.branchPolicy ? { protected_branches: true, custom_branch_policies: false } : null,
  };
}

export const secret = (name: string) => ({ name, created_at: '2026-01-10T10:00:00Z', updated_at: '2026-01-10T10:00:00Z' });

export const orgSecret = (name: string, visibility: 'all' | 'private' | 'selected') => ({
  ...secret(name),
  visibility,
  ...(visibility === 'selected' ? { selected_repositories_url: `https://api.github.com/orgs/octo-org/actions/secrets/${name}/repositories` } : {}),
});

export function runners(names: string[]) {
  const base = example('GET', '/repos/{owner}/{repo}/actions/runners').runners[0];
  return names.map((name) => ({ ...base, id: nextId++, name }));
}

const DAY = 24 * 60 * 60 * 1000;

/** A secret last updated `updatedDaysAgo` days before `now` (created a year before that). */
export function agedSecret(name: string, now: Date, updatedDaysAgo: number) {
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const updated = now.getTime() - updatedDaysAgo * DAY;
  return { name, created_at: iso(updated - 365 * DAY), updated_at: iso(updated) };
}

/** A deploy key; only the public half exists on GitHub, and this one is generated, not real. */
export function deployKey(id: number, title: string, opts: { readOnly: boolean; createdAt: string; lastUsed?: string | null }) {
  const base = example('GET', '/repos/{owner}/{repo}/keys')[0];
  return { ...base, id, title, read_only: opts.readOnly, created_at: opts.createdAt, last_used: opts.lastUsed ?? null, url: `https://api.github.com/repos/octo-org/shop/keys/${id}` };
}

/** `minimal-repository` objects, as an organisation secret's list of selected repositories returns them. */
export function minimalRepositories(fullNames: string[]) {
  const base = example('GET', '/orgs/{org}/actions/secrets/{secret_name}/repositories').repositories[0];
  return fullNames.map((fullName) => ({ ...base, id: nextId++, name: fullName.split('/')[1], full_name: fullName }));
}

/** The fork pull-request settings of an organisation closed to forks (no runs, no secrets, no write token). */
export const CLOSED_TO_FORKS = {
  run_workflows_from_fork_pull_requests: false,
  send_write_tokens_to_workflows: false,
  send_secrets_and_variables: false,
  require_approval_for_fork_pr_workflows: true,
};
