import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_NAMES } from '../../config/configFile.js';
import { notARepository, runGit } from '../../sources/git.js';
import { VERSION } from '../../version.js';
import type { Command, CommandContext } from '../command.js';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../run/writeAtomic.js';
import { gitAsConfigured, installGitHook } from '../init/gitHook.js';
import { HOOK_COMMANDS, HOOKS, type HookName } from '../init/hookScript.js';
import { installLefthook } from '../init/lefthook.js';
import { installPreCommitFramework } from '../init/preCommitFramework.js';
import { installShellHook } from '../init/shellHook.js';
import { installOrgAuditWorkflow } from '../init/orgAuditWorkflow.js';
import { installGitlabJob, isGitlabProject } from '../init/gitlabCi.js';

/** The husky release whose conventions (`.husky/<hook>`, `core.hooksPath=.husky/_`) this writes. */
export const HUSKY_RANGE = '^9.1.7';

export const STARTER_CONFIG = `# keyfence configuration. Every setting is optional: uncomment what you need.
# \`keyfence rules\` lists the built-in rules; \`keyfence <command> --help\` explains each command.

# The lowest severity that fails a run (exit 1) and blocks a commit: critical, high, medium, low;
# none reports without failing.
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

const MANAGERS = ['husky', 'git', 'lefthook', 'pre-commit'] as const;
type Manager = (typeof MANAGERS)[number];

export const command: Command = {
  summary: 'set up a git hook (husky, plain git, lefthook or pre-commit), a starter keyfence.yml and a GitHub workflow',
  usage: `Usage: keyfence init [--hook pre-commit|pre-push] [--manager husky|git|lefthook|pre-commit]

