import { describe, expect, it } from 'vitest';
import { importGitleaks, readGitleaksIgnore } from '../../src/import/gitleaks.js';

/** The parts of a gitleaks config the end-to-end test does not reach, read into a plan. */
describe('a gitleaks config as a plan', () => {
  const TOML = `[extend]
path = "base.toml"

[[rules]]
id = "jwt"
description = "our JWT"
regex = '''ey[A-Za-z0-9]{20,}'''
keywords = ["ey"]
  [rules.allowlist]
  condition = "AND"
  paths = ['''^test/''']
  regexTarget = "match"
  regexes = ['''eyFAKE''']

[[rules]]
id = "scoped"
regex = '''scoped_[0-9]{10}'''
path = '''(?i)\\.properties$'''
keywords = ["scoped_"]
  [[rules.allowlists]]
  commits = ["abc123"]

[[allowlists]]
targetRules = ["nobody-has-this"]
paths = ['''x''']
`;

  it('renames a rule whose id a built-in rule has, and translates AND, match, path scopes', async () => {
    const { plan, ruleIds } = await importGitleaks(TOML, '.gitleaks.toml', new Set(['jwt']));
    expect(plan.rules).toEqual([
      {
        from: '.gitleaks.toml:4',
        spec: { id: 'gitleaks-jwt', description: 'our JWT', category: 'live-key', severity: 'high', keywords: ['ey'], regex: 'ey[A-Za-z0-9]{20,}', examples: { match: [], noMatch: [] } },
      },
      {
        from: '.gitleaks.toml:15',
        spec: {
          id: 'scoped',
          description: 'scoped (imported from gitleaks)',
          category: 'live-key',
          severity: 'high',
          keywords: ['scoped_'],
          regex: 'scoped_[0-9]{10}',
          files: ['**/*.[pP][rR][oO][pP][eE][rR][tT][iI][eE][sS]'],
          examples: { match: [], noMatch: [] },
        },
      },
    ]);
    expect(plan.allow).toEqual([
      { from: '.gitleaks.toml:9', entry: { rules: ['gitleaks-jwt'], paths: ['test/*', 'test/*/**'], lines: ['eyFAKE'], reason: 'imported from gitleaks' } },
    ]);
    expect(plan.untranslated).toEqual([
      { from: '.gitleaks.toml:1', what: '[extend] path = "base.toml"', reason: 'import that config too (`keyfence import gitleaks FILE`); keyfence.yml `extends:` takes keyfence policies only' },
      { from: '.gitleaks.toml:20', what: 'allowlist: commits abc123', reason: 'keyfence allowlists do not name commits; record those findings with `keyfence baseline --history`' },
      { from: '.gitleaks.toml:23', what: 'allowlist for nobody-has-this', reason: 'none of its targetRules has a keyfence rule' },
    ]);
    expect(plan.notes.map((n) => `${n.from}: ${n.note}`)).toEqual([
      '.gitleaks.toml:1: gitleaks ran only the rules of this file (no `[extend] useDefault = true`); keyfence runs its built-in rules as well',
      '.gitleaks.toml:4: rule jwt: renamed gitleaks-jwt, since keyfence has a built-in rule "jwt"',
      '.gitleaks.toml:9: allowlist: regexes on the match were moved to the whole line (keyfence tests the secret or the line)',
    ]);
    expect(ruleIds.get('jwt')).toEqual(['gitleaks-jwt']);
  });

  it('reads both fingerprint forms of .gitleaksignore, file names with colons too', () => {
    const ids = new Map([['aws-access-token', ['aws-access-key-id']]]);
    const text = `# comment\n\n0a1b2c3d4e5f:deploy/a:b.env:aws-access-token:12\nsrc/app.ts:custom:3\n`;
    expect(readGitleaksIgnore(text, '.gitleaksignore', ids)).toEqual([
      { from: '.gitleaksignore:3', file: 'deploy/a:b.env', line: 12, rule: 'aws-access-token', keyfenceRules: ['aws-access-key-id'], commit: '0a1b2c3d4e5f' },
      { from: '.gitleaksignore:4', file: 'src/app.ts', line: 3, rule: 'custom' },
    ]);
  });
});
