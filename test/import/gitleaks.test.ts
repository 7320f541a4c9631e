import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * A repository set up for gitleaks (custom rules, rule and global allowlists, `.gitleaksignore`
 * with both fingerprint forms), switched with `keyfence import gitleaks`: the scans that follow
 * suppress what gitleaks suppressed and report what its custom rules reported, no more, no less.
 */

const hex = () => randomBytes(16).toString('hex');
const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);

const GITLEAKS_TOML = `title = "acme"

[extend]
useDefault = true
disabledRules = ["generic-api-key", "some-private-rule"]

[[rules]]
id = "acme-token"
description = "ACME internal token"
regex = '''(?i)\\b(acme_[a-f0-9]{32})\\b'''
keywords = ["ACME_"]

  [[rules.allowlists]]
  description = "documentation"
  paths = ['''^docs/''']

  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''(?i)sample''']

[[rules]]
id = "corp-password"
description = "Corp password"
regex = '''corp_pw\\s*=\\s*"([A-Za-z0-9]{20,})"'''
secretGroup = 1
entropy = 3.0
keywords = ["corp_pw"]

[[rules]]
id = "lazy-rule"
regex = '''(?U)corp_x=.+'''

[[allowlists]]
description = "vendored code"
paths = ['''(^|/)vendor/''']

[[allowlists]]
targetRules = ["corp-password"]
stopwords = ["rotated"]
`;

interface Report {
  findings: Array<{ ruleId: string; file: string; line: number; secret: string }>;
  stats: { suppressed: unknown };
}

describe('keyfence import gitleaks', () => {
  let repo: TempDir;
  let oldCommit: string;
  const values = {
    app: hex(),
    password: alnum(24),
    ignored: hex(),
    docs: hex(),
    sample: hex(),
    vendor: alnum(24),
    old: hex(),
    inline: hex(),
    stopword: alnum(20),
  };

  beforeAll(() => {
    repo = tempRepo();
    repo.write('.gitleaks.toml', GITLEAKS_TOML);
    repo.write('src/app.cfg', `acme = acme_${values.app}\ncorp_pw = "${values.password}"\nlegacy = acme_${values.inline} # gitleaks:allow\n`);
    repo.write('src/ignored.cfg', `token: acme_${values.ignored}\n`);
    repo.write('docs/setup.md', `Set ACME to acme_${values.docs}\n`);
    repo.write('src/demo.cfg', `acme = acme_${values.sample} # sample value\n`);
    repo.write('vendor/lib.cfg', `corp_pw = "${values.vendor}"\n`);
    repo.write('src/defaults.cfg', `corp_pw = "Rotated${values.stopword}"\n`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'first');
    repo.write('old.cfg', `# old settings\nacme = acme_${values.old}\n`);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'old settings');
    oldCommit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('rm', '-q', 'old.cfg');
    repo.git('commit', '-qm', 'drop old settings');
    repo.write(
      '.gitleaksignore',
      [
        '# fingerprints gitleaks printed',
        'src/ignored.cfg:acme-token:1',
        `${oldCommit}:old.cfg:acme-token:2`,
        '0123456789abcdef0123456789abcdef01234567:gone.cfg:acme-token:3',
        'src/app.cfg:acme-token:9',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => repo.remove());

  it('prints what it would write with --dry-run, and writes nothing', () => {
    const result = runCli(['import', 'gitleaks', '--dry-run'], repo.path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- keyfence.yml\n');
    expect(result.stdout).toContain('--- .keyfence-baseline.json\n');
    expect(() => readFileSync(join(repo.path, 'keyfence.yml'))).toThrow();
  });

  it('translates the config, lists what it cannot translate, and records the ignored fingerprints', () => {
    const result = runCli(['import', 'gitleaks'], repo.path);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'wrote keyfence.yml: 2 rules, 5 allow entries, 2 rules switched off',
      'wrote .keyfence-baseline.json: 2 new entries',
      'note: .gitleaksignore:4: gone.cfg:3 in 0123456789ab: the file cannot be read (commit not in this clone), so acme-token is allowed in the whole file',
      'note: .gitleaksignore:5: src/app.cfg:9: keyfence finds nothing there, so there is nothing to suppress',
      'not translated (2):',
      '  .gitleaks.toml:3: disabledRules "some-private-rule": no keyfence rule detects the same thing',
      '  .gitleaks.toml:29: rule lazy-rule: regex: the (?U) flag (ungreedy by default) has no JavaScript equivalent',
      '',
    ]);
    const config = readFileSync(join(repo.path, 'keyfence.yml'), 'utf8');
    expect(config).toContain('# imported from .gitleaks.toml:7\n  - id: acme-token\n');
    expect(config).toContain("regex: \\b(acme_[a-f0-9]{32})\\b\n    flags: i\n");
    const baseline = JSON.parse(readFileSync(join(repo.path, '.keyfence-baseline.json'), 'utf8')) as { entries: Array<Record<string, string>> };
    expect(baseline.entries.map((e) => [e.ruleId, e.file, e.imported, e.reason])).toEqual([
      ['acme-token', 'old.cfg', 'gitleaks', 'imported from .gitleaksignore:3'],
      ['acme-token', 'src/ignored.cfg', 'gitleaks', 'imported from .gitleaksignore:2'],
    ]);
    // No secret in clear in either file.
    for (const value of Object.values(values)) {
      expect(config).not.toContain(value);
      expect(JSON.stringify(baseline)).not.toContain(value);
    }
  });

  it('scans the work tree with the same suppressions and the custom rules\' findings', () => {
    const result = runCli(['scan', '--baseline', '.keyfence-baseline.json', '--format', 'json', '--show-secrets'], repo.path);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.secret}`)).toEqual([
      `acme-token src/app.cfg:1 acme_${values.app}`,
      `corp-password src/app.cfg:2 ${values.password}`,
    ]);
    // inline: gitleaks:allow; allow: docs/, the "sample" line, vendor/, the stopword; baseline: src/ignored.cfg.
    expect(report.stats.suppressed).toEqual({ inline: 1, allow: 4, baseline: 1 });
  });

  it('scans the history with the fingerprints of deleted files suppressed', () => {
    const result = runCli(['history', '--baseline', '.keyfence-baseline.json', '--format', 'json', '--show-secrets'], repo.path);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.secret}`)).toEqual([
      `acme-token src/app.cfg:1 acme_${values.app}`,
      `corp-password src/app.cfg:2 ${values.password}`,
    ]);
    expect(report.stats.suppressed).toEqual({ inline: 1, allow: 4, baseline: 2 });
  });

  it('adds nothing when run again, and keeps what the user wrote', () => {
    const path = join(repo.path, 'keyfence.yml');
    const before = readFileSync(path, 'utf8');
    repo.write('keyfence.yml', `# our policy\nfailOn: high # team decision\n${before}`);
    const result = runCli(['import', 'gitleaks'], repo.path);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('keyfence.yml: nothing new to add');
    expect(readFileSync(path, 'utf8')).toBe(`# our policy\nfailOn: high # team decision\n${before}`);
  });
});
