/**
 * Loads a GitLab pipeline as GitLab would build it: local `include:` files (string, list, `local:`,
 * globs, nested), merged under the including file; `extends:` deep-merged; `!reference` tags
 * resolved; YAML anchors and merge keys by the YAML layer. Remote, project, template and component
 * includes cannot be read offline: they are recorded for the checks. Never throws on bad input:
 * what cannot be read becomes a problem with its position.
 */
import { posix } from 'node:path';
import { parseYaml } from '../yamlNodes.js';
import { asMap, asScalar, deepMerge, fromYaml, get, getPair, listOf, textOf, type At, type GMap, type GScalar, type GSeq, type GValue, type SourceFile } from './tree.js';

/** Reads files of the repository by their path relative to the scan root (posix). */
export interface PipelineFiles {
  read(path: string): Promise<string | undefined>;
  /** Paths matching a glob (GitLab's `*` and `**`), for `include: local:` with wildcards. */
  glob?(pattern: string): Promise<string[]>;
}

export interface LoadProblem {
  at: At;
  message: string;
  what: string;
}

export interface Include {
  kind: 'local' | 'remote' | 'project' | 'template' | 'component';
  /** The include entry as written. */
  node: GValue;
  location: string;
  ref?: GScalar;
  /** Whether the content is fixed: a commit SHA `ref:`, a remote `integrity:`, a component `@<sha>`. */
  pinned: boolean;
}

export interface LoadedConfig {
  /** The top-level mapping after includes, extends and references. */
  root: GMap | null;
  main: SourceFile;
  files: SourceFile[];
  includes: Include[];
  problems: LoadProblem[];
}

/** Top-level keys that are not jobs. */
export const GLOBAL_KEYWORDS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec']);

const MAX_FILES = 150;
const MAX_EXTENDS_DEPTH = 11;
const MAX_REFERENCE_DEPTH = 10;
const SHA = /^[0-9a-f]{40}$/i;

class Loader {
  readonly files: SourceFile[] = [];
  readonly includes: Include[] = [];
  readonly problems: LoadProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly reader: PipelineFiles, private readonly dir: string) {}

  problem(at: At, message: string, what: string): void {
    this.problems.push({ at, message, what });
  }

  /** Parses one file into its top-level mapping, or null with a problem. */
  parse(file: string, text: string): { map: GMap | null; src: SourceFile } {
    const parsed = parseYaml(text);
    const src: SourceFile = { file, text, lines: text.split(/\r?\n/), lineCounter: parsed.lineCounter };
    this.files.push(src);
    for (const p of parsed.problems) this.problem({ src, span: p.span }, `YAML error: ${p.message}`, `yaml/${p.code}`);
    const root = fromYaml(parsed.root, src);
    if (root && root.kind !== 'map') {
      this.problem(root.at, 'a GitLab CI file must be a mapping of jobs and global keywords', 'not-mapping');
      return { map: null, src };
    }
    return { map: root, src };
  }

  /** A file's configuration merged over the files it includes. */
  async expand(map: GMap, depth: number): Promise<GMap> {
    this.seen.add(map.at.src.file);
    let merged: GMap | null = null;
    const include = getPair(map, 'include');
    if (include?.value) {
      for (const entry of listOf(include.value)) {
        for (const child of await this.includeEntry(entry, depth)) merged = merged ? deepMerge(merged, child) : child;
      }
    }
    const own: GMap = { ...map, pairs: map.pairs.filter((p) => p.key.text !== 'include') };
    return merged ? deepMerge(merged, own) : own;
  }

  private async includeEntry(entry: GValue, depth: number): Promise<GMap[]> {
    const s = asScalar(entry);
    if (s) {
      const loc = s.text.trim();
      if (/^https?:\/\//i.test(loc)) {
        this.includes.push({ kind: 'remote', node: entry, location: loc, pinned: false });
        return [];
      }
      return this.local(s, loc, depth);
    }
    const m = asMap(entry);
    if (!m) return [];
    const local = asScalar(get(m, 'local'));
    if (local) return this.local(local, local.text.trim(), depth);
    const remote = textOf(get(m, 'remote'));
    if (remote !== undefined) {
      this.includes.push({ kind: 'remote', node: entry, location: remote, pinned: get(m, 'integrity') !== null });
      return [];
    }
    const project = textOf(get(m, 'project'));
    if (project !== undefined) {
      const ref = asScalar(get(m, 'ref')) ?? undefined;
      this.includes.push({ kind: 'project', node: entry, location: project, ...(ref ? { ref } : {}), pinned: ref !== undefined && SHA.test(ref.text.trim()) });
      return [];
    }
    const template = textOf(get(m, 'template'));
    if (template !== undefined) {
      // Templates ship with the GitLab instance itself.
      this.includes.push({ kind: 'template', node: entry, location: template, pinned: true });
      return [];
    }
    const component = textOf(get(m, 'component'));
    if (component !== undefined) {
      const version = component.split('@')[1] ?? '';
      this.includes.push({ kind: 'component', node: entry, location: component, pinned: SHA.test(version) });
    }
    return [];
  }

  private async local(node: GScalar, location: string, depth: number): Promise<GMap[]> {
    this.includes.push({ kind: 'local', node, location, pinned: true });
    // Local paths are relative to the repository root, with or without a leading slash.
    const rel = location.replace(/^\/+/, '');
    let paths: string[];
    if (rel.includes('*')) {
      const found = this.reader.glob ? await this.reader.glob(posix.join(this.dir, rel)) : [];
      paths = found.sort();
      if (paths.length === 0) this.problem(node.at, `\`include: ${location}\` matches no file`, `include-none/${location}`);
    } else paths = [posix.join(this.dir, rel)];
    const out: GMap[] = [];
    for (const path of paths) {
      if (this.seen.has(path)) continue; // a file included twice is merged once
      if (this.files.length >= MAX_FILES || depth > 100) {
        this.problem(node.at, `more than ${MAX_FILES} included files; \`${location}\` and the rest were not read`, 'include-limit');
        break;
      }
      const text = await this.reader.read(path);
      if (text === undefined) {
        this.problem(node.at, `\`include: ${location}\` names a file that does not exist (${path}); GitLab refuses the pipeline`, `include-missing/${location}`);
        continue;
      }
      const { map } = this.parse(path, text);
      if (map) out.push(await this.expand(map, depth + 1));
    }
    return out;
  }
}

