/**
 * What steps do: which action they use, whether they run code from the workspace, which env
 * variables carry secrets. Shared by several checks.
 */
import { flowingPaths, secretUses } from './expressions.js';
import type { EnvEntry, Job, Step, TString, WorkflowModel } from './model.js';
import { parseShell, type ShellCommand } from './shell.js';

/** `owner/repo[/path]` of a `uses:`, lower case, without the ref; '' for none. */
export function actionName(step: Step): string {
  const u = step.uses?.value.trim() ?? '';
  if (u.startsWith('./') || u.startsWith('docker://')) return u;
  return (u.split('@')[0] ?? '').toLowerCase();
}

export function actionRef(step: Step): string {
  const u = step.uses?.value.trim() ?? '';
  const at = u.lastIndexOf('@');
  return at >= 0 ? u.slice(at + 1) : '';
}

function isLocalAction(step: Step): boolean {
  return (step.uses?.value.trim() ?? '').startsWith('./');
}

export function withValue(step: Step, key: string): TString | null | undefined {
  return step.with.get(key.toLowerCase())?.value;
}

export function withText(step: Step, key: string): string | undefined {
  const v = withValue(step, key);
  return v ? v.value.trim() : undefined;
}

export function isTrue(text: string | undefined): boolean {
  return text !== undefined && /^(true|yes|on|1)$/i.test(text.trim());
}

export function isFalse(text: string | undefined): boolean {
  return text !== undefined && /^(false|no|off|0)$/i.test(text.trim());
}

/** Env in force for a step: workflow, then job, then step (later wins). */
export function effectiveEnv(model: WorkflowModel, job: Job, step: Step): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  for (const e of [...model.env, ...job.env, ...step.env]) out.set(e.name, e);
  return out;
}

/** Whether a template string's value comes from a secret (or the token), through any expression. */
export function carriesSecret(str: TString | null | undefined, secretInputs?: Set<string>, ignoreToken = false): boolean {
  if (!str) return false;
  for (const occ of str.exprs) {
    const ast = occ.parsed.ast;
    if (!ast) continue;
    // Only a secret whose value flows out counts: `secrets.X != ''` or `contains(secrets.X, 'a')` is a boolean.
    const named = secretUses(ast).some((u) => !ignoreToken || u.name !== 'GITHUB_TOKEN');
    if (named && flowingPaths(ast).some((p) => /^secrets(\.|\[|$)/.test(p.path))) return true;
    for (const p of flowingPaths(ast)) {
      if (p.path === 'github.token' && !ignoreToken) return true;
      if (secretInputs && p.path.startsWith('inputs.') && secretInputs.has(p.path.slice(7))) return true;
    }
  }
  return false;
}

/** Env variable names (for a step) whose value comes from a secret. */
export function secretEnvNames(
  model: WorkflowModel,
  job: Job,
  step: Step,
  secretInputs?: Set<string>,
  ignoreToken = false,
): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  for (const [name, e] of effectiveEnv(model, job, step)) if (carriesSecret(e.value, secretInputs, ignoreToken)) out.set(name, e);
  return out;
}

/** Input names of a composite action that look like credentials. */
export function secretLikeInputs(model: WorkflowModel): Set<string> {
  const out = new Set<string>();
  for (const i of model.actionInputs) {
    if (/token|secret|password|passwd|api[-_]?key|private[-_]?key|credential/i.test(i.name)) out.add(i.name.toLowerCase());
  }
  return out;
}

export function shellCommands(step: Step): ShellCommand[] {
  if (!step.run) return [];
  return parseShell(step.run.value).flatMap((p) => p.commands);
}

// ---------------------------------------------------------------------------------------------
// Running code from the workspace

const PACKAGE_MANAGERS_ANY = new Set(['yarn', 'pnpm', 'bun', 'npx', 'pnpx', 'bunx', 'make', 'gmake', 'cmake', 'ctest', 'ninja', 'meson',
  'pytest', 'tox', 'nox', 'mvn', 'mvnw', 'gradle', 'gradlew', 'sbt', 'ant', 'bazel', 'bazelisk', 'rake', 'rspec', 'rails', 'just',
  'task', 'mix', 'rebar3', 'lerna', 'nx', 'turbo', 'jest', 'vitest', 'mocha', 'ava', 'eslint', 'prettier', 'webpack', 'vite',
  'rollup', 'tsc', 'next', 'nuxt', 'hatch', 'pdm', 'rye', 'xcodebuild', 'flutter', 'melos', 'phpunit', 'behat', 'cypress',
  'playwright', 'source', '.', 'docker-compose', 'tsx', 'ts-node', 'jbang', 'bundle', 'ruff', 'mypy', 'pylint', 'sphinx-build', 'mkdocs',
  'hugo', 'jekyll', 'terraform', 'tflint', 'golangci-lint', 'stack', 'cabal', 'dune', 'opam', 'zig', 'scons', 'waf']);
