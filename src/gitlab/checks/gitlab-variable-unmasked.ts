import { isCredentialName, isProductionName } from '../../workflows/gitlab/facts.js';
import { describeVariable, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-variable-unmasked',
  description: 'A CI/CD variable named like a credential is not masked: a job that prints it shows its value in the job log.',
  async run(ctx) {
    for (const v of await ctx.facts.variables()) {
      // A file variable's value is a file's content: GitLab masks only single-line values.
      if (v.masked || v.type === 'file' || !isCredentialName(v.key)) continue;
      const prod = isProductionName(v.key) || (v.environmentScope !== '*' && ctx.isProduction(v.environmentScope));
      ctx.report({
        severity: 'medium',
        environment: prod ? 'production' : 'ci',
        file: v.place,
        message: `${describeVariable(v)} looks like a credential and is not masked: a job that prints it (\`echo\`, \`set -x\`, \`env\`, CI_DEBUG_TRACE) shows its value to everyone who can read the job log; mark it masked (or masked and hidden)`,
        what: `unmasked:${v.place}@${v.environmentScope}`,
      });
    }
  },
};
