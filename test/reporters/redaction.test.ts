import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../../src/findings/finding.js';
import { maskFindings, reportedSecret } from '../../src/findings/redact.js';
import { runCli } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { sampleFindings } from './sample.js';

/**
 * What every report shows of a matched value (`secret`), per category: enough to find the key in
 * the provider's console or the line to fix, never the credential (docs/cli.md "Redaction").
 */
const alnum = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
const upper = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');

const shown = (category: Category, secret: string) => reportedSecret({ category, secret });

describe('the secret field, per category', () => {
  it('credentials: the provider prefix and, for long enough key material, the last four', () => {
    const stripe = ['sk', 'live', alnum(24)].join('_');
    const aws = `AKIA${upper(16)}`;
    const slack = ['xoxb', '1'.repeat(11), '2'.repeat(12), alnum(24)].join('-');
    const google = `AIza${alnum(35)}`;
    expect(shown('live-key', stripe)).toBe(`sk_live_…${stripe.slice(-4)}`);
    expect(shown('live-key', aws)).toBe(`AKIA…${aws.slice(-4)}`);
    expect(shown('fixture', slack)).toBe(`xoxb-…${slack.slice(-4)}`);
    expect(shown('env-crossover', google)).toBe(`AIza…${google.slice(-4)}`);
    // A short one shows its prefix alone.
    expect(shown('live-key', `ghp_${alnum(8)}`)).toBe('ghp_…');
  });

  it('generic secrets: no prefix (a password\'s first word is half of it), the last four only of long values; a PEM block its BEGIN line', () => {
    const password = `correct-horse-${alnum(6)}`;
    const long = alnum(32);
    expect(shown('generic-secret', password)).toBe('…');
    expect(shown('generic-secret', alnum(20))).toBe('…');
    expect(shown('generic-secret', long)).toBe(`…${long.slice(-4)}`);
    const pem = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ') + `\n${alnum(64)}\n` + ['-----END', 'RSA PRIVATE KEY-----'].join(' ');
    expect(shown('generic-secret', pem)).toBe('-----BEGIN RSA PRIVATE KEY-----…');
  });

  it('prod-host: the host name in full, since it is not a secret and is what to change', () => {
    expect(shown('prod-host', 'orders-prod.cluster-c1a2b3c4d5.eu-west-1.rds.amazonaws.com')).toBe('orders-prod.cluster-c1a2b3c4d5.eu-west-1.rds.amazonaws.com');
    expect(shown('prod-host', 'acme-shop:europe-west1:orders-db')).toBe('acme-shop:europe-west1:orders-db');
    // A custom rule's value that is no host name (credentials in a URL) is redacted like any other.
    const url = `https://admin:${alnum(20)}@db.prod.acme.io`;
    expect(shown('prod-host', url)).not.toContain(url.slice(14, 34));
  });

  it('echo-leak: the variable printed, never a default value written beside it', () => {
    const fallback = alnum(24);
    expect(
      ['$API_TOKEN', '$$DEPLOY_TOKEN', `\${NPM_TOKEN:-${fallback}}`, '${GH_TOKEN}', '$(CI_JOB_TOKEN)', '$env:AZURE_CLIENT_SECRET', '%DB_PASSWORD%'].map((s) => shown('echo-leak', s)),
    ).toEqual(['$API_TOKEN', '$$DEPLOY_TOKEN', '${NPM_TOKEN}', '${GH_TOKEN}', '$(CI_JOB_TOKEN)', '$env:AZURE_CLIENT_SECRET', '%DB_PASSWORD%']);
    // Not a variable reference (a custom rule's raw match): redacted without a prefix.
    expect(shown('echo-leak', `echo ${fallback}`)).toBe(`…${fallback.slice(-4)}`);
  });

  it('categories that match no value report an empty field', () => {
    for (const category of ['workflow', 'github-settings', 'gitlab-settings', 'policy', 'prod-data'] as const) expect(shown(category, '')).toBe('');
  });

  it('covers every category, and --show-secrets shows the value as found', () => {
    const covered = new Set<Category>([
      ...['live-key', 'generic-secret', 'prod-host', 'env-crossover', 'fixture', 'echo-leak'],
      ...['workflow', 'github-settings', 'gitlab-settings', 'policy', 'prod-data'],
    ] as Category[]);
    expect(CATEGORIES.filter((c) => !covered.has(c))).toEqual([]);
    const findings = sampleFindings();
    expect(maskFindings(findings, true).map((f) => f.secret).sort()).toEqual(findings.map((f) => f.secret).sort());
  });
});

describe('the secret field from the CLI', () => {
  let dir: TempDir | undefined;
  afterEach(() => {
    dir?.remove();
    dir = undefined;
  });

  it('names the variable of an echo leak and the production host in full', () => {
    dir = tempDir();
    dir.write('scripts/deploy.sh', '#!/bin/sh\necho "deploying with $DEPLOY_TOKEN"\n');
    dir.write('.env.development', 'REDIS_HOST=cache.prod.acme-shop.internal\n');
    const r = runCli(['scan', '--format', 'json', '--fail-on', 'low'], dir.path);
    expect(r.code).toBe(1);
    type Found = { ruleId: string; category: string; file: string; secret: string };
    const { findings } = JSON.parse(r.stdout) as { findings: Found[] };
    expect(findings.map((f) => [f.category, f.ruleId, f.file, f.secret])).toEqual([
      ['prod-host', 'prod-host', '.env.development', 'cache.prod.acme-shop.internal'],
      ['echo-leak', 'echo-leak', 'scripts/deploy.sh', '$DEPLOY_TOKEN'],
    ]);
  });
});
