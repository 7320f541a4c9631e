/**
 * The typed workflow model: workflows and local actions as jobs, steps, triggers, permissions and
 * template strings, every node keeping its source span. Built once per file; checks only read it.
 */
import type { LineCounter } from 'yaml';
import { parseExpression, splitTemplate, type ParsedExpr, type TemplatePart } from './expressions.js';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  parseYaml,
  scalarsUnder,
  type Span,
  type YMap,
  type YNode,
  type YScalar,
} from './yamlNodes.js';
import type { Severity } from '../findings/finding.js';
import { COMPOSITE_JOB_ID } from './check.js';

/** A string value with its `${{ }}` expressions parsed and positioned. */
export interface TString {
  node: YScalar;
  value: string;
  parts: TemplatePart[];
  exprs: ExprOcc[];
  /** The value is exactly one `${{ }}` expression and nothing else. */
  pureExpression: boolean;
}

export interface ExprOcc {
  str: TString;
  part: TemplatePart;
  parsed: ParsedExpr;
  /** Source span of `${{ ... }}`. */
  span: Span;
}

/** An `if:` condition. */
export interface Cond {
  str: TString;
  /** The parsed condition; null when it does not parse or mixes `${{ }}` with text. */
  parsed: ParsedExpr | null;
  /** `${{ }}` mixed with literal text: the condition is a non-empty string, so always true. */
  mixed: boolean;
  span: Span;
}

export interface Trigger {
  name: string;
  node: YScalar;
  config: YNode | null;
  types: string[];
  /**
   * A caller's trigger under which a reusable workflow or local action is judged: the file that
   * declares it, and the calls from there to here (each `uses:` place), outermost first.
   */
  via?: { model: WorkflowModel; calls: { model: WorkflowModel; span: Span; label: string }[] };
}

export type PermissionLevel = 'read' | 'write' | 'none';

export interface Permissions {
  keyNode: YScalar;
  node: YNode | null;
  kind: 'write-all' | 'read-all' | 'scopes' | 'expression' | 'invalid';
  scopes: Map<string, { level: PermissionLevel; key: YScalar; value: YScalar }>;
}

export interface EnvEntry {
  name: string;
  key: YScalar;
  value: TString | null;
}

export interface WithEntry {
  key: YScalar;
  value: TString | null;
}

export interface Step {
  index: number;
  node: YMap;
  id?: string;
  name?: string;
  uses?: TString;
  run?: TString;
  /** The `run:` key, for positions. */
  runKey?: YScalar;
  shell?: string;
  if?: Cond;
  with: Map<string, WithEntry>;
  env: EnvEntry[];
  workingDirectory?: string;
  strings: TString[];
  /** Human label: the step's id, name or `uses`, else `#index`. */
  label: string;
  /** Stable key for fingerprints: id, else name, else uses/run digest, plus the index as tiebreak. */
  key: string;
}

export interface Job {
  id: string;
  keyNode: YScalar;
  node: YMap;
  name?: string;
  if?: Cond;
  needs: string[];
  runsOn: YNode | null;
  environment?: { name: TString | null; node: YNode; keyNode: YScalar };
  permissions?: Permissions;
  env: EnvEntry[];
  steps: Step[];
  uses?: TString;
  with: Map<string, WithEntry>;
  secrets?: { inherit: boolean; keyNode: YScalar; node: YNode | null; entries: EnvEntry[] };
  matrix: YNode | null;
  defaultShell?: string;
  defaultWorkingDirectory?: string;
  strings: TString[];
}

export interface Diagnostic {
  span: Span;
  message: string;
  severity: Severity;
  /** Fingerprint material: what is wrong, without the line. */
  what: string;
}

export interface ActionInput {
  name: string;
  key: YScalar;
}

export interface WorkflowModel {
  file: string;
  kind: 'workflow' | 'action';
  /** The workflow's `name:`, what `workflow_run` triggers name it by. */
  name?: string;
  text: string;
  lines: string[];
  lineCounter: LineCounter;
  root: YMap | null;
  onKey?: YScalar;
  triggers: Trigger[];
  permissions?: Permissions;
  env: EnvEntry[];
  jobs: Job[];
  defaultShell?: string;
  actionInputs: ActionInput[];
  /** For actions: `runs.using`. */
  actionUsing?: string;
  diagnostics: Diagnostic[];
}