/** Loads the pipeline whose main file is `file` (a path relative to the scan root). */
export async function loadPipeline(file: string, text: string, reader: PipelineFiles): Promise<LoadedConfig> {
  const dir = posix.dirname(file.replace(/\\/g, '/'));
  const loader = new Loader(reader, dir === '.' ? '' : dir);
  const { map, src } = loader.parse(file, text);
  let root: GMap | null = null;
  if (map) {
    root = await loader.expand(map, 0);
    root = applyExtends(root, loader);
    root = resolveReferences(root, loader);
  }
  return { root, main: src, files: loader.files, includes: loader.includes, problems: loader.problems };
}

/** Loads a child pipeline's file (`trigger: include:`) with the same reader. */
export async function loadChildPipeline(path: string, reader: PipelineFiles, from: At): Promise<LoadedConfig | LoadProblem> {
  const text = await reader.read(path);
  if (text === undefined) return { at: from, message: `the child pipeline file ${path} does not exist`, what: `child-missing/${path}` };
  const loaded = await loadPipeline(path, text, reader);
  return loaded;
}

function applyExtends(root: GMap, loader: Loader): GMap {
  const done = new Map<string, GMap>();
  const byName = new Map(root.pairs.map((p) => [p.key.text, p]));
  const resolve = (name: string, stack: string[]): GMap | null => {
    const cached = done.get(name);
    if (cached) return cached;
    const pair = byName.get(name);
    const job = asMap(pair?.value);
    if (!job) return null;
    const ext = getPair(job, 'extends');
    if (!ext) {
      done.set(name, job);
      return job;
    }
    let merged: GMap = { kind: 'map', pairs: [], at: job.at };
    for (const e of listOf(ext.value)) {
      const base = textOf(e);
      if (base === undefined) continue;
      if (stack.includes(base) || stack.length >= MAX_EXTENDS_DEPTH) {
        loader.problem(e.at, stack.includes(base) ? `\`extends: ${base}\` is circular` : `\`extends\` nests deeper than ${MAX_EXTENDS_DEPTH} levels`, `extends-loop/${name}/${base}`);
        continue;
      }
      const b = resolve(base, [...stack, base]);
      if (!b) {
        loader.problem(e.at, `\`extends: ${base}\` names no job or hidden job`, `extends-missing/${name}/${base}`);
        continue;
      }
      merged = deepMerge(merged, b);
    }
    const own: GMap = { ...job, pairs: job.pairs.filter((p) => p.key.text !== 'extends') };
    const result = deepMerge(merged, own);
    done.set(name, result);
    return result;
  };
  return {
    ...root,
    pairs: root.pairs.map((p) => (GLOBAL_KEYWORDS.has(p.key.text) || p.value?.kind !== 'map' ? p : { key: p.key, value: resolve(p.key.text, [p.key.text]) })),
  };
}

function isReference(v: GValue | null): boolean {
  return v !== null && v.kind === 'seq' && v.tag === '!reference';
}

function resolveReferences(root: GMap, loader: Loader): GMap {
  const lookup = (ref: GSeq, depth: number): GValue | null => {
    const path = ref.items.map((i) => textOf(i) ?? '');
    let v: GValue | null = root;
    for (const k of path) v = get(v, k);
    if (!v) {
      loader.problem(ref.at, `\`!reference [${path.join(', ')}]\` names nothing`, `reference-missing/${path.join('/')}`);
      return null;
    }
    if (depth >= MAX_REFERENCE_DEPTH) {
      loader.problem(ref.at, `\`!reference\` nests deeper than ${MAX_REFERENCE_DEPTH} levels`, `reference-depth/${path.join('/')}`);
      return null;
    }
    return walk(v, depth + 1);
  };
  const walk = (v: GValue | null, depth: number): GValue | null => {
    if (!v) return v;
    if (isReference(v)) return lookup(v as GSeq, depth);
    if (v.kind === 'seq') {
      const items: GValue[] = [];
      for (const item of v.items) {
        const r = walk(item, depth);
        // A referenced list inside a list is spliced in, one level.
        if (isReference(item) && r?.kind === 'seq') items.push(...r.items);
        else if (r) items.push(r);
      }
      return { ...v, items };
    }
    if (v.kind === 'map') return { ...v, pairs: v.pairs.map((p) => ({ key: p.key, value: walk(p.value, depth) })) };
    return v;
  };
  return walk(root, 0) as GMap;
}
