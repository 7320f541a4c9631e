/**
 * The secret inventory of one repository: every Actions secret it can read (repository, each
 * deployment environment, organisation secrets shared with it), with its dates, age, the policy
 * environment that sets its rotation limit, and the workflow references that resolve to it. GitHub
 * returns names and dates only; nothing here asks for, or could hold, a value.
 */
import { defaultMaxSecretAgeDays } from '../config/config.js';
import { environmentOfWord } from '../environment/classify.js';
import type { Environment, Location } from '../findings/finding.js';
import { orgSettingPath, settingLocation, settingPath } from './check.js';
import type { GitHubFacts, SecretMeta } from './facts.js';
import type { SecretUse } from './secretUsage.js';

/** The rotation limits: keyfence.yml `policy.<environment>.maxSecretAgeDays`, else 90 production, 180 elsewhere. */
export { defaultMaxSecretAgeDays };

export type SecretScope = 'repository' | 'environment' | 'organization';

export interface StoredSecret {
  name: string;
  scope: SecretScope;
  /** For `environment`: the deployment environment's name. */
  environmentName?: string;
  createdAt: string;
  updatedAt: string;
  /** Whole days since the last update, against the audit's clock. */
  ageDays: number;
  /** The policy environment whose `maxSecretAgeDays` applies. */
  environment: Environment;
  maxAgeDays: number;
  /** For `organization`: who can see it, when the token may read the organisation's list. */
  visibility?: 'all' | 'private' | 'selected';
  /** For `selected`: how many repositories it is shared with. */
  sharedWith?: number;
  /** `github:OWNER/REPO/secrets/NAME` and the like. */
  place: string;
  /** Workflow references that resolve to this secret (environment, then repository, then organisation). */
  users: SecretUse[];
  /** Jobs that get every secret visible to them (`secrets: inherit`, `toJSON(secrets)`), this one included. */
  broadUsers: SecretUse[];
}

export interface SecretInventory {
  secrets: StoredSecret[];
  /**
   * Where a job's reference to a named secret resolves: the stored secret; `undefined` when it is
   * stored nowhere the job can see; `'unknown'` when a list it could be in was not readable, or the
   * job's environment is an expression.
   */
  resolve(use: SecretUse): StoredSecret | undefined | 'unknown';
}

const DAY = 24 * 60 * 60 * 1000;

export interface InventoryOptions {
  facts: GitHubFacts;
  secretUses: SecretUse[];
  isProduction(name: string): boolean;
  now: Date;
  maxSecretAgeDays(environment: Environment): number;
}

/** The policy environment of a deployment environment's name: production by the audit's policy, else by its words. */
function environmentOfName(name: string, isProduction: (n: string) => boolean): Environment {
  if (isProduction(name)) return 'production';
  for (const part of name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
    const env = environmentOfWord(part);
    if (env && env !== 'production') return env;
  }
  return 'ci';
}

