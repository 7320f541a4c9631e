import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/** Broken input: one message naming file and line, exit 2, and nothing written. */
describe('keyfence import on bad input', () => {
  let repo: TempDir;
  const USER_CONFIG = '# ours\nfailOn: high\n';

  beforeEach(() => {
    repo = tempRepo();
    repo.write('keyfence.yml', USER_CONFIG);
  });
  afterEach(() => repo.remove());

  const cases: Array<{ name: string; tool: string; files: Record<string, string>; message: string }> = [
    {
      name: 'a TOML syntax error',
      tool: 'gitleaks',
      files: { '.gitleaks.toml': 'title = "x"\n\n[[rules]]\nid = "a"\nregex = \n' },
      message: 'keyfence: .gitleaks.toml:5: Invalid TOML document: invalid value',
    },
    {
      name: 'a gitleaks rule without an id',
      tool: 'gitleaks',
      files: { '.gitleaks.toml': '[[rules]]\nid = "a"\nregex = "a_[0-9]{8}"\n\n[[rules]]\nregex = "b_[0-9]{8}"\n' },
      message: 'keyfence: .gitleaks.toml:5: a [[rules]] entry has no `id`',
    },
    {
      name: 'a gitleaks rule whose keywords are not strings',
      tool: 'gitleaks',
      files: { '.gitleaks.toml': '[[rules]]\nid = "a"\nregex = "a_[0-9]{8}"\nkeywords = [1, 2]\n' },
      message: 'keyfence: .gitleaks.toml:1: rule a: `keywords` must be a list of strings',
    },
    {
      name: 'a line of .gitleaksignore that is no fingerprint',
      tool: 'gitleaks',
      files: { '.gitleaksignore': '# ok\nsrc/a.cfg:some-rule:3\nnot a fingerprint\n' },
      message: 'keyfence: .gitleaksignore:3: "not a fingerprint" is not a gitleaks fingerprint (commit:file:rule:line or file:rule:line)',
    },
    {
      name: 'a detect-secrets baseline that is not JSON',
      tool: 'detect-secrets',
      files: { '.secrets.baseline': '{\n  "version": "1.5.0",\n  "results": {\n    "a.py": [\n  }\n}\n' },
      message: 'keyfence: .secrets.baseline:5: not a detect-secrets baseline: not valid JSON',
    },
    {
      name: 'a detect-secrets result without hashed_secret',
      tool: 'detect-secrets',
      files: { '.secrets.baseline': '{\n  "results": {\n    "a.py": [\n      {\n        "type": "Secret Keyword",\n        "hashed_secret": "nothex"\n      }\n    ]\n  }\n}\n' },
      message: 'keyfence: .secrets.baseline:6: result 1 of a.py has no hashed_secret (40 hex digits)',
    },
    {
      name: 'a .secretlintrc.json without rules',
      tool: 'secretlint',
      files: { '.secretlintrc.json': '{ "extends": [] }\n' },
      message: 'keyfence: .secretlintrc.json:1: no "rules" list',
    },
  ];

  it.each(cases)('$name', ({ tool, files, message }) => {
    for (const [file, text] of Object.entries(files)) repo.write(file, text);
    const result = runCli(['import', tool], repo.path);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr.split('\n')).toHaveLength(3); // the message, its hint, the end of the last line
    expect(readFileSync(join(repo.path, 'keyfence.yml'), 'utf8')).toBe(USER_CONFIG);
    expect(existsSync(join(repo.path, '.keyfence-baseline.json'))).toBe(false);
  });

  it('names the tools it knows', () => {
    const result = runCli(['import', 'trufflehog'], repo.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('keyfence: import: unknown tool "trufflehog"\n  hint: use one of gitleaks, detect-secrets, secretlint\n');
  });

  it('says which files it looked for', () => {
    const result = runCli(['import', 'gitleaks'], repo.path);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('keyfence: import: no .gitleaks.toml and no .gitleaksignore at .');
  });
});
