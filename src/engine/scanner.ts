import { fingerprint } from '../findings/fingerprint.js';
import type { Category, Environment, Finding, Severity } from '../findings/finding.js';
import { severityRank } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import type { CompiledRule } from './compiledRule.js';
import { fileKind, isSourceCode } from './fileKind.js';
import { LineIndex } from './lineIndex.js';
import { matchRule, type Candidate } from './match.js';
import type { KeywordAutomaton } from './keywordAutomaton.js';
import { Prefilter } from './prefilter.js';
import { insideDataUri, literalRejection, verifyCandidate } from './verify.js';

/**
 * Prefilter -> match -> verify for one fragment at a time. Nothing found in one fragment affects
 * the next (the prefilter only caches its automaton), so it can run in any number of workers.
 */
export class Scanner {
  private readonly prefilter: Prefilter;
  /** Indexes of the path rules, which the prefilter leaves out: they test the path, not the text. */
  private readonly pathRules: number[];

  /**
   * @param scopes per rule, the test of its `files:` globs (undefined: every file); rules sharing
   * globs share one function, asked at most once per fragment.
   * @param prebuilt the built-in rules' keyword automaton (see Prefilter).
   */
  constructor(
    readonly rules: readonly CompiledRule[],
    private readonly scopes: ReadonlyArray<((file: string) => boolean) | undefined> = [],
    prebuilt?: () => KeywordAutomaton | undefined,
  ) {
    this.prefilter = new Prefilter(rules, { prebuilt });
    this.pathRules = rules.flatMap((rule, index) => (rule.path ? [index] : []));
  }