// `cache-mode` (2026): read, write, write-only or none access to the Actions cache.
const WORKFLOW_KEYS = new Set(['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs', 'cache-mode']);
const JOB_KEYS = new Set([
  'name', 'needs', 'runs-on', 'permissions', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'if',
  'steps', 'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets',
  'snapshot', 'cache-mode',
]);
const STEP_KEYS = new Set(['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory']);
const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
const PERMISSION_SCOPES = new Set([
  'actions', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models',
  'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses', 'artifact-metadata',
]);

function isActionFile(file: string): boolean {
  return /(^|\/)action\.ya?ml$/i.test(file);
}

class Builder {
  readonly model: WorkflowModel;
  private readonly strings = new Map<YScalar, TString>();
  private readonly seenDiagnostics = new Set<string>();
  private readonly diagnosticCount = new Map<string, number>();

  constructor(file: string, text: string) {
    const parsed = parseYaml(text);
    this.model = {
      file,
      kind: isActionFile(file) ? 'action' : 'workflow',
      text,
      lines: text.split(/\r?\n|\r/),
      lineCounter: parsed.lineCounter,
      root: null,
      triggers: [],
      env: [],
      jobs: [],
      actionInputs: [],
      diagnostics: [],
    };
    for (const p of parsed.problems) {
      if (p.code === 'DUPLICATE_KEY') {
        const key = /^[^:\n]*/.exec(text.slice(p.span.start))?.[0].trim() ?? '';
        this.diag(p.span, `duplicate key \`${key}\`: GitHub rejects a mapping with the same key twice`, 'medium', `yaml:duplicate:${key}`);
      } else {
        this.diag(p.span, `YAML error: ${p.message}`, 'medium', `yaml:${p.code}:${p.message}`);
      }
    }
    if (parsed.root === null) {
      if (parsed.problems.length === 0) {
        this.diag({ start: 0, end: 0 }, `the file is empty: GitHub rejects ${this.model.kind === 'action' ? 'an action' : 'a workflow'} without content`, 'low', 'empty');
      }
      return;
    }
    if (parsed.root.kind !== 'map') {
      this.diag(parsed.root.span, `the document is a ${parsed.root.kind === 'seq' ? 'sequence' : 'scalar'}, not a mapping: GitHub cannot run it`, 'medium', 'not-a-mapping');
      return;
    }
    this.model.root = parsed.root;
  }

  diag(span: Span, message: string, severity: Severity, what: string): void {
    const k = `${span.start}:${what}`;
    if (this.seenDiagnostics.has(k)) return;
    this.seenDiagnostics.add(k);
    // The same problem twice in a file (e.g. one bad expression in two steps) keeps two fingerprints.
    const n = (this.diagnosticCount.get(what) ?? 0) + 1;
    this.diagnosticCount.set(what, n);
    this.model.diagnostics.push({ span, message, severity, what: n > 1 ? `${what}#${n}` : what });
  }

  /** The template string for a scalar, parsing its expressions once. */
  tstring(node: YScalar): TString {
    const hit = this.strings.get(node);
    if (hit) return hit;
    const value = node.text;
    const split = splitTemplate(value);
    const str: TString = { node, value, parts: split.parts, exprs: [], pureExpression: false };
    const raw = this.model.text.slice(node.span.start, node.span.end);
    let searchFrom = 0;
    for (const part of split.parts) {
      if (part.kind !== 'expr') continue;
      // The k-th `${{` of the value is the k-th `${{` of the source text of the node.
      const rawOpen = raw.indexOf('${{', searchFrom);
      let span: Span;
      if (rawOpen >= 0) {
        const rawClose = raw.indexOf('}}', rawOpen + 3);
        const end = raw.slice(rawOpen, rawOpen + part.length) === value.slice(part.offset, part.offset + part.length)
          ? rawOpen + part.length
          : rawClose >= 0 ? rawClose + 2 : rawOpen + 3;
        span = { start: node.span.start + rawOpen, end: node.span.start + end };
        searchFrom = rawOpen + 3;
      } else {
        span = node.span;
      }
      const parsed = parseExpression(part.text);
      str.exprs.push({ str, part, parsed, span });
      if (parsed.error) {
        this.diag(span, `expression \`\${{${part.text}}}\` does not parse: ${parsed.error}`, 'medium', `expr:${part.text.trim()}`);
      }
    }
    if (split.unterminated !== undefined) {
      const rawOpen = raw.indexOf('${{', searchFrom);
      const start = rawOpen >= 0 ? node.span.start + rawOpen : node.span.start;
      this.diag({ start, end: start + 3 }, 'expression `${{` is never closed with `}}`', 'medium', `expr-unterminated:${value.slice(split.unterminated, split.unterminated + 40)}`);
    }
    str.pureExpression = split.parts.length === 1 && split.parts[0]?.kind === 'expr' && split.unterminated === undefined;
    this.strings.set(node, str);
    return str;
  }

