import { existsSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_NAMES } from '../../config/configFile.js';
import { notARepository, runGit } from '../../sources/git.js';
import { VERSION } from '../../version.js';
import type { Command, CommandContext } from '../command.js';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../run/writeAtomic.js';

/** The husky release whose conventions (`.husky/<hook>`, `core.hooksPath=.husky/_`) this writes. */
export const HUSKY_RANGE = '^9.1.7';

/**
 * The hook's command. Plain `keyfence`, not `npx keyfence`: husky puts node_modules/.bin on PATH for
 * every hook, and npx costs the pre-commit hook a whole npm start-up (about a second) per commit.
 */
export const HOOK_COMMAND = 'keyfence staged';
const HOOK_LINE = /^[^#\n]*\bkeyfence(?:\.js)?["']?\s+staged\b/m;

const HOOK_BLOCK = `# keyfence: block commits that add secrets. A false alarm: \`keyfence:allow[rule-id] reason\`
# in a comment on the line. To commit anyway, knowingly: git commit --no-verify
${HOOK_COMMAND}
`;

export const STARTER_CONFIG = `# keyfence configuration. Every setting is optional: uncomment what you need.
# \`keyfence rules\` lists the built-in rules; \`keyfence <command> --help\` explains each command.

# The lowest severity that fails a run (exit 1) and blocks a commit: critical, high, medium, low.
# failOn: medium

# Files that belong to an environment, beyond the built-in conventions (.env.production,
# config/staging/, test/, ...): globs, relative to the repository root.
# environments:
#   production: ['deploy/prod/**']
#   test: ['qa/**']

# Hostnames (and their subdomains) that are production: found in development or test files,
# they are reported.
# productionDomains: [example.com]

# Known false alarms. Every field that is set must match; say why.
# allow:
#   - rules: [RULE-ID]
#     paths: ['docs/examples/**']
#     reason: documentation examples, not real keys

# Turn a built-in rule off, or change its severity.
# overrides:
#   RULE-ID: { enabled: false }

# Rules of your own, with the built-in rules' schema (id, description, category, severity,
# keywords, regex, entropy, examples).
# rules: []
`;

export const WORKFLOW = `# keyfence: fails a pull request whose commits add secrets. Written by \`keyfence init\`.
name: keyfence

on:
  pull_request:

# Read-only token; pull_request (not pull_request_target) gives fork pull requests no secrets.
permissions:
  contents: read

jobs:
  secrets:
    name: secrets in the pull request's commits
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          fetch-depth: 0 # keyfence fetches nothing: the pull request's base must be in the clone
          persist-credentials: false
      - name: keyfence diff
        run: npx --yes keyfence@${VERSION} diff --format github
`;

export const command: Command = {
  summary: 'set up the husky pre-commit hook, a starter keyfence.yml and a GitHub workflow',
  usage: `Usage: keyfence init

Sets up keyfence in the current repository, keeping everything that is already there:
  package.json            husky and keyfence in devDependencies, "prepare": "husky" (husky v9)
  .husky/pre-commit       runs \`${HOOK_COMMAND}\`; an existing hook keeps its other commands
  keyfence.yml            a commented starter configuration, when there is none
  .github/workflows/keyfence.yml
                          a read-only pull_request workflow running \`keyfence diff\`
Running it again changes nothing. It prints every change; it never overwrites a file it did not
write, and it installs nothing: run your package manager's install afterwards (husky's prepare
script then points git at the hook). In a repository without package.json it writes the hook and
says how to enable it.`,
  async run(context) {
    try {
      parseArgs({ args: context.args, options: {}, allowPositionals: false, strict: true });
    } catch (error) {
      throw new UserError(`init: ${(error as Error).message}`, 'run `keyfence init --help` for usage');
    }
    const rootResult = await runGit(['rev-parse', '--show-toplevel'], context.cwd);
    if (rootResult.code !== 0) throw notARepository(context.cwd, rootResult.stderr);
    const root = rootResult.stdout.toString('utf8').trim();
    const out = (line: string) => context.stdout.write(`${line}\n`);
    out(`keyfence init in ${root}`);

    const node = await setUpPackageJson(root, out);
    await setUpHook(root, out);
    if (CONFIG_NAMES.some((name) => existsSync(join(root, name)))) out('  kept     keyfence.yml: a configuration exists');
    else {
      await writeAtomic(join(root, 'keyfence.yml'), STARTER_CONFIG);
      out('  created  keyfence.yml: a commented starter configuration');
    }
    const workflow = join(root, '.github', 'workflows', 'keyfence.yml');
    if (existsSync(workflow)) out('  kept     .github/workflows/keyfence.yml: it exists (not overwritten)');
    else {
      await writeAtomic(workflow, WORKFLOW);
      out('  created  .github/workflows/keyfence.yml: pull requests run `keyfence diff` (read-only token)');
    }
    await nextSteps(context, root, node, out);
    return 0;
  },
};

/** husky and keyfence as devDependencies and husky in `prepare`; false when there is no package.json. */
async function setUpPackageJson(root: string, out: (line: string) => void): Promise<boolean> {
  const path = join(root, 'package.json');
  if (!existsSync(path)) {
    out('  skipped  package.json: none here, so husky is not installed by npm (see below)');
    return false;
  }
  const text = await readFile(path, 'utf8');
  let pkg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    pkg = parsed as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`package.json: ${(error as Error).message}`, 'fix package.json, then run `keyfence init` again');
  }
  const record = (key: string): Record<string, string> => {
    const value = pkg[key];
    if (value === undefined) return (pkg[key] = {}) as Record<string, string>;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`package.json: "${key}" is not an object`, 'fix package.json, then run `keyfence init` again');
    return value as Record<string, string>;
  };
  const changes: string[] = [];
  const has = (name: string) => ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => (pkg[k] as Record<string, unknown> | undefined)?.[name] !== undefined);
  for (const [name, range] of [
    ['husky', HUSKY_RANGE],
    ['keyfence', `^${VERSION}`],
  ] as const) {
    if (has(name)) continue;
    record('devDependencies')[name] = range;
    changes.push(`devDependencies.${name} = "${range}"`);
  }
  const scripts = record('scripts');
  const prepare = scripts.prepare;
  if (prepare === undefined || prepare.trim() === '') {
    scripts.prepare = 'husky';
    changes.push('scripts.prepare = "husky"');
  } else if (!/\bhusky\b/.test(prepare)) {
    scripts.prepare = `${prepare} && husky`;
    changes.push(`scripts.prepare = "${scripts.prepare}" (husky appended)`);
  }
  if (!changes.length) {
    out('  kept     package.json: husky and keyfence are set up');
    return true;
  }
  const indent = /\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  await writeAtomic(path, `${JSON.stringify(pkg, null, indent).replace(/\n/g, eol)}${eol}`);
  out(`  changed  package.json: ${changes.join(', ')}`);
  return true;
}

