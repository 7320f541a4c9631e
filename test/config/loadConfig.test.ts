import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readConfig as loadConfig } from '../../src/config/loadConfig.js';
import { createEngine } from '../../src/engine/createEngine.js';
import { runCli } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

function load(files: Record<string, string>) {
  dir = tempDir('keyfence-config-');
  for (const [file, text] of Object.entries(files)) dir.write(file, text);
  return loadConfig(dir.path);
}

/** The one-line message of the configuration error `files` make. */
function problem(files: Record<string, string>): string {
  try {
    load(files);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

const POLICY_PACKAGE = {
  'node_modules/@acme/keyfence-policy/package.json': '{ "name": "@acme/keyfence-policy", "keyfence": "policy.yml" }\n',
  'node_modules/@acme/keyfence-policy/policy.yml': [
    'failOn: { severity: medium, locked: true }',
    'productionDomains: [acme.com]',
    'overrides:',
    '  stripe-live-secret-key: { locked: true }',
    '  prod-host: { severity: critical, locked: true }',
    'policy:',
    '  production: { minSeverity: high, locked: true }',
    'environments:',
    '  production: ["deploy/prod/**"]',
    'requireReason: { value: true, locked: true }',
    '',
  ].join('\n'),
  'node_modules/@acme/keyfence-policy/strict.yml': 'extends: ./policy.yml\nfailOn: low\n',
};

describe('loading keyfence.yml', () => {
  it('gives the defaults without a config file', () => {
    const config = load({});
    expect(config.sources).toEqual([]);
    expect(config.origins).toEqual({});
    expect(config.failOn).toBeUndefined();
  });

  it('reads every setting with its position', () => {
    const config = load({
      'keyfence.yml': [
        'failOn: high',
        'environments:',
        '  production: ["deploy/live/**", "ops/prod.env"]',
        '  test: qa/**',
        'policy:',
        '  production:',
        '    minSeverity: medium',
        '    rules:',
        '      debug-in-production: { severity: high }',
        '  test:',
        '    rules: { prod-host: { enabled: false } }',
        'overrides:',
        '  echo-leak: { severity: critical }',
        'allow:',
        '  - rules: prod-host',
        '    paths: [docs/**]',
        '    reason: runbooks',
        'productionDomains: ["*.Acme.com", acme.io.]',
        'maxFileSize: 1048576',
        'requireReason: true',
        '',
      ].join('\n'),
    });
    expect(config).toMatchObject({
      sources: ['keyfence.yml'],
      failOn: 'high',
      environments: { production: ['deploy/live/**', 'ops/prod.env'], test: ['qa/**'] },
      policy: { production: { minSeverity: 'medium', rules: { 'debug-in-production': { severity: 'high' } } }, test: { rules: { 'prod-host': { enabled: false } } } },
      overrides: { 'echo-leak': { severity: 'critical' } },
      allow: [{ rules: ['prod-host'], paths: ['docs/**'], reason: 'runbooks', origin: 'keyfence.yml:15:5' }],
      productionDomains: ['acme.com', 'acme.io'],
      maxFileSize: 1048576,
      requireReason: true,
      guardrails: {},
    });
    expect(config.origins).toEqual({
      failOn: 'keyfence.yml:1:9',
      'environments.production[0]': 'keyfence.yml:3:16',
      'environments.production[1]': 'keyfence.yml:3:34',
      'environments.test[0]': 'keyfence.yml:4:9',
      'policy.production.minSeverity': 'keyfence.yml:7:18',
      'policy.production.rules.debug-in-production.severity': 'keyfence.yml:9:40',
      'policy.test.rules.prod-host.enabled': 'keyfence.yml:11:36',
      'overrides.echo-leak.severity': 'keyfence.yml:13:26',
      'allow[0]': 'keyfence.yml:15:5',
      'productionDomains[0]': 'keyfence.yml:18:21',
      'productionDomains[1]': 'keyfence.yml:18:35',
      maxFileSize: 'keyfence.yml:19:14',
      requireReason: 'keyfence.yml:20:16',
    });
  });

  it('accepts an empty file', () => {
    expect(load({ 'keyfence.yml': '# nothing yet\n' }).sources).toEqual(['keyfence.yml']);
  });
});

describe('extends', () => {
  it('applies an installed npm package first, then the repository file', () => {
    const config = load({
      ...POLICY_PACKAGE,
      'keyfence.yml': 'extends: "@acme/keyfence-policy"\nfailOn: low\nproductionDomains: [acme.io, acme.com]\nenvironments:\n  production: [ops/**]\n',
    });
    expect(config.sources).toEqual(['node_modules/@acme/keyfence-policy/policy.yml', 'keyfence.yml']);
    expect(config.failOn).toBe('low');
    expect(config.origins.failOn).toBe('keyfence.yml:2:9');
    expect(config.productionDomains).toEqual(['acme.com', 'acme.io']);
    expect(config.environments.production).toEqual(['deploy/prod/**', 'ops/**']);
    expect(config.overrides['prod-host']).toEqual({ severity: 'critical' });
    const policy = 'node_modules/@acme/keyfence-policy/policy.yml';
    expect(config.guardrails).toEqual({
      failOn: `${policy}:1:37`,
      'overrides.stripe-live-secret-key': `${policy}:4:37`,
      'overrides.prod-host': `${policy}:5:44`,
      'policy.production': `${policy}:7:44`,
      requireReason: `${policy}:10:39`,
    });
  });

  it('reads a file inside a package, a relative path, chains and shared bases once', () => {
    const config = load({
      ...POLICY_PACKAGE,
      'policies/team.yml': 'extends: ["@acme/keyfence-policy/strict.yml"]\nallow:\n  - rules: [echo-leak]\n    paths: [tools/**]\n    reason: team tools\n',
      'keyfence.yml': 'extends: [./policies/team.yml, "@acme/keyfence-policy"]\n',
    });
    expect(config.sources).toEqual(['node_modules/@acme/keyfence-policy/policy.yml', 'node_modules/@acme/keyfence-policy/strict.yml', 'policies/team.yml', 'keyfence.yml']);
    expect(config.failOn).toBe('low');
    expect(config.allow).toHaveLength(1);
  });

  it('names what is missing', () => {
    expect(problem({ 'keyfence.yml': 'extends: "@acme/nope"\n' })).toBe('keyfence.yml:1:10: extends "@acme/nope": package @acme/nope is not installed (no node_modules/@acme/nope above .)');
    expect(problem({ 'keyfence.yml': 'failOn: low\nextends: ./org.yml\n' })).toMatch(/^keyfence\.yml:2:10: extends "\.\/org\.yml": no such file/);
    expect(problem({ ...POLICY_PACKAGE, 'keyfence.yml': 'extends: "@acme/keyfence-policy/missing.yml"\n' })).toBe('keyfence.yml:1:10: extends "@acme/keyfence-policy/missing.yml": package @acme/keyfence-policy has no file missing.yml');
    expect(problem({ 'a.yml': 'extends: ./keyfence.yml\n', 'keyfence.yml': 'extends: ./a.yml\n' })).toMatch(/^a\.yml:1:10: extends "\.\/keyfence\.yml" makes a cycle: keyfence\.yml -> a\.yml -> keyfence\.yml$/);
  });
});

describe('locked guardrails', () => {
  const locked = (repo: string) => problem({ ...POLICY_PACKAGE, 'keyfence.yml': `extends: "@acme/keyfence-policy"\n${repo}` });
  const at = 'node_modules/@acme/keyfence-policy/policy.yml';

  it.each([
    ['failOn: high\n', `keyfence.yml:2:9: failOn: high loosens the guardrail "failOn: medium" locked in ${at}:1:37`],
    ['failOn: { severity: critical }\n', `keyfence.yml:2:21: failOn: critical loosens the guardrail "failOn: medium" locked in ${at}:1:37`],
    ['overrides:\n  stripe-live-secret-key: { enabled: false }\n', `keyfence.yml:3:38: overrides.stripe-live-secret-key.enabled: false loosens the guardrail "stripe-live-secret-key" locked in ${at}:4:37`],
    ['overrides:\n  prod-host: { severity: high }\n', `keyfence.yml:3:26: overrides.prod-host.severity: high loosens the guardrail "prod-host" (at least critical) locked in ${at}:5:44`],
    ['overrides:\n  stripe-live-secret-key: { severity: medium }\n', `keyfence.yml:3:39: overrides.stripe-live-secret-key.severity: medium loosens the guardrail "stripe-live-secret-key" (at least critical) locked in ${at}:4:37`],
    ['policy:\n  test:\n    rules: { prod-host: { enabled: false } }\n', `keyfence.yml:4:36: policy.test.rules.prod-host.enabled: false loosens the guardrail "prod-host" locked in ${at}:5:44`],
    ['policy:\n  production: { minSeverity: medium }\n', `keyfence.yml:3:30: policy.production.minSeverity: medium loosens the guardrail "policy.production" (minSeverity high) locked in ${at}:7:44`],
    ['policy:\n  production:\n    rules: { echo-leak: { enabled: false } }\n', `keyfence.yml:4:36: policy.production.rules.echo-leak.enabled: false loosens the guardrail "policy.production" locked in ${at}:7:44`],
    ['allow:\n  - rules: [echo-leak, prod-host]\n    paths: [docs/**]\n', `keyfence.yml:3:12: an allow entry for "prod-host" loosens the guardrail "prod-host" locked in ${at}:5:44`],
    ['allow:\n  - rules: [custom-rule]\n    paths: [x]\nrules:\n  - { id: prod-host, description: mine, category: prod-host, severity: low, keywords: [prod], regex: "prod" }\n', `keyfence.yml:6:5: a custom rule with the id "prod-host" loosens the guardrail "prod-host" locked in ${at}:5:44`],
    ['requireReason: false\n', `keyfence.yml:2:16: requireReason: false loosens the guardrail "requireReason: true" locked in ${at}:10:39`],
  ])('%j', (repo, message) => {
    expect(locked(repo)).toBe(message);
  });

  it('rejects an allow entry for every rule, with a hint', () => {
    let error: UserError | undefined;
    try {
      load({ ...POLICY_PACKAGE, 'keyfence.yml': 'extends: "@acme/keyfence-policy"\nallow:\n  - paths: [vendor/**]\n' });
    } catch (e) {
      error = e as UserError;
    }
    expect(error?.message).toBe(`keyfence.yml:3:5: this allow entry applies to every rule, so it would silence the locked guardrail "stripe-live-secret-key" (locked in ${at}:4:37)`);
    expect(error?.hint).toMatch(/list the rules it is for with `rules:`/);
  });

  it('lets a repository tighten what is locked', () => {
    const config = load({
      ...POLICY_PACKAGE,
      'keyfence.yml':
        'extends: "@acme/keyfence-policy"\nfailOn: low\noverrides:\n  stripe-live-secret-key: { severity: critical }\n  echo-leak: { enabled: false }\npolicy:\n  production: { minSeverity: critical }\nallow:\n  - rules: [echo-leak]\n    paths: [x/**]\n    reason: ok\n',
    });
    expect(config.failOn).toBe('low');
    expect(config.policy.production?.minSeverity).toBe('critical');
  });

  it('locks the test-data policy: a repository may block on generic secrets in tests, never hide them further', () => {
    const org = 'org.yml';
    const files = (repo: string) => ({ [org]: 'policy:\n  test: { genericSecrets: medium, locked: true }\n  docs: { locked: true }\n', 'keyfence.yml': `extends: ./${org}\n${repo}` });
    expect(load(files('policy:\n  test: { genericSecrets: critical }\n')).policy.test?.genericSecrets).toBe('critical');
    expect(problem(files('policy:\n  test: { genericSecrets: low }\n'))).toBe('keyfence.yml:3:27: policy.test.genericSecrets: low loosens the guardrail "policy.test" (genericSecrets medium) locked in org.yml:2:43');
    // A locked scope without a setting locks the default.
    expect(load(files('policy:\n  docs: { genericSecrets: high }\n')).origins['policy.docs.genericSecrets']).toBe('keyfence.yml:3:27');
  });

  it('locks environments when the policy says so', () => {
    expect(
      problem({
        'org.yml': 'environments:\n  locked: true\n  production: [deploy/**]\n',
        'keyfence.yml': 'extends: ./org.yml\nenvironments:\n  test: ["**"]\n',
      }),
    ).toBe('keyfence.yml:3:3: `environments` loosens the guardrail "environments" (how files map to environments) locked in org.yml:2:11');
  });
});

describe('a malformed config is an error with file, line and column', () => {
  it.each([
    ['failOn: [high\n', /^keyfence\.yml:2:1: /],
    ['failOn: high\nfailOn: low\n', /^keyfence\.yml:2:1: Map keys must be unique/],
    ['fail_on: high\n', /^keyfence\.yml:1:1: unknown setting "fail_on" in the config$/],
    ['failOn: 3\n', /^keyfence\.yml:1:9: failOn must be one of critical, high, medium, low, none$/],
    ['failOn: { severity: high, lock: true }\n', /^keyfence\.yml:1:27: unknown setting "lock" in failOn$/],
    ['maxFileSize: -1\n', /^keyfence\.yml:1:14: maxFileSize must be a positive whole number of bytes$/],
    ['environments:\n  prod: [deploy/**]\n', /^keyfence\.yml:2:3: unknown environment "prod" in environments$/],
    ['environments:\n  production: [1]\n', /^keyfence\.yml:2:16: every entry of environments\.production must be a non-empty string$/],
    ['policy:\n  staging: { minSeverity: severe }\n', /^keyfence\.yml:2:27: policy\.staging\.minSeverity must be one of/],
    ['policy:\n  staging: { floor: high }\n', /^keyfence\.yml:2:14: unknown setting "floor" in policy\.staging$/],
    ['policy:\n  documentation: { genericSecrets: high }\n', /^keyfence\.yml:2:3: unknown environment "documentation" in policy$/],
    ['policy:\n  docs: { genericSecrets: none }\n', /^keyfence\.yml:2:27: policy\.docs\.genericSecrets must be one of/],
    ['overrides:\n  prod-host: { enabled: "no" }\n', /^keyfence\.yml:2:25: overrides\.prod-host\.enabled must be true or false$/],
    ['overrides:\n  prod-hosts: { enabled: false }\n', /^keyfence\.yml:2:3: overrides\.prod-hosts: there is no rule "prod-hosts"$/],
    ['allow:\n  - reason: nothing\n', /^keyfence\.yml:2:5: an allow entry needs at least one of rules, paths, secrets, lines or stopwords$/],
    ['allow:\n  - secrets: ["(unclosed"]\n', /^keyfence\.yml:2:14: allow\.secrets "\(unclosed" is not a valid regular expression/],
    ['allow:\n  - rules: [prod-hots]\n', /^keyfence\.yml:2:12: allow\.rules: there is no rule "prod-hots"$/],
    ['productionDomains: ["https://acme.com"]\n', /^keyfence\.yml:1:21: productionDomains: "https:\/\/acme\.com" is not a hostname$/],
    ['rules:\n  - id: acme-key\n    severty: high\n', /^keyfence\.yml:3:5: unknown setting "severty" in a rule$/],
    ['extends: 42\n', /^keyfence\.yml:1:10: extends \(a path or an npm package\) must be a non-empty string$/],
    ['- just a list\n', /^keyfence\.yml:1:1: the config must be a mapping$/],
  ])('%j', (text, message) => {
    expect(problem({ 'keyfence.yml': text })).toMatch(message);
  });

  it('a custom rule is compiled by the engine, which names its place in the file', async () => {
    const config = load({ 'keyfence.yml': 'rules:\n  - id: acme-key\n    description: ACME\n    category: live-key\n    severity: high\n    keywords: [acme_]\n' });
    await expect(createEngine(config)).rejects.toThrow(/^keyfence\.yml:2:5 \(rule acme-key\): `regex` is required \(or `path`, for a rule that reports files by name\)$/);
    await expect(createEngine(config)).rejects.toBeInstanceOf(UserError);
  });

  it('names the extended file when the error is there', () => {
    expect(problem({ 'org/policy.yml': 'overrides:\n  prod-host: { severity: urgent }\n', 'keyfence.yml': 'extends: ./org/policy.yml\n' })).toMatch(/^org\/policy\.yml:2:26: /);
  });

  it('exits 2 with one line naming file, line and column', () => {
    dir = tempDir('keyfence-config-');
    dir.write('keyfence.yml', 'failOn: high\npolicy:\n  production: { minSeverity: extreme }\n');
    const result = runCli(['scan', '--no-git'], dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('keyfence: keyfence.yml:3:30: policy.production.minSeverity must be one of critical, high, medium, low');
    const config = runCli(['config'], dir.path);
    expect(config.code).toBe(2);
    expect(config.stderr.split('\n')[0]).toBe(result.stderr.split('\n')[0]);
  });
});
