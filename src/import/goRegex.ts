/**
 * Go's RE2 syntax (gitleaks, detect-secrets' Python `re` is close enough to JS to pass through) to a
 * JavaScript RegExp source and flags. RE2 has no lookaround and no backreferences, so what it
 * accepts is almost always JavaScript already; the differences are a handful of spellings, listed
 * here. What has no JavaScript spelling is refused with the reason, never guessed.
 */
export type Converted =
  | { ok: true; source: string; flags: string; notes: string[] }
  | { ok: false; reason: string };

/** RE2's ASCII classes (`[[:alpha:]]`), as the ranges they stand for inside a bracket. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const CATEGORIES = new Set('C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));

const SYNTAX = /[\\^$.|?*+()[\]{}/-]/g;

export function convertGoRegex(input: string): Converted {
  let text = input;
  const flags = new Set<string>();
  const notes: string[] = [];
  // Leading flag groups, `(?i)`, `(?is)`: JavaScript flags for the whole regex.
  for (let m = /^\(\?([imsU]+)\)/.exec(text); m; m = /^\(\?([imsU]+)\)/.exec(text)) {
    for (const f of m[1]!) {
      if (f === 'U') return { ok: false, reason: 'the (?U) flag (ungreedy by default) has no JavaScript equivalent' };
      flags.add(f);
    }
    text = text.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const rest = text.slice(i);
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return { ok: false, reason: 'the regex ends with a lone backslash' };
      if (next === 'Q') {
        // \Q…\E: a literal run.
        const end = text.indexOf('\\E', i + 2);
        const literal = text.slice(i + 2, end === -1 ? undefined : end);
        out += literal.replace(SYNTAX, '\\$&');
        i = end === -1 ? text.length : end + 1;
        continue;
      }
      if (next === 'z' && !inClass) {
        out += flags.has('m') ? '(?![\\s\\S])' : '$';
        i++;
        continue;
      }
      if (next === 'A' && !inClass) {
        out += flags.has('m') ? '(?<![\\s\\S])' : '^';
        i++;
        continue;
      }
      if (next === 'C') return { ok: false, reason: '\\C (any byte) has no JavaScript equivalent' };
      if (next === 'p' || next === 'P') {
        // \pL, \p{Greek}: Unicode properties, which JavaScript reads only with the `u` flag.
        const m = /^\\[pP](?:\{\^?([A-Za-z_]+)\}|([A-Za-z]))/.exec(rest);
        if (!m) return { ok: false, reason: `unsupported Unicode class at "${rest.slice(0, 8)}"` };
        const negated = (next === 'P') !== rest.startsWith('{^', 2);
        const name = m[1] ?? m[2]!;
        // JavaScript names general categories bare (\p{Lu}) and scripts with `Script=`.
        out += `\\${negated ? 'P' : 'p'}{${CATEGORIES.has(name) ? name : `Script=${name}`}}`;
        flags.add('u');
        i += m[0].length - 1;
        continue;
      }
      if (next === 'x' && text[i + 2] === '{') {
        const m = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(rest);
        if (!m) return { ok: false, reason: `malformed \\x{…} escape at "${rest.slice(0, 10)}"` };
        out += `\\u{${m[1]}}`;
        flags.add('u');
        i += m[0].length - 1;
        continue;
      }
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
      if (posix) {
        const ranges = POSIX_CLASSES[posix[2]!];
        if (!ranges) return { ok: false, reason: `unknown POSIX class [:${posix[2]}:]` };
        if (posix[1]) return { ok: false, reason: `a negated POSIX class [:^${posix[2]}:] inside a bracket has no JavaScript spelling` };
        out += ranges;
        i += posix[0].length - 1;
        continue;
      }
      if (c === '[') {
        out += '\\[';
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` or `^]` right after the opening bracket is a literal in RE2.
      if (text[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (text[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && text[i + 1] === '?') {
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      if (text[i + 2] === ':') {
        out += '(?:';
        i += 2;
        continue;
      }
      const inline = /^\(\?(-?[imsU]+(?:-[imsU]+)?)(:|\))/.exec(rest);
      if (inline) {
        // Flags inside the regex: JavaScript (before Node 23) sets flags for the whole regex only.
        const [on] = inline[1]!.split('-');
        if (inline[1]!.includes('-') || inline[1]!.includes('U') || on !== 'i')
          return { ok: false, reason: `the inline flag group "${inline[0]}" has no JavaScript equivalent` };
        flags.add('i');
        notes.push(`"${inline[0]}" in the middle of the regex became the \`i\` flag for the whole regex (JavaScript has no inline flags): it may match more`);
        out += inline[2] === ':' ? '(?:' : '';
        i += inline[0].length - 1;
        continue;
      }
      return { ok: false, reason: `the group "${rest.slice(0, 4)}…" is not RE2 syntax` };
    }
    out += c;
  }
  const flagString = [...flags].filter((f) => 'imsu'.includes(f)).sort().join('');
  try {
    new RegExp(out, flagString);
  } catch (error) {
    return { ok: false, reason: `it does not compile as a JavaScript regex: ${(error as Error).message}` };
  }
  return { ok: true, source: out, flags: flagString, notes };
}

/**
 * A converted regex for a place that takes a bare source (allow entries: no flags): `i` is spelled
 * out as `[aA]` classes, and any other flag makes it untranslatable there.
 */
export function asBareSource(converted: Extract<Converted, { ok: true }>): Converted {
  const other = converted.flags.replace('i', '');
  if (other) return { ok: false, reason: `it needs the \`${other}\` flag, which allow entries cannot set` };
  if (!converted.flags.includes('i')) return converted;
  let out = '';
  let inClass = false;
  const src = converted.source;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      // An escape stays as it is (with its `{…}` argument: \u{…}, \p{…}).
      const m = /^\\(?:[pPu]\{[^}]*\}|c[A-Za-z]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)/s.exec(src.slice(i))!;
      out += m[0];
      i += m[0].length - 1;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        out += c;
        continue;
      }
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(src.slice(i));
      if (range) {
        out += `${range[0]}${range[1]!.toLowerCase() === range[1] ? range[0].toUpperCase() : range[0].toLowerCase()}`;
        i += 2;
        continue;
      }
      out += /[a-zA-Z]/.test(c) ? `${c.toLowerCase()}${c.toUpperCase()}` : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      continue;
    }
    const group = /^\(\?<[A-Za-z_][A-Za-z0-9_]*>/.exec(src.slice(i));
    if (group) {
      out += group[0];
      i += group[0].length - 1;
      continue;
    }
    out += /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
  }
  return { ok: true, source: out, flags: '', notes: converted.notes };
}
