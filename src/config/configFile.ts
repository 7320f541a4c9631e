import { join, relative, resolve } from 'node:path';
import { usedFeature } from '../codeCacheFeatures.js';
import { UserError } from '../errors.js';
import { defaultConfig, type KeyfenceConfig } from './config.js';
import { diskPolicyFiles, type PolicyFiles } from './policyFiles.js';

export const CONFIG_NAMES = ['keyfence.yml', '.keyfence.yml', 'keyfence.yaml', '.keyfence.yaml'];

/** The config file to use: --config, else keyfence.yml / .keyfence.yml at the root. */
export function findConfigFile(root: string, explicit?: string, files: PolicyFiles = diskPolicyFiles): string | undefined {
  if (explicit) {
    if (!files.kind(resolve(explicit))) throw new UserError(`config file ${explicit} does not exist${files.where ? ` ${files.where}` : ''}`, 'check the --config path');
    return explicit;
  }
  // A folder by that name is found too, and fails to read: a broken config must stop the run, not vanish.
  return CONFIG_NAMES.map((n) => join(root, n)).find((p) => files.kind(p) !== undefined);
}

/** Whether a config text holds anything but comments and blank lines. */
function hasSettings(text: string): boolean {
  return text.split('\n').some((line) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('#');
  });
}

/**
 * The effective configuration for a command. The YAML reader (and the layered merge) loads only
 * when there is a setting to read: a repository without keyfence.yml, or with the commented
 * starter file `keyfence init` writes, does not pay for it in its pre-commit hook.
 */
export async function loadConfig(root: string, explicit?: string, files: PolicyFiles = diskPolicyFiles): Promise<KeyfenceConfig> {
  const path = findConfigFile(root, explicit, files);
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = files.read(resolve(path));
  } catch (error) {
    throw new UserError(`cannot read config ${relative(root, path) || path}${files.where ? ` ${files.where}` : ''}: ${(error as Error).message}`);
  }
  if (!hasSettings(text)) return { ...defaultConfig(), sources: [relative(root, resolve(path)) || path] };
  usedFeature('config');
  const { loadConfigFile } = await import('./loadConfig.js');
  return loadConfigFile(resolve(path), root, files);
}
