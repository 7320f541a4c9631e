import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { UserError } from '../cli/errors.js';
import { ENVIRONMENTS, SEVERITIES } from '../findings/finding.js';
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

/** Where in the file a node sits, as `file:line:col`. */
export function positionOf(doc: Document, node: Node | null | undefined, file: string, text: string): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return file;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${col}`;
}

const KNOWN_KEYS = new Set(['extends', 'rules', 'overrides', 'allow', 'environments', 'productionDomains', 'maxFileSize', 'suppressionMarkers', 'failOn', 'policy']);

export function loadConfig(root: string, explicit?: string): KeyfenceConfig {
  const config = defaultConfig();
  const path = findConfigFile(root, explicit);
  if (!path) return config;
  const shown = relative(root, path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read config ${shown}: ${(error as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    throw new UserError(`${shown}${pos ? `:${pos.line}:${pos.col}` : ''}: ${problem.message.split('\n')[0]}`, 'fix the YAML syntax');
  }
  const contents = doc.contents;
  if (contents === null) return { ...config, sources: [shown] };
  if (!isMap(contents)) throw new UserError(`${positionOf(doc, contents, shown, text)}: the config must be a mapping of settings`);
  for (const pair of contents.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    if (!KNOWN_KEYS.has(key))
      throw new UserError(`${positionOf(doc, pair.key as Node, shown, text)}: unknown setting "${key}"`, `known settings: ${[...KNOWN_KEYS].join(', ')}`);
  }
  const data = doc.toJS() as Record<string, unknown>;
  const at = (key: string) => positionOf(doc, contents.get(key, true) as Node, shown, text);
  if (data.rules !== undefined) {
    if (!isSeq(contents.get('rules', true))) throw new UserError(`${at('rules')}: \`rules\` must be a list of rules`);
    config.rules = (data.rules as KeyfenceConfig['rules'][number]['spec'][]).map((spec) => ({ spec, origin: shown }));
  }
  if (data.overrides !== undefined) config.overrides = data.overrides as KeyfenceConfig['overrides'];
  for (const [id, o] of Object.entries(config.overrides)) {
    if (o?.severity !== undefined && !SEVERITIES.includes(o.severity))
      throw new UserError(`${at('overrides')}: overrides.${id}.severity must be one of ${SEVERITIES.join(', ')}`);
  }
  if (data.allow !== undefined) config.allow = (data.allow as KeyfenceConfig['allow']).map((a) => ({ ...a, origin: shown }));
  if (data.environments !== undefined) {
    for (const env of Object.keys(data.environments as object))
      if (!ENVIRONMENTS.includes(env as never)) throw new UserError(`${at('environments')}: unknown environment "${env}"`, `use one of ${ENVIRONMENTS.join(', ')}`);
    config.environments = data.environments as KeyfenceConfig['environments'];
  }
  if (data.productionDomains !== undefined) config.productionDomains = data.productionDomains as string[];
  if (data.maxFileSize !== undefined) {
    if (typeof data.maxFileSize !== 'number' || data.maxFileSize <= 0) throw new UserError(`${at('maxFileSize')}: maxFileSize must be a positive number of bytes`);
    config.maxFileSize = data.maxFileSize;
  }
  if (data.suppressionMarkers !== undefined) config.suppressionMarkers = data.suppressionMarkers as string[];
  if (data.failOn !== undefined) {
    if (!SEVERITIES.includes(data.failOn as never)) throw new UserError(`${at('failOn')}: failOn must be one of ${SEVERITIES.join(', ')}`);
    config.failOn = data.failOn as KeyfenceConfig['failOn'];
  }
  config.sources = [shown];
  return config;
}
