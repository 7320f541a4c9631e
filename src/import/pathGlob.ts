/**
 * Path patterns of other scanners as keyfence's micromatch globs (matched with `dot: true` on the
 * repository-relative path). gitleaks and detect-secrets test paths with a regex that may match
 * anywhere in the path; secretlint's ignore file is gitignore syntax. Only what translates exactly
 * is translated: a regex outside the subset below is refused with the reason.
 */
export type GlobResult = { ok: true; globs: string[] } | { ok: false; reason: string };

const GLOB_SPECIAL = /[*?[\]{}()!+@,]/g;

function literal(char: string, caseless: boolean): string {
  if (caseless && /[a-z]/i.test(char)) return `[${char.toLowerCase()}${char.toUpperCase()}]`;
  return char.replace(GLOB_SPECIAL, '\\$&');
}

/** Parses a subset of regex syntax into glob text; `pos` advances. Throws a reason on anything else. */
class PathRegex {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly caseless: boolean,
  ) {}

  /** Alternatives up to `)` or the end: `a|b` as a brace list. */
  alternatives(): string {
    const alts = [this.sequence()];
    while (this.text[this.pos] === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : `{${alts.join(',')}}`;
  }

  private sequence(): string {
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== '|' && this.text[this.pos] !== ')') {
      const atom = this.atom();
      const q = this.text[this.pos];
      if (q === '?') {
        this.pos++;
        if (atom.kind === 'any') out += '{,?}';
        else out += `{${atom.glob},}`;
      } else if (q === '*' || q === '+') {
        this.pos++;
        if (this.text[this.pos] === '?') this.pos++;
        if (atom.kind !== 'any') throw new Error(`a repetition of "${atom.glob}" has no glob equivalent`);
        // `.*`: within one folder (`*`), or across folders (`*/**/*`).
        out += q === '*' ? '{*,*/**/*}' : '{?*,*/**/*}';
      } else if (q === '{') throw new Error('a counted repetition has no glob equivalent');
      else out += atom.glob;
    }
    return out;
  }

  private atom(): { kind: 'any' | 'fixed'; glob: string } {
    const c = this.text[this.pos]!;
    this.pos++;
    if (c === '.') return { kind: 'any', glob: '?' };
    if (c === '\\') {
      const next = this.text[this.pos++];
      if (next === undefined || /[a-zA-Z0-9]/.test(next)) throw new Error(`the escape \\${next ?? ''} has no glob equivalent`);
      return { kind: 'fixed', glob: literal(next, this.caseless) };
    }
    if (c === '(') {
      if (this.text.startsWith('?:', this.pos)) this.pos += 2;
      else if (this.text[this.pos] === '?') throw new Error('only plain and (?:…) groups translate');
      const inner = this.alternatives();
      if (this.text[this.pos] !== ')') throw new Error('an unclosed group');
      this.pos++;
      return { kind: 'fixed', glob: inner.startsWith('{') ? inner : `{${inner}}` };
    }
    if (c === '[') {
      const end = this.text.indexOf(']', this.pos + 1);
      if (end === -1) throw new Error('an unclosed bracket');
      let body = this.text.slice(this.pos, end);
      this.pos = end + 1;
      if (body.includes('\\') || body.includes('[')) throw new Error(`the class [${body}] has no glob equivalent`);
      if (body.startsWith('^')) body = `!${body.slice(1)}`;
      if (this.caseless) body = body.replace(/[a-z]-[a-z]|[A-Z]-[A-Z]/g, (r) => `${r.toLowerCase()}${r.toUpperCase()}`);
      return { kind: 'fixed', glob: `[${body}]` };
    }
    if ('^$*+?{}|'.includes(c)) throw new Error(`"${c}" in the middle of the regex has no glob equivalent`);
    return { kind: 'fixed', glob: literal(c, this.caseless) };
  }
}

/** A path regex (matching anywhere in the path unless anchored) as globs matching the same paths. */
export function pathRegexToGlobs(regex: string): GlobResult {
  let text = regex;
  let caseless = false;
  const flag = /^\(\?i\)/.exec(text);
  if (flag) {
    caseless = true;
    text = text.slice(flag[0].length);
  }
  // `(^|/)name`: a whole folder or file name, anywhere.
  const segment = /^\((?:\?:)?\^\|\/\)/.exec(text);
  if (segment) text = text.slice(segment[0].length);
  const start = !segment && text.startsWith('^');
  if (start) text = text.slice(1);
  const end = text.endsWith('$') && !text.endsWith('\\$');
  if (end) text = text.slice(0, -1);
  let body: string;
  try {
    const parser = new PathRegex(text, caseless);
    body = parser.alternatives();
    if (parser.pos !== text.length) throw new Error(`unbalanced ")" at ${parser.pos + 1}`);
  } catch (error) {
    return { ok: false, reason: `the path regex "${regex}" has no exact glob form: ${(error as Error).message}` };
  }
  if (/^[{}*?,/]*$/.test(body)) return { ok: false, reason: `the path regex "${regex}" matches every path` };
  // After a slash, "any folders, then part of a name" reads better as `**/*`.
  body = body.replaceAll('/{*,*/**/*}', '/**/*');
  // Unanchored: the match may start inside any folder name, and the path may go on after it.
  const head = start ? body : segment ? `**/${body}` : `**/*${body}`;
  return { ok: true, globs: end ? [head] : [`${head}*`, `${head}*/**`] };
}

/** One line of a gitignore-style file (`.secretlintignore`) as globs; undefined for blanks and comments. */
export function ignoreLineToGlobs(line: string): GlobResult | undefined {
  const text = line.replace(/(?<!\\)\s+$/, '');
  if (text === '' || text.startsWith('#')) return undefined;
  if (text.startsWith('!')) return { ok: false, reason: `the negation "${text}" has no allow-entry equivalent (allow entries only add exceptions)` };
  let pattern = text.replace(/^\\([#!])/, '$1');
  const dirOnly = pattern.endsWith('/');
  if (dirOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.startsWith('/') || pattern.includes('/');
  pattern = pattern.replace(/^\//, '');
  const base = anchored ? pattern : `**/${pattern}`;
  return { ok: true, globs: dirOnly ? [`${base}/**`] : [base, `${base}/**`] };
}
