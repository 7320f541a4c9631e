import { atUse, type SettingsCheck } from '../check.js';
import { storedAt } from '../secretInventory.js';
import type { SecretUse } from '../secretUsage.js';

interface Cloud {
  name: string;
  /** Secret names that hold a long-lived key of this cloud. */
  secret: RegExp;
  /** The official login action and the inputs that take a long-lived key. */
  action: string;
  inputs: string[];
  /** The federated way, in one line. */
  migrate: string;
}

const CLOUDS: Cloud[] = [
  {
    name: 'AWS access key',
    secret: /^AWS_(SECRET_)?ACCESS_KEY(_ID)?$|^AWS_SECRET_KEY$|^AWS_KEY_ID$/,
    action: 'aws-actions/configure-aws-credentials',
    inputs: ['aws-access-key-id', 'aws-secret-access-key'],
    migrate: 'add the IAM OIDC provider token.actions.githubusercontent.com, a role whose trust policy names this repository (and environment), give the job `permissions: id-token: write` and aws-actions/configure-aws-credentials `role-to-assume:`, then delete the secrets and the IAM user\'s access key',
  },
  {
    name: 'Google Cloud service-account key',
    secret: /^(GOOGLE_(APPLICATION_)?CREDENTIALS|GCP_(SA_KEY|CREDENTIALS|SERVICE_ACCOUNT)|GCLOUD_(SERVICE_KEY|AUTH)|GCP_SA_KEY_JSON)$|SERVICE_ACCOUNT_(KEY|JSON)$/,
    action: 'google-github-actions/auth',
    inputs: ['credentials_json'],
    migrate: 'create a Workload Identity pool and provider for token.actions.githubusercontent.com restricted to this repository, give the job `permissions: id-token: write` and google-github-actions/auth `workload_identity_provider:` and `service_account:`, then delete the secret and the service-account key',
  },
  {
    name: 'Azure service-principal secret',
    secret: /^AZURE_(CREDENTIALS|CLIENT_SECRET|SP_CREDENTIALS)$/,
    action: 'azure/login',
    inputs: ['creds'],
    migrate: 'add a federated credential for this repository (and environment) to the app registration, give the job `permissions: id-token: write` and azure/login `client-id:`, `tenant-id:` and `subscription-id:`, then delete the secret and the client secret',
  },
];

function cloudOf(use: SecretUse): Cloud | undefined {
  const action = use.action?.toLowerCase().split('@')[0];
  return CLOUDS.find((c) => c.secret.test(use.secret) || (action === c.action && use.input !== undefined && c.inputs.includes(use.input)));
}

export const check: SettingsCheck = {
  id: 'cloud-long-lived-credentials',
  description: 'A job signs in to AWS, Google Cloud or Azure with a long-lived key stored as a secret, where OIDC federation gives it a short-lived token.',
  async run(ctx) {
    const inventory = await ctx.inventory();
    // One finding per job and cloud, at its first key; every key of that sign-in is named as related.
    const byJob = new Map<string, { cloud: Cloud; uses: SecretUse[] }>();
    for (const use of ctx.secretUses) {
      if (use.secret === '*') continue;
      const cloud = cloudOf(use);
      if (!cloud) continue;
      const key = `${use.file}\0${use.job}\0${cloud.name}`;
      const hit = byJob.get(key);
      if (hit) hit.uses.push(use);
      else byJob.set(key, { cloud, uses: [use] });
    }
    for (const { cloud, uses } of byJob.values()) {
      const use = uses[0]!;
      const secrets = [...new Set(uses.map((u) => u.secret))];
      const prod = (use.environment !== undefined && ctx.isProduction(use.environment)) || secrets.some((s) => ctx.isProduction(s));
      const related = [...new Map(uses.flatMap((u) => storedAt(inventory, u)).map((l) => [l.file, l])).values()];
      ctx.report({
        severity: prod ? 'high' : 'medium',
        environment: prod ? 'production' : 'ci',
        ...atUse(use),
        message: `job "${use.job}" signs in with a long-lived ${cloud.name} stored as secret${secrets.length === 1 ? '' : 's'} ${secrets.join(', ')}, which works from anywhere until someone revokes it; use OIDC federation instead: ${cloud.migrate}`,
        what: `cloud:${cloud.name}:${use.job}`,
        related,
      });
    }
  },
};
