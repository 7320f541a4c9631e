import * as core from '@actions/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportFinding } from '../../src/findings/finding.js';
import { annotation, escapeData, escapeProperty, renderGithub } from '../../src/reporters/github.js';
import { context, sampleReport } from './sample.js';

/** What GitHub's own toolkit prints for an annotation: the reference for our escaping. */
function toolkit(kind: 'error' | 'warning' | 'notice', message: string, properties: core.AnnotationProperties): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    core[kind](message, properties);
  } finally {
    spy.mockRestore();
  }
  return out.replace(/\r?\n$/, '');
}

afterEach(() => vi.restoreAllMocks());

const NASTY = ['100%', 'a\r\nb', 'line\nbreak', 'key: value', 'one, two', '%0A', '::error::injected', '%25:,\r\n', 'prod é, "x".env'];

describe('github reporter escaping', () => {
  it('escapes data as the toolkit does: %, CR and LF', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('escapes properties as the toolkit does: also : and ,', () => {
    expect(escapeProperty('C:\\dir, x%\n')).toBe('C%3A\\dir%2C x%25%0A');
  });

  it.each(NASTY)('prints the same bytes as @actions/core for %j', (value) => {
    const f: ReportFinding = {
      ruleId: 'kf-test-token',
      category: 'live-key',
      severity: 'high',
      message: value,
      file: `dir/${value}`,
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 9,
      environment: 'unknown',
      secret: '',
      fingerprint: '0'.repeat(32),
    };
    expect(annotation(f)).toBe(toolkit('error', value, { title: 'kf-test-token (high)', file: `dir/${value}`, startLine: 3, endLine: 3, startColumn: 5, endColumn: 9 }));
  });

  it('cannot be made to print a second command', () => {
    const out = renderGithub(sampleReport(), context());
    for (const line of out.trimEnd().split('\n')) expect(line).toMatch(/^(::(error|warning|notice) [^\n]*::[^\n]*|keyfence: \d+ findings?)$/);
  });
});

describe('github reporter', () => {
  it('prints error for critical and high, warning for medium, notice for low, and the notes', () => {
    const lines = renderGithub(sampleReport(), context()).trimEnd().split('\n');
    expect(lines.map((l) => /^::(\w+) title=([^,:]+)/.exec(l)?.slice(1).join(' ') ?? l)).toEqual([
      'notice untrusted-checkout (low)',
      'error stripe-live-secret-key (critical)',
      'error aws-access-key-id (high)',
      'error private-key (high)',
      'warning generic-password (medium)',
      'notice slack-bot-token (high%2C suppressed by this change)',
      'notice generic-api-key (medium%2C suppressed by this change)',
      'notice keyfence',
      'notice keyfence',
      'keyfence: 5 findings',
    ]);
    expect(lines[1]).toMatch(/^::error title=stripe-live-secret-key \(critical\),file=config\/\.env\.development,line=3,endLine=3,col=19,endColumn=51::Stripe live secret key: sk_live_…\w{4} \(development file\)$/);
    expect(lines[2]).toContain('file=deploy/prod é%2C "x".env,');
    expect(lines[2]).toContain('%0Aadded in commit c0ffeec0ffee by Dev, Eloper');
  });

  it('gives what the change suppressed a notice at its place, with the marker and the reason', () => {
    const lines = renderGithub(sampleReport(), context()).split('\n');
    expect(lines.find((l) => l.includes('slack-bot-token'))).toMatch(
      /^::notice title=slack-bot-token \(high%2C suppressed by this change\),file=test\/fixtures\/slack reply\.json,line=2,endLine=2,col=14,endColumn=68::Slack bot token: xoxb-…\w{4} \(test file\)%0Aadded in commit c0ffeec0ffee by .*%0Asuppressed by this change with keyfence:allow\[slack-bot-token\]: recorded `reply` \| token revoked$/,
    );
    expect(lines.find((l) => l.includes('generic-api-key'))).toMatch(/%0Asuppressed by this change with gitleaks:allow: no reason given$/);
  });

  it('gives columns only for an annotation on one line, as GitHub requires', () => {
    const pem = renderGithub(sampleReport(), context()).split('\n').find((l) => l.includes('private-key'))!;
    expect(pem).toMatch(/^::error title=private-key \(high\),file=keys\/id_rsa,line=1,endLine=4::/);
  });

  it('says so when there is nothing to report', () => {
    expect(renderGithub({ findings: [], notes: [], units: ['files'], stats: { files: 1, bytes: 1, commits: 0, durationMs: 1, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 0 } } }, context())).toBe('keyfence: no findings\n');
  });
});
