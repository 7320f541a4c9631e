/**
 * A small positioned YAML tree built from the `yaml` package's Document API.
 *
 * Why `yaml` and not `@actions/workflow-parser`: the Document API keeps the exact source range of
 * every node (including each key), reports every syntax error and duplicate key with its offset and
 * keeps going, parses `action.yml` as well as workflows, and loads in plain Node ESM (the workflow
 * parser imports its JSON schema without an import attribute, which Node 20 refuses outside a
 * bundler). Expressions are parsed with GitHub's own `@actions/expressions` (see expressions.ts).
 *
 * Aliases are resolved here, under a node budget, so an alias bomb stops after a bounded amount of
 * work instead of expanding exponentially; an aliased node keeps the position of its anchor.
 */
import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';

/** Offsets into the source text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  value: ScalarValue;
  /** The value as the workflow runner sees it: numbers and booleans in their YAML spelling. */
  text: string;
  /** PLAIN, QUOTE_SINGLE, QUOTE_DOUBLE, BLOCK_LITERAL or BLOCK_FOLDED. */
  style: string;
  span: Span;
}

export interface YPair {
  key: YScalar;
  value: YNode | null;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  span: Span;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  span: Span;
  /** A local tag such as GitLab's `!reference`, when the sequence has one. */
  tag?: string;
}

export type YNode = YScalar | YMap | YSeq;

export interface YamlProblem {
  span: Span;
  message: string;
  code: string;
}

export interface ParsedYaml {
  root: YNode | null;
  problems: YamlProblem[];
  lineCounter: LineCounter;
}

/** Upper bounds that keep hostile input cheap: nodes visited and alias expansions. */
const NODE_BUDGET = 100_000;
const ALIAS_BUDGET = 2_000;
const MAX_DEPTH = 256;

class BudgetExceeded extends Error {}

interface Budget {
  nodes: number;
  aliases: number;
  resolved: Map<unknown, YamlNode | null>;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      keepSourceTokens: false,
    });
  } catch (err) {
    problems.push({ span: { start: 0, end: 0 }, message: `YAML could not be read: ${String(err)}`, code: 'YAML' });
    return { root: null, problems, lineCounter };
  }
  for (const e of doc.errors) {
    problems.push({ span: { start: e.pos[0], end: Math.max(e.pos[0], e.pos[1]) }, message: firstLine(e.message), code: e.code });
  }
  const budget: Budget = { nodes: NODE_BUDGET, aliases: ALIAS_BUDGET, resolved: new Map() };
  let root: YNode | null;
  try {
    root = convert(doc.contents as YamlNode | null, doc, budget, 0, text.length);
  } catch (err) {
    if (!(err instanceof BudgetExceeded)) throw err;
    problems.push({
      span: { start: 0, end: 0 },
      message: 'aliases expand to too many nodes (an alias bomb?); the file was not audited',
      code: 'ALIAS_BUDGET',
    });
    root = null;
  }
  return { root, problems, lineCounter };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function spanOf(node: { range?: [number, number, number] | null } | null | undefined, fallback: number): Span {
  const r = node?.range;
  if (!r) return { start: fallback, end: fallback };
  return { start: r[0], end: Math.max(r[0], r[1]) };
}

function scalarText(value: unknown, source: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && source !== undefined) return source;
  return String(value);
}

function convert(node: YamlNode | null, doc: Document.Parsed, budget: Budget, depth: number, eof: number): YNode | null {
  if (node === null || node === undefined) return null;
  if (--budget.nodes < 0 || depth > MAX_DEPTH) throw new BudgetExceeded();
  if (isAlias(node)) {
    if (--budget.aliases < 0) throw new BudgetExceeded();
    // Alias.resolve walks the document: resolve each alias node once.
    let target = budget.resolved.get(node);
    if (target === undefined) {
      target = (node.resolve(doc) as YamlNode | undefined) ?? null;
      budget.resolved.set(node, target);
    }
    if (!target) return null;
    return convert(target, doc, budget, depth + 1, eof);
  }
  if (isScalar(node)) {
    const value = node.value;
    const v: ScalarValue =
      value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : typeof value === 'bigint'
          ? String(value)
          : value === undefined
            ? null
            : String(value);
    return {
      kind: 'scalar',
      value: v,
      text: scalarText(v, (node as { source?: string }).source),
      style: String(node.type ?? 'PLAIN'),
      span: spanOf(node, eof),
    };
  }
  if (isMap(node)) {
    const map: YMap = { kind: 'map', pairs: [], span: spanOf(node, eof) };
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = convert(item.key as YamlNode | null, doc, budget, depth + 1, eof);
      const key: YScalar =
        keyNode && keyNode.kind === 'scalar'
          ? keyNode
          : { kind: 'scalar', value: null, text: '', style: 'PLAIN', span: keyNode?.span ?? map.span };
      const value = convert(item.value as YamlNode | null, doc, budget, depth + 1, eof);
      if (key.text === '<<' && value) {
        // YAML merge key: copy the merged mappings' pairs that this mapping does not define itself.
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const src of sources) {
          if (src.kind !== 'map') continue;
          for (const p of src.pairs) if (!map.pairs.some((q) => q.key.text === p.key.text)) map.pairs.push(p);
        }
        continue;
      }
      map.pairs.push({ key, value });
    }
    return map;
  }
  if (isSeq(node)) {
    const seq: YSeq = { kind: 'seq', items: [], span: spanOf(node, eof), ...(node.tag ? { tag: node.tag } : {}) };
    for (const item of node.items) {
      const v = convert(item as YamlNode | null, doc, budget, depth + 1, eof);
      if (v) seq.items.push(v);
    }
    return seq;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Accessors

export function get(map: YNode | null | undefined, key: string): YNode | null {
  if (!map || map.kind !== 'map') return null;
  for (const p of map.pairs) if (p.key.text === key) return p.value;
  return null;
}

export function getPair(map: YNode | null | undefined, key: string): YPair | null {
  if (!map || map.kind !== 'map') return null;
  for (const p of map.pairs) if (p.key.text === key) return p;
  return null;
}

export function asMap(n: YNode | null | undefined): YMap | null {
  return n && n.kind === 'map' ? n : null;
}

export function asSeq(n: YNode | null | undefined): YSeq | null {
  return n && n.kind === 'seq' ? n : null;
}

export function asScalar(n: YNode | null | undefined): YScalar | null {
  return n && n.kind === 'scalar' ? n : null;
}

/** Every scalar under a node (values only, not keys), in document order. */
export function scalarsUnder(n: YNode | null | undefined, out: YScalar[] = []): YScalar[] {
  if (!n) return out;
  if (n.kind === 'scalar') out.push(n);
  else if (n.kind === 'seq') for (const i of n.items) scalarsUnder(i, out);
  else for (const p of n.pairs) scalarsUnder(p.value, out);
  return out;
}
