import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { defaultConfig, type KeyfenceConfig } from './config.js';

export const CONFIG_NAMES = ['keyfence.yml', '.keyfence.yml', 'keyfence.yaml', '.keyfence.yaml'];

/** The config file to use: --config, else keyfence.yml / .keyfence.yml at the root. */
export function findConfigFile(root: string, explicit?: string): string | undefined {
  if (explicit) {
    if (!existsSync(explicit)) throw new UserError(`config file ${explicit} does not exist`, 'check the --config path');
    return explicit;
  }
  return CONFIG_NAMES.map((n) => join(root, n)).find((p) => existsSync(p));
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
export async function loadConfig(root: string, explicit?: string): Promise<KeyfenceConfig> {
  const path = findConfigFile(root, explicit);
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read config ${relative(root, path) || path}: ${(error as Error).message}`);
  }
  if (!hasSettings(text)) return { ...defaultConfig(), sources: [relative(root, resolve(path)) || path] };
  const { loadConfigFile } = await import('./loadConfig.js');
  return loadConfigFile(resolve(path), root);
}
