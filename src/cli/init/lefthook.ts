import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../run/writeAtomic.js';
import { HOOK_COMMANDS, type HookName } from './hookScript.js';

/** The names lefthook reads its configuration from, in its order; a new one is `lefthook.yml`. */
const NAMES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];

/**
 * lefthook (https://lefthook.dev): a `keyfence` command under the hook, merged into an existing
 * configuration with the yaml Document API, so its comments, order and other hooks stay as they
 * are. A pre-push command gets `use_stdin: true`: lefthook hands git's refs on only when asked.
 * The command runs through `npx --no-install`, since lefthook does not put node_modules/.bin on PATH.
 */
export async function installLefthook(root: string, hook: HookName, out: (line: string) => void): Promise<void> {
  const name = NAMES.find((n) => existsSync(join(root, n))) ?? NAMES[0]!;
  const path = join(root, name);
  const existed = existsSync(path);
  const text = existed ? await readFile(path, 'utf8') : '';
  let doc: Document = parseDocument(text);
  if (doc.errors.length) {
    const error = doc.errors[0]!;
    const at = error.linePos?.[0];
    throw new UserError(`${name}${at ? `:${at.line}:${at.col}` : ''}: ${error.message.split('\n')[0]}`, `fix ${name}, then run \`keyfence init\` again`);
  }
  // An empty file has no mapping to merge into: start one (a comment-only file loses nothing but its comments' place).
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc = new Document({});
  if (!isMap(doc.contents)) throw new UserError(`${name}: the configuration is not a mapping of hooks`, `fix ${name}, then run \`keyfence init\` again`);
  const result = addCommand(doc, hook, name);
  if (result === 'kept') {
    out(`  kept     ${name}: its ${hook} already runs keyfence`);
    return;
  }
  await writeAtomic(path, doc.toString({ flowCollectionPadding: false }));
  out(`  ${existed ? 'changed' : 'created'}  ${name}: ${hook} runs \`${HOOK_COMMANDS[hook]}\` (${result})`);
}

/** The command lefthook runs for `hook`, as a plain object (yaml makes the nodes). */
function lefthookCommand(hook: HookName): Record<string, unknown> {
  return { run: `npx --no-install ${HOOK_COMMANDS[hook]}`, ...(hook === 'pre-push' ? { use_stdin: true } : {}) };
}

function addCommand(doc: Document, hook: HookName, name: string): 'kept' | string {
  const runs = (node: unknown) => isMap(node) && String(node.get('run') ?? '').includes(HOOK_COMMANDS[hook]);
  const existing = doc.get(hook, true);
  if (existing === undefined || (isScalar(existing) && existing.value === null)) {
    doc.set(hook, doc.createNode({ commands: { keyfence: lefthookCommand(hook) } }));
    return `a new ${hook} hook`;
  }
  if (!isMap(existing)) throw new UserError(`${name}: \`${hook}\` is not a mapping, so keyfence did not change it`, `add a keyfence command under ${hook} yourself: run: ${lefthookCommand(hook).run as string}`);
  // lefthook 1.10+ takes an ordered `jobs:` list beside the older `commands:` mapping: keep to the one in use.
  const jobs = existing.get('jobs', true);
  if (isSeq(jobs)) {
    if (jobs.items.some((job) => runs(job))) return 'kept';
    jobs.add(doc.createNode({ name: 'keyfence', ...lefthookCommand(hook) }));
    return 'a job added to its jobs';
  }
  const commands = existing.get('commands', true);
  if (commands !== undefined && !isMap(commands)) throw new UserError(`${name}: \`${hook}.commands\` is not a mapping, so keyfence did not change it`);
  if (isMap(commands) && (commands.has('keyfence') || commands.items.some((pair) => runs(pair.value)))) return 'kept';
  doc.setIn([hook, 'commands', 'keyfence'], doc.createNode(lefthookCommand(hook)));
  return commands ? 'a command added to its commands' : 'a commands mapping added';
}
