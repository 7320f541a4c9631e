import { settingPath, type SettingsCheck } from '../check.js';

const DAY = 24 * 60 * 60 * 1000;

export const check: SettingsCheck = {
  id: 'deploy-key-write',
  description: 'A deploy key with write access: an SSH key outside any user account that can push to the repository.',
  async run(ctx) {
    for (const key of (await ctx.facts.deployKeys()) ?? []) {
      if (key.read_only) continue;
      const age = Math.max(0, Math.floor((ctx.now.getTime() - Date.parse(key.created_at)) / DAY));
      const lastUsed = key.last_used ? `last used ${key.last_used.slice(0, 10)}` : 'never used, as far as GitHub says';
      ctx.report({
        severity: 'medium',
        environment: 'ci',
        file: settingPath(ctx.facts, 'keys', String(key.id)),
        message: `deploy key "${key.title}" can push to ${ctx.facts.fullName} (added ${key.created_at.slice(0, 10)}, ${age} days ago; ${lastUsed}): whoever holds the private key can push to any branch that is not protected, and it expires never; make it read-only, or replace it with a GitHub App or a workflow's GITHUB_TOKEN`,
        what: `deploy-key:${key.id}`,
      });
    }
  },
};
