import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../run/writeAtomic.js';
import { HOOK_COMMANDS, HOOK_IDS, type HookName } from './hookScript.js';

const NAME = '.pre-commit-config.yaml';

/**
 * The pre-commit framework (https://pre-commit.com): a `repo: local` hook running keyfence from PATH
 * (`language: system`), merged into an existing configuration with the yaml Document API. A pre-push
 * hook also needs `pre-push` in `default_install_hook_types`, or `pre-commit install` leaves it out;
 * the framework reads git's refs itself and hands them over as PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF,
 * which `keyfence push` reads. Teams that would rather not install keyfence themselves use the
 * hooks this repository ships in .pre-commit-hooks.yaml (`repo:` keyfence's URL).
 */
export async function installPreCommitFramework(root: string, hook: HookName, out: (line: string) => void): Promise<void> {
  const path = join(root, NAME);
  const existed = existsSync(path);
  let doc: Document = parseDocument(existed ? await readFile(path, 'utf8') : '');
  if (doc.errors.length) {
    const error = doc.errors[0]!;
    const at = error.linePos?.[0];
    throw new UserError(`${NAME}${at ? `:${at.line}:${at.col}` : ''}: ${error.message.split('\n')[0]}`, `fix ${NAME}, then run \`keyfence init\` again`);
  }
  // An empty file has no mapping to merge into: start one (a comment-only file loses nothing but its comments' place).
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) doc = new Document({});
  if (!isMap(doc.contents)) throw new UserError(`${NAME}: not a mapping with \`repos:\``, `fix ${NAME}, then run \`keyfence init\` again`);
  const changes = [addHook(doc, hook), ...(hook === 'pre-push' ? [addInstallType(doc, hook)] : [])].filter((c): c is string => c !== undefined);
  if (!changes.length) {
    out(`  kept     ${NAME}: it already has the ${HOOK_IDS[hook]} hook`);
    return;
  }
  await writeAtomic(path, doc.toString({ flowCollectionPadding: false }));
  out(`  ${existed ? 'changed' : 'created'}  ${NAME}: ${changes.join(', ')}`);
}

/** The hook as .pre-commit-config.yaml lists it under `repo: local`. */
function preCommitHook(hook: HookName): Record<string, unknown> {
  return {
    id: HOOK_IDS[hook],
    name: hook === 'pre-push' ? 'keyfence (secrets in pushed commits)' : 'keyfence (secrets in staged changes)',
    entry: HOOK_COMMANDS[hook],
    language: 'system',
    pass_filenames: false,
    always_run: true,
    stages: [hook],
  };
}

function addHook(doc: Document, hook: HookName): string | undefined {
  const repos = doc.get('repos', true);
  if (repos !== undefined && !isSeq(repos)) throw new UserError(`${NAME}: \`repos\` is not a list, so keyfence did not change it`);
  const entries = (isSeq(repos) ? repos.items : []).filter(isMap);
  const hooksOf = (entry: YAMLMap) => entry.get('hooks', true);
  const has = entries.some((entry) => {
    const hooks = hooksOf(entry);
    return isSeq(hooks) && hooks.items.some((h) => isMap(h) && h.get('id') === HOOK_IDS[hook]);
  });
  if (has) return undefined;
  const local = entries.map(hooksOf).find((hooks, i) => entries[i]!.get('repo') === 'local' && isSeq(hooks));
  if (isSeq(local)) {
    local.add(hookNode(doc, hook));
    return `hook ${HOOK_IDS[hook]} added to its \`repo: local\``;
  }
  // createNode keeps a node it is given as it is: the hook keeps its inline `stages`.
  const entry = doc.createNode({ repo: 'local', hooks: [hookNode(doc, hook)] });
  if (isSeq(repos)) repos.add(entry);
  else doc.set('repos', doc.createNode([entry]));
  return `\`repo: local\` with hook ${HOOK_IDS[hook]} (${hook})`;
}

/** The hook's node, its `stages` list written inline as the framework's documentation writes it. */
function hookNode(doc: Document, hook: HookName): YAMLMap {
  const node = doc.createNode(preCommitHook(hook)) as YAMLMap;
  const stages = node.get('stages', true);
  if (isSeq(stages)) stages.flow = true;
  return node;
}

/** `pre-commit install` installs only the hook types listed here (default: pre-commit). */
function addInstallType(doc: Document, hook: HookName): string | undefined {
  const types = doc.get('default_install_hook_types', true);
  if (types === undefined) {
    doc.set('default_install_hook_types', doc.createNode(['pre-commit', hook], { flow: true }));
    return `default_install_hook_types: [pre-commit, ${hook}]`;
  }
  if (!isSeq(types)) throw new UserError(`${NAME}: \`default_install_hook_types\` is not a list, so keyfence did not change it`);
  if (types.items.some((t) => isScalar(t) && t.value === hook)) return undefined;
  types.add(doc.createNode(hook));
  return `${hook} added to default_install_hook_types`;
}
