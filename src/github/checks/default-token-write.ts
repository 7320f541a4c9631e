import { settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'default-token-write',
  description: 'The default GITHUB_TOKEN permissions are read and write.',
  async run(ctx) {
    const perms = await ctx.facts.workflowPermissions();
    if (perms?.default_workflow_permissions !== 'write') return;
    ctx.report({
      severity: 'medium',
      environment: 'ci',
      file: settingPath(ctx.facts, 'settings', 'actions', 'workflow-permissions'),
      message: 'the default GITHUB_TOKEN permissions are "Read and write": every job without a permissions: block can push code, publish packages and change releases; set the default to "Read repository contents and packages permissions"',
      what: 'default_workflow_permissions:write',
    });
  },
};