  /**
   * The findings of one fragment. A binary fragment (a key store) meets the path rules only. `paths:
   * false` leaves the path rules out (text decoded from inside a file is not the file).
   */
  scan(fragment: Fragment, environment: Environment, { paths = true }: { paths?: boolean } = {}): Finding[] {
    let inScope: Map<(file: string) => boolean, boolean> | undefined;
    const scoped = (index: number) => {
      const scope = this.scopes[index];
      if (!scope) return true;
      let matches = inScope?.get(scope);
      if (matches === undefined) (inScope ??= new Map()).set(scope, (matches = scope(fragment.file)));
      return matches;
    };
    const byPath = paths ? this.pathRules.filter((index) => this.namesFile(index, fragment.file, environment) && scoped(index)) : [];
    if (fragment.binary) return this.fileFindings(byPath, fragment, environment);
    const text = fragment.text;
    const hits = this.prefilter.hits(text);
    if (hits.size === 0 && this.prefilter.alwaysOn.length === 0) return this.fileFindings(byPath, fragment, environment);
    const kind = fileKind(fragment.file, text);
    const candidates: Candidate[] = [];
    const run = (index: number, ruleHits: number[] | undefined) => {
      const rule = this.rules[index]!;
      if (rule.environments && !rule.environments.has(environment)) return;
      if (kind !== 'source' && !runsOnGeneratedFiles(rule)) return;
      if (!scoped(index)) return;
      matchRule(rule, index, text, ruleHits, candidates);
    };
    for (const [index, ruleHits] of hits) run(index, ruleHits);
    for (const index of this.prefilter.alwaysOn) run(index, undefined);
    if (candidates.length === 0) return this.fileFindings(byPath, fragment, environment);

    const lines = new LineIndex(fragment);
    const verified: Candidate[] = [];
    const rejectedAsFake: Candidate[] = [];
    /** A content rule read a secret's structure in the file and found it fake (a truncated key). */
    let judgedFake = false;
    const lineOf = new Map<Candidate, number>();
    let sourceCode: boolean | undefined;
    for (const c of candidates) {
      const rule = this.rules[c.rule]!;
      const lineIndex = lines.lineOf(c.start);
      lineOf.set(c, lineIndex);
      const lineStart = lines.startOf(lineIndex);
      const rejection =
        verifyCandidate(rule, c.secret, lines.lineText(lineIndex), insideDataUri(text, lineStart, c.start)) ??
        (rule.spec.literal ? literalRejection(text, lineStart, c.start, c.end, (sourceCode ??= isSourceCode(fragment.file))) : undefined);
      if (rejection === undefined) verified.push(c);
      else if ((rejection === 'validator' || rejection === 'placeholder') && rule.spec.category !== 'generic-secret') rejectedAsFake.push(c);
      if (rejection === 'validator' && SECRET_CATEGORIES.has(rule.spec.category)) judgedFake = true;
    }
    const findings: Finding[] = [];
    for (const c of dropOverlaps(verified, rejectedAsFake, this.rules)) {
      const rule = this.rules[c.rule]!;
      const lineIndex = lineOf.get(c)!;
      const lineText = lines.lineText(lineIndex);
      const from = lines.position(c.start);
      const to = lines.position(c.end);
      const unverified = rule.checksum !== undefined && !rule.checksum(c.secret);
      findings.push({
        ruleId: rule.id,
        category: rule.spec.category,
        severity: unverified ? UNVERIFIED_SEVERITY : rule.spec.severity,
        message: (rule.spec.message ?? rule.spec.description) + (unverified ? UNVERIFIED : ''),
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
    // One file, one finding: where a content rule found a secret in the file (the key inside an
    // `id_rsa`), or read one and found it fake, the path rule's finding adds nothing.
    const keyFound = judgedFake || findings.some((f) => SECRET_CATEGORIES.has(f.category));
    if (byPath.length > 0 && !keyFound) findings.push(...this.fileFindings(byPath, fragment, environment));
    return findings;
  }

  /** Whether a path rule names `file`: a binary file is worth reading then (a key store). */
  wantsFile(file: string): boolean {
    return this.pathRules.some((index) => this.rules[index]!.path!.test(file));
  }

  /** Whether path rule `index` names this file in this environment. */
  private namesFile(index: number, file: string, environment: Environment): boolean {
    const rule = this.rules[index]!;
    return (!rule.environments || rule.environments.has(environment)) && rule.path!.test(file);
  }

  /**
   * The findings of path rules on a file: the file itself, at line 1, with no secret value (the
   * path is all there is to show, and the report shows it already). The fingerprint is the rule and
   * the path: stable across doors (a tree scan reads the whole file, a diff its added lines),
   * across edits of the file, and it reveals nothing the path does not.
   */
  private fileFindings(indexes: number[], fragment: Fragment, environment: Environment): Finding[] {
    const findings: Finding[] = [];
    let content: Uint8Array | undefined;
    for (const index of indexes) {
      const rule = this.rules[index]!;
      content ??= fragment.binary ? fragment.binary.content : Buffer.from(fragment.text, 'utf8');
      if (rule.fileValidator && content && !rule.fileValidator(content)) continue;
      findings.push({
        ruleId: rule.id,
        category: rule.spec.category,
        severity: rule.spec.severity,
        message: rule.spec.message ?? rule.spec.description,
        file: fragment.file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        environment,
        secret: '',
        fingerprint: fingerprint(rule.id, fragment.file, 'file', false),
        ...(fragment.commit ? { commit: fragment.commit } : {}),
      });
    }
    return findings;
  }
}

/** Categories of findings that are a secret: a path rule gives way to one of these in its file. */
const SECRET_CATEGORIES: ReadonlySet<Category> = new Set(['live-key', 'generic-secret', 'fixture']);

/**
 * Why a token whose checksum fails is still reported, and what to do (see VALIDATORS). Such a
 * token was never issued as it stands, so it cannot authenticate: it is reported at `low`, below
 * the default `--fail-on medium`, so that it does not block on its own. If it is a mistyped or
 * truncated copy, the real token it came from is what needs revoking.
 */
const UNVERIFIED =
  ': its checksum does not verify, so it cannot authenticate as it stands (probably a made-up or mistyped token); if it is a copy of a real one, revoke that';
const UNVERIFIED_SEVERITY: Severity = 'low';

/**
 * Lockfiles and minified bundles are full of long random-looking strings: there only rules anchored
 * on a provider's format run, unless a generic rule says it is precise enough (a PEM block, a JWT).
 */
function runsOnGeneratedFiles(rule: CompiledRule): boolean {
  return rule.spec.generatedFiles ?? rule.spec.category !== 'generic-secret';
}

/**
 * Where verified matches of several rules overlap (a Stripe key also caught by the generic
 * `api_key=` rule), keep the most specific: a provider rule over a generic one, then the higher
 * severity, then the longer match. A provider rule that recognised its own format and found it fake
 * (a placeholder, a failed structure check) also silences generic rules on that span.
 */
function dropOverlaps(verified: Candidate[], fake: Candidate[], rules: readonly CompiledRule[]): Candidate[] {
  const overlaps = (a: Candidate, b: Candidate) => a.start < b.end && b.start < a.end;
  let candidates = verified;
  if (fake.length > 0) candidates = candidates.filter((c) => rules[c.rule]!.spec.category !== 'generic-secret' || !fake.some((f) => overlaps(f, c)));
  if (candidates.length < 2) return candidates;
  const score = (c: Candidate) => {
    const spec = rules[c.rule]!.spec;
    return (spec.category === 'generic-secret' ? 0 : 1000) + severityRank(spec.severity) * 100 + Math.min(c.end - c.start, 99);
  };
  const ordered = [...candidates].sort((a, b) => score(b) - score(a) || a.start - b.start || a.rule - b.rule);
  // Kept spans, sorted by start: each candidate is checked against its neighbours only.
  const kept: Candidate[] = [];
  for (const c of ordered) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < c.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && overlaps(before, c)) || (after && overlaps(after, c))) continue;
    kept.splice(lo, 0, c);
  }
  return kept;
}
