/**
 * The repository as GitHub runs it: its workflows, the reusable workflows and local actions they
 * call, and the `workflow_run` chains between them, with the triggers that start each. Built once
 * per tree (every model parsed once); an audit asks it for a file's callers and upstreams instead
 * of each check reading other files.
 *
 * - A reusable workflow (`uses: ./.github/workflows/x.yml`) and a local action (`uses: ./dir`) are
 *   judged once per caller, as they run for it: the caller's triggers and guards, inputs, secrets
 *   and token (a `CallContext`). Callers of callers are followed, cycles are not.
 * - A `workflow_run` trigger names its upstream workflows by `name:`; when every one is found, the
 *   trigger is as trusted as the events that start them (a chain is followed upstream).
 */
import {
  FORK_CODE_TRIGGERS,
  NO_GUARD,
  PRIVILEGED_UNTRUSTED,
  analyse,
  evaluateCond,
  union,
  type Analysis,
  type AnalysisScope,
  type CallContext,
  type GuardFlags,
  type Upstream,
} from './analysis.js';
import { buildModel, type Job, type Step, type Trigger, type WorkflowModel } from './model.js';
import { actionName } from './steps.js';
import { asScalar, asSeq, get } from './yamlNodes.js';

export interface RepositoryFile {
  file: string;
  text: string;
}

/** Events whose runs an outsider can start: what makes a `workflow_run` upstream untrusted. */
const UNTRUSTED_UPSTREAM_EVENTS = new Set([...FORK_CODE_TRIGGERS, ...PRIVILEGED_UNTRUSTED]);

/** How deep calls are followed (workflow -> reusable workflow -> action -> action ...). */
const MAX_DEPTH = 6;

interface Call {
  caller: WorkflowModel;
  job: Job;
  /** For a local action: the step that uses it. */
  step?: Step;
}

/** The folder a file's repository starts at: what `./` in a local `uses:` is relative to. */
export function repositoryPrefix(file: string): string {
  const p = file.replace(/\\/g, '/');
  const i = p.lastIndexOf('.github/');
  return i >= 0 ? p.slice(0, i) : '';
}

/** The file a local `uses: ./path` names, relative to the repository's prefix, without `./` and `@ref`. */
function localTarget(uses: string): string | undefined {
  const u = uses.trim();
  if (!u.startsWith('./')) return undefined;
  return u.replace(/^\.\/+/, '').replace(/@[^/]*$/, '').replace(/\/+$/, '');
}

/** The names a `workflow_run` trigger's `workflows:` lists. */
function upstreamNames(t: Trigger): string[] {
  const w = get(t.config, 'workflows');
  if (w?.kind === 'scalar') return [w.text.trim()];
  return asSeq(w)?.items.map((i) => asScalar(i)?.text.trim() ?? '').filter(Boolean) ?? [];
}

/** Whether a `workflows:` entry names this workflow: its `name:`, else its path or file name. */
function workflowNamed(m: WorkflowModel, prefix: string, name: string): boolean {
  if (m.name !== undefined) return m.name === name;
  const path = m.file.slice(prefix.length);
  return path === name || path.slice(path.lastIndexOf('/') + 1) === name;
}

export class WorkflowRepository {
  private readonly models = new Map<string, WorkflowModel>();
  /** Callers by the file they call (the reusable workflow's path, the action's `action.yml`). */
  private readonly calls = new Map<string, Call[]>();
  private readonly contextMemo = new Map<WorkflowModel, CallContext[]>();
  private readonly analysisMemo = new Map<WorkflowModel, Analysis[]>();
  private readonly upstreamMemo = new Map<Trigger, Upstream | undefined>();
  private readonly visiting = new Set<WorkflowModel>();

  constructor(files: readonly RepositoryFile[]) {
    for (const f of files) this.models.set(f.file, buildModel(f.file, f.text));
    for (const m of this.models.values()) this.index(m);
  }

  /** The model of a file: the one built with the repository when its text is the same. */
  model(file: string, text: string): WorkflowModel {
    const known = this.models.get(file);
    return known && known.text === text ? known : buildModel(file, text);
  }

  /** What a file's own analysis learns from the repository: the upstreams of its `workflow_run` triggers. */
  scope(model: WorkflowModel): AnalysisScope {
    return { upstream: (t) => this.upstream(model, t) };
  }

  private index(m: WorkflowModel): void {
    const prefix = repositoryPrefix(m.file);
    const add = (target: string, call: Call) => {
      const list = this.calls.get(target) ?? [];
      list.push(call);
      this.calls.set(target, list);
    };
    for (const job of m.jobs) {
      const reusable = job.uses ? localTarget(job.uses.value) : undefined;
      if (reusable) add(`${prefix}${reusable}`, { caller: m, job });
      for (const step of job.steps) {
        const dir = step.uses ? localTarget(step.uses.value) : undefined;
        if (!dir || /\.ya?ml$/i.test(dir)) continue;
        add(`${prefix}${dir}/action.yml`, { caller: m, job, step });
        add(`${prefix}${dir}/action.yaml`, { caller: m, job, step });
      }
    }
  }

