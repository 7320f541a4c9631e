import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseLogOptions } from '../../src/sources/logOptions.js';

describe('--log-opts', () => {
  it.each([
    ['--all', { options: [], revisions: ['--all'], paths: [] }],
    ['main..feature --no-merges', { options: ['--no-merges'], revisions: ['main..feature'], paths: [] }],
    ['--author "Ada Lovelace" --since=2024-01-01', { options: ['--author=Ada Lovelace', '--since=2024-01-01'], revisions: [], paths: [] }],
    ["-n 5 -3 -n7 --grep='fix: \"x\"'", { options: ['--max-count=5', '--max-count=3', '--max-count=7', '--grep=fix: "x"'], revisions: [], paths: [] }],
    ['--branches=release/* -- src/ "docs dir"', { options: [], revisions: ['--branches=release/*'], paths: ['src/', 'docs dir'] }],
    ['--author=a\\ b $HOME', { options: ['--author=a b'], revisions: ['$HOME'], paths: [] }],
    ['', { options: [], revisions: [], paths: [] }],
  ])('%j', (text, expected) => {
    expect(parseLogOptions(text)).toEqual(expected);
  });

  it.each([
    ['--stat', '--log-opts: --stat changes the output of git log, which keyfence reads itself'],
    ['--format=%H', '--log-opts: --format changes the output of git log, which keyfence reads itself'],
    ['-p', '--log-opts: -p changes the output of git log, which keyfence reads itself'],
    ['--output=/tmp/x', '--log-opts: --output changes the output of git log, which keyfence reads itself'],
    ['-U5', '--log-opts: -U5 changes the output of git log, which keyfence reads itself'],
    ['--exec-path=/tmp', '--log-opts: --exec-path is not an option that chooses commits'],
    ['--author', '--log-opts: --author needs a value'],
    ['--grep "open', '--log-opts: unbalanced double quote in "--grep "open"'],
  ])('refuses %j', (text, message) => {
    let error: unknown;
    try {
      parseLogOptions(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(message);
  });
});
