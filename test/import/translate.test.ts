import { describe, expect, it } from 'vitest';
import { globs } from '../../src/engine/globs.js';
import { asBareSource, convertGoRegex } from '../../src/import/goRegex.js';
import { ignoreLineToGlobs, pathRegexToGlobs } from '../../src/import/pathGlob.js';

describe('Go RE2 regexes as JavaScript', () => {
  it.each([
    ['(?i)\\b(acme_[a-f0-9]{32})\\b', '\\b(acme_[a-f0-9]{32})\\b', 'i'],
    ['(?is)key.+end', 'key.+end', 'is'],
    ['(?P<key>[[:alnum:]]{8})', '(?<key>[0-9A-Za-z]{8})', ''],
    ['[[:xdigit:][:punct:]]', '[0-9A-Fa-f!-\\/:-@\\[-`{-~]', ''],
    ['token\\z', 'token$', ''],
    ['\\Atoken', '^token', ''],
    ['\\Qa.b*c\\E+', 'a\\.b\\*c+', ''],
    ['\\pL{4}\\PN', '\\p{L}{4}\\P{N}', 'u'],
    ['\\p{Greek}', '\\p{Script=Greek}', 'u'],
    ['\\x{2603}', '\\u{2603}', 'u'],
    ['[]a]', '[\\]a]', ''],
  ])('%s', (go, source, flags) => {
    const converted = convertGoRegex(go);
    expect(converted).toEqual({ ok: true, source, flags, notes: [] });
  });

  it('moves a flag group from the middle to the whole regex, and says so', () => {
    expect(convertGoRegex('key(?i:secret)=')).toEqual({
      ok: true,
      source: 'key(?:secret)=',
      flags: 'i',
      notes: ['"(?i:" in the middle of the regex became the `i` flag for the whole regex (JavaScript has no inline flags): it may match more'],
    });
  });

  it.each([
    ['(?U)a+', 'the (?U) flag (ungreedy by default) has no JavaScript equivalent'],
    ['a\\Cb', '\\C (any byte) has no JavaScript equivalent'],
    ['a(?-i:b)', 'the inline flag group "(?-i:" has no JavaScript equivalent'],
    ['a(?s:.)', 'the inline flag group "(?s:" has no JavaScript equivalent'],
    ['[[:^alpha:]]', 'a negated POSIX class [:^alpha:] inside a bracket has no JavaScript spelling'],
    ['(a', 'it does not compile as a JavaScript regex: Invalid regular expression: /(a/: Unterminated group'],
  ])('refuses %s with the reason', (go, reason) => {
    expect(convertGoRegex(go)).toEqual({ ok: false, reason });
  });

  it('spells out case-insensitivity for places that take no flags', () => {
    const converted = convertGoRegex('(?i)ab[c-d]\\w(?P<n>x)');
    if (!converted.ok) throw new Error(converted.reason);
    const bare = asBareSource(converted);
    expect(bare).toEqual({ ok: true, source: '[aA][bB][c-dC-D]\\w(?<n>[xX])', flags: '', notes: [] });
    const re = new RegExp(bare.ok ? bare.source : '');
    expect(['ABD_X', 'abc1x', 'aBc_X'].map((s) => re.test(s))).toEqual([true, true, true]);
    expect(re.test('abe_x')).toBe(false);
  });
});

describe('path regexes as globs', () => {
  const PATHS = [
    'a.png', 'x/y/IMG.PNG', 'b.Jpeg', 'gitleaks.toml', 'sub/gitleaks.toml', 'sub/gitleaks.toml.bak', 'node_modules/a/b.js',
    'src/node_modules.js', 'config/x.yml', 'config/a/b.yml', 'other/config/x.yml', '.env', 'a/.env', 'a/.env.local',
    'vendor/x', 'src/vendor/y', 'myvendor/z', 'test/fixtures/a.txt', 'test/fixtures', 'fixtures', 'go.sum', 'a/go.sum', 'a/go.summary',
  ];
  it.each([
    '(?i)\\.(?:bmp|gif|jpe?g|png|svg|tiff?)$',
    'gitleaks\\.toml',
    'node_modules',
    '^config/.*\\.yml$',
    '\\.env',
    '(^|/)vendor/',
    '(?:^|/)go\\.sum$',
    '^test/fixtures/',
    'go\\.sum$',
    'fixtures',
  ])('%s matches the same paths as its globs', (regex) => {
    const result = pathRegexToGlobs(regex);
    if (!result.ok) throw new Error(result.reason);
    const re = new RegExp(regex.replace('(?i)', ''), regex.startsWith('(?i)') ? 'i' : '');
    const differ = PATHS.filter((p) => re.test(p) !== globs().isMatch(p, result.globs, { dot: true }));
    expect(differ).toEqual([]);
  });

  it.each([
    ['a{2}', 'the path regex "a{2}" has no exact glob form: a counted repetition has no glob equivalent'],
    ['a\\d', 'the path regex "a\\d" has no exact glob form: the escape \\d has no glob equivalent'],
    ['.*', 'the path regex ".*" matches every path'],
  ])('refuses %s with the reason', (regex, reason) => {
    expect(pathRegexToGlobs(regex)).toEqual({ ok: false, reason });
  });

  it.each([
    ['generated/', ['**/generated/**']],
    ['/build', ['build', 'build/**']],
    ['docs/*.md', ['docs/*.md', 'docs/*.md/**']],
    ['*.log', ['**/*.log', '**/*.log/**']],
  ])('reads the ignore line %s', (line, expected) => {
    expect(ignoreLineToGlobs(line)).toEqual({ ok: true, globs: expected });
  });

  it('skips comments and blank lines, and refuses negations', () => {
    expect(ignoreLineToGlobs('# note')).toBeUndefined();
    expect(ignoreLineToGlobs('   ')).toBeUndefined();
    expect(ignoreLineToGlobs('!keep.txt')).toEqual({ ok: false, reason: 'the negation "!keep.txt" has no allow-entry equivalent (allow entries only add exceptions)' });
  });
});
