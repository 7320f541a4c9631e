/**
 * `${{ }}` expressions: split out of strings (respecting quoted literals that contain `}}`), parsed
 * with GitHub's own lexer and parser from `@actions/expressions`, and queried as syntax trees: which
 * context paths a value can flow from, which secrets are read, which functions are called.
 */
import { Lexer, Parser } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Star,
  Unary,
  type Expr,
} from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';

export type { Expr };
export { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Logical, Unary, TokenType };

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'matrix', 'needs', 'steps', 'job', 'jobs', 'runner', 'strategy'];
const WORKFLOW_FUNCTIONS = [
  { name: 'success', minArgs: 0, maxArgs: 0 },
  { name: 'always', minArgs: 0, maxArgs: 0 },
  { name: 'failure', minArgs: 0, maxArgs: 0 },
  { name: 'cancelled', minArgs: 0, maxArgs: 0 },
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];

export interface ParsedExpr {
  /** The text between `${{` and `}}` (or the whole `if:` value). */
  source: string;
  ast: Expr | null;
  error?: string;
}

const cache = new Map<string, ParsedExpr>();

export function parseExpression(source: string): ParsedExpr {
  const hit = cache.get(source);
  if (hit) return hit;
  let result: ParsedExpr;
  try {
    const { tokens } = new Lexer(source).lex();
    const unknown = tokens.find((t) => t.type === TokenType.UNKNOWN);
    if (unknown) {
      result = { source, ast: null, error: `unexpected symbol '${unknown.lexeme}'` };
    } else {
      const ast = new Parser(tokens, CONTEXTS, WORKFLOW_FUNCTIONS).parse();
      result = { source, ast };
    }
  } catch (err) {
    result = { source, ast: null, error: err instanceof Error ? err.message : String(err) };
  }
  if (cache.size > 5000) cache.clear();
  cache.set(source, result);
  return result;
}

export interface TemplatePart {
  kind: 'literal' | 'expr';
  /** For expressions, the inner text (without `${{` and `}}`). */
  text: string;
  /** Offset of the part in the value; for expressions, of the `${{`. */
  offset: number;
  /** Length in the value, including the delimiters for expressions. */
  length: number;
}

export interface SplitResult {
  parts: TemplatePart[];
  /** Offset of a `${{` that has no closing `}}`. */
  unterminated?: number;
}

/** Splits a string into literal text and `${{ }}` expressions. */
export function splitTemplate(value: string): SplitResult {
  const parts: TemplatePart[] = [];
  let pos = 0;
  while (pos < value.length) {
    const open = value.indexOf('${{', pos);
    if (open < 0) break;
    if (open > pos) parts.push({ kind: 'literal', text: value.slice(pos, open), offset: pos, length: open - pos });
    let i = open + 3;
    let close = -1;
    while (i < value.length) {
      const c = value[i];
      if (c === "'") {
        // String literal: '' is an escaped quote.
        i++;
        while (i < value.length) {
          if (value[i] === "'") {
            if (value[i + 1] === "'") i += 2;
            else break;
          } else i++;
        }
        i++;
        continue;
      }
      if (c === '}' && value[i + 1] === '}') {
        close = i;
        break;
      }
      i++;
    }
    if (close < 0) return { parts, unterminated: open };
    parts.push({ kind: 'expr', text: value.slice(open + 3, close), offset: open, length: close + 2 - open });
    pos = close + 2;
  }
  if (pos < value.length) parts.push({ kind: 'literal', text: value.slice(pos), offset: pos, length: value.length - pos });
  return { parts };
}

// ---------------------------------------------------------------------------------------------
// Queries over the syntax tree

/** `a.b['c'].*` as `a.b.c.*` (lower case), or null when an index is computed. */
export function accessPath(e: Expr): string | null {
  if (e instanceof ContextAccess) return e.name.lexeme.toLowerCase();
  if (e instanceof IndexAccess) {
    const base = accessPath(e.expr);
    if (base === null) return null;
    if (e.index instanceof Star) return `${base}.*`;
    if (e.index instanceof Literal && typeof e.index.token.value === 'string') return `${base}.${e.index.token.value.toLowerCase()}`;
    if (e.index instanceof Literal) return `${base}.${String(e.index.token.lexeme).toLowerCase()}`;
    return null;
  }
  return null;
}

/** Calls `visit` on every node, depth first. */
export function walk(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  if (e instanceof Unary) walk(e.expr, visit);
  else if (e instanceof Binary) {
    walk(e.left, visit);
    walk(e.right, visit);
  } else if (e instanceof Logical) for (const a of e.args) walk(a, visit);
  else if (e instanceof Grouping) walk(e.group, visit);
  else if (e instanceof IndexAccess) {
    walk(e.expr, visit);
    walk(e.index, visit);
  } else if (e instanceof FunctionCall) for (const a of e.args) walk(a, visit);
}

export interface PathRef {
  /** Lower-case dotted path; a computed index ends the path with `[]`. */
  path: string;
  node: Expr;
}

