import type { Location } from '../../findings/finding.js';
import { describeGuard, isGuarded, type GuardFlags } from '../../workflows/analysis.js';
import { orgSettingPath, settingPath, type SettingsCheck, type SettingsContext } from '../check.js';
import { isProtected } from '../environmentProtection.js';
import type { SecretUse } from '../secretUsage.js';

/** Triggers that run with the base repository's secrets while a fork pull request decides what runs. */
const PRIVILEGED = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);
/** Triggers that run the fork's own code: privileged only where a private repository sends secrets to forks. */
const FORK_CODE = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

interface Store {
  where: string;
  place: Location;
}

export const check: SettingsCheck = {
  id: 'fork-reachable-secret-unprotected',
  description: 'A secret used by a job that fork pull requests can reach, stored outside an environment with required reviewers.',
  async run(ctx) {
    if (ctx.secretUses.length === 0) return;
    const forkCodeGetsSecrets =
      !(await ctx.facts.isPublic()) && (await ctx.facts.privateForkPrSettings())?.send_secrets_and_variables === true;
    const environments = (await ctx.facts.environments()) ?? [];
    for (const use of ctx.secretUses) {
      const reach = use.triggers.filter(
        (t) => (PRIVILEGED.has(t.name) || (forkCodeGetsSecrets && FORK_CODE.has(t.name))) && !t.guard.fork && !t.guard.merged,
      );
      if (reach.length === 0) continue;
      // A job in an environment with required reviewers waits for a person, whatever secret it reads.
      const named = use.environment?.toLowerCase();
      const env = named !== undefined ? environments.find((e) => e.name.toLowerCase() === named) : undefined;
      if (isProtected(env)) continue;
      const stores = await storesOf(ctx, use);
      if (stores.length === 0) continue;
      const weakest = [...reach].sort((a, b) => Number(isGuarded(a.guard)) - Number(isGuarded(b.guard)))[0]!;
      const prod = ctx.isProduction(use.secret) || (use.environment !== undefined && ctx.isProduction(use.environment));
      const guard = guardText(weakest.guard);
      const secret = use.secret === '*' ? 'every secret' : `secret ${use.secret}`;
      ctx.report({
        severity: isGuarded(weakest.guard) ? 'medium' : prod ? 'critical' : 'high',
        environment: prod ? 'production' : 'ci',
        file: use.file,
        line: use.line,
        column: use.column,
        endLine: use.endLine,
        endColumn: use.endColumn,
        lineText: use.lineText,
        message: `${secret} reaches job "${use.job}", which ${weakest.name} runs started from fork pull requests can reach${guard}, and is stored ${stores.map((s) => s.where).join(' and ')}: move it to an environment with required reviewers and use that environment in the job`,
        what: `${use.job}:${use.secret}:${stores.map((s) => s.where).join(',')}`,
        related: stores.map((s) => s.place),
      });
    }
  },
};

function guardText(g: GuardFlags): string {
  return isGuarded(g) ? ` (behind ${describeGuard(g)})` : '';
}

const at = (file: string, label: string): Location => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1, label });

/**
 * Where the secret a job reads comes from: environment secrets win over repository ones, which win
 * over organisation ones.
 */
async function storesOf(ctx: SettingsContext, use: SecretUse): Promise<Store[]> {
  const envSecrets = use.environment !== undefined ? ((await ctx.facts.environmentSecrets(use.environment)) ?? []) : [];
  const repoSecrets = (await ctx.facts.repositorySecrets()) ?? [];
  const orgSecrets = (await ctx.facts.isOrganization()) ? ((await ctx.facts.organizationSecretsForRepository()) ?? []) : [];
  if (use.secret === '*') {
    const out: Store[] = [];
    if (envSecrets.length) out.push({ where: `in environment "${use.environment}" (no required reviewers)`, place: at(settingPath(ctx.facts, 'environments', use.environment!), 'the environment') });
    if (repoSecrets.length) out.push({ where: `as ${repoSecrets.length} repository secret${repoSecrets.length === 1 ? '' : 's'}`, place: at(settingPath(ctx.facts, 'secrets'), 'repository secrets') });
    if (orgSecrets.length) out.push({ where: `as ${orgSecrets.length} organisation secret${orgSecrets.length === 1 ? '' : 's'}`, place: at(orgSettingPath(ctx.facts, 'secrets'), 'organisation secrets') });
    return out;
  }
  if (envSecrets.includes(use.secret))
    return [{ where: `in environment "${use.environment}", which has no required reviewers`, place: at(settingPath(ctx.facts, 'environments', use.environment!), 'the environment') }];
  if (repoSecrets.includes(use.secret)) return [{ where: 'as a repository secret', place: at(settingPath(ctx.facts, 'secrets', use.secret), 'the secret') }];
  if (orgSecrets.includes(use.secret)) return [{ where: 'as an organisation secret', place: at(orgSettingPath(ctx.facts, 'secrets', use.secret), 'the secret') }];
  return [];
}
