/**
 * Per-job facts the checks share: which triggers can start the job and how far those are trusted,
 * which guards (`if:` conditions) hold for each trigger, which secrets and token permissions are in
 * reach.
 *
 * Conditions are evaluated once per trigger, with `github.event_name` known: that is how
 * `github.event_name != 'pull_request_target' || <fork check>` counts as a fork guard for
 * `pull_request_target` runs. A guard under `||` only holds when every branch that can be true has it.
 */
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Logical,
  TokenType,
  Unary,
  accessPath,
  functionCalls,
  isCall,
  literalString,
  literalValue,
  secretUses,
  type Expr,
} from './expressions.js';
import type { RelatedSpan } from './check.js';
import type { Cond, ExprOcc, Job, Permissions, Step, Trigger, TString, WorkflowModel } from './model.js';

// ---------------------------------------------------------------------------------------------
// Triggers and their trust

/** Outsiders can start these, and the run gets the repository's secrets and token. */
export const PRIVILEGED_UNTRUSTED = new Set([
  'pull_request_target',
  'workflow_run',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
]);

/** Triggers that run the fork's own code (without secrets, with a read-only token). */
export const FORK_CODE_TRIGGERS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

/** Triggers under which a job may fetch pull-request code while holding the base repository's privileges. */
export const CHECKOUT_TRIGGERS = new Set(['pull_request_target', 'workflow_run', 'issue_comment']);

// ---------------------------------------------------------------------------------------------
// Guards

export interface GuardFlags {
  /** Only pull requests from this repository (not forks) pass. */
  fork: boolean;
  /** The author or commenter is checked (author_association, user.login). */
  author: boolean;
  /** A maintainer-applied label is required. */
  label: boolean;
  /** Only merged pull requests pass. */
  merged: boolean;
  /** A named (human) actor is required: weaker, as the actor is whoever triggered the event. */
  actor: boolean;
}

export const NO_GUARD: GuardFlags = { fork: false, author: false, label: false, merged: false, actor: false };

export function isGuarded(g: GuardFlags): boolean {
  return g.fork || g.author || g.label || g.merged || g.actor;
}

export function describeGuard(g: GuardFlags): string {
  const parts: string[] = [];
  if (g.fork) parts.push('a same-repository check');
  if (g.author) parts.push('an author check');
  if (g.label) parts.push('a label gate');
  if (g.merged) parts.push('a merged-only check');
  if (g.actor) parts.push('an actor check');
  return parts.join(' and ') || 'no guard';
}

export function union(a: GuardFlags, b: GuardFlags): GuardFlags {
  return {
    fork: a.fork || b.fork,
    author: a.author || b.author,
    label: a.label || b.label,
    merged: a.merged || b.merged,
    actor: a.actor || b.actor,
  };
}

function intersect(a: GuardFlags, b: GuardFlags): GuardFlags {
  return {
    fork: a.fork && b.fork,
    author: a.author && b.author,
    label: a.label && b.label,
    merged: a.merged && b.merged,
    actor: a.actor && b.actor,
  };
}

type Truth = 'true' | 'false' | 'unknown';
interface Abs {
  value: Truth;
  guard: GuardFlags;
}

const UNKNOWN: Abs = { value: 'unknown', guard: NO_GUARD };
const guardOnly = (g: Partial<GuardFlags>): Abs => ({ value: 'unknown', guard: { ...NO_GUARD, ...g } });

const SAME_REPO_PATHS = new Set([
  'github.event.pull_request.head.repo.full_name',
  'github.event.workflow_run.head_repository.full_name',
  'github.event.workflow_run.head_repository.id',
  'github.event.pull_request.head.repo.id',
  'github.event.pull_request.head.repo.owner.login',
  'github.event.workflow_run.head_repository.owner.login',
]);
const BASE_REPO_PATHS = new Set([
  'github.repository',
  'github.repository_id',
  'github.repository_owner',
  'github.event.repository.full_name',
  'github.event.repository.id',
  'github.event.repository.owner.login',
  'github.event.pull_request.base.repo.full_name',
  'github.event.pull_request.base.repo.id',
  'github.event.pull_request.base.repo.owner.login',
  'github.event.workflow_run.repository.full_name',
  'github.event.workflow_run.repository.id',
]);
const FORK_FLAG_PATHS = new Set(['github.event.pull_request.head.repo.fork', 'github.event.workflow_run.head_repository.fork']);
const AUTHOR_LOGIN_PATHS = new Set([
  'github.event.pull_request.user.login',
  'github.event.issue.user.login',
  'github.event.comment.user.login',
  'github.event.review.user.login',
  'github.event.discussion.user.login',
  'github.event.workflow_run.actor.login',
]);
export const ACTOR_PATHS = new Set(['github.actor', 'github.triggering_actor', 'github.event.sender.login']);
const TRUSTED_ASSOCIATIONS = new Set(['owner', 'member', 'collaborator']);

