import { atUse, settingLocation, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'secret-missing',
  description: 'A workflow references a secret that is stored nowhere the job can read it: the step runs with an empty value.',
  async run(ctx) {
    const inventory = await ctx.inventory();
    for (const use of ctx.secretUses) {
      // A reusable workflow's or composite action's secrets come from its caller, under the caller's names.
      if (use.secret === '*' || use.fromCaller) continue;
      if (inventory.resolve(use) !== undefined) continue;
      // Stored in an environment the job does not name: a common slip, worth saying.
      const elsewhere = inventory.secrets.filter((s) => s.scope === 'environment' && s.name === use.secret);
      const hint = elsewhere.length
        ? `; it is stored in environment${elsewhere.length === 1 ? '' : 's'} ${elsewhere.map((s) => `"${s.environmentName}"`).join(', ')}, which the job does not name: add \`environment: ${elsewhere[0]!.environmentName}\` to the job`
        : ': store it (in the environment of the job that needs it), or remove the reference';
      const where = use.environment !== undefined ? `environment "${use.environment}", ` : '';
      ctx.report({
        severity: 'medium',
        environment: use.environment !== undefined && ctx.isProduction(use.environment) ? 'production' : 'ci',
        ...atUse(use),
        message: `secret ${use.secret}, used by job "${use.job}", is stored nowhere the job can read it (${where}repository${(await ctx.facts.isOrganization()) ? ', organisation' : ''}): the step gets an empty string${hint}`,
        what: `missing:${use.job}:${use.secret}`,
        ...(elsewhere.length ? { related: elsewhere.map((s) => settingLocation(s.place, `stored in environment "${s.environmentName}"`)) } : {}),
      });
    }
  },
};
