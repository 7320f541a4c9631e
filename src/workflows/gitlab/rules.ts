/**
 * When a job can run in a merge-request pipeline, judged conservatively: `rules:` (first match
 * wins; `when: never` stops), `only:`/`except:`, `workflow:rules`, and GitLab's default for a job
 * with none of them (branches and tags only, unless `workflow:rules` decides). `if:` expressions
 * are evaluated in three values: what the merge request fixes (the pipeline source, no branch or
 * tag variable), what it lets its author choose (titles, branch names: anything), and the rest
 * (unknown). Unknown counts as "can run".
 */
import { asMap, asScalar, get, listOf, textOf, type GScalar, type GValue } from './tree.js';

export type Tri = true | false | 'maybe';

/** The pipeline a job is judged in: a merge request's own, or a child it triggers. */
export type PipelineSource = 'merge_request_event' | 'parent_pipeline';

type Val = { kind: 'str'; v: string } | { kind: 'null' } | { kind: 'unknown'; nonEmpty: boolean };

/** Variables a merge request pipeline always has, with a value the MR's author may choose. */
const MR_PRESENT = /^CI_MERGE_REQUEST_(IID|ID|PROJECT_ID|PROJECT_PATH|PROJECT_URL|REF_PATH|SOURCE_BRANCH_NAME|SOURCE_BRANCH_SHA|SOURCE_PROJECT_ID|SOURCE_PROJECT_PATH|SOURCE_PROJECT_URL|TARGET_BRANCH_NAME|TITLE|EVENT_TYPE|DIFF_BASE_SHA)$/;

function variable(name: string, source: PipelineSource): Val {
  if (name === 'CI_PIPELINE_SOURCE') return { kind: 'str', v: source };
  if (source === 'merge_request_event') {
    // A merge request pipeline runs on refs/merge-requests/N/head: no branch, no tag.
    if (name === 'CI_COMMIT_BRANCH' || name === 'CI_COMMIT_TAG' || name === 'CI_COMMIT_TAG_MESSAGE') return { kind: 'null' };
    if (MR_PRESENT.test(name)) return { kind: 'unknown', nonEmpty: true };
  }
  if (name === 'CI_COMMIT_REF_NAME' || name === 'CI_COMMIT_REF_SLUG' || name === 'CI_DEFAULT_BRANCH' || name === 'CI_PROJECT_PATH' || name === 'CI_PROJECT_ID') return { kind: 'unknown', nonEmpty: true };
  return { kind: 'unknown', nonEmpty: false };
}

type Tok = { t: 'var'; name: string } | { t: 'str'; v: string } | { t: 're'; v: string } | { t: 'null' } | { t: 'op'; v: string };

function tokenize(s: string): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = s.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(rest))) {
      out.push({ t: 'var', name: m[1]! });
      i += m[0].length;
    } else if ((m = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(rest))) {
      out.push({ t: 'str', v: m[1] ?? m[2] ?? '' });
      i += m[0].length;
    } else if ((m = /^(==|!=|=~|!~|&&|\|\||\(|\))/.exec(rest))) {
      out.push({ t: 'op', v: m[1]! });
      i += m[0].length;
      // A regular expression follows =~ and !~.
      if (m[1] === '=~' || m[1] === '!~') {
        const r = /^\s*(\/(?:[^/\\]|\\.)*\/[a-z]*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)/.exec(s.slice(i));
        if (r && r[1]!.startsWith('/')) {
          out.push({ t: 're', v: r[1]! });
          i += r[0].length;
        }
      }
    } else if (/^null\b/.test(rest)) {
      out.push({ t: 'null' });
      i += 4;
    } else return null;
  }
  return out;
}

function truth(v: Val): Tri {
  if (v.kind === 'str') return v.v !== '';
  if (v.kind === 'null') return false;
  return v.nonEmpty ? true : 'maybe';
}

function not(t: Tri): Tri {
  return t === 'maybe' ? 'maybe' : !t;
}

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : 'maybe';
}

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : 'maybe';
}

function equal(a: Val, b: Val): Tri {
  if (a.kind === 'str' && b.kind === 'str') return a.v === b.v;
  if (a.kind === 'null' && b.kind === 'null') return true;
  if ((a.kind === 'null' && b.kind === 'str') || (a.kind === 'str' && b.kind === 'null')) return false;
  if ((a.kind === 'null' && b.kind === 'unknown' && b.nonEmpty) || (b.kind === 'null' && a.kind === 'unknown' && a.nonEmpty)) return false;
  return 'maybe';
}

function matches(a: Val, re: string): Tri {
  if (a.kind === 'null') return false;
  if (a.kind === 'unknown') return 'maybe';
  const m = /^\/(.*)\/([a-z]*)$/s.exec(re);
  try {
    return m ? new RegExp(m[1]!, m[2]!.replace(/[^imsu]/g, '')).test(a.v) : 'maybe';
  } catch {
    return 'maybe';
  }
}

