import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/rules/builtinRules.js';
import { GITLEAKS_RULES, SECRETLINT_RULES } from '../../src/import/ruleMap.js';
import { runCli } from '../support/cli.js';
import { checksumToken, seededRandom } from '../support/fakeSecrets.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

interface Report {
  findings: Array<{ ruleId: string; file: string; line: number; secret: string }>;
  stats: { suppressed: unknown };
}

describe('the rule mapping tables', () => {
  const builtin = new Set(loadBuiltinRules().map((r) => r.spec.id));
  it.each([
    ['gitleaks', GITLEAKS_RULES],
    ['secretlint', SECRETLINT_RULES],
  ] as const)('maps %s rules to keyfence rules that exist', (_tool, table) => {
    const missing = Object.entries(table).flatMap(([from, ids]) => ids.filter((id) => !builtin.has(id)).map((id) => `${from} -> ${id}`));
    expect(missing).toEqual([]);
  });
});

/**
 * A repository set up for secretlint (.secretlintrc.json with a rule switched off, `allows`, a
 * pattern rule, and a .secretlintignore), switched with `keyfence import secretlint`.
 */
describe('keyfence import secretlint', () => {
  let repo: TempDir;
  const random = seededRandom(`secretlint-import/${randomBytes(4).toString('hex')}`);
  const allowedKey = fake.awsAccessKeyId();
  const reportedKey = fake.awsAccessKeyId();
  const ignoredKey = fake.awsAccessKeyId();
  const github = checksumToken(random, 'ghp_', 30);
  const internal = `internal_${randomBytes(12).toString('hex')}`;

  beforeAll(() => {
    repo = tempRepo();
    repo.write(
      '.secretlintrc.json',
      `${JSON.stringify(
        {
          rules: [
            {
              id: '@secretlint/secretlint-rule-preset-recommend',
              rules: [
                { id: '@secretlint/secretlint-rule-github', disabled: true },
                { id: '@secretlint/secretlint-rule-aws', options: { allows: [allowedKey] } },
              ],
            },
            { id: '@secretlint/secretlint-rule-pattern', options: { patterns: [{ name: 'internal token', pattern: '/internal_[0-9a-f]{24}/' }] } },
            { id: '@secretlint/secretlint-rule-no-homedir' },
          ],
        },
        null,
        2,
      )}\n`,
    );
    repo.write('.secretlintignore', '# generated files\ngenerated/\n!generated/keep.txt\n');
    repo.write('src/config.ts', `export const keys = ['${allowedKey}', '${reportedKey}'];\nexport const gh = '${github}';\nexport const internal = '${internal}';\n`);
    repo.write('generated/keys.txt', `${ignoredKey}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first');
  });

  afterAll(() => repo.remove());

  /** The line of .secretlintrc.json that names a rule. */
  const lineOf = (id: string) => readFileSync(join(repo.path, '.secretlintrc.json'), 'utf8').split('\n').findIndex((l) => l.includes(id)) + 1;

  it('maps switched-off rules, allows, patterns and ignored paths, and lists the rest', () => {
    const result = runCli(['import', 'secretlint'], repo.path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'wrote keyfence.yml: 1 rule, 2 allow entries, 6 rules switched off',
      'not translated (2):',
      `  .secretlintrc.json:${lineOf('no-homedir')}: rule @secretlint/secretlint-rule-no-homedir: no keyfence rule detects the same thing`,
      '  .secretlintignore:3: !generated/keep.txt: the negation "!generated/keep.txt" has no allow-entry equivalent (allow entries only add exceptions)',
      '',
    ]);
    const config = readFileSync(join(repo.path, 'keyfence.yml'), 'utf8');
    expect(config).toContain(`  # imported from .secretlintrc.json:${lineOf('rule-github')} (@secretlint/secretlint-rule-github)\n`);
    expect(config).toContain('  github-personal-access-token:\n    enabled: false\n');
    expect(config).toContain('  # imported from .secretlintignore\n  - paths: [ "**/generated/**" ]\n');
  });

  it('scans with the same suppressions and the pattern rule\'s findings', () => {
    const result = runCli(['scan', '--format', 'json', '--show-secrets'], repo.path);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.secret}`)).toEqual([
      `aws-access-key-id src/config.ts:1 ${reportedKey}`,
      `secretlint-internal-token src/config.ts:3 ${internal}`,
    ]);
    // allow: the key secretlint's aws rule allows (in src/config.ts, and quoted in .secretlintrc.json and
    // keyfence.yml), and generated/ from .secretlintignore.
    expect(report.stats.suppressed).toEqual({ inline: 0, allow: 4, baseline: 0 });
  });
});
