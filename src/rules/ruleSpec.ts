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
  /** Lower-case literals; the regex runs only near a line holding one of them (`[]` for a path rule). */
  keywords: string[];
  /**
   * JavaScript RegExp source, run on the text. The engine adds the `g` flag (and `d` for group
   * offsets). A rule has `regex` (a content rule) or `path` (a path rule), never both.
   */
  regex?: string;
  /**
   * A path rule: a regex (always case-insensitive) on the repository-relative path. The file itself
   * is the finding, binary or text, reported once at line 1 with no secret value (the path says it
   * all): key stores (`.p12`, `.jks`, `.kdbx`) whose content no regex can read. In a file where a
   * content rule reports something (or a content rule's structure check recognised a fake), the
   * path rule gives way: one file, one finding. Deleted files are never reported.
   */
  path?: string;
  /** Extra RegExp flags: `i`, `s`, `m`, `u`. */
  flags?: string;
  /** Capture group holding the secret; default 1 when the regex has groups, else the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /**
   * Name of an offline validator in src/engine/validators (a checksum, a structure check; for a path
   * rule, a check of the file's bytes).
   */
  validator?: string;
  /** Regexes on the secret: a secret matching one is not reported. */
  allow?: string[];
  /** Regexes on the whole line: a line matching one is not reported by this rule. */
  allowLine?: string[];
  /**
   * A secret matching `secret` is not reported unless the text just before it matches `after` (a
   * regex tested as a look-behind ending where the secret starts): 40 hex digits are a git object id
   * under most names, and a token under a token's name. Same as a negative look-behind in `regex`,
   * but compiled only when a secret of that shape turns up, where the regex would compile it always.
   */
  allowUnlessAfter?: { secret: string; after: string };
  /** Only scan files matching these micromatch globs (case-insensitive; `!glob` excludes). */
  files?: string[];
  /**
   * Report a match only if `after` matches later in the fragment before `until` does (`set -x`
   * followed by a secret variable before `set +x`): a look-ahead no single linear regex can make.
   */
  requires?: {
    after: string;
    until?: string;
    /** Globs of files where the requirement does not apply: every match there is reported (CI pipeline files). */
    unlessFiles?: string[];
  };
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
  /**
   * A secret of letters only (no digit, no symbol) is reported only when it reads as random letters:
   * 12 or more, not all hex digits, and costly under the word-likeness model (src/engine/wordLikeness.ts)
   * rather than words, identifiers or labels (`PendingTransactionId`, `Benutzerkennwort`). For rules
   * whose values are named by what they hold rather than shaped by a format (the generic rules).
   */
  randomLetters?: boolean;
  /**
   * The secret is a literal assigned to a name, so it must look like one: in a source-code file
   * (JS/TS, Python, Go, Ruby, Java, PHP, C#, Rust…) a quoted string, since an unquoted value there is
   * an expression or a type (a parameter typed `Uint8Array`); and a quoted value must end at its closing
   * quote, since more words before it make a label or a sentence (`"Nieoczekiwany token."`).
   */
  literal?: boolean;
  /** A custom rule with a built-in rule's id replaces it only when it says so (keyfence.yml). */
  override?: boolean;
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
