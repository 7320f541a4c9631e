import { fingerprint } from '../../../src/findings/fingerprint.js';
import type { CommitInfo, Finding, Report } from '../../../src/findings/finding.js';
import { toReport } from '../../../src/findings/redact.js';
import type { SecretInventoryRow } from '../../../src/findings/secretInventory.js';
import type { RenderContext, RuleInfo } from '../../../src/reporters/reporter.js';
import { githubLinker } from '../../../src/run/reportLinks.js';
import { sampleSecrets, scanStats } from '../sample.js';

/**
 * An organisation's audit as the HTML report sees it: three repositories (findings carry the
 * `repository` the org audit sets), every kind of finding, commit dates, provider answers, settings
 * findings, a secret inventory and a trend. Secrets are generated per call (nothing token-shaped
 * is committed); counts are fixed, so tests assert exact numbers.
 */

type OrgFinding = Finding & { repository?: string };

const commit = (sha: string, date: string): CommitInfo => ({ sha: sha.repeat(40 / sha.length), author: 'Dev <dev@example.com>', date });

function finding(over: Partial<OrgFinding> & Pick<OrgFinding, 'ruleId' | 'category' | 'severity' | 'file' | 'line' | 'environment'>): OrgFinding {
  const secret = over.secret ?? '';
  return {
    message: over.ruleId,
    column: 1,
    endLine: over.line,
    endColumn: 1 + Math.max(secret.length, 8),
    secret,
    fingerprint: fingerprint(over.ruleId, `${over.repository}/${over.file}`, secret || over.ruleId, secret !== ''),
    lineText: `X=${secret}`,
    ...over,
  };
}

function orgFindings(secrets = sampleSecrets()): OrgFinding[] {
  return [
    finding({
      repository: 'octo/shop',
      ruleId: 'stripe-live-secret-key',
      category: 'live-key',
      severity: 'critical',
      message: 'Stripe live secret key',
      file: 'config/.env.production',
      line: 3,
      environment: 'production',
      secret: secrets.stripe,
      commit: commit('a1', '2025-03-01T10:00:00Z'),
      verification: { status: 'live', identity: 'account acct_1 (Shop Ltd)', checkedAt: '2026-01-10T00:00:00Z' },
    }),
    finding({
      repository: 'octo/shop',
      ruleId: 'aws-access-key-id',
      category: 'live-key',
      severity: 'high',
      message: 'AWS access key ID',
      file: 'deploy/staging.env',
      line: 7,
      environment: 'staging',
      secret: secrets.aws,
      commit: commit('b2', '2025-06-10T10:00:00Z'),
      verification: { status: 'invalid', checkedAt: '2026-01-10T00:00:00Z' },
    }),
    finding({
      repository: 'octo/shop',
      ruleId: 'generic-password',
      category: 'generic-secret',
      severity: 'medium',
      message: 'Password <b>assignment</b> & "quotes"',
      file: 'test/db <conn>.ts',
      line: 12,
      environment: 'test',
      secret: secrets.password,
    }),
    finding({
      repository: 'octo/shop',
      ruleId: 'untrusted-checkout',
      category: 'workflow',
      severity: 'high',
      message: 'checks out the head of a fork pull request',
      file: '.github/workflows/ci.yml',
      line: 20,
      environment: 'ci',
      commit: commit('c3', '2025-09-01T10:00:00Z'),
      related: [{ file: '.github/workflows/ci.yml', line: 3, column: 3, endLine: 3, endColumn: 22, label: 'this trigger' }],
    }),
    finding({
      repository: 'octo/shop',
      ruleId: 'prod-environment-no-reviewers',
      category: 'github-settings',
      severity: 'high',
      message: 'production environment "prod" has no required reviewers',
      file: 'github:octo/shop/environments/prod',
      line: 1,
      environment: 'production',
    }),
    finding({
      repository: 'octo/api',
      ruleId: 'slack-bot-token',
      category: 'fixture',
      severity: 'medium',
      message: 'Slack bot token in a test fixture',
      file: 'test/fixtures/reply.json',
      line: 2,
      environment: 'test',
      secret: secrets.slack,
      commit: commit('d4', '2024-12-24T10:00:00Z'),
    }),
    finding({
      repository: 'octo/api',
      ruleId: 'generic-api-key',
      category: 'generic-secret',
      severity: 'low',
      message: 'Generic API key',
      file: 'src/client.ts',
      line: 30,
      environment: 'development',
      secret: secrets.apiKey,
      commit: commit('e5', '2026-01-05T10:00:00Z'),
    }),
    finding({
      repository: 'octo/api',
      ruleId: 'secret-to-log',
      category: 'echo-leak',
      severity: 'high',
      message: 'step `Deploy` prints a secret to the log',
      file: '.github/workflows/release.yml',
      line: 31,
      environment: 'ci',
    }),
    finding({
      repository: 'octo/docs',
      ruleId: 'prod-host-domain',
      category: 'prod-host',
      severity: 'low',
      message: 'A production domain in a staging file',
      file: 'config/staging.yml',
      line: 9,
      environment: 'staging',
      secret: 'api.shop.example',
    }),
    finding({
      repository: 'octo/docs',
      ruleId: 'default-branch-unprotected',
      category: 'github-settings',
      severity: 'medium',
      message: 'the default branch has no protection rule',
      file: 'github:octo/docs/branches/main',
      line: 1,
      environment: 'unknown',
    }),
  ];
}

