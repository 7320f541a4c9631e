import type { SettingsCheck } from '../check.js';
import { describeSecret, usersText } from '../secretInventory.js';

export const check: SettingsCheck = {
  id: 'secret-rotation-age',
  description: 'A stored secret not updated for longer than the policy allows (policy.<environment>.maxSecretAgeDays).',
  async run(ctx) {
    for (const s of (await ctx.inventory()).secrets) {
      if (s.ageDays <= s.maxAgeDays) continue;
      const users = [...s.users, ...s.broadUsers];
      ctx.report({
        severity: s.environment === 'production' ? 'medium' : 'low',
        environment: s.environment,
        file: s.place,
        message: `${describeSecret(s)} was last updated ${s.ageDays} days ago (${s.updatedAt.slice(0, 10)}), over the ${s.maxAgeDays}-day limit for ${s.environment} secrets (policy.${s.environment}.maxSecretAgeDays); used by ${usersText(users)}: issue a new credential at its provider, store it, then revoke the old one`,
        what: `rotation:${s.scope}:${s.environmentName ?? ''}:${s.name}`,
      });
    }
  },
};
