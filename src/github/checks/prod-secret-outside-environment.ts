import { orgSettingPath, settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'prod-secret-outside-environment',
  description: 'A production-named secret stored at repository or organisation level instead of in a protected environment.',
  async run(ctx) {
    for (const name of (await ctx.facts.repositorySecrets()) ?? []) {
      if (!ctx.isProduction(name)) continue;
      ctx.report({
        severity: 'high',
        environment: 'production',
        file: settingPath(ctx.facts, 'secrets', name),
        message: `secret ${name} looks like a production secret but is a repository secret: every job of every workflow, on any branch, can read it; move it to a production environment with required reviewers`,
        what: `repository-secret:${name}`,
      });
    }
    if (!(await ctx.facts.isOrganization())) return;
    for (const name of (await ctx.facts.organizationSecretsForRepository()) ?? []) {
      if (!ctx.isProduction(name)) continue;
      ctx.report({
        severity: 'high',
        environment: 'production',
        file: orgSettingPath(ctx.facts, 'secrets', name),
        message: `secret ${name} looks like a production secret but is an organisation secret shared with ${ctx.facts.fullName}: every job of every workflow, on any branch, can read it; move it to a production environment with required reviewers`,
        what: `organization-secret:${name}`,
      });
    }
  },
};