  tstringOf(n: YNode | null | undefined): TString | undefined {
    const s = asScalar(n);
    return s && s.value !== null ? this.tstring(s) : undefined;
  }

  stringsUnder(n: YNode | null | undefined): TString[] {
    return scalarsUnder(n).filter((s) => s.value !== null).map((s) => this.tstring(s));
  }

  cond(n: YNode | null | undefined): Cond | undefined {
    const s = asScalar(n);
    if (!s || s.value === null) return undefined;
    const str = this.tstring(s);
    if (str.exprs.length === 0) {
      if (typeof s.value === 'boolean' || typeof s.value === 'number') {
        return { str, parsed: parseExpression(String(s.value)), mixed: false, span: s.span };
      }
      const parsed = parseExpression(str.value);
      if (parsed.error) this.diag(s.span, `condition \`${str.value.trim()}\` does not parse: ${parsed.error}`, 'medium', `if:${str.value.trim()}`);
      return { str, parsed: parsed.ast ? parsed : null, mixed: false, span: s.span };
    }
    if (str.pureExpression && str.exprs[0]) {
      const occ = str.exprs[0];
      return { str, parsed: occ.parsed.ast ? occ.parsed : null, mixed: false, span: occ.span };
    }
    return { str, parsed: null, mixed: true, span: s.span };
  }

  env(n: YNode | null | undefined): EnvEntry[] {
    const m = asMap(n);
    if (!m) return [];
    return m.pairs.map((p) => ({ name: p.key.text, key: p.key, value: this.tstringOf(p.value) ?? null }));
  }

  withMap(n: YNode | null | undefined): Map<string, WithEntry> {
    const out = new Map<string, WithEntry>();
    const m = asMap(n);
    if (!m) return out;
    for (const p of m.pairs) out.set(p.key.text.toLowerCase(), { key: p.key, value: this.tstringOf(p.value) ?? null });
    return out;
  }

  permissions(map: YMap, key = 'permissions'): Permissions | undefined {
    const pair = getPair(map, key);
    if (!pair) return undefined;
    const perms: Permissions = { keyNode: pair.key, node: pair.value, kind: 'invalid', scopes: new Map() };
    const v = pair.value;
    if (!v || (v.kind === 'scalar' && v.value === null)) {
      perms.kind = 'scopes'; // `permissions:` with nothing is the same as `{}`
      return perms;
    }
    if (v.kind === 'scalar') {
      const t = v.text.trim();
      if (t === 'write-all') perms.kind = 'write-all';
      else if (t === 'read-all') perms.kind = 'read-all';
      else if (t.includes('${{')) perms.kind = 'expression';
      else this.diag(v.span, `permissions must be read-all, write-all or a mapping of scopes, not \`${t}\``, 'low', `permissions-value:${t}`);
      return perms;
    }
    if (v.kind === 'map') {
      perms.kind = 'scopes';
      for (const p of v.pairs) {
        const scope = p.key.text;
        const val = asScalar(p.value);
        const level = val?.text.trim();
        if (!PERMISSION_SCOPES.has(scope)) {
          this.diag(p.key.span, `unknown permission scope \`${scope}\``, 'low', `permission-scope:${scope}`);
        }
        if (!val || (level !== 'read' && level !== 'write' && level !== 'none')) {
          this.diag(p.value?.span ?? p.key.span, `permission \`${scope}\` must be read, write or none`, 'low', `permission-level:${scope}`);
          continue;
        }
        perms.scopes.set(scope, { level, key: p.key, value: val });
      }
      return perms;
    }
    this.diag(v.span, 'permissions must be read-all, write-all or a mapping of scopes', 'low', 'permissions-seq');
    return perms;
  }

