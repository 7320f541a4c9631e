import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder where keyfence keeps what it may forget (compiled code, regex verdicts, verification
 * answers, never a secret): KEYFENCE_CACHE_DIR, else XDG_CACHE_HOME, else the platform's own
 * per-user cache folder. Per user on purpose: a shared temp folder would let another user plant
 * what keyfence then trusts.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYFENCE_CACHE_DIR) return env.KEYFENCE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'keyfence');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'keyfence', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'keyfence');
  return join(homedir(), '.cache', 'keyfence');
}
