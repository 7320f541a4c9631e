import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/configFile.js';
import { policyLoosenings } from '../../src/config/loosening.js';
import { looseningContext } from '../../src/run/policyReview.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

/** keyfence.yml's text, or every file of a folder (keyfence.yml and what it extends). */
type Files = string | Record<string, string>;

const yml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The loosenings of `head` against `base`, each folder read by the real loader, as (message, at[, removedFrom]). */
async function loosenings(base: Files, head: Files, files: string[] = []) {
  dir = tempDir('keyfence-loosening-');
  const write = (folder: string, content: Files) => {
    const all = typeof content === 'string' ? { 'keyfence.yml': content } : content;
    for (const [file, text] of Object.entries(all)) dir.write(join(folder, file), text);
  };
  write('base', base);
  write('head', head);
  const b = await loadConfig(join(dir.path, 'base'));
  const h = await loadConfig(join(dir.path, 'head'));
  const found = policyLoosenings(b, h, looseningContext(files));
  return found.map(({ message, at, removedFrom }) => ({ message, at, ...(removedFrom ? { removedFrom } : {}) }));
}

describe('policyLoosenings: thresholds and switches', () => {
  it('reports failOn raised, where the head sets it, or as a removal when the head falls back to the default', async () => {
    expect(await loosenings('failOn: medium\n', 'failOn: high\n')).toEqual([
      { message: 'failOn raised from medium to high: fewer findings fail the check', at: 'keyfence.yml:1:9' },
    ]);
    expect(await loosenings('failOn: low\n', 'maxFileSize: 9000000\n')).toEqual([
      { message: 'failOn raised from low to medium: fewer findings fail the check', at: undefined, removedFrom: 'keyfence.yml' },
    ]);
  });

  it('reports requireReason switched off', async () => {
    expect(await loosenings('requireReason: true\n', 'requireReason: false\n')).toEqual([
      { message: 'requireReason switched off: allow entries and inline markers silence findings without saying why', at: 'keyfence.yml:1:16' },
    ]);
  });

  it('reports failOnNewSuppressions switched off, or dropped', async () => {
    const message = 'failOnNewSuppressions switched off: inline markers a pull request adds no longer fail the check';
    expect(await loosenings('failOnNewSuppressions: true\n', 'failOnNewSuppressions: false\n')).toEqual([{ message, at: 'keyfence.yml:1:24' }]);
    expect(await loosenings('failOn: high\nfailOnNewSuppressions: true\n', 'failOn: high\n')).toEqual([{ message, at: undefined, removedFrom: 'keyfence.yml' }]);
  });

  it('reports maxFileSize lowered', async () => {
    expect(await loosenings('maxFileSize: 1000000\n', 'maxFileSize: 1000\n')).toEqual([
      { message: 'maxFileSize lowered from 1000000 to 1000 bytes: larger files are passed over', at: 'keyfence.yml:1:14' },
    ]);
  });

  it('reports the prodData thresholds raised, not lowered', async () => {
    expect(await loosenings('failOn: medium\n', 'prodData:\n  minValues: 50\n  minKinds: 2\n')).toEqual([
      { message: 'prodData.minValues raised from 5 to 50: files need more personal data to be reported', at: 'keyfence.yml:2:14' },
    ]);
  });

  it('reports the suppressionMarkers added, not those kept', async () => {
    expect(await loosenings('failOn: medium\n', 'suppressionMarkers: [gitleaks:allow, nosec, "NOSONAR"]\n')).toEqual([
      { message: 'suppressionMarkers adds "nosec", "NOSONAR": more inline comments silence findings', at: 'keyfence.yml:1:21' },
    ]);
  });

  it('reports a production domain removed as a removal from the file that listed it', async () => {
    expect(await loosenings('productionDomains: [acme.com, acme.net]\n', 'productionDomains: [acme.com]\n')).toEqual([
      { message: 'productionDomains no longer lists acme.net: its hosts in other environments are not reported', at: undefined, removedFrom: 'keyfence.yml' },
    ]);
  });
});