/** Every maximal context access in the expression (`github.event.issue.title`, `secrets.X`). */
export function allPaths(e: Expr): PathRef[] {
  const out: PathRef[] = [];
  const visit = (n: Expr): void => {
    if (n instanceof ContextAccess || n instanceof IndexAccess) {
      const p = accessPath(n);
      if (p !== null) {
        out.push({ path: p, node: n });
        return;
      }
      if (n instanceof IndexAccess) {
        // A computed index: record the prefix, then look inside the index expression.
        const base = accessPath(n.expr);
        if (base !== null) out.push({ path: `${base}[]`, node: n });
        else visit(n.expr);
        visit(n.index);
        return;
      }
    }
    if (n instanceof Unary) visit(n.expr);
    else if (n instanceof Binary) {
      visit(n.left);
      visit(n.right);
    } else if (n instanceof Logical) n.args.forEach(visit);
    else if (n instanceof Grouping) visit(n.group);
    else if (n instanceof FunctionCall) n.args.forEach(visit);
  };
  visit(e);
  return out;
}

const PASS_THROUGH_FUNCTIONS = new Set(['format', 'join', 'tojson', 'fromjson', 'case']);

/**
 * Context paths whose value can appear in the expression's result. `a || b` and `format(...)`
 * pass values through; comparisons, `!`, `contains()` and `hashFiles()` produce booleans or hashes.
 */
export function flowingPaths(e: Expr): PathRef[] {
  const out: PathRef[] = [];
  const visit = (n: Expr): void => {
    if (n instanceof ContextAccess || n instanceof IndexAccess) {
      const p = accessPath(n);
      if (p !== null) {
        out.push({ path: p, node: n });
        return;
      }
      if (n instanceof IndexAccess) {
        // fromJSON(x).field, or a[computed]: the value flows from the base.
        const base = accessPath(n.expr);
        if (base !== null) out.push({ path: `${base}[]`, node: n });
        else visit(n.expr);
      }
      return;
    }
    // `a && b` yields `a` only when it is falsy (an empty secret prints nothing): only the last
    // operand flows out with content (`secrets.X && 'yes' || 'no'` prints yes or no). `a || b` yields any.
    if (n instanceof Logical) (n.operator.type === TokenType.AND ? n.args.slice(-1) : n.args).forEach(visit);
    else if (n instanceof Grouping) visit(n.group);
    else if (n instanceof FunctionCall && PASS_THROUGH_FUNCTIONS.has(n.functionName.lexeme.toLowerCase())) {
      const name = n.functionName.lexeme.toLowerCase();
      // case(pred1, val1, pred2, val2, ..., default): only the values flow.
      if (name === 'case') n.args.forEach((a, i) => (i % 2 === 1 || i === n.args.length - 1 ? visit(a) : undefined));
      else n.args.forEach(visit);
    }
  };
  visit(e);
  return out;
}

export function functionCalls(e: Expr): FunctionCall[] {
  const out: FunctionCall[] = [];
  walk(e, (n) => {
    if (n instanceof FunctionCall) out.push(n);
  });
  return out;
}

export function isCall(e: Expr, name: string): e is FunctionCall {
  return e instanceof FunctionCall && e.functionName.lexeme.toLowerCase() === name.toLowerCase();
}

export interface SecretUse {
  /** Upper-case secret name; '' for computed or whole-context access. */
  name: string;
  kind: 'named' | 'computed' | 'whole';
  node: Expr;
}

/** Reads of the `secrets` context: `secrets.X`, `secrets['X']`, `secrets[expr]`, `toJSON(secrets)`. */
export function secretUses(e: Expr): SecretUse[] {
  const out: SecretUse[] = [];
  for (const ref of allPaths(e)) {
    if (ref.path === 'secrets') out.push({ name: '', kind: 'whole', node: ref.node });
    else if (ref.path === 'secrets[]') out.push({ name: '', kind: 'computed', node: ref.node });
    else if (ref.path.startsWith('secrets.')) {
      const name = ref.path.slice('secrets.'.length).split(/[.[]/)[0] ?? '';
      out.push({ name: name.toUpperCase(), kind: name === '*' ? 'whole' : 'named', node: ref.node });
    }
  }
  return out;
}

/** `fromJSON(secrets.X).field`: a value derived from a secret, which the log masker does not know. */
export function derivedSecretFields(e: Expr): Expr[] {
  const out: Expr[] = [];
  walk(e, (n) => {
    if (n instanceof IndexAccess) {
      let base: Expr = n.expr;
      while (base instanceof IndexAccess) base = base.expr;
      if (isCall(base, 'fromJSON') && base.args.some((a) => secretUses(a).length > 0)) out.push(n);
    }
  });
  // Only the outermost access of each chain.
  return out.filter((n) => !out.some((o) => o !== n && o instanceof IndexAccess && contains(o, n)));
}

function contains(outer: Expr, inner: Expr): boolean {
  let found = false;
  walk(outer, (n) => {
    if (n === inner && n !== outer) found = true;
  });
  return found;
}

/** The literal string value of a node, if it is one. */
export function literalString(e: Expr): string | null {
  if (e instanceof Grouping) return literalString(e.group);
  if (e instanceof Literal && e.token.type === TokenType.STRING && typeof e.token.value === 'string') return e.token.value;
  return null;
}

export function literalValue(e: Expr): string | number | boolean | null | undefined {
  if (e instanceof Grouping) return literalValue(e.group);
  if (!(e instanceof Literal)) return undefined;
  switch (e.token.type) {
    case TokenType.STRING:
    case TokenType.NUMBER:
      return e.token.value as string | number;
    case TokenType.TRUE:
      return true;
    case TokenType.FALSE:
      return false;
    case TokenType.NULL:
      return null;
    default:
      return undefined;
  }
}
