import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { inlineSuppression } from '../../src/suppressions/inlineComment.js';
import { applySuppressions } from '../../src/suppressions/suppress.js';
import { findingOn, token, workflowFinding } from '../support/findings.js';

const MARKERS = defaultConfig().suppressionMarkers;
const S = '{S}';

/** `line` holds the secret where `{S}` is; `previous` is the line above. */
interface Case {
  name: string;
  line: string;
  previous?: string;
  markers?: string[];
  /** The marker that silences it, and the reason it gives. */
  by?: { marker: string; reason: string };
}

const suppressed: Case[] = [
  { name: '# comment', line: `KEY=${S} # keyfence:allow`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: '// comment', line: `const key = "${S}"; // keyfence:allow`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: '/* */ comment', line: `const key = "${S}"; /* keyfence:allow */`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: '<!-- --> comment', line: `<add key="stripe" value="${S}" /> <!-- keyfence:allow -->`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: '-- comment', line: `INSERT INTO keys VALUES ('${S}'); -- keyfence:allow`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: '; comment', line: `key = ${S} ; keyfence:allow`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: 'naming the rule, with a reason', line: `KEY=${S} # keyfence:allow[kf-test-token] revoked in 2024`, by: { marker: 'keyfence:allow[kf-test-token]', reason: 'revoked in 2024' } },
  { name: 'a space after the colon', line: `KEY=${S} # keyfence: allow[kf-test-token]`, by: { marker: 'keyfence: allow[kf-test-token]', reason: '' } },
  { name: 'the ignore spelling', line: `KEY=${S} # keyfence: ignore[kf-test-token] test fixture`, by: { marker: 'keyfence: ignore[kf-test-token]', reason: 'test fixture' } },
  { name: 'one of several rules', line: `KEY=${S} # keyfence:allow[other-rule, kf-test-token] both known`, by: { marker: 'keyfence:allow[other-rule, kf-test-token]', reason: 'both known' } },
  { name: 'any case', line: `KEY=${S} # KEYFENCE:ALLOW[KF-TEST-TOKEN]`, by: { marker: 'KEYFENCE:ALLOW[KF-TEST-TOKEN]', reason: '' } },
  { name: 'before the secret', line: `/* keyfence:allow */ KEY=${S}`, by: { marker: 'keyfence:allow', reason: '' } },
  { name: 'next-line marker above', line: `KEY=${S}`, previous: '# keyfence-ignore-next-line', by: { marker: 'keyfence-ignore-next-line', reason: '' } },
  { name: 'next-line marker naming the rule', line: `KEY=${S}`, previous: '  // keyfence-ignore-next-line[kf-test-token] sample', by: { marker: 'keyfence-ignore-next-line[kf-test-token]', reason: 'sample' } },
  { name: 'a comment-only line above naming the rule', line: `  token: ${S}`, previous: '  # keyfence:allow[kf-test-token] fixture for the parser', by: { marker: 'keyfence:allow[kf-test-token]', reason: 'fixture for the parser' } },
  { name: 'gitleaks:allow', line: `KEY=${S} # gitleaks:allow`, by: { marker: 'gitleaks:allow', reason: '' } },
  { name: 'pragma: allowlist secret', line: `KEY = "${S}"  # pragma: allowlist secret`, by: { marker: 'pragma: allowlist secret', reason: '' } },
  { name: 'secretlint-disable-line', line: `const k = "${S}"; // secretlint-disable-line`, by: { marker: 'secretlint-disable-line', reason: '' } },
  { name: 'pragma: allowlist nextline secret above', line: `KEY=${S}`, previous: '# pragma: allowlist nextline secret', by: { marker: 'pragma: allowlist nextline secret', reason: '' } },
  { name: 'secretlint-disable-next-line above', line: `KEY=${S}`, previous: '// secretlint-disable-next-line', by: { marker: 'secretlint-disable-next-line', reason: '' } },
  { name: 'a configured marker', line: `KEY=${S} # nosecret-here`, markers: ['nosecret-here'], by: { marker: 'nosecret-here', reason: '' } },
];

const reported: Case[] = [
  { name: 'no marker', line: `KEY=${S}` },
  { name: 'an allow naming another rule', line: `KEY=${S} # keyfence:allow[other-rule] not this one` },
  { name: 'a misspelt marker', line: `KEY=${S} # keyfence-allow` },
  { name: 'a longer word', line: `KEY=${S} # keyfence:allowlist` },
  { name: 'a next-line marker on the same line', line: `KEY=${S} # keyfence-ignore-next-line` },
  { name: 'a bare allow on the line above', line: `KEY=${S}`, previous: '# keyfence:allow' },
  { name: 'a named allow above that belongs to a line of code', line: `B=${S}`, previous: `A=1 # keyfence:allow[kf-test-token] for A` },
  { name: 'a next-line marker above naming another rule', line: `KEY=${S}`, previous: '# keyfence-ignore-next-line[other-rule]' },
  { name: 'a migration marker that is not configured', line: `KEY=${S} # gitleaks:allow`, markers: [] },
  { name: 'a next-line migration form on the same line', line: `KEY=${S} // secretlint-disable-next-line` },
];

const build = (c: Case, secret = token()) =>
  findingOn(c.line.replace(S, secret), secret, c.previous !== undefined ? { previousLineText: c.previous } : {});

