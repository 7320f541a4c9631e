import { describe, expect, it } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { checkRegexSafety } from '../../src/engine/regexSafety.js';

const sourced = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname);

/**
 * Every built-in regex must run in linear time: a rule that backtracks catastrophically lets one
 * crafted line stall a pre-commit hook or a CI job.
 */
describe('built-in rule regexes are free of catastrophic backtracking', () => {
  const patterns = sourced.flatMap(({ spec, origin }) => [
    ...(spec.regex !== undefined ? [{ where: `${origin} ${spec.id} regex`, source: spec.regex, flags: spec.flags ?? '' }] : []),
    ...(spec.path !== undefined ? [{ where: `${origin} ${spec.id} path`, source: spec.path, flags: 'i' }] : []),
    ...(spec.allow ?? []).map((source, i) => ({ where: `${origin} ${spec.id} allow[${i}]`, source, flags: '' })),
    ...(spec.allowLine ?? []).map((source, i) => ({ where: `${origin} ${spec.id} allowLine[${i}]`, source, flags: 'i' })),
    ...(spec.allowUnlessAfter
      ? [
          { where: `${origin} ${spec.id} allowUnlessAfter.secret`, source: spec.allowUnlessAfter.secret, flags: spec.flags ?? '' },
          { where: `${origin} ${spec.id} allowUnlessAfter.after`, source: spec.allowUnlessAfter.after, flags: spec.flags ?? '' },
        ]
      : []),
  ]);
  it.each(patterns)('$where', async ({ where, source, flags }) => {
    const result = await checkRegexSafety(source, flags);
    expect(result.status, `${where}: ${source} (attack: ${result.attack ?? '-'})`).not.toBe('vulnerable');
  }, 60000);
});
