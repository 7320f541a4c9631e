/**
 * long-lived-publish-token: a publish or deploy step authenticates with a stored secret (an npm or
 * PyPI token, cloud access keys, a service-account key) where the registry or cloud accepts the
 * workflow's OIDC identity instead. A stored token works from anywhere until someone rotates it; an
 * OIDC credential is minted per run, scoped to this repository and workflow, and expires within the
 * hour. Advice (`low`): nothing is exposed yet, but a leak elsewhere would be worth much more.
 * Only where trusted publishing or federation exists: npmjs.org, PyPI and TestPyPI, AWS itself; a
 * private registry, GitHub Packages or an S3-compatible store elsewhere keeps its token.
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

/** Named secrets a string reads; GITHUB_TOKEN is minted per run and is not one. */
function secretNames(str: TString | null | undefined): string[] {
  return (str?.exprs ?? []).flatMap((o) =>
    o.parsed.ast ? secretUses(o.parsed.ast).flatMap((u) => (u.kind === 'named' && u.name.toUpperCase() !== 'GITHUB_TOKEN' ? [u.name] : [])) : [],
  );
}

/** The host of a URL (or of a bare host name), lower case; undefined for `${{ }}` and variables. */
function hostOf(url: string | undefined): string | undefined {
  if (!url || /\$\{|\$[A-Za-z_]/.test(url)) return undefined;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/:?#\s'"]+)/i.exec(url.trim().replace(/^['"]/, ''));
  return m?.[1]?.toLowerCase();
}

/** Registries where npm trusted publishing applies (yarn's is an alias of npm's). */
const NPM_PUBLIC = new Set(['registry.npmjs.org', 'registry.yarnpkg.com']);
/** Indexes where PyPI trusted publishing applies. */
const PYPI_PUBLIC = new Set(['upload.pypi.org', 'pypi.org', 'test.pypi.org']);

/** The value of `--flag URL` or `--flag=URL` in a command. */
function flagValue(cmd: ShellCommand, ...flags: string[]): string | undefined {
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    for (const f of flags) {
      if (a === f) return cmd.args[i + 1];
      if (a.startsWith(`${f}=`)) return a.slice(f.length + 1);
    }
  }
  return undefined;
}

/** What the job's earlier steps configured for npm: the last setup-node `registry-url`, if any. */
interface NpmSetup {
  registryUrl?: string;
}

/**
 * Where an npm publish goes: `--registry`, then `npm config set registry` earlier in the step,
 * `NPM_CONFIG_REGISTRY`, then setup-node's `registry-url`; npmjs.org when none says otherwise
 * (a committed `.npmrc` or `publishConfig` cannot be seen from the workflow).
 */
type StepEnv = Map<string, { value: TString | null }>;

function npmRegistry(cmd: ShellCommand, before: ShellCommand[], env: StepEnv, setup: NpmSetup): string | undefined {
  const flag = flagValue(cmd, '--registry');
  if (flag) return flag;
  for (const c of [...before].reverse()) {
    if (c.args[0] === 'npm' && c.args[1] === 'config' && c.args[2] === 'set' && c.args[3] === 'registry' && c.args[4]) return c.args[4];
    if (c.args[0] === 'npm' && c.args[1] === 'config' && c.args[2] === 'set' && c.args[3]?.startsWith('registry=')) return c.args[3].slice('registry='.length);
  }
  const fromEnv = env.get('NPM_CONFIG_REGISTRY')?.value?.value ?? env.get('npm_config_registry')?.value?.value;
  if (fromEnv) return fromEnv;
  return setup.registryUrl ?? 'https://registry.npmjs.org';
}

const NPM: Target = { service: 'npm', instead: 'npm trusted publishing (`id-token: write`, `npm publish` without a token; npm 11.5 or later)' };
const PYPI: Target = { service: 'PyPI', instead: 'PyPI trusted publishing (`id-token: write` and pypa/gh-action-pypi-publish without `password:`)' };
const AWS: Target = { service: 'AWS', instead: 'an IAM role assumed through OIDC (`id-token: write`, aws-actions/configure-aws-credentials with `role-to-assume`)' };
const GCP: Target = { service: 'Google Cloud', instead: 'Workload Identity Federation (`id-token: write`, google-github-actions/auth with `workload_identity_provider`)' };
const AZURE: Target = { service: 'Azure', instead: 'a federated credential (`id-token: write`, azure/login with `client-id`, `tenant-id` and `subscription-id`)' };

