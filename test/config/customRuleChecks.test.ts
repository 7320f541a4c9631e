import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * Custom rules are checked when the config loads: an id clash with a built-in rule, examples that
 * misbehave and regexes that can backtrack catastrophically are errors naming file:line:col, with a
 * hint to documentation that ships in the package (README.md).
 */
describe('custom rules checked at load', () => {
  let repo: TempDir;
  let cache: TempDir;
  const token = `acme_${randomBytes(16).toString('hex')}`;

  beforeAll(() => {
    repo = tempRepo();
    cache = tempDir();
    repo.write('app.cfg', `key = ${token}\n`);
    repo.git('add', '-A');
  });
  afterAll(() => {
    repo.remove();
    cache.remove();
  });

  const rule = (fields: string) =>
    `rules:\n  - id: acme-token\n    description: ACME token\n    category: live-key\n    severity: high\n    keywords: [acme_]\n${fields}`;
  const scan = (config: string) => {
    repo.write('keyfence.yml', config);
    return runCli(['scan', '--format', 'json'], repo.path, { KEYFENCE_CACHE_DIR: cache.path });
  };
  const HINT = '  hint: give the rule another id, or add `override: true` to replace the built-in rule; the rule fields are in README.md, "Custom rules" (node_modules/keyfence/README.md)';

  it('refuses an id a built-in rule has', () => {
    const result = scan("rules:\n  - id: jwt\n    description: mine\n    category: live-key\n    severity: high\n    keywords: [acme_]\n    regex: '(acme_[a-f0-9]{32})'\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`keyfence: keyfence.yml:2:9: rule jwt: keyfence has a built-in rule with this id\n${HINT}\n`);
  });

  it('lets `override: true` replace the built-in rule', () => {
    const result = scan("rules:\n  - id: jwt\n    override: true\n    description: mine\n    category: live-key\n    severity: high\n    keywords: [acme_]\n    regex: '(acme_[a-f0-9]{32})'\n");
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> };
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['jwt app.cfg:1']);
  });

  it('runs the match examples', () => {
    const result = scan(`${rule("    regex: '(acme_[a-f0-9]{32})'\n    examples:\n      match: ['key = acme_{{rand:hex:32}}', 'key = acme_{{rand:lower:32}}']\n      noMatch: []\n")}`);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('keyfence: keyfence.yml:9:45: rule acme-token: its match example 2 finds nothing');
  });

  it('runs the noMatch examples', () => {
    const result = scan(`${rule("    regex: '(acme_[a-z0-9]{32})'\n    examples:\n      match: ['key = acme_{{rand:hex:32}}']\n      noMatch: ['key = acme_{{rand:lower:32}}']\n")}`);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('keyfence: keyfence.yml:10:17: rule acme-token: its noMatch example 1 is found (at column 7)');
  });

  it('passes a rule whose examples behave', () => {
    const result = scan(`${rule("    regex: '(acme_[a-f0-9]{32})'\n    examples:\n      match: ['key = acme_{{rand:hex:32}}']\n      noMatch: ['key = acme_{{rand:lower:32}}']\n")}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  it('names the line and column of a regex that can backtrack catastrophically', () => {
    const result = scan(`${rule("    regex: '(acme_(?:[a-f0-9]+)+!)'\n")}`);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^keyfence: keyfence\.yml:7:12: rule acme-token: `regex` can backtrack catastrophically \(exponential time, e\.g\. on ".+"\)$/);
    expect(result.stderr.split('\n')[1]).toContain('README.md, "Custom rules"');
  });
});
