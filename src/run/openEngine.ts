import { loadConfig } from '../config/configFile.js';
import { createEngine } from '../engine/createEngine.js';
import type { Engine } from '../engine/engine.js';

/**
 * The engine every door uses: the configuration at `root` (or --config FILE), its custom rules
 * proven free of catastrophic backtracking, compiled with the built-in ones.
 */
export async function openEngine(root: string, configFile: string | undefined): Promise<Engine> {
  return createEngine(await loadConfig(root, configFile));
}
