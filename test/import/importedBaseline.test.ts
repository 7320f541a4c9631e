import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchBaseline, parseBaseline, serializeBaseline } from '../../src/suppressions/baseline.js';
import { findingOn, token } from '../support/findings.js';

const SALT = '0123456789abcdef0123456789abcdef';
const sha1 = (value: string) => createHash('sha1').update(value).digest('hex');
const doc = (entries: unknown[]) => JSON.stringify({ version: 1, salt: SALT, entries });

describe('imported baseline entries', () => {
  it('read and write back unchanged', () => {
    const entry = { ruleId: '*', file: 'a.py', hash: `sha1:${sha1('x')}`, imported: 'detect-secrets', reason: 'detect-secrets: Secret Keyword' };
    const baseline = parseBaseline(doc([entry]), 'b.json');
    expect(baseline.entries).toEqual([entry]);
    expect((JSON.parse(serializeBaseline(baseline)) as { entries: unknown[] }).entries).toEqual([entry]);
  });

  it.each([
    [{ ruleId: '*', file: 'a.py', hash: `sha1:${sha1('x')}` }, 'b.json: entries[0].hash is a SHA-1, which only an imported entry may have'],
    [{ ruleId: '*', file: 'a.py', hash: 'ab'.repeat(16) }, 'b.json: entries[0].ruleId "*" is only for imported entries'],
    [{ ruleId: 'r', file: 'a.py', hash: 'sha1:abc', imported: 'x' }, 'b.json: entries[0].hash is not a hash keyfence wrote'],
  ])('refuses %j', (entry, message) => {
    expect(() => parseBaseline(doc([entry]), 'b.json')).toThrow(message);
  });

  it('suppress a finding of any rule in that file whose secret has that SHA-1, and nothing else', async () => {
    const known = token();
    const other = token();
    const baseline = parseBaseline(doc([{ ruleId: '*', file: 'a.py', hash: `sha1:${sha1(known)}`, imported: 'detect-secrets' }]), 'b.json');
    const findings = [
      findingOn(`A = "${known}"`, known, { file: 'a.py' }),
      findingOn(`B = "${known}"`, known, { ruleId: 'kf-other-token', file: 'a.py', line: 2 }),
      findingOn(`C = "${other}"`, other, { file: 'a.py', line: 3 }),
      findingOn(`A = "${known}"`, known, { file: 'b.py' }),
    ];
    const match = await matchBaseline(findings, baseline);
    expect(match.kept.map((f) => `${f.file}:${f.line}`)).toEqual(['a.py:3', 'b.py:1']);
    expect(match.used).toHaveLength(1);
    expect(match.stale).toEqual([]);
  });
});
