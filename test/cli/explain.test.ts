import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let repo: TempDir;
afterEach(() => repo?.remove());

interface Explained {
  file: string;
  environment: string;
  role: string;
  why: string;
  policy: Array<{ ruleId: string; reported?: { category: string; severity: string }; because?: string }>;
}

function explainJson(args: string[]) {
  const result = runCli(['explain', '--format', 'json', ...args], repo.path);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Explained[];
}

/** `ruleId category severity` or `ruleId -` (not reported): one line per kind of finding. */
const outcomes = (e: Explained) => e.policy.map((o) => (o.reported ? `${o.ruleId} ${o.reported.category} ${o.reported.severity}` : `${o.ruleId} -`));

describe('keyfence explain', () => {
  it('says what decided the environment: a configured glob, a declaration, a path convention', () => {
    repo = tempRepo();
    repo.write('keyfence.yml', 'environments:\n  staging: ["deploy/preview/**"]\n');
    repo.write('.env', 'APP_ENV=production\nDEBUG=false\n');
    const explained = explainJson(['deploy/preview/values.yaml', '.env', 'docs/setup.md', 'test/fixtures/users.json', 'src/app.ts']);
    expect(explained.map((e) => `${e.file} ${e.environment} ${e.role}: ${e.why}`)).toEqual([
      'deploy/preview/values.yaml staging config: matches environments.staging: deploy/preview/** (keyfence.yml:2:13)',
      '.env production config: declares APP_ENV=production on line 1',
      'docs/setup.md unknown docs: documentation: under docs/',
      'test/fixtures/users.json test fixture: test data: under fixtures/',
      'src/app.ts unknown other: source code or other files: an environment word in its path does not classify code, which runs in every environment',
    ]);
  });

  it('shows what the policy does to each kind of finding, keyfence.yml included', () => {
    repo = tempRepo();
    repo.write('keyfence.yml', 'policy:\n  test:\n    genericSecrets: high\n  production:\n    minSeverity: high\n');
    const [test, docs, prod] = explainJson(['test/fixtures/users.json', 'README.md', 'config/.env.production']);
    expect(outcomes(test!)).toEqual([
      'stripe-live-secret-key fixture critical',
      'stripe-test-secret-key -',
      'aws-access-key-id fixture critical',
      'generic-password generic-secret high',
      'prod-host -',
      'echo-leak -',
      'debug-in-production -',
    ]);
    expect(test!.policy.find((o) => o.ruleId === 'stripe-test-secret-key')?.because).toBe('test-mode keys are what fixtures should hold');
    expect(outcomes(docs!)).toEqual([
      'stripe-live-secret-key live-key critical',
      'stripe-test-secret-key live-key low',
      'aws-access-key-id live-key critical',
      'generic-password generic-secret low',
      'prod-host -',
      'echo-leak -',
      'debug-in-production -',
    ]);
    expect(outcomes(prod!)).toEqual([
      'stripe-live-secret-key live-key critical',
      'stripe-test-secret-key env-crossover high',
      'aws-access-key-id live-key critical',
      'generic-password generic-secret high',
      'prod-host -',
      'echo-leak -',
      'debug-in-production echo-leak high',
    ]);
    expect(prod!.policy.find((o) => o.ruleId === 'debug-in-production')?.because).toBe('policy.production.minSeverity');
  });

  it('prints one block per file in text, marking what does not block', () => {
    repo = tempRepo();
    const result = runCli(['explain', 'test/db.test.js'], repo.path);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 6)).toEqual([
      'test/db.test.js',
      '  environment: test (test code): test code: under test/',
      '  what the policy does here:',
      '    a live-mode provider key [stripe-live-secret-key]: env-crossover, critical: "Stripe live secret key in a test file: test must use test-mode keys"',
      '    a test-mode provider key [stripe-test-secret-key]: live-key, low (not blocking): "Stripe test key (sk_test_) - reaches test-mode data only, not live payments; keep it out of the repository anyway"',
      '    another provider credential [aws-access-key-id]: live-key, critical: "AWS access key id"',
    ]);
    expect(result.stdout).toContain('    a generic secret (password, private key, token) [generic-password]: generic-secret, low (not blocking): "Hard-coded password in a test file: test data, so low (policy.test.genericSecrets)"\n');
  });

  it('exits 2 with one line for a file outside the repository or no file', () => {
    repo = tempRepo();
    const outside = runCli(['explain', '../elsewhere.env'], repo.path);
    expect(outside.code).toBe(2);
    expect(outside.stderr.split('\n')[0]).toMatch(/^keyfence: explain: \.\.\/elsewhere\.env is outside the repository at /);
    const none = runCli(['explain'], repo.path);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('keyfence: explain: name at least one file');
  });
});
