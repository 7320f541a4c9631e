import { gitlabSettingPath, type GitLabSettingsCheck } from '../check.js';

/** GitLab's Developer role: deploy access at this level lets every developer deploy. */
const DEVELOPER = 30;

export const check: GitLabSettingsCheck = {
  id: 'gitlab-prod-environment-no-approval',
  description: 'A protected production environment needs no approval: a deployment job runs as soon as someone allowed starts it.',
  async run(ctx) {
    const protectedEnvs = await ctx.facts.protectedEnvironments();
    if (!protectedEnvs) return;
    const tiers = new Map(((await ctx.facts.environments()) ?? []).map((e) => [e.name, e.tier]));
    for (const env of protectedEnvs) {
      if (tiers.get(env.name) !== 'production' && !ctx.isProduction(env.name)) continue;
      if (env.requiredApprovalCount > 0 || env.ruleApprovals > 0) continue;
      const developers = env.deployAccessLevels.some((l) => l.accessLevel !== undefined && l.accessLevel <= DEVELOPER);
      ctx.report({
        severity: developers ? 'high' : 'medium',
        environment: 'production',
        file: gitlabSettingPath(ctx.facts, 'environments', env.name),
        message: `protected environment "${env.name}" needs no approval${developers ? ' and lets Developers deploy' : ''}: a deployment runs, with the variables scoped to it, without a second person looking at the code; set required approvals (an approval rule) of at least 1`,
        what: `no-approval:${env.name}:${developers}`,
      });
    }
  },
};
