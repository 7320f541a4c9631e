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
