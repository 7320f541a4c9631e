import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { CATEGORIES, ENVIRONMENTS, SEVERITIES, type Finding, type Report } from '../../src/findings/finding.js';
import { toReport } from '../../src/findings/redact.js';
import { loadReporter } from '../../src/reporters/reporter.js';
import { context, sampleReport } from '../reporters/sample.js';
import { assertJsonReport, REPORT_SCHEMA, reportValidator, writesJsonReport } from '../support/cli.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const schema = JSON.parse(readFileSync(REPORT_SCHEMA, 'utf8')) as Json;
const validate = reportValidator();

/** ajv's verdict, reduced to what the assertions compare exactly. */
function check(report: unknown): { valid: boolean; errors: Array<Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>> } {
  const valid = validate(report);
  return { valid, errors: (validate.errors ?? []).map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params })) };
}

/** The stats every report carries once suppressions and skips are counted. */
const STATS = { files: 12, bytes: 3456, commits: 0, durationMs: 42, skipped: 1, suppressed: { inline: 2, allow: 1, baseline: 0 } };

/** The sample report of the reporter tests, rendered by the real JSON reporter and parsed back. */
async function rendered(showSecrets = false): Promise<Json> {
  const stats = { ...STATS };
  const report: Report = { ...sampleReport(showSecrets), stats };
  return JSON.parse((await loadReporter('json'))(report, context()));
}

/** A report written by hand with every optional field, for the schema alone. */
function handMade(): Json {
  const sha = 'ab12'.repeat(10);
  return {
    version: 1,
    tool: { name: 'keyfence', version: '0.1.0' },
    findings: [
      {
        ruleId: 'env-crossover',
        category: 'env-crossover',
        severity: 'high',
        message: 'One secret value is used in development and production files',
        file: 'config/.env.development',
        line: 3,
        column: 12,
        endLine: 3,
        endColumn: 44,
        environment: 'development',
        secret: '',
        fingerprint: '6803a8065021784fe2fb1023898f22a8',
        commit: sha,
        author: 'Dev <dev@example.com>',
        date: '2026-11-02T10:00:00Z',
        related: [{ file: 'config/.env.production', line: 1, column: 12, endLine: 1, endColumn: 44, label: 'also in production', commit: { sha, author: 'Dev <dev@example.com>', date: '2026-11-02T10:00:00Z' } }],
      },
      {
        ruleId: 'stripe-live-secret-key',
        category: 'live-key',
        severity: 'critical',
        message: 'Stripe live secret key',
        file: 'config/.env.production',
        line: 1,
        column: 12,
        endLine: 1,
        endColumn: 44,
        environment: 'production',
        secret: 'sk_live_…Qv9a',
        fingerprint: '053023d59bd6dc2e63c69930d7168b9a',
        verification: { status: 'live', identity: 'acct_1Example', checkedAt: '2026-11-02T10:00:01Z' },
      },
      {
        ruleId: 'protected-variables',
        category: 'gitlab-settings',
        severity: 'medium',
        message: 'a CI/CD variable is not protected',
        file: '.gitlab-ci.yml',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        environment: 'ci',
        secret: '',
        fingerprint: '0123456789abcdef0123456789abcdef',
      },
    ],
    suppressedByChange: [
      {
        ruleId: 'policy-loosened',
        category: 'policy',
        severity: 'low',
        message: 'allow entry added for `config/**`',
        file: 'keyfence.yml',
        line: 4,
        column: 3,
        endLine: 4,
        endColumn: 20,
        environment: 'unknown',
        secret: '',
        fingerprint: 'fedcba9876543210fedcba9876543210',
        commit: sha,
        author: 'Dev <dev@example.com>',
        date: '2026-11-02T10:00:00Z',
        marker: 'keyfence:allow[policy-loosened]',
        reason: 'the fixtures moved to config/',
      },
    ],
    stats: { files: 120, bytes: 5242880, commits: 7, durationMs: 84, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 3 } },
    notes: ['1 file skipped, binary: logo.png'],
  };
}

