import { orgSettingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'org-secret-all-repositories',
  description: 'An organisation secret visible to every repository of the organisation.',
  async run(ctx) {
    if (!(await ctx.facts.isOrganization())) return;
    for (const secret of (await ctx.facts.organizationSecrets()) ?? []) {
      if (secret.visibility !== 'all') continue;
      const prod = ctx.isProduction(secret.name);
      ctx.report({
        severity: prod ? 'high' : 'medium',
        environment: prod ? 'production' : 'ci',
        file: orgSettingPath(ctx.facts, 'secrets', secret.name),
        message: `organisation secret ${secret.name} is visible to all repositories of ${ctx.facts.owner}, including new ones: anyone who can push a workflow to any of them can read it; limit it to selected repositories`,
        what: `organization-secret-visibility:${secret.name}`,
      });
    }
  },
};
