import { settingPath, type SettingsCheck } from '../check.js';
import { protectionOf } from '../environmentProtection.js';

export const check: SettingsCheck = {
  id: 'prod-environment-branch-rules-only',
  description: 'A production environment protected only by deployment branch rules, which pull_request_target runs pass.',
  async run(ctx) {
    for (const env of (await ctx.facts.environments()) ?? []) {
      if (!ctx.isProduction(env.name)) continue;
      const p = protectionOf(env);
      if (p.reviewers > 0 || !p.branchPolicy) continue;
      ctx.report({
        severity: 'high',
        environment: 'production',
        file: settingPath(ctx.facts, 'environments', env.name),
        message: `production environment "${env.name}" is protected only by deployment branch rules: pull_request_target and workflow_run runs execute on the default branch and pass them, with code an outsider controls; add required reviewers`,
        what: `environment:${env.name}`,
      });
    }
  },
};
