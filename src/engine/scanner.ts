import { fingerprint } from '../findings/fingerprint.js';
import type { Environment, Finding } from '../findings/finding.js';
import { severityRank } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import type { CompiledRule } from './compiledRule.js';
import { fileKind } from './fileKind.js';
import { LineIndex } from './lineIndex.js';
import { matchRule, type Candidate } from './match.js';
import { Prefilter } from './prefilter.js';
import { insideDataUri, verifyCandidate } from './verify.js';

/**
 * Prefilter -> match -> verify for one fragment at a time. Holds no state between fragments, so
 * it can run in any number of workers.
 */
export class Scanner {
  private readonly prefilter: Prefilter;

  constructor(readonly rules: readonly CompiledRule[]) {
    this.prefilter = new Prefilter(rules);
  }

  scan(fragment: Fragment, environment: Environment): Finding[] {
    const text = fragment.text;
    const hits = this.prefilter.hits(text);
    if (hits.size === 0 && this.prefilter.alwaysOn.length === 0) return [];
    const kind = fileKind(fragment.file, text);
    const candidates: Candidate[] = [];
    const run = (index: number, ruleHits: number[] | undefined) => {
      const rule = this.rules[index]!;
      if (rule.environments && !rule.environments.has(environment)) return;
      if (kind !== 'source' && rule.spec.category === 'generic-secret') return;
      matchRule(rule, index, text, ruleHits, candidates);
    };
    for (const [index, ruleHits] of hits) run(index, ruleHits);
    for (const index of this.prefilter.alwaysOn) run(index, undefined);
    if (candidates.length === 0) return [];

    const lines = new LineIndex(fragment);
    const findings: Finding[] = [];
    for (const c of dropOverlaps(candidates, this.rules)) {
      const rule = this.rules[c.rule]!;
      const lineIndex = lines.lineOf(c.start);
      const lineText = lines.lineText(lineIndex);
      const lineStart = text.lastIndexOf('\n', c.start - 1) + 1;
      if (verifyCandidate(rule, c.secret, lineText, insideDataUri(text, lineStart, c.start))) continue;
      const from = lines.position(c.start);
      const to = lines.position(c.end);
      findings.push({
        ruleId: rule.id,
        category: rule.spec.category,
        severity: rule.spec.severity,
        message: rule.spec.message ?? rule.spec.description,
        file: fragment.file,
        line: from.line,
        column: from.column,
        endLine: to.line,
        endColumn: to.column,
        environment,
        secret: c.secret,
        fingerprint: fingerprint(rule.id, fragment.file, c.secret),
        lineText,
        previousLineText: lines.previousLineText(lineIndex),
        ...(fragment.commit ? { commit: fragment.commit } : {}),
      });
    }
    return findings;
  }
}

/**
 * Where matches of several rules overlap (a Stripe key also caught by the generic `api_key=` rule),
 * keep the most specific: a provider rule over a generic one, then the higher severity, then the
 * longer match. The same rule matching the same span twice keeps one.
 */
function dropOverlaps(candidates: Candidate[], rules: readonly CompiledRule[]): Candidate[] {
  if (candidates.length < 2) return candidates;
  const score = (c: Candidate) => {
    const spec = rules[c.rule]!.spec;
    return (spec.category === 'generic-secret' ? 0 : 1000) + severityRank(spec.severity) * 100 + Math.min(c.end - c.start, 99);
  };
  const ordered = [...candidates].sort((a, b) => score(b) - score(a) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    if (kept.some((k) => k.start < c.end && c.start < k.end)) continue;
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}
