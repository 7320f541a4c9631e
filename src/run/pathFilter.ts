import { globs } from '../engine/globs.js';
import { UserError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import type { Source, SourceEvent, StreamSource } from '../sources/source.js';

/**
 * --include / --exclude: which repository-relative paths a run looks at, whatever the source (files
 * on disk, the index, commits). A glob without a slash matches a name at any depth (`*.min.js`,
 * `vendor`), as in .gitignore; a glob that matches a folder matches everything under it. An
 * excluded path wins over an included one.
 */
export interface PathFilter {
  matches(file: string): boolean;
}

export function pathFilter(include: readonly string[] = [], exclude: readonly string[] = []): PathFilter | undefined {
  if (!include.length && !exclude.length) return undefined;
  const compile = (patterns: readonly string[], flag: string) => {
    if (!patterns.length) return undefined;
    const variants = patterns.flatMap((raw) => {
      const pattern = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
      if (!pattern) throw new UserError(`${flag} "${raw}" matches no path`, `give a glob relative to the repository root, e.g. ${flag} 'docs/**'`);
      const anyDepth = !raw.replace(/\/+$/, '').includes('/');
      return [pattern, `${pattern}/**`, ...(anyDepth ? [`**/${pattern}`, `**/${pattern}/**`] : [])];
    });
    const micromatch = globs();
    return (file: string) => micromatch.isMatch(file, variants, { dot: true });
  };
  const included = compile(include, '--include');
  const excluded = compile(exclude, '--exclude');
  return { matches: (file) => (!included || included(file)) && !excluded?.(file) };
}

/** The sources of a run seen through the filter: excluded paths are neither read nor counted as covered. */
export function filterSources(sources: Source[], filter: PathFilter | undefined): Source[] {
  if (!filter) return sources;
  return sources.map((source): Source => {
    const covers = source.covers;
    const narrowed = { covers: (file: string) => filter.matches(file) && (covers ? covers(file) : false) };
    if (source.kind === 'files') {
      const files = source.set.files.filter((f) => filter.matches(f));
      const namedWorkflows = source.set.namedWorkflows?.filter((f) => filter.matches(f));
      return { ...source, ...(covers ? narrowed : {}), set: { ...source.set, files, ...(namedWorkflows ? { namedWorkflows } : {}) } };
    }
    const read = (maxFileSize: number) => filterEvents(source.read(maxFileSize), filter);
    return { ...source, ...(covers ? narrowed : {}), read } satisfies StreamSource;
  });
}

async function* filterEvents(events: AsyncIterable<SourceEvent>, filter: PathFilter): AsyncGenerator<SourceEvent> {
  for await (const event of events) if (filter.matches(fileOf(event) ?? '') || event.type === 'commit') yield event;
}

function fileOf(event: SourceEvent): string | undefined {
  switch (event.type) {
    case 'commit':
      return undefined;
    case 'fragment':
      return event.fragment.file;
    case 'skipped':
      return event.skipped.file;
    default:
      return event.file;
  }
}

/**
 * Findings of excluded paths that the run still made: the cross-environment comparison reads the
 * other environments' config files of the tree, and one of them may be excluded.
 */
export function keepIncluded(findings: Finding[], filter: PathFilter | undefined): Finding[] {
  return filter ? findings.filter((f) => filter.matches(f.file)) : findings;
}