/** `.husky/pre-commit` runs keyfence: created, or the line added to an existing hook once. */
async function setUpHook(root: string, out: (line: string) => void): Promise<void> {
  const path = join(root, '.husky', 'pre-commit');
  if (!existsSync(path)) {
    await writeAtomic(path, HOOK_BLOCK);
    await chmod(path, 0o755);
    out(`  created  .husky/pre-commit: runs \`${HOOK_COMMAND}\``);
    return;
  }
  const text = await readFile(path, 'utf8');
  if (HOOK_LINE.test(text)) {
    out('  kept     .husky/pre-commit: it already runs keyfence');
    return;
  }
  const others = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
  await writeAtomic(path, addToHook(text));
  await chmod(path, 0o755);
  out(
    others
      ? `  changed  .husky/pre-commit: runs \`${HOOK_COMMAND}\` first, then its ${others} existing line${others === 1 ? '' : 's'}, unchanged`
      : `  changed  .husky/pre-commit: runs \`${HOOK_COMMAND}\``,
  );
}

/**
 * Puts the keyfence block into an existing hook after its opening lines (a shebang, comments, the
 * `. "$(dirname -- "$0")/_/husky.sh"` of husky 4-8) and before its commands: the secret check is
 * fast and should stop the commit before slower checks run, and an `exit 0` at the end of the hook
 * cannot skip it.
 */
export function addToHook(text: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const isHeader = (line: string) => line.trim() === '' || line.trim().startsWith('#') || /^\.\s+"?\$\(dirname/.test(line.trim());
  let at = 0;
  while (at < lines.length && isHeader(lines[at]!)) at++;
  while (at > 0 && lines[at - 1]!.trim() === '') at--;
  const head = lines.slice(0, at);
  const tail = lines.slice(at);
  const block = HOOK_BLOCK.trimEnd().split('\n');
  const result = [...head, ...(head.length ? [''] : []), ...block, ...(tail.length && tail[0]!.trim() !== '' ? [''] : []), ...tail];
  return `${result.join(eol)}${eol}`;
}

async function nextSteps(context: CommandContext, root: string, node: boolean, out: (line: string) => void): Promise<void> {
  const hooksPath = (await runGit(['config', '--get', 'core.hooksPath'], root)).stdout.toString('utf8').trim();
  const active = hooksPath === '.husky/_' || hooksPath.endsWith('/.husky/_');
  out('');
  if (node) {
    const install = existsSync(join(root, 'pnpm-lock.yaml')) ? 'pnpm install' : existsSync(join(root, 'yarn.lock')) ? 'yarn install' : 'npm install';
    if (active && existsSync(join(root, 'node_modules', '.bin', 'keyfence'))) out('The hook is active: the next `git commit` runs keyfence on what it stages.');
    else out(`Next: run \`${install}\`. husky's prepare script then points git at .husky/ (core.hooksPath=.husky/_), and every \`git commit\` runs keyfence.`);
  } else {
    out('No package.json: the hook needs husky and keyfence on PATH to run. Either');
    out('  - install keyfence (npm install --global keyfence) and run `npx husky` once in each clone (it sets core.hooksPath=.husky/_), or');
    out('  - use the pre-commit framework: add the keyfence hook (id: keyfence) to .pre-commit-config.yaml.');
  }
  out('A false alarm: `keyfence:allow[rule-id] reason` in a comment on the line. To commit anyway, knowingly: `git commit --no-verify`.');
  if (context.env.HUSKY === '0') out('Note: HUSKY=0 is set in this environment, so husky skips its hooks here.');
}