const SUBCOMMANDS: Record<string, RegExp> = {
  npm: /^(install|i|ci|test|t|tst|run|run-script|start|build|exec|x|rebuild|pack|publish|restart|stop|prepare|install-test|it|install-ci-test|cit)$/,
  cargo: /^(build|b|test|t|run|r|check|c|clippy|bench|install|doc|publish|package|fuzz|nextest|make|xtask)$/,
  go: /^(build|test|run|generate|install|vet|tool)$/,
  dotnet: /^(build|test|run|restore|pack|publish|msbuild|tool)$/,
  composer: /^(install|update|run|run-script|test|exec|dump-autoload)$/,
  poetry: /^(install|run|build|publish)$/,
  uv: /^(sync|run|build|pip|tool)$/,
  'pre-commit': /^(run|install|try-repo)$/,
  docker: /^(build|buildx|compose|run)$/,
  swift: /^(build|test|run)$/,
  deno: /^(run|test|task|compile|bench)$/,
  dart: /^(run|test|pub|compile)$/,
  pip: /^(install|wheel|download)$/,
  pip3: /^(install|wheel|download)$/,
  gem: /^(build|install)$/,
  git: /^(submodule)$/,
};
const INTERPRETERS = new Set(['node', 'python', 'python3', 'python2', 'ruby', 'perl', 'php', 'bash', 'sh', 'zsh', 'dash', 'ksh', 'pwsh', 'powershell', 'lua', 'Rscript', 'java', 'groovy', 'osascript']);
const SYSTEM_PREFIXES = ['/usr/', '/bin/', '/sbin/', '/opt/hostedtoolcache/', '/etc/', '$RUNNER_TEMP', '${RUNNER_TEMP}', '/tmp/'];

/** Why a command runs code from the workspace, or null. */
export function commandExecutes(cmd: ShellCommand): string | null {
  const [first, ...rest] = cmd.args;
  if (!first) return null;
  const base = first.split('/').pop() ?? first;
  if (/^\.{0,2}\//.test(first) || (first.includes('/') && !first.startsWith('/') && !first.startsWith('$'))) {
    if (!SYSTEM_PREFIXES.some((p) => first.startsWith(p))) return `runs ${first}`;
  }
  if (PACKAGE_MANAGERS_ANY.has(base) || PACKAGE_MANAGERS_ANY.has(first)) {
    if (rest.length === 1 && /^(-v|--version|-h|--help)$/.test(rest[0]!)) return null;
    return `runs ${[first, ...rest.slice(0, 2)].join(' ')}`;
  }
  const sub = SUBCOMMANDS[base];
  if (sub) {
    const subcommand = rest.find((a) => !a.startsWith('-'));
    if (subcommand && sub.test(subcommand)) {
      if ((base === 'pip' || base === 'pip3') && !rest.some((a) => a === '.' || a === '-e' || a === '--editable' || a === '-r' || a.startsWith('--requirement') || a.startsWith('./') || a.includes('requirements') || a.endsWith('.txt'))) return null;
      return `runs ${[first, ...rest.slice(0, 2)].join(' ')}`;
    }
    return null;
  }
  if (INTERPRETERS.has(base)) {
    // `python -m module`, `node script.js`, `bash ./x.sh`: a file or module from the checkout.
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '-c' || a === '-e' || a === '--eval' || a === '-Command' || a === '-p') return null;
      if (a === '-m') return `runs ${first} -m ${rest[i + 1] ?? ''}`.trim();
      if (a.startsWith('-')) continue;
      if (SYSTEM_PREFIXES.some((p) => a.startsWith(p))) return null;
      return `runs ${first} ${a}`;
    }
    return null;
  }
  if ((base === 'python' || base === 'python3') && rest[0] === 'setup.py') return 'runs setup.py';
  return null;
}

