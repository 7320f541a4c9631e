import { describe, expect, it, vi } from 'vitest';
import { fake } from '../support/secrets.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { brief, engineWith, scanFiles } from './engineSupport.js';

// Parse the rule pack once for the whole file: every test builds its own engine.
vi.mock('../../src/rules/builtinRules.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rules/builtinRules.js')>();
  const rules = original.loadBuiltinRules();
  return { ...original, loadBuiltinRules: () => rules };
});

const random = seededRandom('policy-tests');
const aws = () => ['AK', 'IA', randomString(random, 'uppernum', 16)].join('');

describe('the policy stage: key modes by environment', () => {
  const engine = engineWith();
  const live = fake.stripeLive();
  const test = fake.stripeTest();
  const key = aws();
  const findings = scanFiles(engine, {
    '.env.development': `STRIPE_SECRET_KEY=${live}\n`,
    '.env.staging': `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`,
    '.env.production': `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`,
    'config/production.json': `{ "stripeKey": "${test}" }\n`,
    '.env.test': `STRIPE_SECRET_KEY=${fake.stripeTest()}\n`,
    'test/checkout.test.js': `const key = '${fake.stripeLive()}';\n`,
    'test/fixtures/charge.json': `{ "live": "${fake.stripeLive()}", "test": "${fake.stripeTest()}", "aws": "${key}" }\n`,
    'src/payments.js': `const stripe = new Stripe('${fake.stripeLive()}');\n`,
  });

  it('re-categorises without changing the rule id', () => {
    expect(findings.map(brief).sort()).toEqual([
      // live key where test-mode keys belong
      '.env.development:1 stripe-live-secret-key development env-crossover critical',
      '.env.production:1 stripe-live-secret-key production live-key critical',
      '.env.staging:1 stripe-live-secret-key staging live-key critical',
      // a test key where only test keys belong is still a committed credential
      '.env.test:1 stripe-test-secret-key test live-key low',
      // production running against a test account
      'config/production.json:1 stripe-test-secret-key production env-crossover medium',
      'src/payments.js:1 stripe-live-secret-key unknown live-key critical',
      'test/checkout.test.js:1 stripe-live-secret-key test env-crossover critical',
      // live credentials in test data are fixture findings; test keys there are fine
      'test/fixtures/charge.json:1 aws-access-key-id test fixture critical',
      'test/fixtures/charge.json:1 stripe-live-secret-key test fixture critical',
    ].sort());
  });

  it('says why in the message', () => {
    const dev = findings.find((f) => f.file === '.env.development')!;
    expect(dev.message).toBe('Stripe live secret key in a development file: development must use test-mode keys');
    expect(dev.secret).toBe(live);
    const prod = findings.find((f) => f.file === 'config/production.json')!;
    expect(prod.message).toBe('Stripe test key (sk_test_) in production config: production would run against a test account');
    const fixture = findings.find((f) => f.ruleId === 'aws-access-key-id')!;
    expect(fixture.message).toMatch(/in a test fixture/);
  });
});

