/**
 * How a file writes a comment, for the `keyfence:allow[...]` example a message gives: the marker
 * counts in any comment syntax (inlineComment.ts), but an example a user can paste must be one the
 * file's language accepts. Files that take no comment (JSON) are silenced with `allow:` in
 * keyfence.yml instead.
 */
export type CommentSyntax =
  | { kind: 'line'; open: string }
  | { kind: 'block'; open: string; close: string }
  /** Only a whole comment line (batch files' REM): the marker goes on the line above. */
  | { kind: 'line-above'; open: string }
  | { kind: 'none' };

const HASH = { kind: 'line', open: '#' } as const;
const SLASHES = { kind: 'line', open: '//' } as const;
const DASHES = { kind: 'line', open: '--' } as const;
const SEMICOLON = { kind: 'line', open: ';' } as const;
const MARKUP = { kind: 'block', open: '<!--', close: '-->' } as const;
const C_BLOCK = { kind: 'block', open: '/*', close: '*/' } as const;
const NONE = { kind: 'none' } as const;

const BY_EXTENSION: Record<string, CommentSyntax> = {
  ...Object.fromEntries(
    ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'java', 'kt', 'kts', 'go', 'rs', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'cs', 'fs', 'swift', 'scala', 'dart', 'php', 'groovy', 'gradle', 'jsonc', 'json5', 'proto', 'zig', 'sol', 'svelte', 'hcl', 'tf', 'tfvars', 'scss', 'less'].map((e) => [e, SLASHES]),
  ),
  ...Object.fromEntries(['md', 'markdown', 'html', 'htm', 'xml', 'svg', 'vue', 'plist', 'csproj', 'fsproj', 'vbproj', 'xaml', 'xhtml', 'jsp'].map((e) => [e, MARKUP])),
  ...Object.fromEntries(['sql', 'psql', 'lua', 'hs', 'elm', 'ada', 'adb'].map((e) => [e, DASHES])),
  ...Object.fromEntries(['ini', 'clj', 'cljs', 'edn', 'lisp', 'el', 'asm'].map((e) => [e, SEMICOLON])),
  css: C_BLOCK,
  bat: { kind: 'line-above', open: 'REM' },
  cmd: { kind: 'line-above', open: 'REM' },
  // Data without comments, and key stores (binary, or a key alone in a file).
  ...Object.fromEntries(
    ['json', 'ipynb', 'har', 'geojson', 'webmanifest', 'p12', 'pfx', 'jks', 'jceks', 'keystore', 'bks', 'kdbx', 'der', 'ppk', 'gpg', 'pem', 'key'].map((e) => [e, NONE]),
  ),
};

/** By file name, where the extension does not tell (`Jenkinsfile`, lockfiles that are JSON). */
const BY_NAME: Record<string, CommentSyntax> = {
  jenkinsfile: SLASHES,
  'package-lock.json': NONE,
  'composer.lock': NONE,
  'flake.lock': NONE,
};

/** The comment syntax of `file` (a repository path); `#` when nothing else is known, as in most config files. */
export function commentSyntax(file: string): CommentSyntax {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_NAME[base] ?? BY_NAME[base.replace(/\..*$/, '')];
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1) : '';
  return BY_EXTENSION[ext] ?? HASH;
}

/**
 * What to write to silence `ruleId` in `file`: a comment at the end of the finding's line, or on the
 * line above for languages whose comments fill a line; undefined for files without comments.
 */
export function allowComment(file: string, ruleId: string, reason = 'reason'): string | undefined {
  const syntax = commentSyntax(file);
  const marker = `keyfence:allow[${ruleId}] ${reason}`;
  switch (syntax.kind) {
    case 'none':
      return undefined;
    case 'block':
      return `${syntax.open} ${marker} ${syntax.close}`;
    case 'line-above':
      return `${syntax.open} keyfence-ignore-next-line[${ruleId}] ${reason}`;
    default:
      return `${syntax.open} ${marker}`;
  }
}

/** The `allow:` entry of keyfence.yml that silences `ruleId` in `file`, on one line (YAML flow style). */
export function allowEntry(file: string, ruleId: string): string {
  return `allow: [{ rules: [${ruleId}], paths: [${JSON.stringify(file)}], reason: ... }]`;
}