describe('policyLoosenings: rules', () => {
  it('reports a rule switched off globally once, not once per environment', async () => {
    expect(await loosenings('failOn: medium\n', yml('overrides:', '  prod-host: { enabled: false }'))).toEqual([
      { message: 'rule prod-host switched off', at: 'keyfence.yml:2:25' },
    ]);
  });

  it('reports a rule downgraded globally once', async () => {
    expect(await loosenings(yml('overrides:', '  prod-host: { severity: high }'), yml('overrides:', '  prod-host: { severity: medium }'))).toEqual([
      { message: 'rule prod-host downgraded from high to medium', at: 'keyfence.yml:2:26' },
    ]);
  });

  it('reports a global upgrade taken back once, as a removal', async () => {
    expect(await loosenings(yml('overrides:', '  generic-password: { severity: critical }'), 'failOn: medium\n')).toEqual([
      { message: 'rule generic-password downgraded from critical to high', at: undefined, removedFrom: 'keyfence.yml' },
    ]);
  });

  it('reports a rule switched off or downgraded in one policy scope, naming the scope', async () => {
    const head = yml('policy:', '  test:', '    rules:', '      prod-host: { enabled: false }', '      generic-password: { severity: low }');
    expect(await loosenings('failOn: medium\n', head)).toEqual([
      { message: 'rule prod-host switched off in test files', at: 'keyfence.yml:4:29' },
      { message: 'rule generic-password downgraded from high to low in test files', at: 'keyfence.yml:5:37' },
    ]);
  });

  it('names the scope when the head drops an upgrade one scope had', async () => {
    const base = yml('policy:', '  production:', '    rules:', '      generic-password: { severity: critical }');
    expect(await loosenings(base, 'failOn: medium\n')).toEqual([
      { message: 'rule generic-password downgraded from critical to high in production files', at: undefined, removedFrom: 'keyfence.yml' },
    ]);
  });

  it('reports policy.<scope>.minSeverity lowered', async () => {
    expect(await loosenings(yml('policy:', '  production:', '    minSeverity: high'), yml('policy:', '  production:', '    minSeverity: medium'))).toEqual([
      { message: 'policy.production.minSeverity lowered from high to medium', at: 'keyfence.yml:3:18' },
    ]);
  });

  it('reports policy.<scope>.genericSecrets lowered below its default', async () => {
    expect(await loosenings('failOn: medium\n', yml('policy:', '  production:', '    genericSecrets: medium'))).toEqual([
      {
        message: 'policy.production.genericSecrets lowered from critical to medium: passwords, private keys and tokens in production files weigh less',
        at: 'keyfence.yml:3:21',
      },
    ]);
  });
});

describe('policyLoosenings: allow entries', () => {
  it('reports an allow entry added with its rules, paths and reason, and not one the base has', async () => {
    const existing = ['  - rules: [generic-password]', "    paths: ['test/**']", '    reason: test data'];
    const reordered = ["  - paths: ['test/**']", '    reason: test data', '    rules: [generic-password]'];
    const added = ['  - rules: [aws-access-key-id, generic-password]', "    paths: ['scripts/**', tools/**]", '    reason: rotated long ago'];
    expect(await loosenings(yml('allow:', ...existing), yml('allow:', ...added, ...reordered))).toEqual([
      {
        message: 'allow entry added (rules aws-access-key-id, generic-password; paths scripts/**, tools/**): "rotated long ago"',
        at: 'keyfence.yml:2:5',
      },
    ]);
  });
});

describe('policyLoosenings: custom rules', () => {
  const rule = (id: string, severity: string, regex: string, description = `ACME ${id}`) => [
    `  - id: ${id}`,
    `    description: ${description}`,
    '    category: live-key',
    `    severity: ${severity}`,
    '    keywords: [acme_]',
    `    regex: '${regex}'`,
  ];

  it('reports a custom rule removed, downgraded or matching differently, not one described differently', async () => {
    const base = yml(
      'rules:',
      ...rule('acme-key', 'high', 'acme_key_[a-z0-9]{32}'),
      ...rule('acme-token', 'critical', 'acme_tok_[a-z0-9]{32}'),
      ...rule('acme-secret', 'high', 'acme_sec_[a-z0-9]{32}'),
      ...rule('acme-note', 'high', 'acme_note_[a-z0-9]{32}'),
    );
    const head = yml(
      'rules:',
      ...rule('acme-token', 'medium', 'acme_tok_[a-z0-9]{32}'),
      ...rule('acme-secret', 'high', 'acme_sec_[a-z0-9]{16,32}'),
      ...rule('acme-note', 'high', 'acme_note_[a-z0-9]{32}', 'ACME notification token, reworded'),
    );
    expect(await loosenings(base, head)).toEqual([
      { message: 'custom rule acme-key removed', at: undefined, removedFrom: 'keyfence.yml' },
      { message: 'custom rule acme-token downgraded from critical to medium', at: 'keyfence.yml:2:5' },
      { message: 'custom rule acme-secret changes what it matches (regex)', at: 'keyfence.yml:8:5' },
    ]);
  });

  it('reports a custom rule downgraded once when a policy scope also names it', async () => {
    const scoped = ['policy:', '  test:', '    rules:', '      acme-token: { enabled: false }'];
    expect(await loosenings(yml(...scoped, 'rules:', ...rule('acme-token', 'critical', 'acme_tok_[a-z0-9]{32}')), yml(...scoped, 'rules:', ...rule('acme-token', 'medium', 'acme_tok_[a-z0-9]{32}')))).toEqual([
      { message: 'custom rule acme-token downgraded from critical to medium', at: 'keyfence.yml:6:5' },
    ]);
  });
});

