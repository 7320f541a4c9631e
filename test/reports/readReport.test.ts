import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseReport } from '../../src/reports/readReport.js';
import { sampleReport } from '../reporters/sample.js';
import { json } from './reportArbitraries.js';

/** The one line a bad report makes: the error's message (its hint is the second line). */
function complaint(text: string): string {
  try {
    parseReport(text, 'shard-3.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('parsed');
}

const good = () => JSON.parse(json(sampleReport())) as Record<string, unknown> & { findings: Array<Record<string, unknown>> };

describe('reading a JSON report back', () => {
  it('reads what the JSON reporter writes, field for field', () => {
    const text = json(sampleReport());
    expect(json(parseReport(text, 'r.json'))).toBe(text);
  });

  it('names the file, line and column where the text stops being JSON', () => {
    expect(complaint('{\n  "version": 1,\n  "tool": }\n')).toBe("shard-3.json:3:11: not JSON (Unexpected token '}')");
    expect(complaint('{\n  "version": 1,\n')).toBe('shard-3.json:3:1: not JSON (Expected double-quoted property name)');
    expect(complaint('')).toBe('shard-3.json:1:1: not JSON (Unexpected end of JSON input)');
    expect(complaint('{"version": 1} trailing')).toMatch(/^shard-3\.json:1:16: not JSON \(/);
  });

  it('refuses another version, another tool, and a report with a broken finding', () => {
    expect(complaint(JSON.stringify({ ...good(), version: 2 }))).toBe('shard-3.json: report version 2 (written by keyfence 0.1.0), this keyfence reads version 1');
    expect(complaint(JSON.stringify({ ...good(), tool: { name: 'gitleaks' } }))).toBe('shard-3.json: not a keyfence JSON report: tool.name is "gitleaks", not "keyfence"');
    expect(complaint('[]')).toBe('shard-3.json: not a keyfence JSON report: the top level is not an object');
    const r = good();
    r.findings[2]!.severity = 'urgent';
    expect(complaint(JSON.stringify(r))).toBe('shard-3.json: not a keyfence JSON report: findings[2].severity is "urgent", not one of critical, high, medium, low');
    const s = good();
    delete s.findings[0]!.fingerprint;
    expect(complaint(JSON.stringify(s))).toBe('shard-3.json: not a keyfence JSON report: findings[0].fingerprint is missing, not a string');
    expect(complaint(JSON.stringify({ ...good(), stats: { files: -1 } }))).toBe('shard-3.json: not a keyfence JSON report: stats.files is -1, not a count');
    // SARIF is JSON, but not the report.
    expect(complaint(JSON.stringify({ version: '2.1.0', runs: [] }))).toBe('shard-3.json: not a keyfence JSON report: tool.name is missing, not "keyfence"');
  });
});
