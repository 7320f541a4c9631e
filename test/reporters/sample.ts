import { randomBytes } from 'node:crypto';
import { fingerprint } from '../../src/findings/fingerprint.js';
import type { ChangeSuppression, Finding, Report, ScanStats } from '../../src/findings/finding.js';
import { toReport } from '../../src/findings/redact.js';
import type { RenderContext, RuleInfo } from '../../src/reporters/reporter.js';

const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');

/** Secrets of several shapes, made at run time: nothing token-shaped is committed. */
export function sampleSecrets() {
  return {
    stripe: ['sk', 'live', alnum(24)].join('_'),
    aws: ['AK', 'IA', alnum(16).toUpperCase()].join(''),
    password: alnum(10),
    pem: ['-----BEGIN', 'PRIVATE KEY-----'].join(' ') + `\n${alnum(64)}\n${alnum(64)}\n` + ['-----END', 'PRIVATE KEY-----'].join(' '),
    /** Silenced by the change (suppressedByChange): masked like the findings all the same. */
    slack: ['xoxb', '1'.repeat(11), '2'.repeat(12), alnum(24)].join('-'),
    apiKey: alnum(32),
  };
}

function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'file' | 'secret'>): Finding {
  const line = over.line ?? 1;
  const column = over.column ?? 1;
  return {
    category: 'live-key',
    severity: 'critical',
    message: over.ruleId,
    line,
    column,
    endLine: line,
    endColumn: column + over.secret.length,
    environment: 'development',
    fingerprint: fingerprint(over.ruleId, over.file, over.secret || 'x', over.secret !== ''),
    lineText: `X=${over.secret}`,
    ...over,
  };
}

/** Findings of every kind a report carries, before masking: also awkward paths and messages. */
export function sampleFindings(secrets = sampleSecrets()): Finding[] {
  return [
    finding({ ruleId: 'stripe-live-secret-key', message: 'Stripe live secret key', file: 'config/.env.development', line: 3, column: 19, secret: secrets.stripe }),
    finding({
      ruleId: 'aws-access-key-id',
      severity: 'high',
      message: 'AWS access key ID',
      file: 'deploy/prod é, "x".env',
      line: 7,
      column: 5,
      environment: 'production',
      secret: secrets.aws,
      commit: { sha: 'c0ffee'.repeat(6) + 'abcd', author: 'Dev, Eloper <dev@example.com>', date: '2026-01-02T03:04:05Z' },
    }),
    finding({
      ruleId: 'generic-password',
      category: 'generic-secret',
      severity: 'medium',
      message: 'Password | in "config": 100% <b>real</b>\nsecond line',
      file: 'src/db|conn.ts',
      line: 12,
      column: 20,
      environment: 'test',
      secret: secrets.password,
      related: [{ file: 'src/other.ts', line: 4, column: 2, endLine: 4, endColumn: 12, label: 'also in production' }],
    }),
    finding({
      ruleId: 'private-key',
      category: 'generic-secret',
      severity: 'high',
      message: 'Private key',
      file: 'keys/id_rsa',
      line: 1,
      column: 1,
      endLine: 4,
      endColumn: 30,
      environment: 'unknown',
      secret: secrets.pem,
    }),
    finding({
      ruleId: 'untrusted-checkout',
      category: 'workflow',
      severity: 'low',
      message: 'checks out the head of a fork pull request, with: ref: ${{ github.event.pull_request.head.sha }}',
      file: '.github/workflows/ci.yml',
      line: 20,
      column: 9,
      endColumn: 40,
      environment: 'ci',
      secret: '',
      related: [{ file: '.github/workflows/ci.yml', line: 3, column: 3, endLine: 3, endColumn: 22, label: 'this trigger' }],
    }),
  ];
}

/** Scan statistics: nothing scanned, skipped or suppressed, but for what `over` sets. */
export const scanStats = (over: Partial<ScanStats> = {}): ScanStats => ({
  files: 0,
  bytes: 0,
  commits: 0,
  durationMs: 0,
  skipped: 0,
  suppressed: { inline: 0, allow: 0, baseline: 0 },
  ...over,
});

/** A finding silenced by a marker the change added, masked as toReport masks findings. */
export function changeSuppression(f: Finding, marker: string, reason: string, showSecrets = false): ChangeSuppression {
  return { ...toReport([f], scanStats(), [], showSecrets).findings[0]!, marker, reason };
}

/** What a pull request silenced with markers it added: one with a reason, one without. */
export function sampleSuppressions(showSecrets = false, secrets = sampleSecrets()): ChangeSuppression[] {
  const slack = finding({
    ruleId: 'slack-bot-token',
    severity: 'high',
    message: 'Slack bot token',
    file: 'test/fixtures/slack reply.json',
    line: 2,
    column: 14,
    environment: 'test',
    secret: secrets.slack,
    commit: { sha: 'c0ffee'.repeat(6) + 'abcd', author: 'Dev, Eloper <dev@example.com>', date: '2026-01-02T03:04:05Z' },
  });
  const apiKey = finding({ ruleId: 'generic-api-key', category: 'generic-secret', severity: 'medium', message: 'Generic API key', file: 'docs/setup.md', line: 30, column: 9, environment: 'unknown', secret: secrets.apiKey });
  return [
    changeSuppression(slack, 'keyfence:allow[slack-bot-token]', 'recorded `reply` | token revoked', showSecrets),
    changeSuppression(apiKey, 'gitleaks:allow', '', showSecrets),
  ];
}

/** A pull-request report: findings, notes and what the change suppressed. */
export function sampleReport(showSecrets = false, secrets = sampleSecrets()): Report {
  const notes = ['1 file skipped, binary: logo.png', 'note with | pipe, 50% and: colon'];
  return {
    ...toReport(sampleFindings(secrets), scanStats({ files: 12, bytes: 3456, durationMs: 42 }), notes, showSecrets),
    suppressedByChange: sampleSuppressions(showSecrets, secrets),
  };
}

const SAMPLE_RULES: RuleInfo[] = [
  { id: 'stripe-live-secret-key', description: 'Stripe live secret key', category: 'live-key', severity: 'critical', helpUri: 'https://example.com/docs/rules/stripe.md#stripe-live-secret-key' },
  { id: 'aws-access-key-id', description: 'AWS access key ID', category: 'live-key', severity: 'high', helpUri: 'https://example.com/docs/rules/aws.md#aws-access-key-id' },
  { id: 'generic-password', description: 'Password assignment', category: 'generic-secret', severity: 'medium' },
  { id: 'unused-rule', description: 'A rule that found nothing', category: 'live-key', severity: 'low' },
];

export const context = (over: Partial<RenderContext> = {}): RenderContext => ({ color: false, rules: SAMPLE_RULES, ...over });