function pathOf(e: Expr): string | null {
  if (e instanceof Grouping) return pathOf(e.group);
  return e instanceof ContextAccess || e instanceof IndexAccess ? accessPath(e) : null;
}

function lowerLiteral(e: Expr): string | null {
  const s = literalString(e);
  return s === null ? null : s.toLowerCase();
}

/** The strings of `fromJSON('["a","b"]')` or of a literal string list haystack. */
function literalList(e: Expr): string[] | null {
  if (e instanceof Grouping) return literalList(e.group);
  if (isCall(e, 'fromJSON') && e.args[0]) {
    const s = literalString(e.args[0]);
    if (s === null) return null;
    try {
      const v: unknown = JSON.parse(s);
      if (Array.isArray(v)) return v.map((x) => String(x).toLowerCase());
    } catch {
      return null;
    }
  }
  return null;
}

/** Evaluates a condition for one event: constant where `github.event_name` decides, guards otherwise. */
function evaluate(e: Expr, event: string): Abs {
  if (e instanceof Grouping) return evaluate(e.group, event);
  const lit = literalValue(e);
  if (lit !== undefined) return { value: lit === false || lit === null || lit === 0 || lit === '' ? 'false' : 'true', guard: NO_GUARD };
  if (e instanceof Logical) {
    const args = e.args.map((a) => evaluate(a, event));
    if (e.operator.type === TokenType.AND) {
      if (args.some((a) => a.value === 'false')) return { value: 'false', guard: NO_GUARD };
      const guard = args.reduce((g, a) => union(g, a.guard), NO_GUARD);
      return { value: args.every((a) => a.value === 'true') ? 'true' : 'unknown', guard };
    }
    if (args.some((a) => a.value === 'true')) return { value: 'true', guard: NO_GUARD };
    const live = args.filter((a) => a.value !== 'false');
    if (live.length === 0) return { value: 'false', guard: NO_GUARD };
    return { value: 'unknown', guard: live.slice(1).reduce((g, a) => intersect(g, a.guard), live[0]!.guard) };
  }
  if (e instanceof Unary) {
    const inner = evaluate(e.expr, event);
    if (inner.value === 'true') return { value: 'false', guard: NO_GUARD };
    if (inner.value === 'false') return { value: 'true', guard: NO_GUARD };
    const p = pathOf(e.expr);
    if (p && FORK_FLAG_PATHS.has(p)) return guardOnly({ fork: true });
    return UNKNOWN;
  }
  if (e instanceof Binary) return evaluateComparison(e, event);
  if (e instanceof FunctionCall) return evaluateCall(e, event);
  const p = pathOf(e);
  if (p === 'github.event.pull_request.merged') return guardOnly({ merged: true });
  return UNKNOWN;
}

function evaluateComparison(e: Binary, event: string): Abs {
  const op = e.operator.type;
  const eq = op === TokenType.EQUAL_EQUAL;
  const ne = op === TokenType.BANG_EQUAL;
  if (!eq && !ne) return UNKNOWN;
  const lp = pathOf(e.left);
  const rp = pathOf(e.right);
  const [path, other, otherPath] = lp !== null ? [lp, e.right, rp] : [rp, e.left, lp];
  if (path === null) return UNKNOWN;
  const lit = literalValue(other);
  const litLower = typeof lit === 'string' ? lit.toLowerCase() : lit;

  if (path === 'github.event_name' && typeof litLower === 'string') {
    const same = litLower === event;
    return { value: same === eq ? 'true' : 'false', guard: NO_GUARD };
  }
  if (!eq && !(ne && FORK_FLAG_PATHS.has(path) && lit === true)) return UNKNOWN;
  // From here on: positive equality (or `fork != true`).
  if (SAME_REPO_PATHS.has(path) && ((otherPath !== null && BASE_REPO_PATHS.has(otherPath)) || typeof lit === 'string')) {
    return guardOnly({ fork: true });
  }
  if (otherPath !== null && SAME_REPO_PATHS.has(otherPath) && BASE_REPO_PATHS.has(path)) return guardOnly({ fork: true });
  if (FORK_FLAG_PATHS.has(path) && (lit === false || lit === 'false' || (ne && lit === true))) return guardOnly({ fork: true });
  if (path === 'github.event.workflow_run.event' && typeof litLower === 'string' && litLower !== 'pull_request' && litLower !== 'pull_request_target') {
    return guardOnly({ fork: true });
  }
  if (path.endsWith('.author_association') && typeof litLower === 'string' && TRUSTED_ASSOCIATIONS.has(litLower)) {
    return guardOnly({ author: true });
  }
  if (AUTHOR_LOGIN_PATHS.has(path) && typeof lit === 'string') return guardOnly({ author: true });
  if (path === 'github.event.pull_request.merged' && (lit === true || lit === 'true')) return guardOnly({ merged: true });
  if (path === 'github.event.label.name' && typeof lit === 'string') return guardOnly({ label: true });
  if (ACTOR_PATHS.has(path) && typeof lit === 'string' && !isBotName(lit)) return guardOnly({ actor: true });
  return UNKNOWN;
}

