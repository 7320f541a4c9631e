import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { compileRule } from '../../src/engine/compiledRule.js';
import { Scanner } from '../../src/engine/scanner.js';
import { expandTemplates, seededRandom } from '../support/fakeSecrets.js';

const sourced = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname);
const compiled = sourced.map(({ spec, origin }) => compileRule(spec, origin));
const scanner = new Scanner(compiled);

/** An example holding NUL (a `{{keystore:…}}` template) is a binary file, as the sources read one. */
function scanExample(ruleIndex: number, text: string, file = 'example.txt') {
  const rule = compiled[ruleIndex]!;
  const environment = rule.spec.environments?.[0] ?? 'unknown';
  if (text.includes('\0')) return scanner.scan({ file, text: '', binary: { content: Buffer.from(text, 'latin1') } }, environment);
  return scanner.scan({ file, text }, environment);
}

describe('the rule pack', () => {
  it('has rules', () => {
    expect(sourced.length).toBeGreaterThan(0);
  });

  /**
   * The prefilter wakes a rule only where one of its keywords occurs, so a keyword that is common in
   * ordinary code (`ac`, `token`, `|`) makes the rule run everywhere. Provider rules must use
   * keywords that real source code rarely contains; TypeScript's compiler (9 MB of real code,
   * shipped in node_modules) is the yardstick.
   */
  it('uses selective keywords for provider rules', () => {
    const code = readFileSync(new URL('../../node_modules/typescript/lib/typescript.js', import.meta.url), 'utf8').toLowerCase();
    const common: string[] = [];
    for (const { spec } of sourced) {
      for (const keyword of spec.keywords) {
        if (keyword.length < 3) common.push(`${spec.id}: "${keyword}" is shorter than 3 characters`);
        if (spec.category === 'generic-secret') continue;
        let count = 0;
        for (let i = code.indexOf(keyword.toLowerCase()); i !== -1 && count < 64; i = code.indexOf(keyword.toLowerCase(), i + 1)) count++;
        if (count >= 64) common.push(`${spec.id}: "${keyword}" occurs ${count}+ times in typescript.js`);
      }
    }
    expect(common).toEqual([]);
  });

  it('writes its keywords in lower case, as rules/README.md asks (the engine takes a built-in rule\'s as they are)', () => {
    expect(sourced.flatMap(({ spec }) => spec.keywords.filter((k) => k !== k.toLowerCase()).map((k) => `${spec.id}: ${k}`))).toEqual([]);
  });

  it('uses every rule id once', () => {
    const seen = new Map<string, string>();
    for (const { spec, origin } of sourced) {
      expect(seen.get(spec.id), `${spec.id} in ${origin} and ${seen.get(spec.id)}`).toBeUndefined();
      seen.set(spec.id, origin);
    }
  });
});

describe.each(sourced.map(({ spec, origin }, index) => ({ id: spec.id, spec, origin, index })))('$id', ({ spec, origin, index }) => {
  it('has examples that must and must not match, and a doc section', () => {
    expect(spec.examples?.match?.length ?? 0, `${origin}: ${spec.id} needs match examples`).toBeGreaterThan(0);
    expect(spec.examples?.noMatch?.length ?? 0, `${origin}: ${spec.id} needs noMatch examples`).toBeGreaterThan(0);
    const doc = origin.replace(/^rules\//, 'docs/rules/').replace(/\.yml$/, '.md');
    const path = new URL(`../../${doc}`, import.meta.url).pathname;
    expect(existsSync(path), `${doc} is missing`).toBe(true);
    expect(readFileSync(path, 'utf8'), `${doc} has no "## ${spec.id}" section`).toMatch(new RegExp(`^## ${spec.id}\\s*$`, 'm'));
  });

  it.each((spec.examples?.match ?? []).map((example, n) => ({ example, n })))('finds match example $n', ({ example, n }) => {
    const random = seededRandom(`${spec.id}/match/${n}`);
    const raw = typeof example === 'string' ? { text: example } : example;
    const { text, first } = expandTemplates(raw.text, random);
    const lower = text.toLowerCase();
    expect(
      spec.keywords.length === 0 || spec.keywords.some((k) => lower.includes(k.toLowerCase())),
      `example holds none of the keywords ${spec.keywords.join(', ')}: ${text}`,
    ).toBe(true);
    const findings = scanExample(index, text, raw.file);
    const mine = findings.filter((f) => f.ruleId === spec.id);
    expect(mine.length, `no ${spec.id} finding in: ${text}\n(found: ${findings.map((f) => f.ruleId).join(', ') || 'nothing'})`).toBeGreaterThan(0);
    if (typeof example !== 'string' && example.secret !== undefined) {
      const expected = expandTemplates(example.secret, random, first).text;
      expect(mine.map((f) => f.secret)).toContain(expected);
    }
  });

  it.each((spec.examples?.noMatch ?? []).map((example, n) => ({ example, n })))('ignores noMatch example $n', ({ example, n }) => {
    const random = seededRandom(`${spec.id}/noMatch/${n}`);
    const raw = typeof example === 'string' ? { text: example } : example;
    const { text } = expandTemplates(raw.text, random);
    const mine = scanExample(index, text, raw.file).filter((f) => f.ruleId === spec.id);
    expect(mine.map((f) => `${f.line}:${f.column} ${f.secret}`), `${spec.id} fired on: ${text}`).toEqual([]);
  });
});
