/**
 * The GitLab pipeline model: jobs with their scripts, variables, environment, rules, needs and
 * artifacts, after `default:` and global keywords apply (as `inherit:` allows); every value keeps
 * the file and offsets where it was written. Built once per pipeline; checks only read it.
 */
import { GLOBAL_KEYWORDS, type Include, type LoadProblem, type LoadedConfig } from './load.js';
import { evaluateOnlyExcept, evaluateRules, type PipelineSource, type Reach } from './rules.js';
import { asMap, asScalar, asSeq, get, getPair, listOf, textOf, type At, type GMap, type GScalar, type GValue, type SourceFile } from './tree.js';

export interface GVariable {
  name: string;
  key: GScalar;
  /** The literal value, when it is one. */
  value: GScalar | null;
  where: 'global' | 'job' | 'rule' | 'trigger';
}

export interface ScriptItem {
  section: 'before_script' | 'script' | 'after_script';
  str: GScalar;
}

export interface GNeed {
  job: string;
  artifacts: boolean;
  at: At;
}

export interface GJob {
  id: string;
  key: GScalar;
  node: GMap;
  /** `.name`: a template, never run. */
  hidden: boolean;
  scripts: ScriptItem[];
  /** Job variables over global ones (unless `inherit: variables: false`), and rules' variables. */
  variables: GVariable[];
  environment?: { name: GScalar; tier?: string; node: GValue };
  /** The `image:` in force (the job's, `default:`'s or the global one). */
  image?: GScalar;
  needs: GNeed[];
  /** `dependencies:` as written; undefined means every job of earlier stages. */
  dependencies?: GNeed[];
  stage: string;
  artifactPaths: GScalar[];
  dotenv: GScalar[];
  /** Local files of `trigger: include:`: child pipelines. */
  childIncludes: GScalar[];
  trigger?: GValue;
  /** `secrets:` (Vault, cloud secret managers): credentials fetched for the job. */
  secrets?: GMap;
  /** Whether and why the job can run in a merge-request pipeline. */
  mr: Reach;
}

export interface GitlabModel {
  /** The main file (`.gitlab-ci.yml`, or a child pipeline's file). */
  main: SourceFile;
  files: SourceFile[];
  root: GMap | null;
  includes: Include[];
  problems: LoadProblem[];
  jobs: GJob[];
  globalVariables: GVariable[];
  /** Whether `workflow:rules` lets a merge-request pipeline be created at all. */
  workflowMr: Reach;
  source: PipelineSource;
}

const DEFAULTABLE = ['image', 'before_script', 'after_script', 'services', 'cache', 'artifacts', 'tags', 'timeout', 'retry', 'interruptible', 'id_tokens', 'hooks'];

function variablesOf(v: GValue | null, where: GVariable['where']): GVariable[] {
  const m = asMap(v);
  if (!m) return [];
  return m.pairs.map((p) => {
    const val = asMap(p.value) ? asScalar(get(p.value, 'value')) : asScalar(p.value);
    return { name: p.key.text, key: p.key, value: val, where };
  });
}

/** Whether `inherit: <kind>:` lets a global value in (true, a list naming it, or absent). */
function inherits(job: GMap, kind: 'default' | 'variables', name: string): boolean {
  const v = get(get(job, 'inherit'), kind);
  if (!v) return true;
  const s = asScalar(v);
  if (s) return s.text !== 'false';
  return listOf(v).some((i) => textOf(i) === name);
}

function flattenScript(v: GValue | null, section: ScriptItem['section'], out: ScriptItem[]): void {
  if (!v) return;
  if (v.kind === 'scalar') {
    if (v.value !== null) out.push({ section, str: v });
  } else if (v.kind === 'seq') for (const i of v.items) flattenScript(i, section, out);
}

function needsOf(v: GValue | null): GNeed[] {
  const out: GNeed[] = [];
  for (const n of listOf(asMap(v) ? null : v)) {
    const s = asScalar(n);
    if (s) out.push({ job: s.text, artifacts: true, at: s.at });
    const m = asMap(n);
    const job = asScalar(get(m, 'job'));
    // `needs: project:` and `pipeline:` fetch artifacts of other pipelines: not this one's jobs.
    if (m && job && !get(m, 'project') && !get(m, 'pipeline')) out.push({ job: job.text, artifacts: textOf(get(m, 'artifacts')) !== 'false', at: job.at });
  }
  return out;
}

