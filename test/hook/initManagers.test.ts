/**
 * `keyfence init --hook … --manager …` writes the right file for each hook manager, merges into
 * what is there, never overwrites a hook silently, and changes nothing when run again.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectOneLineError, keyfence } from '../git/gitHelpers.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});
const read = (file: string) => readFileSync(join(dir!.path, file), 'utf8');
const init = (...args: string[]) => keyfence(dir!.path, ['init', ...args]);

describe('--manager lefthook', () => {
  it('writes lefthook.yml with a command per hook, stdin handed on for pre-push', () => {
    dir = tempRepo();
    expect(init('--hook', 'pre-commit', '--manager', 'lefthook').stdout).toContain('created  lefthook.yml: pre-commit runs `keyfence staged` (a new pre-commit hook)');
    expect(init('--hook', 'pre-push', '--manager', 'lefthook').stdout).toContain('changed  lefthook.yml: pre-push runs `keyfence push` (a new pre-push hook)');
    expect(read('lefthook.yml')).toBe(
      [
        'pre-commit:',
        '  commands:',
        '    keyfence:',
        '      run: npx --no-install keyfence staged',
        'pre-push:',
        '  commands:',
        '    keyfence:',
        '      run: npx --no-install keyfence push',
        '      use_stdin: true',
        '',
      ].join('\n'),
    );
    expect(parse(read('lefthook.yml'))).toEqual({
      'pre-commit': { commands: { keyfence: { run: 'npx --no-install keyfence staged' } } },
      'pre-push': { commands: { keyfence: { run: 'npx --no-install keyfence push', use_stdin: true } } },
    });
    const again = init('--hook', 'pre-push', '--manager', 'lefthook');
    expect(again.stdout).toContain('kept     lefthook.yml: its pre-push already runs keyfence');
  });

  it('merges into an existing configuration, keeping its comments and commands, and into a jobs list', () => {
    dir = tempRepo();
    const mine = '# our hooks\npre-push:\n  parallel: true\n  commands:\n    test:\n      run: npm test # all of them\npre-commit:\n  jobs:\n    - name: lint\n      run: npx eslint {staged_files}\n';
    dir.write('.lefthook.yml', mine);
    expect(init('--hook', 'pre-push', '--manager', 'lefthook').stdout).toContain('changed  .lefthook.yml: pre-push runs `keyfence push` (a command added to its commands)');
    expect(init('--hook', 'pre-commit', '--manager', 'lefthook').stdout).toContain('changed  .lefthook.yml: pre-commit runs `keyfence staged` (a job added to its jobs)');
    expect(existsSync(join(dir.path, 'lefthook.yml'))).toBe(false);
    expect(read('.lefthook.yml')).toBe(
      [
        '# our hooks',
        'pre-push:',
        '  parallel: true',
        '  commands:',
        '    test:',
        '      run: npm test # all of them',
        '    keyfence:',
        '      run: npx --no-install keyfence push',
        '      use_stdin: true',
        'pre-commit:',
        '  jobs:',
        '    - name: lint',
        '      run: npx eslint {staged_files}',
        '    - name: keyfence',
        '      run: npx --no-install keyfence staged',
        '',
      ].join('\n'),
    );
    const before = read('.lefthook.yml');
    expect(init('--hook', 'pre-commit', '--manager', 'lefthook').stdout).toContain('kept     .lefthook.yml: its pre-commit already runs keyfence');
    expect(read('.lefthook.yml')).toBe(before);
  });

  it('refuses a configuration it cannot read, naming file, line and column', () => {
    dir = tempRepo();
    dir.write('lefthook.yml', 'pre-push:\n  commands: [\n');
    expectOneLineError(init('--hook', 'pre-push', '--manager', 'lefthook'), /^keyfence: lefthook\.yml:\d+:\d+: /);
    expect(read('lefthook.yml')).toBe('pre-push:\n  commands: [\n');
  });
});

describe('--manager pre-commit', () => {
  it('writes a repo: local hook, and for pre-push the install type the framework needs', () => {
    dir = tempRepo();
    expect(init('--hook', 'pre-push', '--manager', 'pre-commit').stdout).toContain(
      'created  .pre-commit-config.yaml: `repo: local` with hook keyfence-push (pre-push), default_install_hook_types: [pre-commit, pre-push]',
    );
    expect(read('.pre-commit-config.yaml')).toBe(
      [
        'repos:',
        '  - repo: local',
        '    hooks:',
        '      - id: keyfence-push',
        '        name: keyfence (secrets in pushed commits)',
        '        entry: keyfence push',
        '        language: system',
        '        pass_filenames: false',
        '        always_run: true',
        '        stages: [pre-push]',
        'default_install_hook_types: [pre-commit, pre-push]',
        '',
      ].join('\n'),
    );
    expect(parse(read('.pre-commit-config.yaml'))).toEqual({
      repos: [{ repo: 'local', hooks: [{ id: 'keyfence-push', name: 'keyfence (secrets in pushed commits)', entry: 'keyfence push', language: 'system', pass_filenames: false, always_run: true, stages: ['pre-push'] }] }],
      default_install_hook_types: ['pre-commit', 'pre-push'],
    });
  });

  it('adds to an existing repo: local and keeps the other repositories and comments', () => {
    dir = tempRepo();
    const mine = [
      '# hooks',
      'default_install_hook_types: [pre-commit]',
      'repos:',
      '  - repo: https://github.com/pre-commit/pre-commit-hooks',
      '    rev: v4.6.0',
      '    hooks:',
      '      - id: trailing-whitespace',
      '  - repo: local',
      '    hooks:',
      '      - id: tests',
      '        name: tests',
      '        entry: npm test',
      '        language: system',
      '',
    ].join('\n');
    dir.write('.pre-commit-config.yaml', mine);
    const first = init('--hook', 'pre-commit', '--manager', 'pre-commit');
    expect(first.stdout).toContain('changed  .pre-commit-config.yaml: hook keyfence added to its `repo: local`');
    const second = init('--hook', 'pre-push', '--manager', 'pre-commit');
    expect(second.stdout).toContain('changed  .pre-commit-config.yaml: hook keyfence-push added to its `repo: local`, pre-push added to default_install_hook_types');
    const config = parse(read('.pre-commit-config.yaml')) as { default_install_hook_types: string[]; repos: Array<{ repo: string; hooks: Array<{ id: string; entry?: string; stages?: string[] }> }> };
    expect(config.default_install_hook_types).toEqual(['pre-commit', 'pre-push']);
    expect(config.repos.map((r) => [r.repo, r.hooks.map((h) => h.id)])).toEqual([
      ['https://github.com/pre-commit/pre-commit-hooks', ['trailing-whitespace']],
      ['local', ['tests', 'keyfence', 'keyfence-push']],
    ]);
    expect(config.repos[1]!.hooks.slice(1).map((h) => [h.entry, h.stages])).toEqual([
      ['keyfence staged', ['pre-commit']],
      ['keyfence push', ['pre-push']],
    ]);
    expect(read('.pre-commit-config.yaml').startsWith('# hooks\n')).toBe(true);
    const before = read('.pre-commit-config.yaml');
    expect(init('--hook', 'pre-push', '--manager', 'pre-commit').stdout).toContain('kept     .pre-commit-config.yaml: it already has the keyfence-push hook');
    expect(read('.pre-commit-config.yaml')).toBe(before);
  });

  it('ships .pre-commit-hooks.yaml with both hooks for `repo: <keyfence url>`', () => {
    const hooks = parse(readFileSync(new URL('../../.pre-commit-hooks.yaml', import.meta.url), 'utf8')) as Array<{ id: string; entry: string; stages: string[]; language: string }>;
    expect(hooks.map((h) => [h.id, h.entry, h.stages, h.language])).toEqual([
      ['keyfence', 'keyfence staged', ['pre-commit'], 'node'],
      ['keyfence-push', 'keyfence push', ['pre-push'], 'node'],
    ]);
  });
});

describe('--manager git', () => {
  it('adds keyfence first to an existing shell hook, once, and keeps it executable', () => {
    dir = tempRepo();
    const hook = '#!/bin/sh\n# our checks\nnpm run lint\n';
    dir.write('.git/hooks/pre-commit', hook);
    const first = init('--manager', 'git');
    expect(first.stdout).toContain('changed  .git/hooks/pre-commit: runs `keyfence staged` first, then its 1 existing line, unchanged');
    const text = read('.git/hooks/pre-commit');
    expect(text.startsWith('#!/bin/sh\n# our checks\n\n# keyfence: block commits that add secrets.')).toBe(true);
    expect(text).toMatch(/^if command -v keyfence >\/dev\/null 2>&1; then keyfence staged; else npx --no-install keyfence staged; fi \|\| exit \$\?$/m);
    expect(text.endsWith('\n\nnpm run lint\n')).toBe(true);
    expect(statSync(join(dir.path, '.git/hooks/pre-commit')).mode & 0o111).not.toBe(0);
    expect(init('--manager', 'git').stdout).toContain('kept     .git/hooks/pre-commit: it already runs keyfence');
    expect(read('.git/hooks/pre-commit')).toBe(text);
  });

  it('refuses, changing nothing, a hook in another language, a hook manager\'s file, and a pre-push hook with commands', () => {
    dir = tempRepo();
    dir.write('.git/hooks/pre-commit', '#!/usr/bin/env python3\nprint("hi")\n');
    expectOneLineError(init('--manager', 'git'), /^keyfence: \.git\/hooks\/pre-commit exists and is not a shell script \(#!\/usr\/bin\/env python3\), so keyfence did not change it$/);
    dir.write('.git/hooks/pre-commit', '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\nexec python -mpre_commit\n');
    expectOneLineError(init('--manager', 'git'), /^keyfence: \.git\/hooks\/pre-commit is generated by a hook manager, which would overwrite keyfence's lines$/);
    dir.write('.git/hooks/pre-push', '#!/bin/sh\nwhile read local_ref local_sha remote_ref remote_sha; do echo "$local_ref"; done\n');
    expectOneLineError(init('--hook', 'pre-push', '--manager', 'git'), /^keyfence: \.git\/hooks\/pre-push exists with commands of its own; git hands a pre-push hook the pushed refs on standard input/);
    expect(read('.git/hooks/pre-push')).toBe('#!/bin/sh\nwhile read local_ref local_sha remote_ref remote_sha; do echo "$local_ref"; done\n');
    expect(existsSync(join(dir.path, 'keyfence.yml'))).toBe(false);
  });

  it('in a linked worktree writes the hook git runs there: the main repository\'s', () => {
    dir = tempRepo();
    dir.write('README.md', '# x\n');
    dir.git('add', '-A');
    dir.git('commit', '-q', '-m', 'start');
    dir.git('worktree', 'add', '-q', 'wt');
    const result = keyfence(join(dir.path, 'wt'), ['init', '--hook', 'pre-push', '--manager', 'git']);
    expect(result.code, result.stderr).toBe(0);
    expect(read('.git/hooks/pre-push')).toMatch(/keyfence push/);
    expect(existsSync(join(dir.path, 'wt', '.git', 'hooks'))).toBe(false);
  });

  it('refuses when core.hooksPath is husky\'s', () => {
    dir = tempRepo();
    dir.git('config', 'core.hooksPath', '.husky/_');
    expectOneLineError(init('--hook', 'pre-push', '--manager', 'git'), /^keyfence: core\.hooksPath points at \.husky\/_ \(husky's\), which husky rewrites$/);
  });
});

describe('init options', () => {
  it('rejects an unknown hook or manager with one line', () => {
    dir = tempRepo();
    expectOneLineError(init('--hook', 'commit-msg'), /^keyfence: init: unknown hook "commit-msg"$/);
    expectOneLineError(init('--manager', 'overcommit'), /^keyfence: init: unknown hook manager "overcommit"$/);
  });

  it('--manager husky --hook pre-push writes .husky/pre-push and leaves pre-commit alone', () => {
    dir = tempRepo();
    const result = init('--hook', 'pre-push');
    expect(result.stdout).toContain('created  .husky/pre-push: runs `keyfence push`');
    expect(read('.husky/pre-push')).toMatch(/^keyfence push$/m);
    expect(existsSync(join(dir.path, '.husky', 'pre-commit'))).toBe(false);
  });
});
