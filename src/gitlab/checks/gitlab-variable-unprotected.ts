import { isCredentialName, isProductionName } from '../../workflows/gitlab/facts.js';
import { describeVariable, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-variable-unprotected',
  description: 'A CI/CD variable named like a credential is not protected: pipelines of every branch and merge request receive it.',
  async run(ctx) {
    for (const v of await ctx.facts.variables()) {
      if (v.protected || !isCredentialName(v.key)) continue;
      const prod = isProductionName(v.key) || (v.environmentScope !== '*' && ctx.isProduction(v.environmentScope));
      ctx.report({
        severity: prod ? 'high' : 'medium',
        environment: prod ? 'production' : 'ci',
        file: v.place,
        message: `${describeVariable(v)} looks like a credential and is not protected: every pipeline receives it, those of unprotected branches and of merge requests too (a fork's merge request included, when a member runs its pipeline in this project); mark it protected so that only protected branches and tags get it`,
        what: `unprotected:${v.place}@${v.environmentScope}`,
      });
    }
  },
};