  /**
   * The files whose judgement depends on these: the reusable workflows and local actions they call
   * (and those call), and the `workflow_run` workflows that follow them. A change to a caller or an
   * upstream is reported where it makes code run, which may be one of these files.
   */
  dependents(files: readonly string[]): string[] {
    const out = new Set<string>();
    const queue = files.map((f) => this.models.get(f)).filter((m): m is WorkflowModel => m !== undefined);
    const seen = new Set(queue);
    const add = (m: WorkflowModel | undefined) => {
      if (!m || seen.has(m)) return;
      seen.add(m);
      out.add(m.file);
      queue.push(m);
    };
    for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
      for (const [target, calls] of this.calls) if (calls.some((c) => c.caller === m)) add(this.models.get(target));
      const prefix = repositoryPrefix(m.file);
      for (const other of this.models.values()) {
        if (other.triggers.some((t) => t.name === 'workflow_run' && upstreamNames(t).some((n) => workflowNamed(m, prefix, n)))) add(other);
      }
    }
    for (const f of files) out.delete(f);
    return [...out].sort();
  }

  /** The text of a file of the repository. */
  text(file: string): string | undefined {
    return this.models.get(file)?.text;
  }

  /** Every way a file is run by a caller of the repository (none for a workflow nobody calls). */
  contexts(model: WorkflowModel): CallContext[] {
    const hit = this.contextMemo.get(model);
    if (hit) return hit;
    if (this.visiting.has(model) || this.visiting.size >= MAX_DEPTH) return [];
    this.visiting.add(model);
    const out: CallContext[] = [];
    try {
      for (const call of this.calls.get(model.file) ?? []) {
        // A workflow's `uses:` of an action file, or a step's `uses:` of a workflow file, is a mistake GitHub reports.
        if ((call.step !== undefined) !== (model.kind === 'action')) continue;
        for (const a of this.analyses(call.caller)) {
          const ctx = this.context(call, a);
          if (ctx.triggers.length > 0) out.push(ctx);
        }
      }
    } finally {
      this.visiting.delete(model);
    }
    this.contextMemo.set(model, out);
    return out;
  }

  /** The analyses a caller's jobs run under: its own triggers, and each way it is called in turn. */
  private analyses(m: WorkflowModel): Analysis[] {
    const hit = this.analysisMemo.get(m);
    if (hit) return hit;
    const out: Analysis[] = [];
    if (m.kind === 'workflow' && m.triggers.some((t) => t.name !== 'workflow_call')) out.push(analyse(m, this.scope(m)));
    for (const context of this.contexts(m)) out.push(analyse(m, { context }));
    this.analysisMemo.set(m, out);
    return out;
  }

  private context({ caller, job, step }: Call, a: Analysis): CallContext {
    const facts = a.facts(job);
    const callSpan = (step?.uses ?? job.uses)!.node.span;
    const label = step ? 'uses this action' : 'calls this workflow';
    const triggers: CallContext['triggers'] = [];
    for (const t of facts.triggers) {
      if (t.name === 'workflow_call' && !t.via) continue;
      let guard: GuardFlags | undefined = facts.guards.get(t.name);
      if (step?.if) {
        const r = evaluateCond(step.if, t.name);
        if (!r.canRun) continue;
        guard = union(guard ?? NO_GUARD, r.guard);
      }
      const call = { model: caller, span: callSpan, label };
      const via = t.via ? { model: t.via.model, calls: [...t.via.calls, call] } : { model: caller, calls: [call] };
      triggers.push({ trigger: { ...t, via }, guard: guard ?? NO_GUARD });
    }
    const inputs: CallContext['inputs'] = new Map();
    for (const [name, w] of (step ?? job).with) if (w.value) inputs.set(name, { value: w.value, model: caller });
    return {
      kind: step ? 'action' : 'reusable-workflow',
      triggers,
      inputs,
      ...(a.context ? { parent: a.context } : {}),
      secrets: job.secrets?.inherit ? 'all' : (job.secrets?.entries.map((e) => e.name) ?? []),
      callerHoldsSecrets: facts.holdsSecrets,
      permissions: facts.permissions,
      writeScopes: facts.writeScopes,
      tokenMayWrite: facts.tokenMayWrite,
    };
  }

  /**
   * The workflows a `workflow_run` trigger follows. Undefined when one of the names is not a
   * workflow of this repository (then the trigger stays untrusted, as without the repository).
   */
  upstream(model: WorkflowModel, trigger: Trigger, seen = new Set<WorkflowModel>()): Upstream | undefined {
    if (this.upstreamMemo.has(trigger)) return this.upstreamMemo.get(trigger);
    const names = upstreamNames(trigger);
    const prefix = repositoryPrefix(model.file);
    const found: WorkflowModel[] = [];
    for (const name of names) {
      const matches = [...this.models.values()].filter((m) => m.kind === 'workflow' && repositoryPrefix(m.file) === prefix && workflowNamed(m, prefix, name));
      if (matches.length === 0) return undefined;
      found.push(...matches);
    }
    if (found.length === 0) return undefined;
    seen.add(model);
    const result: Upstream = { untrusted: false, uploads: [], triggers: [] };
    for (const up of found) {
      const open = up.triggers.filter((t) => {
        if (UNTRUSTED_UPSTREAM_EVENTS.has(t.name) && t.name !== 'workflow_run') return true;
        // A reusable workflow's runs are its callers': not known here, so not trusted.
        if (t.name === 'workflow_call') return true;
        if (t.name !== 'workflow_run') return false;
        // A chain: the upstream's own upstream decides (unknown or circular counts as untrusted).
        if (seen.has(up)) return true;
        const further = this.upstream(up, t, seen);
        return !further || further.untrusted;
      });
      if (open.length === 0) continue;
      result.untrusted = true;
      for (const t of open) result.triggers.push({ span: t.node.span, label: `\`${up.name ?? up.file}\` runs on \`${t.name}\``, model: up });
      for (const job of up.jobs) {
        for (const step of job.steps) {
          if (actionName(step) !== 'actions/upload-artifact') continue;
          result.uploads.push({ span: step.uses!.node.span, label: `\`${up.name ?? up.file}\` uploads the artifact here`, model: up });
        }
      }
    }
    this.upstreamMemo.set(trigger, result);
    return result;
  }
}
