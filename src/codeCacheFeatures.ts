/**
 * What a run of a one-file program used beyond its usual path, for its code cache
 * (src/cli/cachedProgram.ts). The cache holds the functions the run that made it compiled; a hook
 * whose first run had no keyfence.yml would otherwise compile the YAML reader on every later commit.
 * A run that used a feature the cache was made without asks for a new cache, once. The launcher and
 * the program are separate bundles, each with its own copy of this module: they share the set
 * through a registered symbol.
 */
const USED = Symbol.for('keyfence.codeCacheFeatures');
type Holder = { [USED]?: Set<string> };

/** Notes that this run used `feature` (a configuration file read, a baseline). */
export function usedFeature(feature: string): void {
  ((globalThis as Holder)[USED] ??= new Set()).add(feature);
}

/** The features this run used, sorted. */
export function usedFeatures(): string[] {
  return [...((globalThis as Holder)[USED] ?? [])].sort();
}