  unknownKeys(map: YMap, known: Set<string>, where: string): void {
    for (const p of map.pairs) {
      if (!known.has(p.key.text)) {
        this.diag(p.key.span, `unknown key \`${p.key.text}\` in ${where}`, 'low', `unknown-key:${where}:${p.key.text}`);
      }
    }
  }

  step(node: YNode, index: number, where: string): Step | null {
    const m = asMap(node);
    if (!m) {
      this.diag(node.span, `step ${index + 1} of ${where} is not a mapping`, 'medium', `step-not-map:${where}:${index}`);
      return null;
    }
    this.unknownKeys(m, STEP_KEYS, `step ${index + 1} of ${where}`);
    const id = asScalar(get(m, 'id'))?.text;
    const name = asScalar(get(m, 'name'))?.text;
    const uses = this.tstringOf(get(m, 'uses'));
    const runPair = getPair(m, 'run');
    const run = this.tstringOf(runPair?.value);
    const step: Step = {
      index,
      node: m,
      id,
      name,
      uses,
      run,
      runKey: runPair?.key,
      shell: asScalar(get(m, 'shell'))?.text,
      if: this.cond(get(m, 'if')),
      with: this.withMap(get(m, 'with')),
      env: this.env(get(m, 'env')),
      workingDirectory: asScalar(get(m, 'working-directory'))?.text,
      strings: this.stringsUnder(m),
      label: id ?? name ?? uses?.value.trim() ?? `#${index + 1}`,
      key: id ? `id=${id}` : name ? `name=${name}#${index}` : uses ? `uses=${uses.value}#${index}` : `#${index}`,
    };
    if (!uses && !run) {
      this.diag(m.span, `step ${index + 1} of ${where} has neither \`uses\` nor \`run\``, 'low', `step-empty:${where}:${index}`);
    }
    return step;
  }

  steps(n: YNode | null | undefined, where: string): Step[] {
    if (!n) return [];
    const seq = asSeq(n);
    if (!seq) {
      this.diag(n.span, `\`steps\` of ${where} must be a sequence`, 'medium', `steps-not-seq:${where}`);
      return [];
    }
    const out: Step[] = [];
    seq.items.forEach((item, i) => {
      const s = this.step(item, i, where);
      if (s) out.push(s);
    });
    return out;
  }