function evaluateCall(e: FunctionCall, event: string): Abs {
  const name = e.functionName.lexeme.toLowerCase();
  if (name === 'contains' && e.args.length === 2) {
    const [hay, needle] = e.args as [Expr, Expr];
    const hp = pathOf(hay);
    const np = pathOf(needle);
    if (np === 'github.event_name') {
      const list = literalList(hay);
      const s = lowerLiteral(hay);
      if (list) return { value: list.includes(event) ? 'true' : 'false', guard: NO_GUARD };
      if (s !== null) return { value: s.includes(event) ? 'true' : 'false', guard: NO_GUARD };
      return UNKNOWN;
    }
    if (hp && /\.labels\.\*\.name$/.test(hp)) return guardOnly({ label: true });
    if (np && np.endsWith('.author_association')) {
      const list = literalList(hay);
      const s = lowerLiteral(hay);
      const items = list ?? (s !== null ? s.split(/[^a-z_]+/).filter(Boolean) : null);
      if (items && items.length > 0 && items.every((i) => TRUSTED_ASSOCIATIONS.has(i))) return guardOnly({ author: true });
      return UNKNOWN;
    }
    if (np && AUTHOR_LOGIN_PATHS.has(np) && (literalList(hay) || lowerLiteral(hay) !== null)) return guardOnly({ author: true });
    if (np && ACTOR_PATHS.has(np)) {
      const list = literalList(hay);
      if (list && list.length > 0 && !list.some(isBotName)) return guardOnly({ actor: true });
    }
    return UNKNOWN;
  }
  return UNKNOWN;
}

export function isBotName(s: string): boolean {
  return /\[bot\]$/i.test(s) || /^(dependabot|renovate|github-actions|mergify|snyk-bot)/i.test(s);
}

export interface CondResult {
  /** False when the condition cannot be true for this event. */
  canRun: boolean;
  guard: GuardFlags;
}

export function evaluateCond(cond: Cond | undefined, event: string): CondResult {
  if (!cond) return { canRun: true, guard: NO_GUARD };
  if (cond.mixed || !cond.parsed?.ast) return { canRun: true, guard: NO_GUARD };
  const r = evaluate(cond.parsed.ast, event);
  return { canRun: r.value !== 'false', guard: r.value === 'true' ? NO_GUARD : r.guard };
}

/** Whether the condition lets a job run after its `needs` were skipped or failed. */
function runsRegardlessOfNeeds(cond: Cond | undefined): boolean {
  if (!cond?.parsed?.ast) return false;
  return functionCalls(cond.parsed.ast).some((c) => ['always', 'failure', 'cancelled'].includes(c.functionName.lexeme.toLowerCase()))
    || /!\s*cancelled\(\)/.test(cond.str.value);
}

// ---------------------------------------------------------------------------------------------
// Job facts

export interface SecretRef {
  name: string;
  occ: ExprOcc;
}

export interface JobFacts {
  job: Job;
  /** Triggers whose runs can reach this job (its `if:` and those of its needs are not false for them). */
  triggers: Trigger[];
  /** Guard flags per trigger name, including the guards of the jobs it needs. */
  guards: Map<string, GuardFlags>;
  /** Named secrets other than GITHUB_TOKEN, from the job's own strings and the workflow env. */
  secrets: SecretRef[];
  /** `toJSON(secrets)` and `secrets[<computed>]`. */
  broadSecrets: ExprOcc[];
  inheritsSecrets: boolean;
  environmentName?: string;
  /** The job can read secrets: named, broad, inherited, or an environment's. */
  holdsSecrets: boolean;
  /** The permissions block in force and where it comes from. */
  permissions: { source: 'job' | 'workflow' | 'default'; perms?: Permissions };
  /** Scopes with write access (`*` for write-all). */
  writeScopes: string[];
  /** Write scopes, or no permissions block anywhere (the repository default may be read-write). */
  tokenMayWrite: boolean;
}

