import { describe, expect, it, vi } from 'vitest';
import { secretSettings } from '../../src/engine/crossover.js';
import { checksumToken, seededRandom } from '../support/fakeSecrets.js';
import { fake } from '../support/secrets.js';
import { brief, engineWith, scanFiles } from './engineSupport.js';

vi.mock('../../src/rules/builtinRules.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rules/builtinRules.js')>();
  const rules = original.loadBuiltinRules();
  return { ...original, loadBuiltinRules: () => rules };
});

const crossovers = (findings: ReturnType<typeof scanFiles>) => findings.filter((f) => f.ruleId === 'env-crossover');

describe('env-crossover: one value in two environments', () => {
  it('reports a shared value once, at the least protected place, with the others related and no value', () => {
    const engine = engineWith();
    const shared = fake.password();
    const findings = scanFiles(engine, {
      '.env.production': `PORT=80\nSESSION_SECRET=${shared}\n`,
      '.env.staging': `SESSION_SECRET=${shared}\n`,
      'charts/app/values-production.yaml': `session:\n  secret: "${shared}"\n`,
    });
    const [finding, ...rest] = crossovers(findings);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'env-crossover',
      category: 'env-crossover',
      severity: 'high',
      file: '.env.staging',
      line: 1,
      column: 16,
      endColumn: 16 + shared.length,
      environment: 'staging',
      secret: '',
    });
    expect(finding!.related).toEqual([
      { file: '.env.production', line: 2, column: 16, endLine: 2, endColumn: 16 + shared.length, label: 'also in production' },
      { file: 'charts/app/values-production.yaml', line: 2, column: 12, endLine: 2, endColumn: 12 + shared.length, label: 'also in production' },
    ]);
    expect(finding!.message).toBe('One secret value is used in staging and production files (.env.staging, .env.production, charts/app/values-production.yaml): give each environment its own credential');
    // lineText serves inline suppressions and is dropped by the masking stage like every finding's.
    const { lineText: _line, previousLineText: _previous, ...reported } = finding!;
    expect(JSON.stringify(reported)).not.toContain(shared);
    expect(finding!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(finding!.lineText).toBe(`SESSION_SECRET=${shared}`);
  });

  it('grades pairs: production with anything high, staging with development or test medium, development with test fine', () => {
    const engine = engineWith();
    const a = fake.password();
    const b = fake.password();
    const c = fake.password();
    const d = fake.password();
    const findings = scanFiles(engine, {
      '.env.development': `A_TOKEN=${a}\nB_TOKEN=${b}\nC_TOKEN=${c}\n`,
      '.env.test': `C_TOKEN=${c}\nD_TOKEN=${d}\n`,
      '.env.production': `A_TOKEN=${a}\n`,
      '.env.staging': `B_TOKEN=${b}\n`,
      '.github/workflows/ci.yml': `env:\n  D_TOKEN: ${d}\n`,
      'src/app.js': `const D_TOKEN = '${d}';\n`,
    });
    expect(crossovers(findings).map(brief)).toEqual(['.env.development:1 env-crossover development env-crossover high', '.env.development:2 env-crossover development env-crossover medium']);
  });

  it('compares the secrets rules find anywhere in an environment, not only settings', () => {
    const engine = engineWith();
    const key = fake.stripeLive();
    const findings = scanFiles(engine, {
      'config/production.json': `{ "payments": { "stripe": "${key}" } }\n`,
      'test/fixtures/charge.json': `{ "recordedWith": "${key}" }\n`,
    });
    expect(crossovers(findings).map((f) => [f.file, f.environment, f.related?.map((r) => r.file)])).toEqual([['test/fixtures/charge.json', 'test', ['config/production.json']]]);
  });

  it('lets environments share test-mode keys (a test key in production is the policy’s finding)', () => {
    const engine = engineWith();
    const key = fake.stripeTest();
    const findings = scanFiles(engine, { '.env.development': `STRIPE_SECRET_KEY=${key}\n`, '.env.staging': `STRIPE_SECRET_KEY=${key}\n`, '.env.production': `STRIPE_SECRET_KEY=${key}\n` });
    expect(crossovers(findings)).toEqual([]);
    expect(findings.filter((f) => f.category === 'env-crossover').map((f) => f.file)).toEqual(['.env.production']);
  });

  it('does not compare a token whose checksum fails: it cannot authenticate, so it cannot bleed', () => {
    const random = seededRandom('crossover/checksum');
    const prefix = ['ghp', ''].join('_');
    const made = checksumToken(random, prefix, 30, false);
    const real = checksumToken(random, prefix, 30);
    const files = (token: string) => ({ '.env.staging': `GITHUB_TOKEN=${token}\n`, '.env.production': `GITHUB_TOKEN=${token}\n` });
    expect(scanFiles(engineWith(), files(made)).map(brief)).toEqual([
      '.env.staging:1 github-personal-access-token staging live-key low',
      '.env.production:1 github-personal-access-token production live-key low',
    ]);
    expect(scanFiles(engineWith(), files(real)).map(brief)).toEqual([
      '.env.staging:1 github-personal-access-token staging live-key critical',
      '.env.production:1 github-personal-access-token production live-key critical',
      '.env.staging:1 env-crossover staging env-crossover high',
    ]);
  });

  it('reports values observed but not scanned only through a scanned place (staged)', () => {
    const engine = engineWith();
    const shared = fake.password();
    expect(engine.wantsObservation('.env.production')).toBe(true);
    expect(engine.wantsObservation('src/app.js')).toBe(false);
    expect(engine.wantsObservation('.github/workflows/ci.yml')).toBe(false);
    engine.observe({ file: '.env.production', text: `DB_PASSWORD=${shared}\n` });
    engine.observe({ file: 'values-staging.yaml', text: `dbPassword: ${shared}\n` });
    // The commit adds line 3 of .env.development.
    const staged = engine.scan({ file: '.env.development', text: `DB_PASSWORD=${shared}\n`, lineNumbers: [3] });
    expect(staged.filter((f) => f.ruleId === 'env-crossover')).toEqual([]);
    const [finding, ...rest] = engine.finish();
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: '.env.development', line: 3, column: 13, environment: 'development', severity: 'high' });
    expect(finding!.related?.map((r) => `${r.file}:${r.line} ${r.label}`)).toEqual(['.env.production:1 also in production', 'values-staging.yaml:1 also in staging']);

    // Observed places alone make no finding: the run reports on none of them.
    engine.observe({ file: '.env.production', text: `DB_PASSWORD=${shared}\n` });
    engine.observe({ file: '.env.staging', text: `DB_PASSWORD=${shared}\n` });
    expect(engine.finish()).toEqual([]);
  });

  it('hands a worker engine’s observations to the main engine', () => {
    const worker = engineWith();
    const main = engineWith();
    const shared = fake.password();
    worker.scan({ file: '.env.production', text: `API_TOKEN=${shared}\n` });
    main.scan({ file: '.env.staging', text: `API_TOKEN=${shared}\n` });
    const handed = worker.takeObservations();
    expect(structuredClone(handed)).toEqual(handed);
    expect(worker.finish()).toEqual([]);
    main.addObservations(handed);
    expect(main.finish().map(brief)).toEqual(['.env.staging:1 env-crossover staging env-crossover high']);
    expect(main.finish()).toEqual([]);
  });

  it('follows the primary environment’s policy', () => {
    const engine = engineWith({ policy: { staging: { rules: { 'env-crossover': { enabled: false } } }, development: { minSeverity: 'critical' } } });
    const a = fake.password();
    const b = fake.password();
    const findings = scanFiles(engine, {
      '.env.staging': `A_SECRET=${a}\n`,
      '.env.development': `B_SECRET=${b}\n`,
      '.env.production': `A_SECRET=${a}\nB_SECRET=${b}\n`,
    });
    expect(crossovers(findings).map(brief)).toEqual(['.env.development:1 env-crossover development env-crossover critical']);
  });

  it('carries the commit of the reported place in history scans', () => {
    const engine = engineWith();
    const shared = fake.password();
    const commit = { sha: 'a'.repeat(40), author: 'Dev <dev@example.com>', date: '2026-11-02T10:00:00Z' };
    engine.scan({ file: '.env.production', text: `JWT_SECRET=${shared}\n`, lineNumbers: [7], commit: { ...commit, sha: 'b'.repeat(40) } });
    engine.scan({ file: '.env.staging', text: `JWT_SECRET=${shared}\n`, lineNumbers: [2], commit });
    const [finding] = engine.finish();
    expect(finding).toMatchObject({ file: '.env.staging', line: 2, commit });
    expect(finding!.related).toEqual([expect.objectContaining({ file: '.env.production', line: 7, commit: { ...commit, sha: 'b'.repeat(40) } })]);
  });
});

