import type { CompiledRule } from './compiledRule.js';

/**
 * One pass over the text for every rule's keywords at once, so text without any keyword costs a
 * single scan instead of one regex per rule. Reports, per rule, where its keywords occur.
 */
export class Prefilter {
  private readonly pattern: RegExp | undefined;
  /** Rules to wake for each keyword, including rules whose keyword is a substring of it. */
  private readonly rulesByKeyword = new Map<string, number[]>();
  /** Rules with no keyword: they run on every fragment. */
  readonly alwaysOn: number[] = [];

  constructor(rules: readonly CompiledRule[]) {
    const direct = new Map<string, Set<number>>();
    rules.forEach((rule, index) => {
      if (rule.keywords.length === 0) this.alwaysOn.push(index);
      for (const keyword of rule.keywords) {
        if (!direct.has(keyword)) direct.set(keyword, new Set());
        direct.get(keyword)!.add(index);
      }
    });
    // Longest first: at each position the regex reports the longest keyword starting there, and
    // every shorter keyword contained in it is folded into its rule list below.
    const keywords = [...direct.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    for (const keyword of keywords) {
      const woken = new Set<number>();
      for (const other of keywords) if (keyword.includes(other)) for (const r of direct.get(other)!) woken.add(r);
      this.rulesByKeyword.set(keyword, [...woken].sort((a, b) => a - b));
    }
    if (keywords.length > 0) {
      const escaped = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(escaped.join('|'), 'gi');
    }
  }

  /** Offsets of keyword hits per rule index. Rules without keywords are not included. */
  hits(text: string): Map<number, number[]> {
    const byRule = new Map<number, number[]>();
    const pattern = this.pattern;
    if (!pattern) return byRule;
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const rules = this.rulesByKeyword.get(match[0].toLowerCase());
      if (rules) {
        for (const r of rules) {
          const list = byRule.get(r);
          if (list === undefined) byRule.set(r, [match.index]);
          else if (list[list.length - 1] !== match.index) list.push(match.index);
        }
      }
      // Step one character, not past the match, so overlapping keywords are all seen.
      pattern.lastIndex = match.index + 1;
    }
    return byRule;
  }
}
