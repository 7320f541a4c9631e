import { settingLocation, type SettingsCheck } from '../check.js';
import { describeSecret, usersText } from '../secretInventory.js';

export const check: SettingsCheck = {
  id: 'prod-secret-repository-level',
  description: 'A secret that production deploy jobs read is also (or only) stored at repository or organisation level, where every job and branch can read it.',
  async run(ctx) {
    const { secrets } = await ctx.inventory();
    for (const s of secrets) {
      // Production-named repository and organisation secrets are prod-secret-outside-environment's.
      if (s.scope === 'environment' || ctx.isProduction(s.name)) continue;
      const prodCopies = secrets.filter((e) => e.scope === 'environment' && e.name === s.name && ctx.isProduction(e.environmentName!));
      const prodUsers = s.users.filter((u) => u.environment !== undefined && ctx.isProduction(u.environment));
      if (prodCopies.length > 0) {
        ctx.report({
          severity: 'high',
          environment: 'production',
          file: s.place,
          message: `${describeSecret(s)} has the same name as the secret of production environment ${prodCopies.map((e) => `"${e.environmentName}"`).join(', ')}: every job of every workflow, on any branch, can read this copy without the environment's protection; delete it here and keep the environment's`,
          what: `shadow:${s.scope}:${s.name}`,
          related: prodCopies.map((e) => settingLocation(e.place, 'the production copy')),
        });
      } else if (prodUsers.length > 0) {
        const envs = [...new Set(prodUsers.map((u) => u.environment!))];
        ctx.report({
          severity: 'medium',
          environment: 'production',
          file: s.place,
          message: `${describeSecret(s)} is read by production job${prodUsers.length === 1 ? '' : 's'} (${usersText(prodUsers)}) but stored outside environment ${envs.map((e) => `"${e}"`).join(', ')}: every job of every workflow, on any branch, can read it too; move it into the environment`,
          what: `prod-job-reads:${s.scope}:${s.name}`,
          related: prodUsers.map((u) => ({ file: u.file, line: u.line, column: u.column, endLine: u.endLine, endColumn: u.endColumn, label: `job "${u.job}"` })),
        });
      }
    }
  },
};
