import { settingPath, type SettingsCheck } from '../check.js';
import { protectionOf } from '../environmentProtection.js';

export const check: SettingsCheck = {
  id: 'prod-environment-self-review',
  description: 'A production environment whose required reviewers may approve their own deployments.',
  async run(ctx) {
    for (const env of (await ctx.facts.environments()) ?? []) {
      if (!ctx.isProduction(env.name)) continue;
      const p = protectionOf(env);
      if (p.reviewers === 0 || p.preventSelfReview) continue;
      ctx.report({
        severity: 'medium',
        environment: 'production',
        file: settingPath(ctx.facts, 'environments', env.name),
        message: `production environment "${env.name}" lets a reviewer approve a deployment they started themselves: one person can push and deploy alone; turn on "Prevent self-review"`,
        what: `environment:${env.name}`,
      });
    }
  },
};
