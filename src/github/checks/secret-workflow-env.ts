import { atUse, type SettingsCheck } from '../check.js';
import { storedAt } from '../secretInventory.js';

export const check: SettingsCheck = {
  id: 'secret-workflow-env',
  description: "A secret in the workflow's top-level env:, which puts it into every step of every job.",
  async run(ctx) {
    const inventory = await ctx.inventory();
    for (const use of ctx.secretUses) {
      if (use.level !== 'workflow-env' || use.secret === '*') continue;
      const prod = ctx.isProduction(use.secret);
      ctx.report({
        severity: prod ? 'high' : 'medium',
        environment: prod ? 'production' : 'ci',
        ...atUse(use),
        related: storedAt(inventory, use),
        message: `secret ${use.secret} is set in the workflow-level env: of ${use.file}: every step of every job (checkout, dependency installs, third-party actions, test code) gets it; inject it late, in the env: of the one step that needs it`,
        what: `workflow-env:${use.secret}`,
      });
    }
  },
};
