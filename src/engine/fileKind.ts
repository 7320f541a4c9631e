/**
 * Files whose content is machine-made: lockfiles (integrity hashes everywhere) and minified bundles
 * or source maps (long random-looking identifiers). Only provider-format rules run on them; the
 * generic assignment rules would mostly raise false alarms there.
 */
export type FileKind = 'source' | 'lockfile' | 'minified';

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'Cargo.lock',
  'Gemfile.lock',
  'composer.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'go.sum',
  'packages.lock.json',
  'flake.lock',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'gradle.lockfile',
]);

const MINIFIED_NAME = /\.min\.(?:js|mjs|cjs|css)$|\.(?:js|css|mjs)\.map$|\.map$/;

/** A file whose first 16 KB average more than this many characters per line is treated as minified. */
const MINIFIED_AVERAGE_LINE = 500;

/**
 * Programming languages whose string literals are always quoted: an unquoted value after a name is
 * an expression, a type or a keyword there, never a literal. Shell, Makefiles, Dockerfiles and every
 * config format take bare values, so they are not on this list.
 */
const SOURCE_CODE = /\.(?:[cm]?[jt]sx?|vue|svelte|py|pyi|rb|go|java|kt|kts|scala|groovy|php|cs|fs|vb|rs|swift|dart|c|cc|cpp|cxx|h|hh|hpp|m|mm|lua|ex|exs|erl|clj|cljs|jl|r)$/i;

export function isSourceCode(file: string): boolean {
  return SOURCE_CODE.test(file);
}

export function fileKind(file: string, text: string): FileKind {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (LOCKFILES.has(base)) return 'lockfile';
  if (MINIFIED_NAME.test(base)) return 'minified';
  const head = text.length > 16384 ? text.slice(0, 16384) : text;
  if (head.length >= 4096) {
    let lines = 1;
    for (let i = head.indexOf('\n'); i !== -1; i = head.indexOf('\n', i + 1)) lines++;
    if (head.length / lines > MINIFIED_AVERAGE_LINE) return 'minified';
  }
  return 'source';
}
