/**
 * Just enough shell to read `run:` scripts: commands split at newlines, `;`, `&&`, `||`, `&`, and
 * pipelines at `|`, words with quotes kept, redirections separated, heredoc bodies attached to the
 * command that opens them. Not a shell parser; it only has to be right about the common shapes.
 */

export interface Redirect {
  op: string;
  target: string;
}

export interface ShellCommand {
  /** Words with quotes kept as written, leading assignments and wrappers (sudo, env, time) removed. */
  words: string[];
  /** Words with surrounding quotes removed. */
  args: string[];
  redirects: Redirect[];
  /** 0-based line in the script where the command starts. */
  line: number;
  /** Heredoc body when the command has `<<EOF`. */
  heredoc?: string;
}

export interface Pipeline {
  commands: ShellCommand[];
  line: number;
  /** The raw text of the logical line the pipeline came from. */
  text: string;
}

const WRAPPERS = new Set(['sudo', 'time', 'exec', 'command', 'nohup', 'xvfb-run', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '(', 'eval']);

interface Token {
  kind: 'word' | 'op';
  text: string;
}

export function parseShell(script: string): Pipeline[] {
  const rawLines = script.split(/\r?\n/);
  const pipelines: Pipeline[] = [];
  let i = 0;
  while (i < rawLines.length) {
    const startLine = i;
    let logical = rawLines[i] ?? '';
    // Backslash continuations.
    while (/\\$/.test(logical) && i + 1 < rawLines.length) {
      i++;
      logical = logical.slice(0, -1) + ' ' + (rawLines[i] ?? '');
    }
    i++;
    // Heredocs opened on this line: collect their bodies.
    const heredocs: string[] = [];
    const re = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(logical)) !== null) {
      const delim = m[3]!;
      const strip = m[1] === '-';
      const body: string[] = [];
      while (i < rawLines.length) {
        const l = rawLines[i]!;
        i++;
        if ((strip ? l.replace(/^\t+/, '') : l).trim() === delim) break;
        body.push(l);
      }
      heredocs.push(body.join('\n'));
    }
    const tokens = tokenize(logical);
    let current: ShellCommand[] = [];
    let words: string[] = [];
    let redirects: Redirect[] = [];
    const flushCommand = (): void => {
      if (words.length > 0 || redirects.length > 0) {
        const cmd = makeCommand(words, redirects, startLine);
        if (heredocs.length > 0 && redirects.some((r) => r.op.startsWith('<<'))) cmd.heredoc = heredocs.shift();
        current.push(cmd);
      }
      words = [];
      redirects = [];
    };
    const flushPipeline = (): void => {
      flushCommand();
      if (current.length > 0) pipelines.push({ commands: current, line: startLine, text: logical });
      current = [];
    };
    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t]!;
      if (tok.kind === 'word') {
        words.push(tok.text);
        continue;
      }
      if (tok.text === '|') flushCommand();
      else if (tok.text === ';' || tok.text === '&&' || tok.text === '||' || tok.text === '&') flushPipeline();
      else if (/^(\d*|&)(>>?|<<-?|<<<|<|>&|>\|)$/.test(tok.text)) {
        const next = tokens[t + 1];
        if (next && next.kind === 'word') {
          redirects.push({ op: tok.text, target: next.text });
          t++;
        } else redirects.push({ op: tok.text, target: '' });
      }
    }
    flushPipeline();
  }
  return pipelines;
}

function makeCommand(rawWords: string[], redirects: Redirect[], line: number): ShellCommand {
  let w = [...rawWords];
  // Drop wrappers and leading assignments: `sudo -E X=1 env Y=2 cmd`.
  for (;;) {
    const first = w[0];
    if (first === undefined) break;
    if (WRAPPERS.has(first)) w = w.slice(1);
    else if (first === 'env' && w.length > 1 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w[1]!) || w[1]!.startsWith('-'))) w = w.slice(1);
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first) && w.length > 1) w = w.slice(1);
    else if ((first === '-E' || first === '-u') && w.length > 1) w = w.slice(first === '-u' ? 2 : 1);
    else break;
  }
  return { words: w, args: w.map(unquote), redirects, line };
}

function unquote(word: string): string {
  if (word.length >= 2 && ((word.startsWith('"') && word.endsWith('"')) || (word.startsWith("'") && word.endsWith("'")))) return word.slice(1, -1);
  return word;
}

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let word = '';
  let i = 0;
  let quote: string | null = null;
  let depth = 0; // inside $( ... ) or ${ ... }
  const push = (): void => {
    if (word !== '') out.push({ kind: 'word', text: word });
    word = '';
  };
  while (i < line.length) {
    const c = line[i]!;
    if (quote) {
      word += c;
      if (c === '\\' && quote === '"' && i + 1 < line.length) {
        word += line[i + 1];
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      word += c + line[i + 1];
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      word += c;
      i++;
      continue;
    }
    if (c === '$' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      depth++;
      word += c + line[i + 1];
      i += 2;
      continue;
    }
    if (depth > 0) {
      if (c === ')' || c === '}') depth--;
      else if (c === '(' || c === '{') depth++;
      word += c;
      i++;
      continue;
    }
    if (c === '#' && word === '') break; // comment
    if (c === ' ' || c === '\t') {
      push();
      i++;
      continue;
    }
    const two = line.slice(i, i + 2);
    const three = line.slice(i, i + 3);
    if (three === '<<<' || three === '<<-') {
      push();
      out.push({ kind: 'op', text: three });
      i += 3;
      continue;
    }
    if (two === '&&' || two === '||' || two === '>>' || two === '<<' || two === '&>' || two === '>&' || two === '>|') {
      if (two === '>>' || two === '>&' || two === '>|') {
        const fd = /^\d+$/.test(word) ? word : '';
        if (fd) word = '';
        push();
        out.push({ kind: 'op', text: fd + two });
      } else {
        push();
        out.push({ kind: 'op', text: two });
      }
      i += 2;
      continue;
    }
    if (c === '|' || c === ';' || c === '&' || c === '<' || c === '>' || c === '(' || c === ')') {
      if ((c === '>' || c === '<') && /^\d+$/.test(word)) {
        const fd = word;
        word = '';
        out.push({ kind: 'op', text: fd + c });
      } else {
        push();
        if (c !== '(' && c !== ')') out.push({ kind: 'op', text: c });
      }
      i++;
      continue;
    }
    word += c;
    i++;
  }
  push();
  return out;
}

/** Shell variables a word expands: `$X`, `${X}`, `${X:-y}`, PowerShell `$env:X`, cmd `%X%`. */
export function referencedVariables(text: string): string[] {
  const out = new Set<string>();
  const re = /\$env:([A-Za-z_][A-Za-z0-9_]*)|\$\{#?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return [...out];
}