describe('inline suppressions', () => {
  it.each(suppressed)('silence a finding: $name', (c) => {
    expect(inlineSuppression(build(c), { markers: c.markers ?? MARKERS })).toEqual({ suppressed: true, by: c.by });
  });

  it.each(reported)('do not silence: $name', (c) => {
    expect(inlineSuppression(build(c), { markers: c.markers ?? MARKERS }).suppressed).toBe(false);
  });

  it('do not hide a second secret of another rule on a line whose allow names one rule', () => {
    const first = token('kft');
    const second = token('kfo');
    const line = `A=${first} B=${second} # keyfence:allow[kf-test-token] known test key`;
    const a = findingOn(line, first);
    const b = findingOn(line, second, { ruleId: 'kf-other-token' });
    const { kept } = applySuppressions([a, b], { config: defaultConfig(), disabled: false });
    expect(kept.map((f) => f.ruleId)).toEqual(['kf-other-token']);
  });

  it('do not hide the same rule on the next line', () => {
    const line1 = `A=${token()} # keyfence:allow`;
    const secret = token();
    const f = findingOn(`B=${secret}`, secret, { line: 2, previousLineText: line1 });
    expect(inlineSuppression(f, { markers: MARKERS }).suppressed).toBe(false);
  });

  it('do not count a marker inside the matched secret itself', () => {
    const secret = `pw-keyfence:allow-${token()}`;
    const f = findingOn(`PASSWORD="${secret}"`, secret, { ruleId: 'kf-password' });
    expect(inlineSuppression(f, { markers: MARKERS }).suppressed).toBe(false);
    const gitleaks = `gitleaks:allow${token()}`;
    expect(inlineSuppression(findingOn(`P=${gitleaks}`, gitleaks), { markers: MARKERS }).suppressed).toBe(false);
    // The same marker in a comment after it does count.
    expect(inlineSuppression(findingOn(`PASSWORD="${secret}" # keyfence:allow`, secret), { markers: MARKERS }).suppressed).toBe(true);
  });

  it('are all ignored with --no-suppressions', () => {
    const secret = token();
    const f = findingOn(`KEY=${secret} # keyfence:allow`, secret);
    expect(applySuppressions([f], { config: defaultConfig(), disabled: true }).kept).toEqual([f]);
  });
});

describe('inline suppressions of workflow checks', () => {
  const line = '      - uses: actions/checkout@v4';
  const check = (text: string, previous?: string) =>
    inlineSuppression(workflowFinding(text, previous !== undefined ? { previousLineText: previous } : {}), { markers: MARKERS });

  it('silence a check named with a reason, on the line or the comment line above', () => {
    expect(check(`${line} # keyfence: ignore[untrusted-checkout] only builds the docs, no secrets`)).toEqual({
      suppressed: true,
      by: { marker: 'keyfence: ignore[untrusted-checkout]', reason: 'only builds the docs, no secrets' },
    });
    expect(check(line, '      # keyfence: ignore[untrusted-checkout] only builds the docs')).toEqual({
      suppressed: true,
      by: { marker: 'keyfence: ignore[untrusted-checkout]', reason: 'only builds the docs' },
    });
    expect(check(`${line} # keyfence:allow[untrusted-checkout] reviewed by security`)).toEqual({
      suppressed: true,
      by: { marker: 'keyfence:allow[untrusted-checkout]', reason: 'reviewed by security' },
    });
  });

  it('need a reason, and say so in a note', () => {
    const verdict = check(`${line} # keyfence: ignore[untrusted-checkout]`);
    expect(verdict.suppressed).toBe(false);
    expect(verdict.problem).toMatch(/^\.github\/workflows\/ci\.yml:12: .*needs a reason/);
    const { kept, notes } = applySuppressions([workflowFinding(`${line} # keyfence: ignore[untrusted-checkout]`)], { config: defaultConfig(), disabled: false });
    expect(kept).toHaveLength(1);
    expect(notes).toHaveLength(1);
  });

  it('need the check named', () => {
    const verdict = check(`${line} # keyfence:allow trust me`);
    expect(verdict.suppressed).toBe(false);
    expect(verdict.problem).toMatch(/must name the check/);
  });

  it('do not silence another check, nor take other scanners\' markers', () => {
    expect(check(`${line} # keyfence: ignore[template-injection] not this one`)).toEqual({ suppressed: false });
    expect(check(`${line} # gitleaks:allow`).suppressed).toBe(false);
    expect(check(line, '# keyfence-ignore-next-line').suppressed).toBe(false);
  });
});

describe('requireReason', () => {
  const options = { markers: MARKERS, requireReason: true };

  it('makes an inline marker without a reason ineffective, with a note', () => {
    const secret = token();
    for (const text of [`K=${secret} # keyfence:allow[kf-test-token]`, `K=${secret} /* keyfence:allow[kf-test-token] */`, `K=${secret} # keyfence:allow`]) {
      const verdict = inlineSuppression(findingOn(text, secret), options);
      expect(verdict.suppressed, text).toBe(false);
      expect(verdict.problem, text).toMatch(/needs a reason/);
    }
    const foreign = inlineSuppression(findingOn(`K=${secret} # gitleaks:allow`, secret), options);
    expect(foreign.suppressed).toBe(false);
    expect(foreign.problem).toMatch(/gives no reason/);
  });

  it('accepts a marker with a reason in any comment syntax', () => {
    const secret = token();
    for (const text of [
      `K=${secret} # keyfence:allow[kf-test-token] revoked test key`,
      `<v>${secret}</v> <!-- keyfence:allow revoked test key -->`,
      `k = "${secret}"; /* keyfence:allow sample from the docs */`,
    ])
      expect(inlineSuppression(findingOn(text, secret), options).suppressed, text).toBe(true);
  });
});
