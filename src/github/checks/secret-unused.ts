import type { SettingsCheck } from '../check.js';
import { describeSecret } from '../secretInventory.js';

export const check: SettingsCheck = {
  id: 'secret-unused',
  description: 'A stored secret that no workflow, reusable workflow or composite action of the repository references.',
  async run(ctx) {
    for (const s of (await ctx.inventory()).secrets) {
      if (s.users.length > 0 || s.broadUsers.length > 0) continue;
      // Dependabot and Codespaces keep their own secrets; an Actions secret nothing references is dead weight.
      const cleanup =
        s.scope === 'organization'
          ? `remove ${ctx.facts.fullName} from its repositories, or delete it if no other repository uses it`
          : 'delete it, and revoke the credential at its provider if nothing else uses it';
      ctx.report({
        severity: 'low',
        environment: s.environment,
        file: s.place,
        message: `${describeSecret(s)} (last updated ${s.ageDays} days ago) is referenced by no workflow of ${ctx.facts.fullName}: a credential nobody uses is still one that can leak; ${cleanup}`,
        what: `unused:${s.scope}:${s.environmentName ?? ''}:${s.name}`,
      });
    }
  },
};
