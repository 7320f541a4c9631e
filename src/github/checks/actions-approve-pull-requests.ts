import { settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'actions-approve-pull-requests',
  description: 'GitHub Actions may approve pull requests.',
  async run(ctx) {
    const perms = await ctx.facts.workflowPermissions();
    if (perms?.can_approve_pull_request_reviews !== true) return;
    ctx.report({
      severity: 'medium',
      environment: 'ci',
      file: settingPath(ctx.facts, 'settings', 'actions', 'workflow-permissions'),
      message: 'GitHub Actions may create and approve pull requests: a workflow, or code it runs, can approve a pull request and satisfy a required review; turn "Allow GitHub Actions to create and approve pull requests" off',
      what: 'can_approve_pull_request_reviews:true',
    });
  },
};