describe('policyLoosenings: guardrails and extends', () => {
  const policy = yml('failOn: { severity: medium, locked: true }', 'overrides:', '  stripe-live-secret-key: { locked: true }');

  it('reports the guardrails of a policy no longer extended, and the extends, where the head dropped it', async () => {
    const installed = { 'node_modules/@acme/policy/keyfence.yml': policy + yml('environments:', "  production: ['deploy/**']") };
    const base = { ...installed, 'keyfence.yml': yml('extends: "@acme/policy"', 'failOn: low') };
    const head = { ...installed, 'keyfence.yml': yml('failOn: low') };
    const lockedIn = 'node_modules/@acme/policy/keyfence.yml';
    expect(await loosenings(base, head, ['deploy/app.yml'])).toEqual([
      { message: `guardrail failOn is no longer locked (it was locked at ${lockedIn}:1:37)`, at: undefined, removedFrom: 'keyfence.yml' },
      { message: `guardrail overrides.stripe-live-secret-key is no longer locked (it was locked at ${lockedIn}:3:37)`, at: undefined, removedFrom: 'keyfence.yml' },
      { message: `no longer extends ${lockedIn}`, at: undefined, removedFrom: 'keyfence.yml' },
      { message: 'environments moves 1 file from production to unknown (deploy/app.yml)', at: undefined, removedFrom: 'keyfence.yml' },
    ]);
  });

  it('reports a lock removed from a policy still extended in that policy', async () => {
    const base = { 'org.yml': policy, 'keyfence.yml': 'extends: ./org.yml\n' };
    const head = { 'org.yml': yml('failOn: medium', 'overrides:', '  stripe-live-secret-key: { locked: true }'), 'keyfence.yml': 'extends: ./org.yml\n' };
    expect(await loosenings(base, head)).toEqual([
      { message: 'guardrail failOn is no longer locked (it was locked at org.yml:1:37)', at: undefined, removedFrom: 'org.yml' },
    ]);
  });
});

describe('policyLoosenings: environments', () => {
  it('reports files moved out of production or into test, grouped per glob with the count', async () => {
    const base = yml('environments:', "  production: ['deploy/**']");
    const head = yml('environments:', "  production: ['deploy/prod/**']", "  staging: ['deploy/legacy/**']", "  test: ['smoke/**']");
    const files = ['deploy/prod/app.yml', 'deploy/app.yml', 'deploy/legacy/old.yml', 'deploy/worker.yml', 'smoke/a.js', 'smoke/b.js', 'smoke/c.js', 'smoke/d.js', 'src/index.ts'];
    expect(await loosenings(base, head, files)).toEqual([
      { message: 'environments moves 2 files from production to unknown (deploy/app.yml, deploy/worker.yml)', at: undefined, removedFrom: 'keyfence.yml' },
      { message: 'environments moves 1 file from production to staging (deploy/legacy/old.yml)', at: 'keyfence.yml:3:13' },
      { message: 'environments moves 4 files from unknown to test (smoke/a.js, smoke/b.js, smoke/c.js and 1 more)', at: 'keyfence.yml:4:10' },
    ]);
  });
});

describe('policyLoosenings: tightening', () => {
  it('reports nothing when the head only tightens', async () => {
    const base = yml(
      'failOn: high',
      'overrides:',
      '  prod-host: { severity: medium }',
      'allow:',
      '  - rules: [generic-password]',
      "    paths: ['test/**']",
      '    reason: test data',
      'environments:',
      "  production: ['deploy/**']",
    );
    const head = yml(
      'failOn: low',
      'requireReason: true',
      'failOnNewSuppressions: true',
      'maxFileSize: 9000000',
      'productionDomains: [acme.com]',
      'overrides:',
      '  prod-host: { severity: critical }',
      '  generic-password: { severity: critical }',
      'policy:',
      '  production: { minSeverity: high }',
      '  test: { genericSecrets: medium }',
      'environments:',
      "  production: ['deploy/**', 'ops/**']",
      'rules:',
      '  - id: acme-key',
      '    description: ACME key',
      '    category: live-key',
      '    severity: high',
      '    keywords: [acme_]',
      "    regex: 'acme_[a-z0-9]{32}'",
    );
    expect(await loosenings(base, head, ['deploy/app.yml', 'ops/app.yml', 'test/app.test.ts'])).toEqual([]);
  });
});
