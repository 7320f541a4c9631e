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
