/**
 * The files a GitLab pipeline includes, read from where the scan reads: the directory on disk, or
 * the snapshot (index, commit) a change is judged against. Paths are relative to the scan root;
 * none may leave it, by `..` or by a symbolic link.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { PipelineFiles } from '../workflows/gitlab/load.js';
import { readSnapshotFiles } from './snapshotFiles.js';
import type { Snapshot } from './source.js';

/** Larger include files are not read: a pipeline file is small. */
const MAX_BYTES = 1024 * 1024;

function inside(p: string): boolean {
  return !p.split('/').includes('..') && !path.posix.isAbsolute(p);
}

export function diskPipelineFiles(root: string): PipelineFiles {
  return {
    async read(p) {
      if (!inside(p)) return undefined;
      const abs = path.join(root, p);
      // lstat: a symbolic link is not followed, so an include cannot read a file outside the tree.
      const info = await lstat(abs).catch(() => undefined);
      if (!info?.isFile() || info.size > MAX_BYTES) return undefined;
      return readFile(abs, 'utf8');
    },
    async glob(pattern) {
      if (!inside(pattern)) return [];
      return fg(pattern, { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/node_modules/**', '**/.git/**'], suppressErrors: true });
    },
  };
}

/** GitLab's include globs: `*` within a folder, `**` across folders. */
function globRegExp(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part === '**/' || part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function snapshotPipelineFiles(root: string, snapshot: Snapshot): PipelineFiles {
  return {
    async read(p) {
      if (!inside(p)) return undefined;
      const [file] = await readSnapshotFiles(root, snapshot, (f) => f === p, MAX_BYTES);
      return file?.text;
    },
    async glob(pattern) {
      const re = globRegExp(pattern);
      return (await readSnapshotFiles(root, snapshot, (f) => re.test(f), MAX_BYTES)).map((f) => f.file);
    },
  };
}

/**
 * The local files GitLab pipelines among `files` include (child pipelines' files too), relative to
 * `root`: scanned with them, so the secret rules see every file the pipeline is made of.
 */
export async function gitlabIncludedFiles(root: string, files: readonly string[]): Promise<string[]> {
  const { isGitlabPipelineFile } = await import('../workflows/gitlab/gitlabPath.js');
  const { loadPipeline } = await import('../workflows/gitlab/load.js');
  const reader = diskPipelineFiles(root);
  const out = new Set<string>();
  const queue = files.filter(isGitlabPipelineFile);
  const done = new Set(queue);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const text = await reader.read(file);
    if (text === undefined) continue;
    const loaded = await loadPipeline(file, text, reader);
    for (const src of loaded.files) if (src.file !== file) out.add(src.file);
    // Child pipelines: `trigger: include:` of any job.
    const dir = path.posix.dirname(file) === '.' ? '' : `${path.posix.dirname(file)}/`;
    for (const pair of loaded.root?.pairs ?? []) {
      const trigger = pair.value?.kind === 'map' ? pair.value.pairs.find((p) => p.key.text === 'trigger')?.value : undefined;
      const include = trigger?.kind === 'map' ? trigger.pairs.find((p) => p.key.text === 'include')?.value : undefined;
      for (const item of include?.kind === 'seq' ? include.items : include ? [include] : []) {
        const local = item.kind === 'scalar' ? item.text : item.kind === 'map' ? item.pairs.find((p) => p.key.text === 'local')?.value : undefined;
        const name = typeof local === 'string' ? local : local?.kind === 'scalar' ? local.text : undefined;
        if (!name) continue;
        const child = `${dir}${name.replace(/^\/+/, '')}`;
        if (done.has(child) || !(await reader.read(child))) continue;
        done.add(child);
        out.add(child);
        queue.push(child);
      }
    }
  }
  for (const f of files) out.delete(f);
  return [...out].sort();
}
