import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { defaultConfig, type AllowEntry } from '../../src/config/config.js';
import { allowedByConfig, compileAllowlist } from '../../src/suppressions/allowlist.js';
import { applySuppressions } from '../../src/suppressions/suppress.js';
import { findingOn, token } from '../support/findings.js';

const allowed = (entries: AllowEntry[], f: ReturnType<typeof findingOn>) => allowedByConfig(f, compileAllowlist(entries));

describe('config allowlists', () => {
  const secret = token();
  const inFixture = findingOn(`KEY=${secret}`, secret, { file: 'test/fixtures/keys.env' });
  const inApp = findingOn(`KEY=${secret}`, secret, { file: 'src/app.env' });

  it('match paths with micromatch globs, dotfiles included', () => {
    expect(allowed([{ paths: ['test/fixtures/**'] }], inFixture)).toBe(true);
    expect(allowed([{ paths: ['test/fixtures/**'] }], inApp)).toBe(false);
    expect(allowed([{ paths: ['**/*.env'] }], findingOn(`K=${secret}`, secret, { file: 'config/.env' }))).toBe(true);
    expect(allowed([{ paths: ['**/.env'] }], findingOn(`K=${secret}`, secret, { file: 'config/.env' }))).toBe(true);
  });

  it('apply per rule or to every rule', () => {
    expect(allowed([{ rules: ['kf-test-token'], paths: ['test/**'] }], inFixture)).toBe(true);
    expect(allowed([{ rules: ['other-rule'], paths: ['test/**'] }], inFixture)).toBe(false);
    expect(allowed([{ rules: ['kf-test-token'] }], inApp)).toBe(true);
  });

  it('match regexes on the secret and on the line', () => {
    expect(allowed([{ secrets: ['^kft_'] }], inApp)).toBe(true);
    expect(allowed([{ secrets: ['^kfo_'] }], inApp)).toBe(false);
    expect(allowed([{ lines: ['^KEY='] }], inApp)).toBe(true);
    expect(allowed([{ lines: ['^OTHER='] }], inApp)).toBe(false);
  });

  it('match stopwords in the secret, whatever the case', () => {
    const sample = `kft_EXAMPLE${token().slice(4, 20)}`;
    expect(allowed([{ stopwords: ['example'] }], findingOn(`K=${sample}`, sample))).toBe(true);
    expect(allowed([{ stopwords: ['example'] }], inApp)).toBe(false);
  });

  it('drop a finding only when every criterion of one entry matches', () => {
    expect(allowed([{ paths: ['test/**'], secrets: ['^kfo_'] }], inFixture)).toBe(false);
    expect(allowed([{ paths: ['test/**'], secrets: ['^kft_'], rules: ['kf-test-token'] }], inFixture)).toBe(true);
    // Two entries that each match one criterion do not add up.
    expect(allowed([{ paths: ['test/**'], rules: ['other-rule'] }, { paths: ['src/**'], rules: ['kf-test-token'] }], inFixture)).toBe(false);
  });

  it('reject broken entries with a message naming the file and entry', () => {
    const bad = (entries: AllowEntry[], requireReason = false) => () => compileAllowlist(entries, requireReason);
    expect(bad([{ secrets: ['('], origin: 'keyfence.yml' }])).toThrow(/^keyfence\.yml: allow\[0\]\.secrets "\(" is not a valid regular expression/);
    expect(bad([{ reason: 'nothing', origin: 'keyfence.yml' }])).toThrow(/allow\[0\] sets nothing to match/);
    expect(bad([{ paths: [42 as unknown as string], origin: 'keyfence.yml' }])).toThrow(/allow\[0\]\.paths must be a list of non-empty strings/);
    expect(bad([{ paths: ['a/**'], reason: 'ok' }, { paths: ['b/**'], origin: 'keyfence.yml' }], true)).toThrow(UserError);
    expect(bad([{ paths: ['a/**'], reason: 'ok' }, { paths: ['b/**'], origin: 'keyfence.yml' }], true)).toThrow(
      /^keyfence\.yml: allow\[1\] has no reason, and the config sets requireReason$/,
    );
    expect(bad([{ paths: ['a/**'], reason: 'generated fixtures' }], true)).not.toThrow();
  });

  it('run in the suppression stage, and not with --no-suppressions', () => {
    const config = { ...defaultConfig(), allow: [{ paths: ['test/**'], reason: 'fixtures' }] };
    expect(applySuppressions([inFixture, inApp], { config, disabled: false }).kept).toEqual([inApp]);
    expect(applySuppressions([inFixture, inApp], { config, disabled: true }).kept).toEqual([inFixture, inApp]);
  });
});