/** `parentCanRunForMr`: for a child pipeline, whether its trigger job can run for a merge request. */
export function buildModel(loaded: LoadedConfig, source: PipelineSource, parentCanRunForMr = true): GitlabModel {
  const root = loaded.root;
  const globalVariables = variablesOf(get(root, 'variables'), 'global');
  const defaults = asMap(get(root, 'default'));
  const workflowRules = get(get(root, 'workflow'), 'rules');
  const workflowMr: Reach = !parentCanRunForMr ? { can: false } : workflowRules ? evaluateRules(workflowRules, source, 'always') : { can: true };
  const jobs: GJob[] = [];
  for (const pair of root?.pairs ?? []) {
    const node = asMap(pair.value);
    if (!node || GLOBAL_KEYWORDS.has(pair.key.text)) continue;
    const id = pair.key.text;
    // A default-able keyword: the job's, else `default:`'s, else the deprecated global one.
    const inherited = (k: string): GValue | null => {
      const own = getPair(node, k);
      if (own) return own.value;
      if (!inherits(node, 'default', k)) return null;
      return get(defaults, k) ?? (DEFAULTABLE.includes(k) ? get(root, k) : null);
    };
    const scripts: ScriptItem[] = [];
    flattenScript(inherited('before_script'), 'before_script', scripts);
    flattenScript(get(node, 'script'), 'script', scripts);
    flattenScript(inherited('after_script'), 'after_script', scripts);
    const own = variablesOf(get(node, 'variables'), get(node, 'trigger') ? 'trigger' : 'job');
    const ownNames = new Set(own.map((v) => v.name));
    const variables = [
      ...globalVariables.filter((g) => !ownNames.has(g.name) && inherits(node, 'variables', g.name)),
      ...own,
      ...listOf(get(node, 'rules')).flatMap((r) => variablesOf(get(r, 'variables'), 'rule')),
    ];
    const envNode = get(node, 'environment');
    const envName = asScalar(envNode) ?? asScalar(get(envNode, 'name'));
    const tier = textOf(get(envNode, 'deployment_tier'));
    const imageNode = inherited('image');
    const image = asScalar(imageNode) ?? asScalar(get(imageNode, 'name'));
    const artifacts = inherited('artifacts');
    const trigger = get(node, 'trigger');
    const childIncludes = listOf(get(trigger, 'include')).flatMap((i) => {
      const s = asScalar(i) ?? asScalar(get(i, 'local'));
      return s ? [s] : [];
    });
    const rules = get(node, 'rules');
    const only = get(node, 'only');
    const except = get(node, 'except');
    const jobWhen = textOf(get(node, 'when')) ?? 'on_success';
    let mr: Reach;
    if (!workflowMr.can) mr = { can: false };
    else if (rules) mr = evaluateRules(rules, source, jobWhen);
    else if (only || except) mr = { ...evaluateOnlyExcept(only, except, source), when: jobWhen };
    // No rules: GitLab's default is branches and tags, unless workflow:rules creates the pipeline.
    else mr = workflowRules ? { can: true, ...(workflowMr.because ? { because: workflowMr.because } : {}), when: jobWhen } : { can: false };
    const deps = get(node, 'dependencies');
    const secrets = asMap(get(node, 'secrets'));
    jobs.push({
      id,
      key: pair.key,
      node,
      hidden: id.startsWith('.'),
      scripts,
      variables,
      ...(envName && envName.value !== null ? { environment: { name: envName, ...(tier ? { tier } : {}), node: envNode! } } : {}),
      ...(image && image.value !== null ? { image } : {}),
      needs: needsOf(get(node, 'needs')),
      ...(deps ? { dependencies: listOf(deps).flatMap((d) => (d.kind === 'scalar' ? [{ job: d.text, artifacts: true, at: d.at }] : [])) } : {}),
      stage: textOf(get(node, 'stage')) ?? 'test',
      artifactPaths: listOf(get(artifacts, 'paths')).map(asScalar).filter((x): x is GScalar => x !== null),
      dotenv: listOf(get(get(artifacts, 'reports'), 'dotenv')).map(asScalar).filter((x): x is GScalar => x !== null),
      childIncludes,
      ...(trigger ? { trigger } : {}),
      ...(secrets ? { secrets } : {}),
      mr: id.startsWith('.') ? { can: false } : mr,
    });
  }
  const { main, files, includes, problems } = loaded;
  return { main, files, root, includes, problems, jobs, globalVariables, workflowMr, source };
}

/** The stages in order (`stages:` or GitLab's default). */
export function stagesOf(model: GitlabModel): string[] {
  const s = asSeq(get(model.root, 'stages'));
  const list = s ? s.items.map((i) => textOf(i) ?? '') : [];
  return list.length > 0 ? ['.pre', ...list, '.post'] : ['.pre', 'build', 'test', 'deploy', '.post'];
}
