import { atUse, type SettingsCheck } from '../check.js';
import { storedAt } from '../secretInventory.js';
import type { SecretUse } from '../secretUsage.js';

/** Job ids and names that deploy, release or publish: the jobs that need production credentials. */
const DEPLOY = /(^|[^a-z])(deploy|deployment|release|publish|promote|rollout|ship)/i;
/** Job ids and names that build or test: they run the code under change, and need no deploy credential. */
const BUILD = /(^|[^a-z])(build|test|tests|lint|check|checks|ci|compile|unit|integration|e2e|verify|coverage)([^a-z]|$)/i;

export const check: SettingsCheck = {
  id: 'secret-in-build-job',
  description: 'A build or test job reads a secret that only a deploy job needs (a deploy job uses it too, or it is a production secret).',
  async run(ctx) {
    const inventory = await ctx.inventory();
    const words = (u: SecretUse) => `${u.job} ${u.jobName ?? ''}`;
    const isDeploy = (u: SecretUse) => (u.environment !== undefined && ctx.isProduction(u.environment)) || DEPLOY.test(words(u));
    const isBuild = (u: SecretUse) => !isDeploy(u) && BUILD.test(words(u));
    const named = ctx.secretUses.filter((u) => u.secret !== '*' && !u.fromCaller);
    for (const use of named) {
      if (!isBuild(use)) continue;
      const deployers = [...new Set(named.filter((d) => d.secret === use.secret && isDeploy(d)).map((d) => `"${d.job}"`))];
      const prod = ctx.isProduction(use.secret);
      if (deployers.length === 0 && !prod) continue;
      const why = deployers.length > 0 ? `deploy job${deployers.length === 1 ? '' : 's'} ${deployers.join(', ')} ${deployers.length === 1 ? 'uses' : 'use'} it too` : 'it is a production secret';
      ctx.report({
        severity: prod ? 'high' : 'medium',
        environment: prod ? 'production' : 'ci',
        ...atUse(use),
        related: storedAt(inventory, use),
        message: `build/test job "${use.job}" reads secret ${use.secret}, and ${why}: the build runs dependencies and code under change, which can read it; give the secret to the deploy job only, in its environment, injected in the step that needs it`,
        what: `build-job:${use.job}:${use.secret}`,
      });
    }
  },
};
