/**
 * long-lived-publish-token: a publish or deploy step authenticates with a stored secret (an npm or
 * PyPI token, cloud access keys, a service-account key) where the registry or cloud accepts the
 * workflow's OIDC identity instead. A stored token works from anywhere until someone rotates it; an
 * OIDC credential is minted per run, scoped to this repository and workflow, and expires within the
 * hour. Advice (`low`): nothing is exposed yet, but a leak elsewhere would be worth much more.
 */
import { stepWhere, type WorkflowCheck } from '../check.js';
import { secretUses } from '../expressions.js';
import type { Step, TString } from '../model.js';
import type { ShellCommand } from '../shell.js';
import { commandSpan } from '../stepLocation.js';
import { actionName, effectiveEnv, shellCommands } from '../steps.js';

interface Target {
  /** Where the token goes. */
  service: string;
  /** What replaces it. */
  instead: string;
}

/** Named secrets a string reads. */
function secretNames(str: TString | null | undefined): string[] {
  return (str?.exprs ?? []).flatMap((o) => (o.parsed.ast ? secretUses(o.parsed.ast).flatMap((u) => (u.kind === 'named' ? [u.name] : [])) : []));
}

const NPM: Target = { service: 'npm', instead: 'npm trusted publishing (`id-token: write`, `npm publish` without a token; npm 11.5 or later)' };
const PYPI: Target = { service: 'PyPI', instead: 'PyPI trusted publishing (`id-token: write` and pypa/gh-action-pypi-publish without `password:`)' };
const AWS: Target = { service: 'AWS', instead: 'an IAM role assumed through OIDC (`id-token: write`, aws-actions/configure-aws-credentials with `role-to-assume`)' };
const GCP: Target = { service: 'Google Cloud', instead: 'Workload Identity Federation (`id-token: write`, google-github-actions/auth with `workload_identity_provider`)' };
const AZURE: Target = { service: 'Azure', instead: 'a federated credential (`id-token: write`, azure/login with `client-id`, `tenant-id` and `subscription-id`)' };

/** The long-lived secret a step authenticates with, and where to. */
function tokenUse(step: Step, env: Map<string, { value: TString | null }>): { secret: string; target: Target; cmd?: ShellCommand } | null {
  const name = actionName(step);
  const fromWith = (key: string): string | undefined => secretNames(step.with.get(key)?.value)[0];
  if (name === 'pypa/gh-action-pypi-publish') {
    const s = fromWith('password');
    return s ? { secret: s, target: PYPI } : null;
  }
  if (name === 'aws-actions/configure-aws-credentials') {
    const s = fromWith('aws-secret-access-key') ?? fromWith('aws-access-key-id');
    return s ? { secret: s, target: AWS } : null;
  }
  if (name === 'google-github-actions/auth') {
    const s = fromWith('credentials_json');
    return s ? { secret: s, target: GCP } : null;
  }
  if (name === 'azure/login') {
    const s = fromWith('creds');
    return s ? { secret: s, target: AZURE } : null;
  }
  const envSecret = (...names: string[]): string | undefined => {
    for (const n of names) {
      const s = secretNames(env.get(n)?.value)[0];
      if (s) return s;
    }
    return undefined;
  };
  for (const cmd of shellCommands(step)) {
    const [c0, c1, c2] = cmd.args;
    if (cmd.args.includes('--dry-run')) continue;
    // Yarn 2+ publishes with `yarn npm publish` and reads `YARN_NPM_AUTH_TOKEN`.
    if (((c0 === 'npm' || c0 === 'pnpm' || c0 === 'yarn') && c1 === 'publish') || (c0 === 'yarn' && c1 === 'npm' && c2 === 'publish')) {
      const s = envSecret('NODE_AUTH_TOKEN', 'NPM_TOKEN', 'NPM_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN');
      if (s) return { secret: s, target: NPM, cmd };
    }
    if ((c0 === 'twine' && c1 === 'upload') || ((c0 === 'uv' || c0 === 'poetry' || c0 === 'hatch' || c0 === 'flit') && c1 === 'publish')) {
      const s = envSecret('TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'POETRY_PYPI_TOKEN_PYPI', 'HATCH_INDEX_AUTH', 'FLIT_PASSWORD');
      if (s) return { secret: s, target: PYPI, cmd };
    }
    if (c0 === 'aws') {
      const s = envSecret('AWS_SECRET_ACCESS_KEY');
      if (s) return { secret: s, target: AWS, cmd };
    }
  }
  return null;
}

export const longLivedPublishToken: WorkflowCheck = {
  id: 'long-lived-publish-token',
  category: 'workflow',
  description: 'A publish or deploy step uses a stored long-lived token (npm, PyPI, AWS keys, GCP or Azure keys) where OIDC federation would mint a short-lived one.',
  run({ model, report }) {
    if (model.kind !== 'workflow') return;
    for (const job of model.jobs) {
      for (const step of job.steps) {
        const use = tokenUse(step, effectiveEnv(model, job, step));
        if (!use) continue;
        report({
          severity: 'low',
          message: `${stepWhere(job, step)} authenticates to ${use.target.service} with the stored secret \`${use.secret}\`, which works from anywhere until someone rotates it. Use ${use.target.instead}: the credential is minted for this run only, then delete the secret.`,
          span: commandSpan(model, step, use.cmd),
          what: `${job.id}/${step.key}/${use.target.service}/${use.secret}`,
        });
      }
    }
  },
};
