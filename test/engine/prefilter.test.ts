import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/engine/compiledRule.js';
import { loadBuiltinKeywordAutomaton } from '../../src/engine/keywordAutomaton.js';
import { loadBuiltinRules } from '../../src/rules/builtinRules.js';
import { buildKeywordAutomaton, decodeKeywordAutomaton, encodeKeywordAutomaton } from '../../src/engine/keywordAutomaton.js';
import { Prefilter } from '../../src/engine/prefilter.js';

function rulesWith(keywordSets: string[][]) {
  return keywordSets.map((keywords, i) =>
    compileRule({ id: `r${i}`, description: 'test', category: 'live-key', severity: 'high', keywords, regex: 'x', examples: { match: [], noMatch: [] } }, 'test'),
  );
}

/** The obvious, slow answer: every occurrence of every keyword, case-insensitively. */
function naiveHits(keywordSets: string[][], text: string): Map<number, number[]> {
  const lower = text.toLowerCase();
  const out = new Map<number, number[]>();
  keywordSets.forEach((keywords, rule) => {
    const at = new Set<number>();
    for (const k of keywords) for (let i = lower.indexOf(k); i !== -1; i = lower.indexOf(k, i + 1)) at.add(i);
    if (at.size) out.set(rule, [...at].sort((a, b) => a - b));
  });
  return out;
}

describe('Prefilter', () => {
  it('finds overlapping and nested keywords, case-insensitively', () => {
    const sets = [['token'], ['auth_token'], ['sk_live_'], ['sk_'], ['ken_a']];
    const hits = new Prefilter(rulesWith(sets), { searchEachBudget: 0 }).hits('x = AUTH_TOKEN_A; y = "sk_live_123"');
    expect(hits).toEqual(naiveHits(sets, 'x = AUTH_TOKEN_A; y = "sk_live_123"'));
    expect(hits.get(0)).toEqual([9]);
    expect(hits.get(1)).toEqual([4]);
    expect(hits.get(4)).toEqual([11]);
  });

  it.each([
    ['the automaton', 0],
    ['the keyword-by-keyword search of small texts', 1_000_000],
  ])('agrees with a naive search on random keywords and text: %s', (_name, smallText) => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '_', '-', 'A', 'B', '.', 'é', '\n');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }).map((w) => w.toLowerCase().replace(/é/g, 'e'));
    const keywordSets = fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(keywordSets, fc.string({ unit: alphabet, maxLength: 200 }), (sets, text) => {
        expect(new Prefilter(rulesWith(sets), { searchEachBudget: smallText }).hits(text)).toEqual(naiveHits(sets, text));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same hits with a prebuilt automaton that holds more keywords than the rules use, and survives encoding', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '_', '-', 'A', '.', '\n');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }).map((w) => w.toLowerCase());
    const keywordSets = fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(keywordSets, fc.array(word, { maxLength: 4 }), fc.string({ unit: alphabet, maxLength: 200 }), (sets, extra, text) => {
        const prebuilt = decodeKeywordAutomaton(encodeKeywordAutomaton(buildKeywordAutomaton([...sets.flat(), ...extra])));
        expect(new Prefilter(rulesWith(sets), { searchEachBudget: 0, prebuilt: () => prebuilt }).hits(text)).toEqual(naiveHits(sets, text));
      }),
      { numRuns: 300 },
    );
  });

  it('builds its own automaton when the prebuilt one lacks a keyword of the rules', () => {
    const prebuilt = buildKeywordAutomaton(['token']);
    const sets = [['token'], ['sk_live_']];
    const text = 'token = sk_live_abc';
    expect(new Prefilter(rulesWith(sets), { searchEachBudget: 0, prebuilt: () => prebuilt }).hits(text)).toEqual(naiveHits(sets, text));
  });

  it('is prebuilt by the build for exactly the built-in rules\' keywords', () => {
    const prebuilt = loadBuiltinKeywordAutomaton();
    expect(prebuilt).toBeDefined();
    const keywords = new Set(loadBuiltinRules().flatMap(({ spec }) => spec.keywords.map((k) => k.toLowerCase())));
    expect(prebuilt!.keywords).toEqual([...keywords].sort());
    expect(prebuilt!.table).toEqual(buildKeywordAutomaton(keywords).table);
  });

  it('runs keyword-less rules on every fragment', () => {
    const prefilter = new Prefilter(rulesWith([[], ['abc']]));
    expect(prefilter.alwaysOn).toEqual([0]);
    expect(prefilter.hits('nothing here').size).toBe(0);
  });
});
