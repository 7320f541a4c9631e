import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { toReport } from '../../src/findings/redact.js';
import { FINGERPRINT_KEY, renderSarif } from '../../src/reporters/sarif.js';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, testToken } from '../support/customRules.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { context, sampleReport, scanStats } from './sample.js';

/**
 * The official SARIF 2.1.0 schema (the OASIS standard's, rtm.5), as Microsoft's SARIF SDK team
 * ships it in @microsoft/jest-sarif: read from node_modules, never fetched.
 */
const require = createRequire(import.meta.url);
// CommonJS packages: `require` gives their class and plugin function on every loader.
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const schemaPath = require.resolve('@microsoft/jest-sarif/package.json').replace(/package\.json$/, 'lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// unicodeRegExp off: rtm.5's `language` pattern has a stray `]` that only the `u` flag rejects.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

function render(report = sampleReport()): Json {
  return JSON.parse(renderSarif(report, context()));
}

describe('sarif reporter', () => {
  it('uses the official 2.1.0 schema', () => {
    expect(schema.title).toMatch(/SARIF\) Version 2\.1\.0/);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: {} }] }] })).toBe(false);
  });

  it('passes schema validation, with findings and without', () => {
    for (const report of [sampleReport(), sampleReport(true), toReport([], scanStats(), [], false)]) {
      const log = JSON.parse(renderSarif(report, context()));
      const ok = validate(log);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('describes every rule that ran, with help, a doc link and GitHub\'s security-severity', () => {
    const { rules } = render().runs[0].tool.driver;
    expect(rules.map((r: Json) => r.id)).toEqual([
      'stripe-live-secret-key',
      'aws-access-key-id',
      'generic-password',
      'unused-rule',
      // Findings of rules the context did not describe still get a descriptor.
      'untrusted-checkout',
      'private-key',
      // And rules that only the change's suppressions name.
      'slack-bot-token',
      'generic-api-key',
    ]);
    const stripe = rules[0];
    expect(stripe).toMatchObject({
      name: 'StripeLiveSecretKey',
      shortDescription: { text: 'Stripe live secret key' },
      helpUri: 'https://example.com/docs/rules/stripe.md#stripe-live-secret-key',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', tags: expect.arrayContaining(['security', 'secret', 'live-key', 'external/cwe/cwe-798']) },
    });
    expect(stripe.fullDescription.text).toMatch(/^Stripe live secret key\. A provider credential/);
    expect(stripe.help.text).toContain('keyfence:allow[stripe-live-secret-key]');
    expect(stripe.help.markdown).toContain('[Documentation](https://example.com/docs/rules/stripe.md#stripe-live-secret-key)');
    expect(rules.map((r: Json) => r.properties['security-severity'])).toEqual(['9.5', '8.0', '5.5', '2.0', '2.0', '8.0', '8.0', '5.5']);
    expect(rules[4].help.text).toContain('keyfence: ignore[untrusted-checkout]');
  });

  it('maps severity to level, and points each result at its rule, place and fingerprint', () => {
    const run = render().runs[0];
    const rules = run.tool.driver.rules;
    expect(run.columnKind).toBe('utf16CodeUnits');
    for (const r of run.results) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
    const byRule = Object.fromEntries(run.results.map((r: Json) => [r.ruleId, r]));
    expect(Object.fromEntries(Object.entries(byRule).map(([k, r]) => [k, (r as Json).level]))).toEqual({
      'stripe-live-secret-key': 'error',
      'aws-access-key-id': 'error',
      'generic-password': 'warning',
      'private-key': 'error',
      'untrusted-checkout': 'note',
      'slack-bot-token': 'error',
      'generic-api-key': 'warning',
    });
    expect(byRule['stripe-live-secret-key'].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'config/.env.development' }, region: { startLine: 3, startColumn: 19, endLine: 3, endColumn: 19 + 32 } } },
    ]);
    // Paths are URI references: each segment percent-encoded.
    expect(byRule['aws-access-key-id'].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/prod%20%C3%A9%2C%20%22x%22.env');
    expect(byRule['aws-access-key-id'].properties).toMatchObject({ commit: 'c0ffee'.repeat(6) + 'abcd', author: 'Dev, Eloper <dev@example.com>' });
    expect(byRule['private-key'].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 4, endColumn: 30 });
    expect(byRule['untrusted-checkout'].relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: '.github/workflows/ci.yml' }, region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 22 } },
        message: { text: 'this trigger' },
      },
    ]);
    expect(byRule['stripe-live-secret-key'].message.text).toMatch(/^Stripe live secret key: sk_live_…[A-Za-z0-9]{4} \(development file\)$/);
  });

  it('reports what the change suppressed as results suppressed in source, justified by the reason or else the marker', () => {
    const results = render().runs[0].results as Json[];
    const suppressed = results.filter((r) => r.suppressions);
    expect(results.slice(0, 5).every((r) => r.suppressions === undefined)).toBe(true);
    expect(suppressed.map((r) => [r.ruleId, r.suppressions, r.properties.marker])).toEqual([
      ['slack-bot-token', [{ kind: 'inSource', status: 'accepted', justification: 'recorded `reply` | token revoked' }], 'keyfence:allow[slack-bot-token]'],
      ['generic-api-key', [{ kind: 'inSource', status: 'accepted', justification: 'gitleaks:allow' }], 'gitleaks:allow'],
    ]);
    expect(suppressed[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'test/fixtures/slack%20reply.json' },
      region: { startLine: 2, startColumn: 14, endLine: 2, endColumn: 14 + 54 },
    });
  });

  it('carries the notes as tool notifications', () => {
    const invocation = render().runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications.map((n: Json) => n.message.text)).toEqual(['1 file skipped, binary: logo.png', 'note with | pipe, 50% and: colon']);
  });
});

describe('sarif from the CLI', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('passes schema validation and links built-in rules to their doc section', () => {
    dir = tempDir();
    dir.write('keyfence.yml', CUSTOM_RULES);
    dir.write('config dir/app.env', `A=${testToken()}\n`);
    const result = runCli(['scan', '--format', 'sarif'], dir.path);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = log.runs[0];
    expect(run.results.map((r: Json) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([['kf-test-token', 'config%20dir/app.env']]);
    const rules = run.tool.driver.rules as Json[];
    expect(rules.find((r) => r.id === 'kf-test-token').helpUri).toBeUndefined();
    for (const r of rules.filter((r) => r.helpUri))
      expect(r.helpUri).toMatch(new RegExp(`^https://github\\.com/keyfence/keyfence/blob/main/docs/rules/[\\w.-]+\\.md#${r.id}$`));
  });
});
