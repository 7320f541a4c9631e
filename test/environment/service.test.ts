import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * The "done when" of issue 4: a repository laid out like a real service (fixtures/service/repo: a
 * Node app with .env.*, config/, docker-compose.*.yml, Helm values, tfvars, Kustomize overlays,
 * scripts, test fixtures and a recorded cassette) that extends an organisation policy installed as
 * an npm package (fixtures/service/policy), scanned by the built CLI, gives exactly these findings.
 *
 * The fixture holds no token-shaped string: `__NAME__` placeholders are replaced here by values
 * built at run time, so this repository passes its own scan.
 */
const FIXTURE = fileURLToPath(new URL('../../fixtures/service/', import.meta.url));
const random = seededRandom('service-fixture');
const alnum = (n: number) => randomString(random, 'alnum', n);
const VALUES: Record<string, string> = {
  STRIPE_LIVE_DEV: ['sk', 'live', alnum(24)].join('_'),
  STRIPE_LIVE_SHARED: ['sk', 'live', alnum(99)].join('_'),
  STRIPE_LIVE_FIXTURE: ['sk', 'live', alnum(24)].join('_'),
  STRIPE_TEST: ['sk', 'test', alnum(24)].join('_'),
  STRIPE_TEST_PROD: ['sk', 'test', alnum(24)].join('_'),
  STRIPE_TEST_FIXTURE: ['sk', 'test', alnum(24)].join('_'),
  PROD_DB_PASSWORD: alnum(20),
  JWT_SHARED: randomString(random, 'base64url', 43),
  // A weak password no generic rule reports (letters only): only the crossover stage sees it. Not a
  // famous example password (those are placeholders: `correcthorsebatterystaple`).
  TF_DB_PASSWORD: ['amber', 'walrus', 'cobalt', 'lantern'].join(''),
  BEARER: randomString(random, 'base64url', 40),
};

function copyWithValues(from: string, to: TempDir, prefix = ''): void {
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) {
      copyWithValues(path, to, `${prefix}${name}/`);
      continue;
    }
    const text = readFileSync(path, 'utf8').replace(/__([A-Z_]+)__/g, (all, key: string) => VALUES[key] ?? all);
    expect(text, `${prefix}${name} has an unknown placeholder`).not.toMatch(/__[A-Z][A-Z_]+__/);
    to.write(`${prefix}${name}`, text);
  }
}

interface Finding {
  ruleId: string;
  category: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  environment: string;
  secret: string;
  message: string;
  related?: Array<{ file: string; line: number; label?: string }>;
}

let repo: TempDir;
let findings: Finding[];
let stdout: string;
let code: number;

beforeAll(() => {
  repo = tempRepo('keyfence-service-');
  copyWithValues(join(FIXTURE, 'repo'), repo);
  cpSync(join(FIXTURE, 'policy'), join(repo.path, 'node_modules/@acme/keyfence-policy'), { recursive: true });
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'orders-api');
  const result = runCli(['scan', '--format', 'json'], repo.path);
  expect(result.stderr).toBe('');
  code = result.code;
  stdout = result.stdout;
  findings = (JSON.parse(stdout) as { findings: Finding[] }).findings;
});
afterAll(() => repo?.remove());