describe('secretSettings: the values of secret-named settings', () => {
  const values = (text: string) => secretSettings(text).map((v) => text.slice(v.start, v.end));
  // Built at run time: no secret-looking literal is committed.
  const pw = fake.password();
  it.each([
    [`DB_PASSWORD=${pw}`, [pw]],
    [`export API_KEY="${pw}"`, [pw]],
    [`  jwtSecret: "${pw}"`, [pw]],
    [`  "clientSecret": "${pw}",`, [pw]],
    [`db_password    = "${pw}"`, [pw]],
    [`spring.datasource.password=${pw}`, [pw]],
    [`DATABASE_URL=postgres://app:${pw}@db.internal:5432/app`, [pw]],
    ['DB_PASSWORD=correcthorsebattery', ['correcthorsebattery']],
    [`SECRET_KEY_BASE=${pw}`, [pw]],
    [`DJANGO_SECRET_KEY='${pw}'`, [pw]],
    [`APP_KEY=base64:${pw}`, [`base64:${pw}`]],
    ['DATABASE_URL=postgres://app@db.internal:5432/app', []],
    ['DB_PASSWORD=${DB_PASSWORD}', []],
    ['DB_PASSWORD=changeme-now', []],
    ['DB_PASSWORD=vault:secret/data/orders#password', []],
    ['DB_PASSWORD_FILE=/run/secrets/db_password', []],
    ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', []],
    ['API_TOKEN=true', []],
    ['API_TOKEN=short', []],
    ['PUBLIC_URL=https://acme.io', []],
  ])('%s', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });
});