/** What the findings above count, for exact assertions. */
export const ORG_COUNTS = {
  findings: 10,
  repositories: { 'octo/shop': 5, 'octo/api': 3, 'octo/docs': 2 },
  severities: { critical: 1, high: 4, medium: 3, low: 2 },
  settings: 2,
  live: 1,
  verified: 2,
  /** The oldest commit date of each repository's findings. */
  oldest: { 'octo/api': '2024-12-24T10:00:00Z', 'octo/shop': '2025-03-01T10:00:00Z' },
};

const INVENTORY: SecretInventoryRow[] = [
  {
    name: 'DEPLOY_TOKEN',
    scope: 'environment',
    environmentName: 'prod',
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-02-01T00:00:00Z',
    ageDays: 400,
    maxAgeDays: 90,
    environment: 'production',
    usedBy: [{ file: '.github/workflows/release.yml', job: 'deploy' }],
    mayBeReadBy: [],
    findings: [{ ruleId: 'secret-too-old', severity: 'high', fingerprint: 'inventory/DEPLOY_TOKEN/secret-too-old' }],
    repository: 'octo/shop',
  },
  {
    name: 'NPM_TOKEN',
    scope: 'repository',
    createdAt: '2025-12-01T00:00:00Z',
    updatedAt: '2025-12-01T00:00:00Z',
    ageDays: 40,
    maxAgeDays: 180,
    environment: 'ci',
    usedBy: [],
    mayBeReadBy: [{ file: '.github/workflows/ci.yml', job: 'build' }],
    findings: [],
    repository: 'octo/api',
  },
];

export function orgReport(showSecrets = false, secrets = sampleSecrets()): Report {
  return {
    ...toReport(orgFindings(secrets), scanStats({ files: 120, bytes: 345_678, commits: 640, durationMs: 9_876 }), ['octo/legacy: clone failed (404), recorded and skipped'], showSecrets, ['files', 'commits']),
    secretInventory: INVENTORY,
    trend: {
      runs: [
        { date: '2025-12-15T06:00:00Z', counts: { critical: 3, high: 6, medium: 5, low: 2 } },
        { date: '2025-12-22T06:00:00Z', counts: { critical: 2, high: 6, medium: 4, low: 2 } },
        { date: '2025-12-29T06:00:00Z', counts: { critical: 2, high: 5, medium: 3, low: 3 } },
        { date: '2026-01-05T06:00:00Z', counts: { critical: 1, high: 4, medium: 3, low: 2 } },
      ],
      new: 1,
      fixed: 3,
      open: 9,
    },
  };
}

const rule = (id: string, category: string, severity: string, helpUri?: string): RuleInfo => ({
  id,
  description: id,
  category,
  severity,
  ...(helpUri ? { helpUri } : {}),
});

const ORG_RULES: RuleInfo[] = [
  rule('stripe-live-secret-key', 'live-key', 'critical', 'https://github.com/keyfence/keyfence/blob/main/docs/rules/stripe.md#stripe-live-secret-key'),
  rule('aws-access-key-id', 'live-key', 'high', 'https://github.com/keyfence/keyfence/blob/main/docs/rules/aws.md#aws-access-key-id'),
  rule('generic-password', 'generic-secret', 'medium'),
  rule('untrusted-checkout', 'workflow', 'high', 'https://github.com/keyfence/keyfence/blob/main/docs/workflows/untrusted-checkout.md'),
];

/** Links as the run makes them on GitHub Actions (src/run/reportLinks.ts): each finding's into its own repository. */
export const orgContext = (over: Partial<RenderContext> = {}): RenderContext => ({
  color: false,
  rules: ORG_RULES,
  linkTo: githubLinker({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/shop', GITHUB_SHA: 'f00dfeed' })!,
  ...over,
});