describe('a service repository with every environment convention', () => {
  it('produces exactly the expected findings, with their environments', () => {
    const got = findings.map((f) => [f.file, f.line, f.ruleId, f.environment, f.category, f.severity].join(' '));
    expect(got).toEqual([
      // A developer's env file pointing at the production database, with its password, and a live key.
      '.env.development 4 database-connection-string development generic-secret high',
      '.env.development 4 env-crossover development env-crossover high',
      '.env.development 4 prod-host development prod-host high',
      '.env.development 5 stripe-live-secret-key development env-crossover critical',
      '.env.development 6 prod-host-domain development prod-host high',
      // `.env.docker` names no environment; its APP_ENV=development does.
      '.env.docker 4 prod-host development prod-host high',
      '.env.production 3 database-connection-string production generic-secret high',
      '.env.production 4 stripe-live-secret-key production live-key critical',
      // Staging and production share one live key (NODE_ENV=production does not make staging production).
      '.env.staging 4 env-crossover staging env-crossover high',
      '.env.staging 4 stripe-live-secret-key staging live-key critical',
      // Test *configuration* aimed at the production API (test code naming it is fine).
      '.env.test 4 prod-host-domain test prod-host high',
      'Dockerfile 3 echo-leak-docker-build-arg unknown echo-leak high',
      // Production config: debug logging (low, raised by the policy's production floor) and a test key.
      'config/production.json 2 debug-in-production production echo-leak medium',
      'config/production.json 5 stripe-test-secret-key production env-crossover medium',
      'helm/orders/values-production.yaml 4 generic-api-secret production generic-secret medium',
      'helm/orders/values-staging.yaml 4 env-crossover staging env-crossover high',
      'helm/orders/values-staging.yaml 4 generic-api-secret staging generic-secret medium',
      // A weak shared password no rule reports on its own.
      'infra/staging.tfvars 3 env-crossover staging env-crossover high',
      // A preview overlay, staging by the repository's `environments:` glob, reading production.
      'k8s/overlays/preview/configmap.yaml 7 prod-host staging prod-host high',
      'package.json 9 echo-leak-env-dump unknown echo-leak medium',
      'scripts/debug-env.sh 2 echo-leak unknown echo-leak high',
      'scripts/deploy.sh 2 echo-leak-xtrace unknown echo-leak medium',
      'test/cassettes/orders-api/create_order.yml 9 fixture-recorded-credential test fixture medium',
      'test/fixtures/stripe/charge-request.json 6 stripe-live-secret-key test fixture critical',
    ]);
    expect(code).toBe(1);
  });

  it('reports each shared value once, at the less protected place, with the other places and no value', () => {
    const crossovers = findings.filter((f) => f.ruleId === 'env-crossover');
    expect(crossovers.map((f) => [f.file, f.line, f.related?.map((r) => `${r.file}:${r.line} ${r.label}`)])).toEqual([
      ['.env.development', 4, ['.env.production:3 also in production']],
      ['.env.staging', 4, ['.env.production:4 also in production']],
      ['helm/orders/values-staging.yaml', 4, ['helm/orders/values-production.yaml:4 also in production']],
      ['infra/staging.tfvars', 3, ['infra/prod.tfvars:3 also in production']],
    ]);
    for (const f of crossovers) expect(f.secret).toBe('');
    for (const value of Object.values(VALUES)) expect(stdout).not.toContain(value);
  });

  it('keeps the rule id and says why in the message when the policy re-categorises', () => {
    const dev = findings.find((f) => f.file === '.env.development' && f.ruleId === 'stripe-live-secret-key')!;
    expect(dev.message).toMatch(/in a development file/);
    expect(dev.secret).toBe(`sk_live_…${VALUES.STRIPE_LIVE_DEV!.slice(-4)}`);
    const testKey = findings.find((f) => f.file === 'config/production.json' && f.ruleId === 'stripe-test-secret-key')!;
    expect(testKey.message).toMatch(/in production config/);
  });

  it('cannot loosen a locked guardrail of the organisation policy', () => {
    const config = readFileSync(join(repo.path, 'keyfence.yml'), 'utf8');
    try {
      repo.write('keyfence.yml', `${config}\n  - rules: [prod-host]\n    paths: ['.env.development']\n`);
      const allow = runCli(['scan'], repo.path);
      expect(allow.code).toBe(2);
      expect(allow.stderr).toMatch(/^keyfence: keyfence\.yml:\d+:\d+: an allow entry for "prod-host" loosens the guardrail "prod-host" locked in node_modules\/@acme\/keyfence-policy\/keyfence\.yml:9:40\n/);

      repo.write('keyfence.yml', config.replace('overrides:\n', 'overrides:\n  stripe-live-secret-key: { enabled: false }\n'));
      const disable = runCli(['scan'], repo.path);
      expect(disable.code).toBe(2);
      expect(disable.stderr).toContain('keyfence: keyfence.yml:16:38: overrides.stripe-live-secret-key.enabled: false loosens the guardrail "stripe-live-secret-key" locked in node_modules/@acme/keyfence-policy/keyfence.yml:8:37');

      repo.write('keyfence.yml', `${config}\nfailOn: high\n`);
      const failOn = runCli(['scan'], repo.path);
      expect(failOn.code).toBe(2);
      expect(failOn.stderr).toContain('failOn: high loosens the guardrail "failOn: medium" locked in node_modules/@acme/keyfence-policy/keyfence.yml:3:37');
    } finally {
      repo.write('keyfence.yml', config);
    }
  });

  it('`keyfence config` shows where each setting came from', () => {
    const result = runCli(['config'], repo.path);
    expect(result.code).toBe(0);
    const line = (start: string) => result.stdout.split('\n').find((l) => l.startsWith(start)) ?? '';
    expect(result.stdout).toContain('# read from, base first: node_modules/@acme/keyfence-policy/keyfence.yml, keyfence.yml');
    expect(line('failOn: medium')).toMatch(/# node_modules\/@acme\/keyfence-policy\/keyfence\.yml:3:\d+, locked in node_modules\/@acme\/keyfence-policy\/keyfence\.yml:3:37$/);
    expect(line('maxFileSize:')).toMatch(/# default$/);
    expect(line('    - k8s/overlays/preview/**')).toMatch(/# keyfence\.yml:7:\d+$/);
    expect(line('  echo-leak-docker-build-arg:')).toBe('  echo-leak-docker-build-arg:');
    expect(line('  prod-host:')).toMatch(/# locked in node_modules\/@acme\/keyfence-policy\/keyfence\.yml:9:40$/);
    expect(line('    severity: high')).toMatch(/# node_modules\/@acme\/keyfence-policy\/keyfence\.yml:9:26$/);
  });
});
