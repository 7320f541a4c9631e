import { LineCounter, parseDocument } from 'yaml';
import type { AllowEntry } from '../config/config.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import type { BaselineEntry } from '../suppressions/baseline.js';

/**
 * What one import makes of another scanner's files: plain data, written by writeImport.ts. Every
 * item keeps where it came from (`file:line`), which becomes a comment beside it in keyfence.yml.
 */
export interface ImportPlan {
  /** The scanner, as `keyfence import` names it. */
  tool: string;
  rules: Array<{ spec: RuleSpec; from: string }>;
  /** `late`: added while pinned findings were looked up (their file is gone). */
  allow: Array<{ entry: AllowEntry; from: string; late?: boolean }>;
  /** Rules switched off (`overrides: { id: { enabled: false } }`). */
  disabled: Array<{ id: string; from: string }>;
  /** Baseline entries ready to write (imported hashes). */
  baseline: BaselineEntry[];
  /** Findings to look up in the repository and record with keyfence's own keyed hash. */
  pinned: PinnedFinding[];
  /** What was not translated, with the reason. */
  untranslated: Array<{ from: string; what: string; reason: string }>;
  /** Translated, but not exactly: what differs. */
  notes: Array<{ from: string; note: string }>;
}

/** A finding another scanner's ignore file names by place (`.gitleaksignore`): rule, file, line, commit. */
export interface PinnedFinding {
  from: string;
  file: string;
  line: number;
  /** The other scanner's rule id, and keyfence's for it when known. */
  rule: string;
  keyfenceRules?: string[];
  commit?: string;
}

export function emptyPlan(tool: string): ImportPlan {
  return { tool, rules: [], allow: [], disabled: [], baseline: [], pinned: [], untranslated: [], notes: [] };
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line of a JSON syntax error, for the one-line message. Node's own message has no position
 * here and quotes the text around the fault (which may hold a secret); YAML, a superset of JSON,
 * locates it.
 */
export function jsonErrorLine(text: string): number | undefined {
  const lines = new LineCounter();
  const error = parseDocument(text, { lineCounter: lines }).errors[0];
  return error?.linePos?.[0].line;
}
