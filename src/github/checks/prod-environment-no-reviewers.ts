import { settingPath, type SettingsCheck } from '../check.js';
import { protectionOf } from '../environmentProtection.js';

export const check: SettingsCheck = {
  id: 'prod-environment-no-reviewers',
  description: 'A production environment with neither required reviewers nor a deployment branch rule.',
  async run(ctx) {
    for (const env of (await ctx.facts.environments()) ?? []) {
      if (!ctx.isProduction(env.name)) continue;
      const p = protectionOf(env);
      if (p.reviewers > 0 || p.branchPolicy) continue;
      ctx.report({
        severity: 'high',
        environment: 'production',
        file: settingPath(ctx.facts, 'environments', env.name),
        message: `production environment "${env.name}" has no required reviewers and no deployment branch rule: a workflow run from any branch can deploy to it and read its secrets; add required reviewers`,
        what: `environment:${env.name}`,
      });
    }
  },
};
