import { gitlabSettingPath, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-prod-environment-unprotected',
  description: 'A production environment is not protected: any developer, and any pipeline they start, can deploy to it.',
  async run(ctx) {
    const environments = await ctx.facts.environments();
    const protectedEnvs = await ctx.facts.protectedEnvironments();
    if (!environments || !protectedEnvs) return;
    const names = new Set(protectedEnvs.map((p) => p.name));
    for (const env of environments) {
      if (names.has(env.name)) continue;
      if (env.tier !== 'production' && !ctx.isProduction(env.name)) continue;
      ctx.report({
        severity: 'high',
        environment: 'production',
        file: gitlabSettingPath(ctx.facts, 'environments', env.name),
        message: `production environment "${env.name}" is not protected: anyone with the Developer role can run a deployment job to it, from any branch, with the variables scoped to it; protect it (Settings > CI/CD > Protected environments) and allow Maintainers only, with required approvals`,
        what: `unprotected:${env.name}`,
      });
    }
  },
};
