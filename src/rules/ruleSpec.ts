import type { Category, Environment, Severity } from '../findings/finding.js';

/**
 * A secret rule as data: the shape of every entry in rules/*.yml and of `rules:` in a user's
 * keyfence.yml. rules/README.md documents each field for rule authors.
 */
export interface RuleSpec {
  id: string;
  description: string;
  category: Category;
  severity: Severity;
  /** Lower-case literals; the regex runs only near a line holding one of them. */
  keywords: string[];
  /** JavaScript RegExp source. The engine adds the `g` flag (and `d` for group offsets). */
  regex: string;
  /** Extra RegExp flags: `i`, `s`, `m`, `u`. */
  flags?: string;
  /** Capture group holding the secret; default 1 when the regex has groups, else the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Name of an offline validator in src/engine/validators (a checksum, a structure check). */
  validator?: string;
  /** Regexes on the secret: a secret matching one is not reported. */
  allow?: string[];
  /** Regexes on the whole line: a line matching one is not reported by this rule. */
  allowLine?: string[];
  /** Only scan files matching these micromatch globs (case-insensitive; `!glob` excludes). */
  files?: string[];
  /**
   * Report a match only if `after` matches later in the fragment before `until` does (`set -x`
   * followed by a secret variable before `set +x`): a look-ahead no single linear regex can make.
   */
  requires?: { after: string; until?: string };
  /** Which mode of a provider's keys the rule detects; default from the id (`-live-`, `-test-`). */
  mode?: 'live' | 'test';
  /** Only report in files of these environments; default all. */
  environments?: Environment[];
  /** The match may span lines (PEM blocks, JSON documents); the regex then runs on the whole text. */
  multiline?: boolean;
  /**
   * Run on lockfiles and minified bundles too. Default: yes for provider formats, no for
   * `generic-secret` rules, whose assignment patterns misfire on machine-made text.
   */
  generatedFiles?: boolean;
  /** Skip the shared placeholder filter (for rules whose format can never look like a placeholder). */
  placeholders?: boolean;
  /** Message shown to the user; default `description`. */
  message?: string;
  examples: RuleExamples;
}

export interface RuleExamples {
  /** Text that must produce a finding of this rule. `{{…}}` templates are expanded at test time. */
  match: Array<string | { text: string; secret?: string; file?: string }>;
  /** Text that must not produce a finding of this rule. */
  noMatch: Array<string | { text: string; file?: string }>;
}