/**
 * The caller's side of a call, for judging a reusable workflow (`uses: ./.github/workflows/x.yml`)
 * or a local action (`uses: ./.github/actions/x`) as it runs for that caller: the caller's triggers
 * and guards, the values it passes as inputs, the secrets and token it hands over.
 */
export interface CallContext {
  kind: 'reusable-workflow' | 'action';
  /** The caller's triggers that reach the call (each with `via` set), with the guard in force there. */
  triggers: { trigger: Trigger; guard: GuardFlags }[];
  /** The caller's `with:` values by input name (lower case), in the caller's file. */
  inputs: Map<string, { value: TString; model: WorkflowModel }>;
  /** How the caller itself is run, when it is called in turn: what its own `inputs.*` hold. */
  parent?: CallContext;
  /** A reusable workflow's secrets: every secret (`secrets: inherit`), the names passed, or none. */
  secrets: 'all' | string[];
  /** An action runs inside the caller's job: the secrets that job holds are in the runner. */
  callerHoldsSecrets: boolean;
  permissions: JobFacts['permissions'];
  writeScopes: string[];
  tokenMayWrite: boolean;
}

/** The workflows a `workflow_run` trigger follows, as found in the repository. */
export interface Upstream {
  /** Some upstream workflow can be started by an outsider's event (or is itself such a chain). */
  untrusted: boolean;
  /** Where the untrusted upstream workflows upload artifacts, in their files. */
  uploads: RelatedSpan[];
  /** The upstream's untrusted triggers, in their files. */
  triggers: RelatedSpan[];
}

/** What a file's analysis learns from the rest of the repository (repository.ts), when it is known. */
export interface AnalysisScope {
  context?: CallContext;
  /** The upstream of a `workflow_run` trigger; undefined when not every named workflow is found. */
  upstream?(trigger: Trigger): Upstream | undefined;
}

export interface Analysis {
  model: WorkflowModel;
  jobs: Map<string, JobFacts>;
  facts(job: Job): JobFacts;
  /** Set when the file is judged as run by a caller. */
  context?: CallContext;
  upstream(trigger: Trigger): Upstream | undefined;
}