/** Evaluates a `rules: if:` / `only: variables:` expression; anything it cannot read is 'maybe'. */
export function evaluateIf(expr: string, source: PipelineSource): Tri {
  const toks = tokenize(expr);
  if (!toks) return 'maybe';
  let pos = 0;
  const peek = () => toks[pos];
  const operand = (): Val | Tri | null => {
    const t = toks[pos++];
    if (!t) return null;
    if (t.t === 'op' && t.v === '(') {
      const r = orExpr();
      if (peek()?.t === 'op' && (peek() as { v: string }).v === ')') pos++;
      return r;
    }
    if (t.t === 'var') return variable(t.name, source);
    if (t.t === 'str') return { kind: 'str', v: t.v };
    if (t.t === 'null') return { kind: 'null' };
    return null;
  };
  const comparison = (): Tri => {
    const left = operand();
    if (left === null) return 'maybe';
    if (typeof left !== 'object') return left;
    const op = peek();
    if (op?.t === 'op' && (op.v === '==' || op.v === '!=')) {
      pos++;
      const right = operand();
      if (right === null || typeof right !== 'object') return 'maybe';
      const r = equal(left, right);
      return op.v === '==' ? r : not(r);
    }
    if (op?.t === 'op' && (op.v === '=~' || op.v === '!~')) {
      pos++;
      const re = toks[pos++];
      const r = re?.t === 're' ? matches(left, re.v) : 'maybe';
      return op.v === '=~' ? r : not(r);
    }
    return truth(left);
  };
  const andExpr = (): Tri => {
    let r = comparison();
    while (peek()?.t === 'op' && (peek() as { v: string }).v === '&&') {
      pos++;
      r = and(r, comparison());
    }
    return r;
  };
  const orExpr = (): Tri => {
    let r = andExpr();
    while (peek()?.t === 'op' && (peek() as { v: string }).v === '||') {
      pos++;
      r = or(r, andExpr());
    }
    return r;
  };
  const result = orExpr();
  return pos === toks.length ? result : 'maybe';
}

export interface Reach {
  can: boolean;
  /** The rule or keyword that lets the job in, for the finding's related position. */
  because?: GValue;
  when?: string;
}

/**
 * First-match evaluation of a `rules:` list. Returns whether some path runs the job (`when` other
 * than `never`) and the first rule that may.
 */
export function evaluateRules(rules: GValue, source: PipelineSource, defaultWhen = 'on_success'): Reach {
  for (const rule of listOf(rules)) {
    const m = asMap(rule);
    if (!m) continue;
    let hit: Tri = true;
    const cond = textOf(get(m, 'if'));
    if (cond !== undefined) hit = and(hit, evaluateIf(cond, source));
    // changes:/exists: depend on the merge request's files: its author decides them.
    if (get(m, 'changes') || get(m, 'exists')) hit = and(hit, 'maybe');
    if (hit === false) continue;
    const when = textOf(get(m, 'when')) ?? defaultWhen;
    if (when === 'never') {
      if (hit === true) return { can: false };
      continue;
    }
    return { can: true, because: rule, when };
  }
  return { can: false };
}

/** `only:`/`except:` in a merge-request pipeline. A job with `except:` alone keeps `only`'s default. */
export function evaluateOnlyExcept(only: GValue | null, except: GValue | null, source: PipelineSource): Reach {
  const refsOf = (v: GValue | null): { refs: GScalar[]; variables: GValue | null } => {
    const m = asMap(v);
    if (m) return { refs: listOf(get(m, 'refs')).map(asScalar).filter((x): x is GScalar => x !== null), variables: get(m, 'variables') };
    return { refs: listOf(v).map(asScalar).filter((x): x is GScalar => x !== null), variables: null };
  };
  const keyword = source === 'merge_request_event' ? 'merge_requests' : 'pipelines';
  const o = refsOf(only);
  let because: GValue | undefined;
  if (only === null || (o.refs.length === 0 && !o.variables)) return { can: false };
  if (o.refs.length > 0) {
    because = o.refs.find((r) => r.text === keyword);
    if (!because) return { can: false };
  }
  if (o.variables) {
    const any = listOf(o.variables).some((v) => evaluateIf(textOf(v) ?? '', source) !== false);
    if (!any) return { can: false };
    because ??= o.variables;
  }
  if (except) {
    const e = refsOf(except);
    if (e.refs.some((r) => r.text === keyword)) return { can: false };
    if (e.variables && listOf(e.variables).some((v) => evaluateIf(textOf(v) ?? '', source) === true)) return { can: false };
  }
  return { can: true, ...(because ? { because } : {}) };
}