/** Actions that run code from the workspace. */
function actionExecutes(step: Step): string | null {
  if (isLocalAction(step)) return `uses the local action ${step.uses!.value.trim()}`;
  const name = actionName(step);
  if (name === 'github/codeql-action/autobuild') return 'builds the code (codeql autobuild)';
  if (name === 'docker/build-push-action' || name === 'docker/bake-action') return `builds the repository's Dockerfile (${name})`;
  if (name === 'pre-commit/action') return 'runs pre-commit hooks from the checkout';
  if (name === 'cypress-io/github-action') return 'installs and runs the project (cypress-io/github-action)';
  if (name === 'bahmutov/npm-install' || name === 'borales/actions-yarn') return `installs the project's dependencies (${name})`;
  if (name === 'ruby/setup-ruby' && isTrue(withText(step, 'bundler-cache'))) return 'runs bundle install (ruby/setup-ruby bundler-cache)';
  if (name === 'pnpm/action-setup' && withText(step, 'run_install') !== undefined && !isFalse(withText(step, 'run_install'))) return 'runs pnpm install (pnpm/action-setup run_install)';
  if (name === 'gradle/gradle-build-action' && withText(step, 'arguments')) return 'runs the Gradle build';
  if (name === 'actions/github-script') {
    const script = withText(step, 'script') ?? '';
    if (/require\(\s*['"`]\.{0,2}\/|require\(\s*`\$\{process\.env\.GITHUB_WORKSPACE|await\s+import\(\s*['"`]\.{0,2}\//.test(script)) return 'loads a script from the workspace (actions/github-script)';
  }
  return null;
}

/** Where a step runs code from the workspace: why, and the shell command that does it (none for an action). */
export interface Execution {
  why: string;
  cmd?: ShellCommand;
}

/**
 * Where a step runs code from the workspace (why, and the command that does it, so a finding can
 * point at its line), or null. With `dir` (a checkout `path:` other than the workspace root), only
 * what runs inside that directory counts: a working directory in it, `cd dir` before a build
 * command, a script or local action from it, or a tool pointed at it (`npm ci --prefix dir`,
 * `make -C dir`). Base-branch tools that merely read files from it do not.
 */
export function stepExecution(step: Step, job: Job, dir?: string): Execution | null {
  const asAction = (why: string | null): Execution | null => (why ? { why } : null);
  const d = dir ? normalizeDir(dir) : '';
  if (!d) return asAction(actionExecutes(step)) ?? runExecution(step);
  const within = (p: string): boolean => {
    const n = normalizeDir(p.replace(/^["']|["']$/g, ''));
    return n === d || n.startsWith(`${d}/`);
  };
  const wd = step.workingDirectory ?? job.defaultWorkingDirectory ?? '';
  if (wd && within(wd)) return asAction(actionExecutes(step)) ?? runExecution(step);
  const uses = step.uses?.value.trim() ?? '';
  if (uses.startsWith('./') && within(uses)) return { why: `uses the local action ${uses} from the checkout` };
  for (const [k, v] of step.with) {
    if (/director|path|context|root|cwd/.test(k) && v.value && within(v.value.value)) {
      const why = actionExecutes(step);
      if (why) return { why };
    }
  }
  let inDir = false;
  for (const cmd of shellCommands(step)) {
    const [c0, ...rest] = cmd.args;
    if (!c0) continue;
    if (c0 === 'cd' || c0 === 'pushd') {
      inDir = rest[0] !== undefined && within(rest[0]);
      continue;
    }
    const why = commandExecutes(cmd);
    if (!why) continue;
    if (inDir) return { why, cmd };
    // The program itself, or the script an interpreter runs, lives in the directory.
    if (within(c0)) return { why, cmd };
    const base = c0.split('/').pop() ?? c0;
    if (INTERPRETERS.has(base)) {
      const script = rest.find((a) => !a.startsWith('-'));
      if (script && within(script)) return { why, cmd };
      continue;
    }
    // A build tool pointed at the directory.
    if (rest.some((a) => within(a) || within(a.replace(/^--?[A-Za-z-]+=/, '')))) return { why, cmd };
  }
  return null;
}

function runExecution(step: Step): Execution | null {
  for (const cmd of shellCommands(step)) {
    const why = commandExecutes(cmd);
    if (why) return { why, cmd };
  }
  return null;
}

export function normalizeDir(p: string): string {
  return p.trim().replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?/, '').replace(/^\$GITHUB_WORKSPACE\/?/, '').replace(/^\.\//, '').replace(/\/+$/, '');
}