describe('schema/report.schema.json', () => {
  it('accepts what the JSON reporter renders', async () => {
    for (const showSecrets of [false, true]) {
      const report = await rendered(showSecrets);
      expect(report.findings).toHaveLength(5);
      expect(check(report)).toEqual({ valid: true, errors: [] });
    }
  });

  it("accepts a path rule's finding: a key store at line 1, with no value", async () => {
    const keyStore: Finding = {
      ruleId: 'java-key-store',
      category: 'generic-secret',
      severity: 'high',
      message: 'Java key store',
      file: 'android/app/release.keystore',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      environment: 'unknown',
      secret: '',
      fingerprint: fingerprint('java-key-store', 'android/app/release.keystore', 'file', false),
      commit: { sha: 'ab12'.repeat(10), author: 'Dev <dev@example.com>', date: '2026-11-02T10:00:00Z' },
    };
    for (const showSecrets of [false, true]) {
      const report = JSON.parse((await loadReporter('json'))(toReport([keyStore], STATS, [], showSecrets), context()));
      expect(report.findings[0]).toMatchObject({ ruleId: 'java-key-store', line: 1, secret: '' });
      expect(check(report)).toEqual({ valid: true, errors: [] });
    }
  });

  it('accepts a report with every optional field', () => {
    expect(check(handMade())).toEqual({ valid: true, errors: [] });
  });

  it('rejects a finding carrying a field nobody reviewed', async () => {
    const report = await rendered();
    report.findings[2].lineText = `password=${report.findings[2].secret}`;
    expect(check(report)).toEqual({
      valid: false,
      errors: [{ instancePath: '/findings/2', keyword: 'additionalProperties', params: { additionalProperty: 'lineText' } }],
    });
  });

  it('accepts what the change suppressed, and holds marker and reason to it', async () => {
    const report = await rendered();
    expect(report.suppressedByChange.map((s: Json) => [s.ruleId, s.marker, s.reason])).toEqual([
      ['slack-bot-token', 'keyfence:allow[slack-bot-token]', 'recorded `reply` | token revoked'],
      ['generic-api-key', 'gitleaks:allow', ''],
    ]);
    report.findings[0].marker = 'gitleaks:allow';
    delete report.suppressedByChange[1].reason;
    expect(check(report)).toEqual({
      valid: false,
      errors: [
        { instancePath: '/findings/0', keyword: 'not', params: {} },
        { instancePath: '/suppressedByChange/1', keyword: 'required', params: { missingProperty: 'reason' } },
      ],
    });
  });

  it('rejects a report without stats.suppressed', async () => {
    const report = await rendered();
    delete report.stats.suppressed;
    expect(check(report)).toEqual({
      valid: false,
      errors: [{ instancePath: '/stats', keyword: 'required', params: { missingProperty: 'suppressed' } }],
    });
  });

  it('rejects a commit without its author and date, and 0-based positions', () => {
    const report = handMade();
    delete report.findings[0].author;
    delete report.findings[0].date;
    report.findings[1].column = 0;
    expect(check(report)).toEqual({
      valid: false,
      errors: [
        { instancePath: '/findings/0', keyword: 'dependencies', params: { property: 'commit', missingProperty: 'author', depsCount: 2, deps: 'author, date' } },
        { instancePath: '/findings/0', keyword: 'dependencies', params: { property: 'commit', missingProperty: 'date', depsCount: 2, deps: 'author, date' } },
        { instancePath: '/findings/1/column', keyword: 'minimum', params: { comparison: '>=', limit: 1 } },
      ],
    });
  });

  it('names the vocabulary of src/findings/finding.ts and the public interface', () => {
    expect(schema.definitions.severity.enum).toEqual([...SEVERITIES]);
    expect(schema.definitions.environment.enum).toEqual([...ENVIRONMENTS]);
    expect(CATEGORIES.filter((c) => !schema.definitions.category.enum.includes(c))).toEqual([]);
    expect(schema.definitions.category.enum).toEqual(['live-key', 'generic-secret', 'prod-host', 'env-crossover', 'fixture', 'echo-leak', 'workflow', 'github-settings', 'gitlab-settings', 'policy', 'prod-data']);
  });

  it('describes every property', () => {
    const undescribed: string[] = [];
    const walk = (node: Json, path: string) => {
      for (const [name, sub] of Object.entries<Json>(node.properties ?? {})) {
        const target = sub.$ref ? schema.definitions[sub.$ref.replace('#/definitions/', '')] : sub;
        if (!sub.description && !target.description) undescribed.push(`${path}.${name}`);
        if (!sub.$ref) walk(sub, `${path}.${name}`);
      }
    };
    walk(schema, '');
    for (const [name, definition] of Object.entries<Json>(schema.definitions)) walk(definition, `#${name}`);
    expect(undescribed).toEqual([]);
  });
});

describe('runCli validates the JSON reports it sees', () => {
  it('knows which runs write the report to stdout', () => {
    const cases: Array<[string[], boolean]> = [
      [['scan', '--format', 'json'], true],
      [['scan', '--format=json', 'src'], true],
      [['history', '-f', 'json', '--since', '2020-01-01'], true],
      [['diff', 'a..b', '-fjson'], true],
      [['scan', '--format', 'json', '--format', 'text'], false],
      [['scan', '--format', 'json', '--output', 'report.json'], false],
      [['scan', '--format', 'json', '-o', 'report.json'], false],
      [['scan', '--format', 'json', '--help'], false],
      [['rules', '--format', 'json'], false],
      [['config', '--format', 'json'], false],
      [['report', 'merge', 'shards', '--format', 'json'], true],
      [['report', 'diff', 'old.json', 'new.json', '--format', 'json'], false],
      [['scan'], false],
      [['--help'], false],
    ];
    expect(cases.map(([args]) => [args, writesJsonReport(args)])).toEqual(cases);
  });

  it('throws naming the command and what is wrong', async () => {
    const report = await rendered();
    delete report.stats.suppressed;
    const result = { code: 1, stdout: JSON.stringify(report), stderr: '' };
    expect(() => assertJsonReport('keyfence scan --format json', result)).toThrow(
      'keyfence scan --format json (exit 1): the JSON report does not match schema/report.schema.json:\n  /stats must have required property \'suppressed\' {"missingProperty":"suppressed"}',
    );
    expect(() => assertJsonReport('keyfence scan --format json', { ...result, stdout: 'not json' })).toThrow(/^keyfence scan --format json \(exit 1\): stdout is not a JSON report/);
  });
});