describe('the policy stage: test data and documentation examples', () => {
  const files = (password: string, live: string) => ({
    'test/db.test.js': `const DB_PASSWORD = "${password}";\n`,
    'test/fixtures/users.json': `{ "password": "${password}" }\n`,
    '.env.test': `DB_PASSWORD=${password}\n`,
    'docs/setup.md': `DB_PASSWORD=${password}\n`,
    'examples/app.py': `password = "${password}"\n`,
    'src/db.js': `const DB_PASSWORD = "${password}";\n`,
    'test/billing.test.js': `const key = '${live}';\n`,
    'README.md': `STRIPE_SECRET_KEY=${live}\n`,
  });

  it('reports generic secrets in tests and docs at low, and keeps live provider keys blocking', () => {
    const findings = scanFiles(engineWith(), files(fake.password(), fake.stripeLive()));
    expect(findings.map(brief).sort()).toEqual([
      '.env.test:1 generic-password test generic-secret low',
      'README.md:1 stripe-live-secret-key unknown live-key critical',
      'docs/setup.md:1 generic-password unknown generic-secret low',
      'examples/app.py:1 generic-password unknown generic-secret low',
      'src/db.js:1 generic-password unknown generic-secret high',
      'test/billing.test.js:1 stripe-live-secret-key test env-crossover critical',
      'test/db.test.js:1 generic-password test generic-secret low',
      'test/fixtures/users.json:1 generic-password test generic-secret low',
    ].sort());
    const doc = findings.find((f) => f.file === 'docs/setup.md')!;
    expect(doc.message).toBe('Hard-coded password in documentation: an example to readers, so low (policy.docs.genericSecrets)');
    const test = findings.find((f) => f.file === 'test/db.test.js')!;
    expect(test.message).toBe('Hard-coded password in a test file: test data, so low (policy.test.genericSecrets)');
  });

  it('is tightened per scope in keyfence.yml', () => {
    const engine = engineWith({ policy: { test: { genericSecrets: 'critical' }, docs: { genericSecrets: 'medium' } } });
    const findings = scanFiles(engine, files(fake.password(), fake.stripeLive())).filter((f) => f.category === 'generic-secret');
    expect(findings.map(brief).sort()).toEqual([
      '.env.test:1 generic-password test generic-secret high',
      'docs/setup.md:1 generic-password unknown generic-secret medium',
      'examples/app.py:1 generic-password unknown generic-secret medium',
      'src/db.js:1 generic-password unknown generic-secret high',
      'test/db.test.js:1 generic-password test generic-secret high',
      'test/fixtures/users.json:1 generic-password test generic-secret high',
    ].sort());
  });
});

describe('the policy stage: configured policies', () => {
  it('raises findings to an environment floor and switches rules per environment', () => {
    const engine = engineWith({
      policy: {
        production: { minSeverity: 'high' },
        development: { rules: { 'stripe-test-secret-key': { enabled: false } } },
        staging: { rules: { 'prod-host': { severity: 'critical' } } },
      },
    });
    const findings = scanFiles(engine, {
      '.env.production': 'DEBUG=true\n',
      '.env.development': `STRIPE_SECRET_KEY=${fake.stripeTest()}\n`,
      '.env.test': `STRIPE_SECRET_KEY=${fake.stripeTest()}\n`,
      '.env.staging': 'DB_HOST=db.prod.acme.internal\n',
    });
    expect(findings.map(brief).sort()).toEqual([
      '.env.production:1 debug-in-production production echo-leak high',
      '.env.staging:1 prod-host staging prod-host critical',
      '.env.test:1 stripe-test-secret-key test live-key low',
    ]);
  });

  it('applies overrides to the engine rules too', () => {
    const engine = engineWith({ overrides: { 'env-crossover': { severity: 'critical' } } });
    const shared = fake.password();
    const findings = scanFiles(engine, { '.env.staging': `DB_PASSWORD=${shared}\n`, '.env.production': `DB_PASSWORD=${shared}\n` });
    expect(findings.filter((f) => f.ruleId === 'env-crossover').map((f) => f.severity)).toEqual(['critical']);
    expect(engine.rules.find((r) => r.id === 'env-crossover')?.spec.severity).toBe('critical');
    const off = engineWith({ overrides: { 'env-crossover': { enabled: false } } });
    expect(scanFiles(off, { '.env.staging': `DB_PASSWORD=${shared}\n`, '.env.production': `DB_PASSWORD=${shared}\n` }).filter((f) => f.ruleId === 'env-crossover')).toEqual([]);
    expect(off.rules.some((r) => r.id === 'env-crossover')).toBe(false);
  });
});

