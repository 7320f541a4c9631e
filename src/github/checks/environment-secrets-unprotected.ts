import { settingPath, type SettingsCheck } from '../check.js';
import { protectionOf } from '../environmentProtection.js';

export const check: SettingsCheck = {
  id: 'environment-secrets-unprotected',
  description: 'A deployment environment that holds secrets but has neither required reviewers nor a deployment branch policy.',
  async run(ctx) {
    const { secrets } = await ctx.inventory();
    for (const env of (await ctx.facts.environments()) ?? []) {
      // A production environment without protection is prod-environment-no-reviewers' finding.
      if (ctx.isProduction(env.name)) continue;
      const p = protectionOf(env);
      if (p.reviewers > 0 || p.branchPolicy) continue;
      const held = secrets.filter((s) => s.scope === 'environment' && s.environmentName === env.name).map((s) => s.name).sort();
      if (held.length === 0) continue;
      const names = held.slice(0, 4).join(', ') + (held.length > 4 ? ` and ${held.length - 4} more` : '');
      ctx.report({
        severity: 'medium',
        environment: 'ci',
        file: settingPath(ctx.facts, 'environments', env.name),
        message: `environment "${env.name}" holds ${held.length} secret${held.length === 1 ? '' : 's'} (${names}) but has no required reviewers and no deployment branch policy: a job on any branch can name it and read them; limit it to protected branches, or add reviewers`,
        what: `environment-secrets:${env.name}`,
      });
    }
  },
};
