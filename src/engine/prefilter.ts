import type { CompiledRule } from './compiledRule.js';

/** A keyword that contains a searched one: found by checking around each hit of the shorter. */
interface Superstring {
  keyword: string;
  /** Where the searched keyword sits inside this one. */
  offset: number;
  rules: number[];
}

/**
 * One pass over the text for every rule's keywords at once, so text without any keyword costs a
 * single scan instead of one regex per rule. Reports, per rule, where its keywords occur.
 *
 * Only keywords that contain no other keyword are searched for (`token` rather than also
 * `auth_token`, `npm_auth_token`, …): a smaller alternation runs faster, and a longer keyword is
 * confirmed by comparing the text around each hit of the shorter one it contains.
 */
export class Prefilter {
  private readonly pattern: RegExp | undefined;
  private readonly rulesOf = new Map<string, number[]>();
  private readonly superstringsOf = new Map<string, Superstring[]>();
  /** Rules with no keyword: they run on every fragment. */
  readonly alwaysOn: number[] = [];

  constructor(rules: readonly CompiledRule[]) {
    const direct = new Map<string, number[]>();
    rules.forEach((rule, index) => {
      if (rule.keywords.length === 0) this.alwaysOn.push(index);
      for (const keyword of new Set(rule.keywords)) direct.set(keyword, [...(direct.get(keyword) ?? []), index]);
    });
    const keywords = [...direct.keys()];
    const searched = keywords.filter((k) => !keywords.some((other) => other !== k && k.includes(other)));
    for (const s of searched) {
      this.rulesOf.set(s, direct.get(s)!);
      const supers: Superstring[] = [];
      for (const k of keywords) {
        if (k === s) continue;
        for (let at = k.indexOf(s); at !== -1; at = k.indexOf(s, at + 1)) supers.push({ keyword: k, offset: at, rules: direct.get(k)! });
      }
      this.superstringsOf.set(s, supers);
    }
    if (searched.length > 0) {
      const escaped = searched.sort().map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(escaped.join('|'), 'gi');
    }
  }

  /** Offsets of keyword hits per rule index, ascending. Rules without keywords are not included. */
  hits(text: string): Map<number, number[]> {
    const byRule = new Map<number, number[]>();
    const pattern = this.pattern;
    if (!pattern) return byRule;
    const add = (rules: number[], at: number) => {
      for (const r of rules) {
        const list = byRule.get(r);
        if (list === undefined) byRule.set(r, [at]);
        else if (list[list.length - 1] !== at) list.push(at);
      }
    };
    let unordered = false;
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const found = match[0].toLowerCase();
      const at = match.index;
      add(this.rulesOf.get(found)!, at);
      for (const s of this.superstringsOf.get(found)!) {
        const start = at - s.offset;
        if (start < 0 || start + s.keyword.length > text.length) continue;
        if (text.slice(start, start + s.keyword.length).toLowerCase() !== s.keyword) continue;
        add(s.rules, start);
        unordered ||= s.offset > 0;
      }
      // Step one character, not past the match, so overlapping keywords are all seen.
      pattern.lastIndex = at + 1;
    }
    if (unordered) for (const list of byRule.values()) list.sort((a, b) => a - b);
    return byRule;
  }
}