  buildWorkflow(): void {
    const root = this.model.root;
    if (!root) return;
    this.unknownKeys(root, WORKFLOW_KEYS, 'the workflow');
    this.model.name = asScalar(get(root, 'name'))?.text.trim();
    const onPair = getPair(root, 'on');
    const yamlBroken = this.model.diagnostics.some((d) => d.what.startsWith('yaml:'));
    if (!onPair) {
      if (!yamlBroken) this.diag(root.span, 'the workflow has no `on:` triggers', 'low', 'no-on');
    } else {
      this.model.onKey = onPair.key;
      this.model.triggers = this.triggers(onPair.value);
    }
    this.model.permissions = this.permissions(root);
    this.model.env = this.env(get(root, 'env'));
    this.model.defaultShell = asScalar(get(get(get(root, 'defaults'), 'run'), 'shell'))?.text;
    const jobsNode = get(root, 'jobs');
    const jobs = asMap(jobsNode);
    if (!jobsNode) {
      if (!yamlBroken) this.diag(root.span, 'the workflow has no `jobs:`', 'low', 'no-jobs');
      return;
    }
    if (!jobs) {
      this.diag(jobsNode.span, '`jobs` must be a mapping of job ids to jobs', 'medium', 'jobs-not-map');
      return;
    }
    for (const p of jobs.pairs) {
      const jm = asMap(p.value);
      const id = p.key.text;
      if (!jm) {
        this.diag(p.value?.span ?? p.key.span, `job \`${id}\` is not a mapping`, 'medium', `job-not-map:${id}`);
        continue;
      }
      this.unknownKeys(jm, JOB_KEYS, `job \`${id}\``);
      const envPair = getPair(jm, 'environment');
      let environment: Job['environment'];
      if (envPair && envPair.value) {
        const nameNode = envPair.value.kind === 'map' ? get(envPair.value, 'name') : envPair.value;
        environment = { name: this.tstringOf(nameNode) ?? null, node: envPair.value, keyNode: envPair.key };
      }
      const secretsPair = getPair(jm, 'secrets');
      let secrets: Job['secrets'];
      if (secretsPair) {
        const sv = secretsPair.value;
        secrets = {
          inherit: asScalar(sv)?.text.trim() === 'inherit',
          keyNode: secretsPair.key,
          node: sv,
          entries: this.env(sv),
        };
      }
      const needsNode = get(jm, 'needs');
      const needs = needsNode?.kind === 'scalar' ? [needsNode.text] : asSeq(needsNode)?.items.map((i) => asScalar(i)?.text ?? '').filter(Boolean) ?? [];
      const defaultsRun = get(get(jm, 'defaults'), 'run');
      const job: Job = {
        id,
        keyNode: p.key,
        node: jm,
        name: asScalar(get(jm, 'name'))?.text,
        if: this.cond(get(jm, 'if')),
        needs,
        runsOn: get(jm, 'runs-on'),
        environment,
        permissions: this.permissions(jm),
        env: this.env(get(jm, 'env')),
        steps: this.steps(get(jm, 'steps'), `job \`${id}\``),
        uses: this.tstringOf(get(jm, 'uses')),
        with: this.withMap(get(jm, 'with')),
        secrets,
        matrix: get(get(jm, 'strategy'), 'matrix'),
        defaultShell: asScalar(get(defaultsRun, 'shell'))?.text ?? this.model.defaultShell,
        defaultWorkingDirectory: asScalar(get(defaultsRun, 'working-directory'))?.text,
        strings: this.stringsUnder(jm),
      };
      if (!job.uses && !get(jm, 'steps')) {
        this.diag(p.key.span, `job \`${id}\` has neither \`steps\` nor \`uses\``, 'low', `job-empty:${id}`);
      }
      this.model.jobs.push(job);
    }
  }

  triggers(n: YNode | null): Trigger[] {
    if (!n) return [];
    if (n.kind === 'scalar') return n.value === null ? [] : [{ name: n.text.trim(), node: n, config: null, types: [] }];
    if (n.kind === 'seq') {
      return n.items.flatMap((i) => (i.kind === 'scalar' ? [{ name: i.text.trim(), node: i, config: null, types: [] }] : []));
    }
    return n.pairs.map((p) => {
      const typesNode = get(p.value, 'types');
      const types = typesNode?.kind === 'scalar' ? [typesNode.text] : asSeq(typesNode)?.items.map((i) => asScalar(i)?.text ?? '') ?? [];
      return { name: p.key.text.trim(), node: p.key, config: p.value, types: types.filter(Boolean) };
    });
  }

  buildAction(): void {
    const root = this.model.root;
    if (!root) return;
    this.unknownKeys(root, ACTION_KEYS, 'the action');
    const inputs = asMap(get(root, 'inputs'));
    if (inputs) this.model.actionInputs = inputs.pairs.map((p) => ({ name: p.key.text, key: p.key }));
    const runs = asMap(get(root, 'runs'));
    if (!runs) {
      this.diag(root.span, 'the action has no `runs:` mapping', 'low', 'no-runs');
      return;
    }
    const using = asScalar(get(runs, 'using'))?.text.trim() ?? '';
    this.model.actionUsing = using;
    // Expressions anywhere in the action are parsed (and their errors reported).
    this.stringsUnder(root);
    if (using !== 'composite') return;
    const runsPair = getPair(root, 'runs');
    const job: Job = {
      id: COMPOSITE_JOB_ID,
      keyNode: runsPair!.key,
      node: runs,
      needs: [],
      runsOn: null,
      env: [],
      steps: this.steps(get(runs, 'steps'), 'the composite action'),
      with: new Map(),
      matrix: null,
      strings: this.stringsUnder(runs),
    };
    this.model.jobs.push(job);
  }
}

export function buildModel(file: string, text: string): WorkflowModel {
  const b = new Builder(file, text);
  if (b.model.root) {
    if (b.model.kind === 'action') b.buildAction();
    else {
      b.buildWorkflow();
      // Expressions outside jobs (run-name, env, concurrency) are parsed too, for their errors.
      b.stringsUnder(b.model.root);
    }
  }
  return b.model;
}
