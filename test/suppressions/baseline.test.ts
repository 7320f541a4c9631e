import { describe, expect, it } from 'vitest';
import {
  baselineNotes,
  coverageOfPaths,
  matchBaseline,
  newBaseline,
  parseBaseline,
  serializeBaseline,
  updateBaseline,
  type Baseline,
} from '../../src/suppressions/baseline.js';
import { findingOn, token, workflowFinding } from '../support/findings.js';

const NOW = new Date('2026-06-15T12:00:00Z');

async function baselineOf(findings: Parameters<typeof updateBaseline>[1], existing?: Baseline, options = {}) {
  return (await updateBaseline(existing, findings, options)).baseline;
}

describe('baseline entries', () => {
  it('hold rule, file and a keyed hash, never the secret, its line or a part of it', async () => {
    const secret = token();
    const f = findingOn(`API=${secret}`, secret, { file: 'config/app.env', line: 7 });
    const text = serializeBaseline(await baselineOf([f]));
    const data = JSON.parse(text);
    expect(data.version).toBe(1);
    expect(data.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(data.entries).toEqual([{ ruleId: 'kf-test-token', file: 'config/app.env', hash: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(4, 12));
    expect(text).not.toContain(secret.slice(-8));
    expect(text).not.toContain(f.fingerprint);
    expect(text).not.toMatch(/"line"/);
  });

  it('are keyed: the same secret hashes differently in two baselines, so no table works across them', async () => {
    const secret = token();
    const f = findingOn(`API=${secret}`, secret);
    const a = await baselineOf([f]);
    const b = await baselineOf([f]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.entries[0]!.hash).not.toBe(b.entries[0]!.hash);
  });

  it('survive a code move, a reformat and a squash: no line, column or commit in the address', async () => {
    const secret = token();
    const original = findingOn(`API_KEY=${secret}`, secret, { line: 3, commit: { sha: 'a'.repeat(40), author: 'A', date: '2026-01-01T00:00:00Z' } });
    const baseline = await baselineOf([original]);
    const moved = findingOn(`API_KEY=${secret}`, secret, { line: 40 });
    const reformatted = findingOn(`    apiKey: "${secret}",   // billing`, secret, { line: 12 });
    const squashed = findingOn(`API_KEY=${secret}`, secret, { line: 3, commit: { sha: 'b'.repeat(40), author: 'B', date: '2026-02-01T00:00:00Z' } });
    const match = await matchBaseline([moved, reformatted, squashed], baseline, { now: NOW });
    expect(match.kept).toEqual([]);
    expect(match.stale).toEqual([]);
  });

  it('do not hide a different secret on the same line, nor the same secret in another file or under another rule', async () => {
    const secret = token();
    const baseline = await baselineOf([findingOn(`API=${secret}`, secret)]);
    const other = token();
    const replaced = findingOn(`API=${other}`, other);
    const elsewhere = findingOn(`API=${secret}`, secret, { file: 'other.env' });
    const otherRule = findingOn(`API=${secret}`, secret, { ruleId: 'kf-other-token' });
    const match = await matchBaseline([replaced, elsewhere, otherRule], baseline, { now: NOW });
    expect(match.kept).toEqual([replaced, elsewhere, otherRule]);
    expect(match.stale).toHaveLength(1);
  });

  it('address findings without a secret (workflow checks) by their fingerprint', async () => {
    const f = workflowFinding('      - uses: actions/checkout@v4');
    const baseline = await baselineOf([f]);
    expect((await matchBaseline([{ ...f, line: 30, endLine: 30 }], baseline, { now: NOW })).kept).toEqual([]);
    const other = workflowFinding('x', { fingerprint: 'f'.repeat(32) });
    expect((await matchBaseline([other], baseline, { now: NOW })).kept).toEqual([other]);
  });
});

describe('baseline expiry and staleness', () => {
  it('an expired entry stops suppressing, and a note says so', async () => {
    const secret = token();
    const f = findingOn(`API=${secret}`, secret);
    const base = await baselineOf([f]);
    const until = (expires: string): Baseline => ({ ...base, entries: base.entries.map((e) => ({ ...e, expires, owner: '@payments', reason: 'rotating' })) });
    expect((await matchBaseline([f], until('2026-06-15'), { now: NOW })).kept).toEqual([]);
    const expired = await matchBaseline([f], until('2026-06-14'), { now: NOW });
    expect(expired.kept).toEqual([f]);
    expect(expired.stale).toEqual([]);
    expect(baselineNotes('.keyfence-baseline.json', expired)).toEqual([
      'baseline .keyfence-baseline.json: the entry for kf-test-token in app.env expired on 2026-06-14 (owner @payments; reason: rotating); its findings are reported again',
    ]);
  });

  it('entries that match nothing are stale, only for files the run covered', async () => {
    const [a, b] = [token(), token()];
    const baseline = await baselineOf([findingOn(`A=${a}`, a, { file: 'src/a.env' }), findingOn(`B=${b}`, b, { file: 'lib/b.env' })]);
    const match = await matchBaseline([], baseline, { now: NOW });
    expect(match.stale.map((e) => e.file)).toEqual(['lib/b.env', 'src/a.env']);
    expect(baselineNotes('b.json', match)).toEqual([
      'baseline b.json: 2 entries match nothing any more (stale): kf-test-token in lib/b.env, kf-test-token in src/a.env; remove them with `keyfence baseline --prune --output b.json`',
    ]);
    const partial = await matchBaseline([], baseline, { now: NOW, covers: coverageOfPaths('/repo', '/repo', ['src']) });
    expect(partial.stale.map((e) => e.file)).toEqual(['src/a.env']);
  });

  it('coverage of scanned paths includes deleted files under them', () => {
    const covers = coverageOfPaths('/repo', '/repo/sub', ['dir', '../x.env']);
    expect(['sub/dir/gone.env', 'sub/dir', 'x.env'].map(covers)).toEqual([true, true, true]);
    expect(['sub/dirty/a.env', 'sub/other.env', 'y.env'].map(covers)).toEqual([false, false, false]);
    expect(coverageOfPaths('/repo', '/repo', [])('anything/at/all')).toBe(true);
  });
});

describe('baseline files', () => {
  it('are deterministic: sorted, no timestamps, same bytes when rewritten from the same findings', async () => {
    const secrets = [token(), token(), token()];
    const findings = [
      findingOn(`Z=${secrets[0]}`, secrets[0]!, { file: 'z.env' }),
      findingOn(`A=${secrets[1]}`, secrets[1]!, { file: 'a.env', ruleId: 'kf-other-token' }),
      findingOn(`A=${secrets[2]}`, secrets[2]!, { file: 'a.env' }),
      findingOn(`A2=${secrets[2]}`, secrets[2]!, { file: 'a.env', line: 9 }),
    ];
    const first = serializeBaseline(await baselineOf(findings));
    const again = serializeBaseline(await baselineOf([...findings].reverse(), parseBaseline(first, 'b.json')));
    expect(again).toBe(first);
    const entries = JSON.parse(first).entries as Array<{ file: string; ruleId: string }>;
    expect(entries.map((e) => `${e.file} ${e.ruleId}`)).toEqual(['a.env kf-other-token', 'a.env kf-test-token', 'z.env kf-test-token']);
    expect(first.endsWith('}\n')).toBe(true);
  });

  it('keep their salt and the reason, owner, expiry and extra fields of entries that still match', async () => {
    const [kept, gone, fresh] = [token(), token(), token()];
    const old = await baselineOf([findingOn(`K=${kept}`, kept), findingOn(`G=${gone}`, gone, { file: 'gone.env' })]);
    const annotated = parseBaseline(
      serializeBaseline({ ...old, entries: old.entries.map((e) => ({ ...e, reason: 'test key', owner: '@ops', expires: '2027-01-31', extra: { ticket: 'SEC-12' } })) }),
      'b.json',
    );
    const result = await updateBaseline(annotated, [findingOn(`K=${kept}`, kept, { line: 30 }), findingOn(`F=${fresh}`, fresh, { file: 'new.env' })], {
      defaults: { reason: 'adopted', owner: '@team' },
    });
    expect(result.baseline.salt).toBe(old.salt);
    expect([result.added, result.kept, result.removed]).toEqual([1, 1, 1]);
    const data = JSON.parse(serializeBaseline(result.baseline));
    expect(data.entries).toEqual([
      { ruleId: 'kf-test-token', file: 'app.env', hash: expect.any(String), reason: 'test key', owner: '@ops', expires: '2027-01-31', ticket: 'SEC-12' },
      { ruleId: 'kf-test-token', file: 'new.env', hash: expect.any(String), reason: 'adopted', owner: '@team' },
    ]);
  });

  it('prune drops only stale entries of covered files and adds nothing', async () => {
    const [a, b, c] = [token(), token(), token()];
    const old = await baselineOf([findingOn(`A=${a}`, a, { file: 'src/a.env' }), findingOn(`B=${b}`, b, { file: 'src/b.env' }), findingOn(`C=${c}`, c, { file: 'lib/c.env' })]);
    const fresh = token();
    const result = await updateBaseline(old, [findingOn(`A=${a}`, a, { file: 'src/a.env' }), findingOn(`N=${fresh}`, fresh, { file: 'src/n.env' })], {
      prune: true,
      covers: (f) => f.startsWith('src/'),
    });
    expect(result.baseline.entries.map((e) => e.file).sort()).toEqual(['lib/c.env', 'src/a.env']);
    expect([result.added, result.kept, result.removed]).toEqual([0, 2, 1]);
  });

  it('reject a broken file with a message naming the file and the entry', () => {
    const good = JSON.parse(serializeBaseline({ ...newBaseline(), entries: [{ ruleId: 'r', file: 'f', hash: '0'.repeat(32) }] }));
    const bad = (change: (d: typeof good) => unknown) => () => parseBaseline(JSON.stringify(change(structuredClone(good))), 'b.json');
    expect(() => parseBaseline('{', 'b.json')).toThrow(/^b\.json: not a keyfence baseline/);
    expect(bad((d) => ({ ...d, version: 2 }))).toThrow(/^b\.json: unsupported baseline version 2/);
    expect(bad((d) => ({ ...d, salt: 'xyz' }))).toThrow(/^b\.json: `salt` must be/);
    expect(bad((d) => (d.entries[0].expires = '2026-02-30', d))).toThrow(/^b\.json: entries\[0\]\.expires "2026-02-30" is not a date \(YYYY-MM-DD\)$/);
    expect(bad((d) => (d.entries[0].hash = 'secret', d))).toThrow(/^b\.json: entries\[0\]\.hash is not a hash keyfence wrote$/);
    expect(bad((d) => (delete d.entries[0].file, d))).toThrow(/^b\.json: entries\[0\]\.file is missing$/);
    expect(bad((d) => d)).not.toThrow();
  });
});