/** Whether a host is one of a set; unknown hosts (`${{ }}`, variables) are given the benefit of the doubt. */
function onPublic(url: string | undefined, hosts: Set<string>): boolean {
  const host = hostOf(url);
  return host === undefined || hosts.has(host);
}

/** The long-lived secret a step authenticates with, and where to. */
function tokenUse(step: Step, env: StepEnv, setup: NpmSetup): { secret: string; target: Target; cmd?: ShellCommand } | null {
  const name = actionName(step);
  const fromWith = (key: string): string | undefined => secretNames(step.with.get(key)?.value)[0];
  if (name === 'pypa/gh-action-pypi-publish') {
    const s = fromWith('password');
    const index = step.with.get('repository-url')?.value?.value ?? step.with.get('repository_url')?.value?.value;
    return s && (!index || onPublic(index, PYPI_PUBLIC)) ? { secret: s, target: PYPI } : null;
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
  const envText = (n: string): string | undefined => env.get(n)?.value?.value;
  const cmds = shellCommands(step);
  for (const [i, cmd] of cmds.entries()) {
    const [c0, c1, c2] = cmd.args;
    if (cmd.args.includes('--dry-run')) continue;
    // Yarn 2+ publishes with `yarn npm publish` and reads `YARN_NPM_AUTH_TOKEN`.
    const yarnBerry = c0 === 'yarn' && c1 === 'npm' && c2 === 'publish';
    if (((c0 === 'npm' || c0 === 'pnpm' || c0 === 'yarn') && c1 === 'publish') || yarnBerry) {
      const registry = yarnBerry ? (flagValue(cmd, '--registry') ?? envText('YARN_NPM_PUBLISH_REGISTRY') ?? envText('YARN_NPM_REGISTRY_SERVER')) : npmRegistry(cmd, cmds.slice(0, i), env, setup);
      if (!onPublic(registry, NPM_PUBLIC)) continue;
      // npm reads NODE_AUTH_TOKEN only through the `.npmrc` that setup-node writes for a `registry-url`.
      const names = setup.registryUrl ? ['NODE_AUTH_TOKEN', 'NPM_TOKEN', 'NPM_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN'] : ['NPM_TOKEN', 'NPM_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN'];
      const s = envSecret(...names);
      if (s) return { secret: s, target: NPM, cmd };
    }
    if ((c0 === 'twine' && c1 === 'upload') || ((c0 === 'uv' || c0 === 'poetry' || c0 === 'hatch' || c0 === 'flit') && c1 === 'publish')) {
      const index = flagValue(cmd, '--repository-url', '--publish-url', '--repo') ?? envText('TWINE_REPOSITORY_URL') ?? envText('UV_PUBLISH_URL') ?? envText('HATCH_INDEX_REPO') ?? envText('FLIT_INDEX_URL');
      // A named repository other than PyPI's own (`poetry publish -r internal`, `twine upload -r nexus`).
      const named = flagValue(cmd, '-r', '--repository');
      if (named && !/^(pypi|testpypi|main|test)$/i.test(named)) continue;
      if (index && !onPublic(index, PYPI_PUBLIC)) continue;
      const s = envSecret('TWINE_PASSWORD', 'UV_PUBLISH_TOKEN', 'POETRY_PYPI_TOKEN_PYPI', 'HATCH_INDEX_AUTH', 'FLIT_PASSWORD');
      if (s) return { secret: s, target: PYPI, cmd };
    }
    if (c0 === 'aws') {
      // An S3-compatible store elsewhere (R2, MinIO, a local stack) has no AWS role to assume.
      const endpoint = flagValue(cmd, '--endpoint-url') ?? envText('AWS_ENDPOINT_URL') ?? envText('AWS_ENDPOINT_URL_S3');
      if (endpoint && !/(^|\.)amazonaws\.com(\.cn)?$/.test(hostOf(endpoint) ?? 'amazonaws.com')) continue;
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
      const setup: NpmSetup = {};
      for (const step of job.steps) {
        const use = tokenUse(step, effectiveEnv(model, job, step), setup);
        if (actionName(step) === 'actions/setup-node') {
          const url = step.with.get('registry-url')?.value?.value;
          if (url) setup.registryUrl = url;
        }
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
