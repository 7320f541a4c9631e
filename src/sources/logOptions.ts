import { UserError } from '../errors.js';

/**
 * `--log-opts`, as gitleaks takes it: raw `git log` arguments that choose which commits a history
 * scan reads. keyfence reads `git log -p` in a format of its own (gitLog.ts), so the options are
 * split like a shell would split them, without running one, and only options that select commits
 * pass: one that changes the output (`--format`, `-p`, `--stat`, `--output`...) would break what
 * keyfence parses, or write files.
 */
export interface LogOptions {
  /** Options that limit or order the commits (`--since=…`, `--author=…`, `--no-merges`). */
  options: string[];
  /** Revisions and ref selectors (`main..feature`, `--all`, `--branches=…`): they replace HEAD. */
  revisions: string[];
  /** Paths after `--`. */
  paths: string[];
}

/** Options that take a value, as `--name=value` or `--name value` (`-n` also as `-n5`). */
const WITH_VALUE = new Set([
  '--since', '--after', '--until', '--before', '--since-as-filter', '--max-age', '--min-age',
  '--max-count', '-n', '--skip', '--author', '--committer', '--grep', '--max-parents', '--min-parents',
]);
/** Selectors of refs: like a revision, they replace HEAD; the value is optional (`--branches[=glob]`). */
const REF_SELECTORS = new Set(['--all', '--branches', '--tags', '--remotes', '--glob', '--exclude', '--reflog', '--not']);
const FLAGS = new Set([
  '--no-merges', '--merges', '--first-parent', '--ancestry-path', '--regexp-ignore-case', '-i', '--extended-regexp', '-E',
  '--fixed-strings', '-F', '--perl-regexp', '--basic-regexp', '--invert-grep', '--all-match', '--date-order',
  '--author-date-order', '--topo-order', '--reverse', '--no-walk', '--do-walk', '--cherry-pick', '--left-only',
  '--right-only', '--full-history', '--dense', '--sparse', '--simplify-merges', '--simplify-by-decoration',
  '--remove-empty', '--no-min-parents', '--no-max-parents', '--ignore-missing',
]);
/** Options that change what `git log` prints, named in the error (the rest are simply not choosing commits). */
const OUTPUT = /^(--format|--pretty|--oneline|-p|-u|--patch|--no-patch|-s|--stat|--numstat|--shortstat|--name-only|--name-status|--raw|--graph|-z|--output|--color|--word-diff|--cc|-c|-m|--decorate|--abbrev-commit|--summary|--patch-with-stat|--ext-diff|--textconv|--show-signature|--notes|--encoding|-U\d*|--unified|--follow|--log-size|--left-right|--boundary|--cherry-mark|--source|--full-diff|--diff-merges|--relative|--binary|-R)$/;

export function parseLogOptions(text: string): LogOptions {
  const result: LogOptions = { options: [], revisions: [], paths: [] };
  const words = splitShellWords(text);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      result.paths.push(...words.slice(i + 1));
      break;
    }
    if (!word.startsWith('-')) {
      result.revisions.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (/^-\d+$/.test(word)) result.options.push(`--max-count=${word.slice(1)}`);
    else if (/^-n\d+$/.test(word)) result.options.push(`--max-count=${word.slice(2)}`);
    else if (WITH_VALUE.has(name)) {
      const value = eq > 0 ? word.slice(eq + 1) : words[++i];
      if (value === undefined) throw new UserError(`--log-opts: ${name} needs a value`, `e.g. --log-opts="${name}=…"`);
      result.options.push(`${name === '-n' ? '--max-count' : name}=${value}`);
    } else if (REF_SELECTORS.has(name)) result.revisions.push(word);
    else if (FLAGS.has(word)) result.options.push(word);
    else if (OUTPUT.test(name))
      throw new UserError(
        `--log-opts: ${name} changes the output of git log, which keyfence reads itself`,
        'give only options that choose commits (--all, --since=…, --author=…, --no-merges, a range like main..feature, -- PATHS)',
      );
    else throw new UserError(`--log-opts: ${name} is not an option that chooses commits`, 'give only options that choose commits (--all, --since=…, --author=…, --no-merges, a range like main..feature, -- PATHS)');
  }
  return result;
}

/**
 * Splits a command line as a POSIX shell would split words: blanks separate, single quotes keep
 * everything, double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``, a backslash outside
 * quotes escapes the next character. Nothing is expanded: `$HOME` stays `$HOME`.
 */
function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const add = (text: string) => (word = (word ?? '') + text);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else add(c);
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) add(text[++i]!);
      else add(c);
    } else if (c === "'" || c === '"') {
      quote = c;
      add('');
    } else if (c === '\\') {
      if (i + 1 < text.length) add(text[++i]!);
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else add(c);
  }
  if (quote) throw new UserError(`--log-opts: unbalanced ${quote === '"' ? 'double' : 'single'} quote in "${text}"`, 'close the quote');
  if (word !== undefined) words.push(word);
  return words;
}
