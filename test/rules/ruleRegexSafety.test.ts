import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/builtinRules.js';

const sourced = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname);

/**
 * Every built-in regex must run in linear time: a rule that backtracks catastrophically lets one
 * crafted line stall a pre-commit hook or a CI job. The automaton checker is exact and fast where it
 * applies; the fuzzer covers what it cannot decide.
 */
export function regexSafety(source: string, flags: string): { status: string; attack?: string } {
  const exact = checkSync(source, flags, { checker: 'automaton', timeout: 3000 });
  if (exact.status !== 'unknown') return exact.status === 'vulnerable' ? { status: exact.status, attack: exact.attack.string.slice(0, 60) } : exact;
  const fuzzed = checkSync(source, flags, { checker: 'fuzz', timeout: 20000 });
  return fuzzed.status === 'vulnerable' ? { status: fuzzed.status, attack: fuzzed.attack.string.slice(0, 60) } : fuzzed;
}

describe('built-in rule regexes are free of catastrophic backtracking', () => {
  const patterns = sourced.flatMap(({ spec, origin }) => [
    { where: `${origin} ${spec.id} regex`, source: spec.regex, flags: spec.flags ?? '' },
    ...(spec.allow ?? []).map((source, i) => ({ where: `${origin} ${spec.id} allow[${i}]`, source, flags: '' })),
    ...(spec.allowLine ?? []).map((source, i) => ({ where: `${origin} ${spec.id} allowLine[${i}]`, source, flags: 'i' })),
  ]);
  it.each(patterns)('$where', ({ where, source, flags }) => {
    const result = regexSafety(source, flags);
    expect(result.status, `${where}: ${source} (attack: ${result.attack ?? '-'})`).not.toBe('vulnerable');
  }, 60000);
});