Sets up keyfence in the current repository, keeping everything that is already there:
  the hook                --hook pre-commit (default) runs \`${HOOK_COMMANDS['pre-commit']}\`,
                          --hook pre-push runs \`${HOOK_COMMANDS['pre-push']}\` (the commits a push sends)
  keyfence.yml            a commented starter configuration, when there is none
  .github/workflows/keyfence.yml
                          a read-only pull_request workflow running \`keyfence diff\`
  .gitlab/keyfence.gitlab-ci.yml
                          in a GitLab project (a .gitlab-ci.yml, or a GitLab origin): a merge-request
                          job running \`keyfence diff --format gitlab\` for the security widget; a new
                          .gitlab-ci.yml includes it, an existing one is left as it is (init prints the
                          include to add). The GitHub workflow is then written only if .github/ exists.

Where the hook goes (--manager):
  husky (default)   .husky/<hook>, and in package.json husky and keyfence in devDependencies and
                    "prepare": "husky" (husky v9)
  git               the hooks folder git runs (\`git rev-parse --git-path hooks\`: honours
                    core.hooksPath and worktrees); keyfence from PATH, else npx --no-install
  lefthook          a keyfence command under the hook in lefthook.yml (merged into an existing one)
  pre-commit        a \`repo: local\` hook in .pre-commit-config.yaml (merged into an existing one)

Running it again changes nothing. It prints every change; it never overwrites a file it did not
write: an existing hook gets keyfence's lines added once, and one it cannot safely add to (another
language, a hook manager's generated file, a pre-push hook that reads git's refs itself) is refused
with what to do instead. It installs nothing: run your package manager's or hook manager's install
afterwards, as it says.

keyfence init --org-audit writes only .github/workflows/keyfence-org-audit.yml: a weekly workflow
calling keyfence's reusable organisation audit for the organisation that owns the repository
(docs/org-audit.md).`,
  async run(context) {
    let values: { hook?: string; manager?: string; 'org-audit'?: boolean };
    try {
      const options = { hook: { type: 'string' }, manager: { type: 'string' }, 'org-audit': { type: 'boolean' } } as const;
      ({ values } = parseArgs({ args: context.args, options, allowPositionals: false, strict: true }));
    } catch (error) {
      throw new UserError(`init: ${(error as Error).message}`, 'run `keyfence init --help` for usage');
    }
    const hook = (values.hook ?? 'pre-commit') as HookName;
    if (!HOOKS.includes(hook)) throw new UserError(`init: unknown hook "${values.hook}"`, `use --hook ${HOOKS.join(' or --hook ')}`);
    const manager = (values.manager ?? 'husky') as Manager;
    if (!MANAGERS.includes(manager)) throw new UserError(`init: unknown hook manager "${values.manager}"`, `use --manager ${MANAGERS.join(', ')}`);
    const rootResult = await runGit(['rev-parse', '--show-toplevel'], context.cwd);
    if (rootResult.code !== 0) throw notARepository(context.cwd, rootResult.stderr);
    const root = rootResult.stdout.toString('utf8').trim();
    const out = (line: string) => context.stdout.write(`${line}\n`);
    out(`keyfence init in ${root}`);
    // The organisation audit lives in one repository of the security team's: only its workflow.
    if (values['org-audit']) {
      await installOrgAuditWorkflow(root, out);
      return 0;
    }

    // The hook first: a hook keyfence refuses to change stops init before anything else is written.
    let node = false;
    if (manager === 'husky') {
      await installShellHook({ path: join(root, '.husky', hook), shown: `.husky/${hook}`, hook, command: HOOK_COMMANDS[hook], plainGit: false }, out);
      node = await setUpPackageJson(root, out);
    } else if (manager === 'git') await installGitHook(root, hook, out);
    else if (manager === 'lefthook') await installLefthook(root, hook, out);
    else await installPreCommitFramework(root, hook, out);
    if (CONFIG_NAMES.some((name) => existsSync(join(root, name)))) out('  kept     keyfence.yml: a configuration exists');
    else {
      await writeAtomic(join(root, 'keyfence.yml'), STARTER_CONFIG);
      out('  created  keyfence.yml: a commented starter configuration');
    }
    const workflow = join(root, '.github', 'workflows', 'keyfence.yml');
    // A GitLab project gets a merge-request job; the GitHub workflow only where GitHub runs too.
    const gitlab = await isGitlabProject(root);
    if (gitlab) await installGitlabJob(root, out);
    if (existsSync(workflow)) out('  kept     .github/workflows/keyfence.yml: it exists (not overwritten)');
    else if (gitlab && !existsSync(join(root, '.github'))) out('  skipped  .github/workflows/keyfence.yml: a GitLab project (no .github folder)');
    else {
      await writeAtomic(workflow, WORKFLOW);
      out('  created  .github/workflows/keyfence.yml: pull requests run `keyfence diff` (read-only token)');
    }
    out('');
    if (manager === 'husky') huskyNextSteps(context, root, node, hook, out);
    else otherNextSteps(manager, hook, out);
    out(
      `A false alarm: \`keyfence:allow[rule-id] reason\` in a comment on the line. To ${hook === 'pre-push' ? 'push' : 'commit'} anyway, knowingly: \`git ${hook === 'pre-push' ? 'push' : 'commit'} --no-verify\`; KEYFENCE_SKIP=1 skips only keyfence.`,
    );
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

function huskyNextSteps(context: CommandContext, root: string, node: boolean, hook: HookName, out: (line: string) => void): void {
  let hooksPath = '';
  try {
    hooksPath = gitAsConfigured(['config', '--get', 'core.hooksPath'], root);
  } catch {
    // Not set: husky's prepare has not run yet.
  }
  const active = hooksPath === '.husky/_' || hooksPath.endsWith('/.husky/_');
  const action = hook === 'pre-push' ? '`git push` runs keyfence on the commits it sends' : '`git commit` runs keyfence on what it stages';
  if (node) {
    const install = existsSync(join(root, 'pnpm-lock.yaml')) ? 'pnpm install' : existsSync(join(root, 'yarn.lock')) ? 'yarn install' : 'npm install';
    if (active && existsSync(join(root, 'node_modules', '.bin', 'keyfence'))) out(`The hook is active: the next ${action}.`);
    else out(`Next: run \`${install}\`. husky's prepare script then points git at .husky/ (core.hooksPath=.husky/_), and every ${action}.`);
  } else {
    out('No package.json: the hook needs husky and keyfence on PATH to run. Either');
    out('  - install keyfence (npm install --global keyfence) and run `npx husky` once in each clone (it sets core.hooksPath=.husky/_), or');
    out(`  - let git run it directly: keyfence init --hook ${hook} --manager git, or`);
    out('  - use the pre-commit framework: add the keyfence hook (id: keyfence) to .pre-commit-config.yaml.');
  }
  if (context.env.HUSKY === '0') out('Note: HUSKY=0 is set in this environment, so husky skips its hooks here.');
}

function otherNextSteps(manager: Exclude<Manager, 'husky'>, hook: HookName, out: (line: string) => void): void {
  if (manager === 'git') out(`The hook is active: git runs it on every ${hook === 'pre-push' ? 'push' : 'commit'}; it finds keyfence on PATH, else in node_modules (npx --no-install).`);
  else if (manager === 'lefthook') out('Next: run `lefthook install` (or `npx lefthook install`) so git runs lefthook\'s hooks; keyfence runs from node_modules (npx --no-install).');
  else out(`Next: run \`pre-commit install${hook === 'pre-push' ? ' --hook-type pre-push' : ''}\`; the hook runs keyfence from PATH (language: system).`);
}