export function analyse(model: WorkflowModel, scope: AnalysisScope = {}): Analysis {
  const { context } = scope;
  const byId = new Map(model.jobs.map((j) => [j.id, j]));
  const memo = new Map<string, Map<string, CondResult>>();
  const modelTriggers = context ? context.triggers.map((t) => t.trigger) : model.triggers;
  const eventNames = modelTriggers.map((t) => t.name);
  // Guards that hold before any job's own `if:`: the caller's, or a `workflow_run` upstream that
  // only trusted events start (its artifacts and head come from the repository's own code).
  const baseGuard = new Map<string, GuardFlags>();
  for (const t of context?.triggers ?? []) baseGuard.set(t.trigger.name, t.guard);
  const upstreams = new Map<Trigger, Upstream | undefined>();
  if (!context) {
    for (const t of model.triggers) {
      if (t.name !== 'workflow_run' || !scope.upstream) continue;
      const up = scope.upstream(t);
      upstreams.set(t, up);
      if (up && !up.untrusted) baseGuard.set(t.name, { ...NO_GUARD, fork: true });
    }
  }

  /** Per-event reachability and guards of a job, including what its needs contribute. */
  const reach = (job: Job, stack: Set<string>): Map<string, CondResult> => {
    const hit = memo.get(job.id);
    if (hit) return hit;
    const out = new Map<string, CondResult>();
    const alwaysRuns = runsRegardlessOfNeeds(job.if);
    for (const ev of eventNames) {
      const own = evaluateCond(job.if, ev);
      let canRun = own.canRun;
      let guard = union(own.guard, baseGuard.get(ev) ?? NO_GUARD);
      if (!alwaysRuns && !stack.has(job.id)) {
        stack.add(job.id);
        for (const need of job.needs) {
          const dep = byId.get(need);
          if (!dep) continue;
          const r = reach(dep, stack).get(ev);
          if (r && !r.canRun) canRun = false;
          if (r) guard = union(guard, r.guard);
        }
        stack.delete(job.id);
      }
      out.set(ev, { canRun, guard });
    }
    memo.set(job.id, out);
    return out;
  };

  const workflowEnvSecrets: SecretRef[] = [];
  for (const e of model.env) for (const occ of e.value?.exprs ?? []) for (const s of occ.parsed.ast ? secretUses(occ.parsed.ast) : []) {
    if (s.kind === 'named' && s.name !== 'GITHUB_TOKEN') workflowEnvSecrets.push({ name: s.name, occ });
  }

  const jobs = new Map<string, JobFacts>();
  for (const job of model.jobs) {
    const r = reach(job, new Set());
    const triggers = modelTriggers.filter((t) => r.get(t.name)?.canRun !== false);
    const guards = new Map<string, GuardFlags>();
    for (const t of triggers) guards.set(t.name, r.get(t.name)?.guard ?? NO_GUARD);

    // A reusable workflow only receives the secrets its caller passes.
    const passed = context?.kind === 'reusable-workflow' ? context.secrets : 'all';
    const received = (name: string) => passed === 'all' || passed.some((p) => p.toLowerCase() === name.toLowerCase());
    const secrets: SecretRef[] = workflowEnvSecrets.filter((s) => received(s.name));
    const broad: ExprOcc[] = [];
    for (const str of job.strings) {
      for (const occ of str.exprs) {
        if (!occ.parsed.ast) continue;
        for (const s of secretUses(occ.parsed.ast)) {
          if (s.kind === 'named') {
            if (s.name !== 'GITHUB_TOKEN' && received(s.name)) secrets.push({ name: s.name, occ });
          } else if (passed === 'all' || passed.length > 0) broad.push(occ);
        }
      }
    }
    const environmentName = job.environment?.name?.value;
    const inheritsSecrets = job.secrets?.inherit ?? false;

    const perms = job.permissions ?? model.permissions;
    const source: JobFacts['permissions']['source'] = job.permissions ? 'job' : model.permissions ? 'workflow' : 'default';
    let writeScopes: string[] = [];
    if (perms?.kind === 'write-all') writeScopes.push('*');
    else if (perms?.kind === 'scopes') for (const [scope, v] of perms.scopes) if (v.level === 'write') writeScopes.push(scope);
    let tokenMayWrite = writeScopes.length > 0 || source === 'default' || perms?.kind === 'expression';
    // Called code gets the caller's token: an action always, a reusable workflow unless it narrows it.
    let permissions: JobFacts['permissions'] = { source, perms };
    if (context && (context.kind === 'action' || source === 'default')) {
      ({ permissions, writeScopes, tokenMayWrite } = context);
    }

    jobs.set(job.id, {
      job,
      triggers,
      guards,
      secrets,
      broadSecrets: broad,
      inheritsSecrets,
      environmentName,
      holdsSecrets:
        secrets.length > 0 ||
        broad.length > 0 ||
        inheritsSecrets ||
        (job.secrets?.entries.length ?? 0) > 0 ||
        environmentName !== undefined ||
        (context?.kind === 'action' && context.callerHoldsSecrets),
      permissions,
      writeScopes,
      tokenMayWrite,
    });
  }
  return {
    model,
    jobs,
    facts(job: Job): JobFacts {
      return jobs.get(job.id)!;
    },
    ...(context ? { context } : {}),
    upstream: (t) => upstreams.get(t),
  };
}

/** Triggers of a job within a set, each with the guard that holds for it at the step (job guard + step `if:`). */
export function triggersIn(facts: JobFacts, set: Set<string>, step?: Step): { trigger: Trigger; guard: GuardFlags }[] {
  const out: { trigger: Trigger; guard: GuardFlags }[] = [];
  for (const t of facts.triggers) {
    if (!set.has(t.name)) continue;
    let guard = facts.guards.get(t.name) ?? NO_GUARD;
    if (step?.if) {
      const r = evaluateCond(step.if, t.name);
      if (!r.canRun) continue;
      guard = union(guard, r.guard);
    }
    out.push({ trigger: t, guard });
  }
  return out;
}

/** The least-guarded trigger among a list: unguarded first, then weaker guards. */
export function weakest(list: { trigger: Trigger; guard: GuardFlags }[]): { trigger: Trigger; guard: GuardFlags } | undefined {
  const rank = (g: GuardFlags): number =>
    (g.fork ? 5 : 0) + (g.merged ? 4 : 0) + (g.author ? 3 : 0) + (g.label ? 2 : 0) + (g.actor ? 1 : 0);
  return [...list].sort((a, b) => rank(a.guard) - rank(b.guard))[0];
}