describe('prod-host', () => {
  const engine = engineWith();
  const host = 'orders-prod.cluster-c8xk2nq4w1ab.eu-west-1.rds.amazonaws.com';
  const findings = scanFiles(engine, {
    '.env.development': `DATABASE_URL=postgres://orders@${host}:5432/orders\nLIVERELOAD=http://localhost:35729/livereload.js\n`,
    '.env.production': `DATABASE_URL=postgres://orders@${host}:5432/orders\n`,
    '.env.test': `DATABASE_URL=postgres://orders@${host}:5432/orders\n`,
    'config/staging.yml': `database:\n  host: ${host}\n`,
    'test/orders.test.js': `expect(url).toBe('https://${host}/');\n`,
    'test/fixtures/recording.json': `{ "url": "https://${host}/" }\n`,
    'docs/runbook.md': `psql postgres://orders@${host}/orders\n`,
    'src/db.js': `const host = '${host}';\n`,
  });

  it('reports production hosts in development, test configuration and staging files only', () => {
    expect(findings.map(brief).sort()).toEqual([
      '.env.development:1 prod-host development prod-host high',
      '.env.test:1 prod-host test prod-host high',
      'config/staging.yml:2 prod-host staging prod-host high',
    ]);
  });
});

describe('prod-host-domain (productionDomains)', () => {
  it('reports hosts under the production domains, not other environments or e-mail addresses', () => {
    const engine = engineWith({ productionDomains: ['acme-shop.com'] });
    const findings = scanFiles(engine, {
      '.env.development': [
        'API_URL=https://api.acme-shop.com/v1',
        'SHOP_URL=https://acme-shop.com',
        'STAGING_URL=https://api.staging.acme-shop.com',
        'PREVIEW_URL=https://dev-42.acme-shop.com',
        'SUPPORT_EMAIL=support@acme-shop.com',
        'CDN=https://cdn.acme-shop.community/x.js',
        'CALLBACK=orders.acme-shop.com/callback',
      ].join('\n'),
      '.env.production': 'API_URL=https://api.acme-shop.com/v1\n',
    });
    expect(findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['1 prod-host-domain', '2 prod-host-domain', '7 prod-host-domain']);
  });

  it('is switched off with the other engine rules', () => {
    const engine = engineWith({ productionDomains: ['acme-shop.com'], overrides: { 'prod-host-domain': { enabled: false } } });
    expect(scanFiles(engine, { '.env.development': 'API_URL=https://api.acme-shop.com\n' })).toEqual([]);
  });
});

describe('environments', () => {
  it('takes configured globs first, then a declared APP_ENV, then the path', () => {
    const engine = engineWith({ environments: { production: ['deploy/live/**'], test: ['qa/**'] } });
    expect(engine.environmentOf('deploy/live/app.yml')).toBe('production');
    expect(engine.environmentOf('qa/.env.production')).toBe('test');
    expect(engine.environmentOf('.env', 'APP_ENV=staging\n')).toBe('staging');
    expect(engine.environmentOf('.env')).toBe('development');
    expect(engine.environmentOf('src/production.ts')).toBe('unknown');
    expect(engine.classify('test/fixtures/a.json')).toEqual({ environment: 'test', role: 'fixture' });
  });

  it('carries the environment on every finding, declared or given by the caller', () => {
    const engine = engineWith();
    const text = `APP_ENV=production\nSTRIPE_SECRET_KEY=${fake.stripeLive()}\n`;
    expect(engine.scan({ file: '.env', text }).map((f) => [f.environment, f.category])).toEqual([['production', 'live-key']]);
    // A staged diff holds only the added line; the caller classifies with the whole file.
    const added = { file: '.env', text: `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`, lineNumbers: [2] };
    expect(engine.scan(added).map((f) => [f.environment, f.line])).toEqual([['development', 2]]);
    expect(engine.scan(added, engine.environmentOf('.env', text)).map((f) => [f.environment, f.line])).toEqual([['production', 2]]);
  });
});