export async function buildSecretInventory(o: InventoryOptions): Promise<SecretInventory> {
  const { facts, isProduction } = o;
  const lower = (s: string) => s.toLowerCase();
  const environments = await facts.environments();
  const productionJob = (u: SecretUse) => u.environment !== undefined && isProduction(u.environment);
  const productionRepository = (environments ?? []).some((e) => isProduction(e.name)) || o.secretUses.some(productionJob);
  // Environments to list: GitHub's list when readable; else the ones the workflows name.
  const envNames = environments
    ? environments.map((e) => e.name)
    : [...new Set(o.secretUses.flatMap((u) => (u.environment !== undefined ? [u.environment] : [])))].sort();
  const envLists = new Map<string, { name: string; list: SecretMeta[] | undefined }>();
  for (const name of envNames) envLists.set(lower(name), { name, list: await facts.environmentSecretList(name) });
  const repoList = await facts.repositorySecretList();
  const isOrg = await facts.isOrganization();
  const orgList = isOrg ? await facts.organizationSecretListForRepository() : [];
  const orgVisibility = isOrg && orgList && orgList.length > 0 ? await facts.organizationSecrets() : undefined;

  const secrets: StoredSecret[] = [];
  type Extra = Partial<StoredSecret>;
  const entry = (m: SecretMeta, scope: SecretScope, place: string, environment: Environment, extra: Extra = {}): StoredSecret => {
    const s: StoredSecret = {
      name: m.name,
      scope,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      ageDays: Math.max(0, Math.floor((o.now.getTime() - Date.parse(m.updatedAt)) / DAY)),
      environment,
      maxAgeDays: 0,
      place,
      users: [],
      broadUsers: [],
      ...extra,
    };
    secrets.push(s);
    return s;
  };
  const byEnv = new Map<string, Map<string, StoredSecret>>();
  for (const [key, { name, list }] of envLists) {
    const m = new Map<string, StoredSecret>();
    for (const s of list ?? []) m.set(s.name, entry(s, 'environment', settingPath(facts, 'environments', name, 'secrets', s.name), environmentOfName(name, isProduction), { environmentName: name }));
    byEnv.set(key, m);
  }
  const repo = new Map<string, StoredSecret>();
  for (const s of repoList ?? []) repo.set(s.name, entry(s, 'repository', settingPath(facts, 'secrets', s.name), isProduction(s.name) ? 'production' : 'ci'));
  const org = new Map<string, StoredSecret>();
  for (const s of orgList ?? []) {
    const v = orgVisibility?.find((x) => x.name === s.name)?.visibility;
    const extra: Partial<StoredSecret> = v ? { visibility: v } : {};
    if (v === 'selected') {
      const repos = await facts.organizationSecretRepositories(s.name);
      if (repos) extra.sharedWith = repos.length;
    }
    // An organisation secret a production repository can read is a production secret.
    org.set(s.name, entry(s, 'organization', orgSettingPath(facts, 'secrets', s.name), isProduction(s.name) || productionRepository ? 'production' : 'ci', extra));
  }

  const resolve = (use: SecretUse): StoredSecret | undefined | 'unknown' => {
    if (use.dynamicEnvironment) return 'unknown';
    if (use.environment !== undefined) {
      const env = envLists.get(lower(use.environment));
      if (env && env.list === undefined) return 'unknown';
      if (!env && !environments) return 'unknown';
      const hit = byEnv.get(lower(use.environment))?.get(use.secret);
      if (hit) return hit;
    }
    const r = repo.get(use.secret);
    if (r) return r;
    if (repoList === undefined) return 'unknown';
    const g = org.get(use.secret);
    if (g) return g;
    if (orgList === undefined) return 'unknown';
    return undefined;
  };

  for (const use of o.secretUses) {
    if (use.secret === '*') {
      // Every secret the job can see: its environment's, the repository's and the organisation's.
      const own = use.environment !== undefined ? (byEnv.get(lower(use.environment))?.values() ?? []) : [];
      const visible = [...own, ...repo.values(), ...org.values()];
      for (const s of visible) if (!s.broadUsers.includes(use)) s.broadUsers.push(use);
      continue;
    }
    const hit = resolve(use);
    if (hit && hit !== 'unknown') hit.users.push(use);
  }
  // A secret a production job reads is a production secret, wherever it is stored.
  for (const s of secrets) {
    if (s.environment !== 'production' && s.users.some(productionJob)) s.environment = 'production';
    s.maxAgeDays = o.maxSecretAgeDays(s.environment);
  }
  return { secrets, resolve };
}

/** Where a job's reference resolves, as a related location (for reports, and the inventory's findings column). */
export function storedAt(inventory: SecretInventory, use: SecretUse): Location[] {
  const hit = inventory.resolve(use);
  return hit && hit !== 'unknown' ? [settingLocation(hit.place, `the stored secret (${describeSecret(hit)})`)] : [];
}

/** "workflow.yml job `deploy`, workflow.yml job `release` and 2 more": who uses a secret, for messages. */
export function usersText(uses: SecretUse[], max = 3): string {
  const names = [...new Set(uses.map((u) => `${u.file} job \`${u.job}\``))];
  if (names.length === 0) return 'no workflow';
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** `secret X of environment "production"`, `organisation secret X, visible to all repositories`. */
export function describeSecret(s: StoredSecret): string {
  if (s.scope === 'environment') return `secret ${s.name} of environment "${s.environmentName}"`;
  if (s.scope === 'repository') return `repository secret ${s.name}`;
  const vis = s.visibility === 'all' ? ', visible to all repositories' : s.visibility === 'private' ? ', visible to private repositories' : s.visibility === 'selected' && s.sharedWith !== undefined ? `, shared with ${s.sharedWith} repositor${s.sharedWith === 1 ? 'y' : 'ies'}` : '';
  return `organisation secret ${s.name}${vis}`;
}
