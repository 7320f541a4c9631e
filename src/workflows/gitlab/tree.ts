/**
 * GitLab CI values as a positioned tree that spans files: every value knows the file and the
 * offsets where it was written, so after `include:`, `extends:` and `!reference` have moved it into
 * a job, a finding still points at the line that wrote it.
 */
import type { LineCounter } from 'yaml';
import type { ScalarValue, Span, YNode } from '../yamlNodes.js';

export interface SourceFile {
  /** The path reported in findings. */
  file: string;
  text: string;
  lines: string[];
  lineCounter: LineCounter;
}

/** Where a value was written. */
export interface At {
  src: SourceFile;
  span: Span;
}

export interface GScalar {
  kind: 'scalar';
  value: ScalarValue;
  /** The value as GitLab reads it: numbers and booleans in their YAML spelling. */
  text: string;
  style: string;
  at: At;
}

export interface GPair {
  key: GScalar;
  value: GValue | null;
}

export interface GMap {
  kind: 'map';
  pairs: GPair[];
  at: At;
}

export interface GSeq {
  kind: 'seq';
  items: GValue[];
  at: At;
  tag?: string;
}

export type GValue = GScalar | GMap | GSeq;

export function fromYaml(node: YNode | null, src: SourceFile): GValue | null {
  if (!node) return null;
  const at = { src, span: node.span };
  switch (node.kind) {
    case 'scalar':
      return { kind: 'scalar', value: node.value, text: node.text, style: node.style, at };
    case 'seq': {
      const items = node.items.map((i) => fromYaml(i, src)).filter((i): i is GValue => i !== null);
      return { kind: 'seq', items, at, ...(node.tag ? { tag: node.tag } : {}) };
    }
    case 'map':
      return {
        kind: 'map',
        at,
        pairs: node.pairs.map((p) => ({ key: fromYaml(p.key, src) as GScalar, value: fromYaml(p.value, src) })),
      };
  }
}

export function get(v: GValue | null | undefined, key: string): GValue | null {
  return getPair(v, key)?.value ?? null;
}

export function getPair(v: GValue | null | undefined, key: string): GPair | null {
  if (!v || v.kind !== 'map') return null;
  // The last pair wins: merged maps never hold a key twice, but a file with a duplicate does.
  for (let i = v.pairs.length - 1; i >= 0; i--) if (v.pairs[i]!.key.text === key) return v.pairs[i]!;
  return null;
}

export function asMap(v: GValue | null | undefined): GMap | null {
  return v && v.kind === 'map' ? v : null;
}

export function asSeq(v: GValue | null | undefined): GSeq | null {
  return v && v.kind === 'seq' ? v : null;
}

export function asScalar(v: GValue | null | undefined): GScalar | null {
  return v && v.kind === 'scalar' ? v : null;
}

/** A scalar's text, or undefined for anything else. */
export function textOf(v: GValue | null | undefined): string | undefined {
  return v && v.kind === 'scalar' && v.value !== null ? v.text : undefined;
}

/** A value or a list of values, as a list (`needs: a` and `needs: [a]`). */
export function listOf(v: GValue | null | undefined): GValue[] {
  if (!v) return [];
  return v.kind === 'seq' ? v.items : [v];
}

/**
 * GitLab's deep merge, for `include:` and `extends:`: maps merge key by key, recursively; any other
 * value (a list, a scalar) of `over` replaces the one of `base`. The merged map sits where `over` was
 * written; every value keeps its own position.
 */
export function deepMerge(base: GMap, over: GMap): GMap {
  const pairs: GPair[] = [];
  const overKeys = new Map(over.pairs.map((p) => [p.key.text, p]));
  for (const p of base.pairs) {
    const o = overKeys.get(p.key.text);
    if (!o) pairs.push(p);
    else if (p.value?.kind === 'map' && o.value?.kind === 'map') pairs.push({ key: o.key, value: deepMerge(p.value, o.value) });
    else pairs.push(o);
  }
  const baseKeys = new Set(base.pairs.map((p) => p.key.text));
  for (const p of over.pairs) if (!baseKeys.has(p.key.text)) pairs.push(p);
  return { kind: 'map', pairs: dedupe(pairs), at: over.at };
}

function dedupe(pairs: GPair[]): GPair[] {
  const last = new Map<string, number>();
  pairs.forEach((p, i) => last.set(p.key.text, i));
  return pairs.filter((p, i) => last.get(p.key.text) === i);
}
