import type { Environment } from '../findings/finding.js';

/**
 * Which environment a file belongs to, from the path conventions teams already follow, and what
 * kind of file it is (its role), which the policy stage needs as well.
 *
 * The principle: an environment name in a path classifies a *configuration* file (`.env.prod`,
 * `config/production.json`, `values-staging.yaml`, `overlays/prod/`), never source code.
 * `src/production.ts`, `lib/live/stream.ts` or `liveReload.js` are code that runs in every
 * environment, so they stay `unknown`: calling them production would silence `prod-host` in them
 * and raise false `debug-in-production` alarms. Order, first match wins:
 *
 * 1. CI files (`.github/workflows/`, `.gitlab-ci.yml`, `Jenkinsfile`, …)            -> ci
 * 2. test and fixture folders, test file names (`*.test.ts`, `*_test.go`)             -> test
 *    (a `.env.production` under `test/fixtures/` is test data, whatever its name)
 * 2b. documentation: `docs/`, `examples/` folders, prose files (`*.md`, `*.rst`), READMEs
 *    -> unknown, role `docs` (a secret there is an example to readers, unless it is live)
 * 3. env files: `.env`, `.env.local`, `.env.example` -> development; `.env.<env>`,
 *    `<env>.env` -> that environment
 * 4. a config file whose name holds an environment word: `config/production.json`,
 *    `application-prod.yml`, `appsettings.Staging.json`, `docker-compose.dev.yml`,
 *    `values-staging.yaml`, `prod.tfvars`, `settings/dev.py`, `config/environments/production.rb`
 * 5. a config file inside an environment folder: `overlays/prod/`, `environments/staging/`
 * 6. anything else                                                                    -> unknown
 *
 * Configured globs (keyfence.yml `environments:`) come before all of this, and an explicit
 * `APP_ENV=` & co. inside an env file before the path (see `declaredEnvironment`); the engine
 * applies both.
 */

/** What a file is, as far as the policy cares. */
export type FileRole =
  /** A CI pipeline definition. */
  | 'ci'
  /** Test data: fixtures, recorded HTTP cassettes, snapshots, mocks. */
  | 'fixture'
  /** Test code and other files of a test folder. */
  | 'test'
  /** Configuration: env files, config files, infrastructure values. */
  | 'config'
  /** Documentation and example code: READMEs, prose files, `docs/`, `examples/`. */
  | 'docs'
  /** Everything else: source code, scripts. */
  | 'other';

export interface Classification {
  environment: Environment;
  role: FileRole;
}

// --- environment words ------------------------------------------------------------------------

/** Words that name an environment wherever they sit in a config file's name or folder. */
const CLEAR_WORDS: Record<string, Environment> = {
  prod: 'production',
  production: 'production',
  prd: 'production',
  staging: 'staging',
  stg: 'staging',
  preprod: 'staging',
  uat: 'staging',
  dev: 'development',
  development: 'development',
  develop: 'development',
};

/**
 * Words that name an environment only as a whole file name or its last part (`config/live.json`,
 * `values-live.yaml`, `application-local.yml`): elsewhere they mean something else
 * (`live-server.json`, `local-storage.json`, `stage-1.yml`, `test-data.json`).
 */
const TRAILING_WORDS: Record<string, Environment> = {
  live: 'production',
  stage: 'staging',
  qa: 'staging',
  local: 'development',
  sandbox: 'development',
  test: 'test',
  testing: 'test',
  ci: 'ci',
};

/** Folder names that put the config files below them in an environment (`overlays/prod/`). */
const FOLDER_WORDS: Record<string, Environment> = {
  ...CLEAR_WORDS,
  stage: 'staging',
  qa: 'staging',
};

const PROD_DIGITS = /^(prod|prd|production|staging|stg|dev)\d{1,2}$/;

/** The environment a single word names, or undefined. `prod1` counts as prod. */
function wordEnv(word: string, position: 'any' | 'last'): Environment | undefined {
  const w = word.toLowerCase();
  const clear = CLEAR_WORDS[w] ?? (PROD_DIGITS.test(w) ? CLEAR_WORDS[w.replace(/\d+$/, '')] : undefined);
  if (clear) return clear;
  return position === 'last' ? TRAILING_WORDS[w] : undefined;
}

/**
 * The environment a word names (`APP_ENV=production`, `.env.<word>`, a GitHub environment's name):
 * every word of the vocabulary counts. The one place keyfence knows what names an environment.
 */
export function environmentOfWord(word: string): Environment | undefined {
  return wordEnv(word, 'last');
}

// --- path conventions -------------------------------------------------------------------------

const CI_FILES =
  /(?:^|\/)(?:\.github\/workflows\/[^/]+\.ya?ml|\.github\/actions\/.+|\.gitlab-ci\.ya?ml|\.gitlab\/ci\/.+\.ya?ml|Jenkinsfile(?:\.[^/]+)?|[^/]+\.jenkinsfile|\.circleci\/.+|azure-pipelines\.ya?ml|\.azure-pipelines\/.+\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml|\.buildkite\/.+|\.drone\.ya?ml|\.woodpecker(?:\.ya?ml|\/.+\.ya?ml)|cloudbuild\.ya?ml|buildspec\.ya?ml|appveyor\.ya?ml|\.teamcity\/.+)$/;

/** Folders of test data: a live-looking credential here is a `fixture` finding. */
const FIXTURE_DIRS = new Set([
  'fixtures',
  '__fixtures__',
  'fixture',
  'testdata',
  'test-data',
  'test_data',
  '__snapshots__',
  'snapshots',
  'cassettes',
  'vcr_cassettes',
  '__recordings__',
  'recordings',
  '__mocks__',
  'mocks',
]);
/** Test folders; every file below one is `test`. */
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'cypress', 'integration-tests', ...FIXTURE_DIRS]);
const FIXTURE_FILES = /\.(?:snap|har|cassette)$/i;
const TEST_FILES = /(?:\.(?:test|spec|e2e)\.[A-Za-z0-9]+$|_(?:test|spec)\.(?:go|py|rb|exs?|rs|php|ts|js)$|^test_[^/]*\.py$|^conftest\.py$|Tests?\.(?:java|kt|cs|scala|swift)$|Spec\.(?:groovy|scala|kt)$)/;

/** Extensions that are configuration wherever they are. */
const CONFIG_EXTENSIONS = new Set(['yml', 'yaml', 'json', 'json5', 'jsonc', 'toml', 'ini', 'cfg', 'conf', 'config', 'properties', 'env', 'tfvars', 'tf', 'hcl', 'xml', 'plist', 'neon']);
/** Extensions that are configuration inside a config folder (`config/production.js`, `settings/prod.py`). */
const CODE_CONFIG_EXTENSIONS = new Set(['js', 'cjs', 'mjs', 'ts', 'cts', 'mts', 'py', 'rb', 'exs', 'ex', 'php', 'groovy', 'kts']);
const CONFIG_DIRS = new Set(['config', 'configs', 'conf', 'settings', 'environments', 'envs', 'env']);

/** `.env`, `.env.production`, `.env.prod.local`, `.envrc`, `production.env`, `app.prod.env`. */
function isEnvFile(base: string): boolean {
  return /^\.env(?:rc)?(?:\.[A-Za-z0-9_-]+)*$/.test(base) || /\.env$/.test(base);
}

/** The environment an env file's name states: `.env.production`, `.env.prod.local`, `app.prod.env`. */
function envFileEnvironment(base: string): Environment | undefined {
  const dotted = /^\.env((?:\.[A-Za-z0-9_-]+)*)$/.exec(base);
  if (dotted) {
    for (const word of dotted[1]!.split('.').filter(Boolean)) {
      const env = environmentOfWord(word);
      if (env) return env;
    }
    return undefined;
  }
  if (!base.endsWith('.env')) return undefined;
  // `production.env`, `app.prod.env`, `local.env`
  const words = base.slice(0, -'.env'.length).split(/[._-]/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const env = wordEnv(words[i]!, i === words.length - 1 ? 'last' : 'any');
    if (env) return env;
  }
  return undefined;
}

/**
 * `.env`, `.env.local`, `.env.example`, `.envrc`: by convention the developer's own settings or
 * their template, unless the folder says otherwise (`deploy/production/.env`).
 */
function isDeveloperEnvFile(base: string): boolean {
  if (base === '.envrc') return true;
  const dotted = /^\.env((?:\.[A-Za-z0-9_-]+)*)$/.exec(base);
  const first = dotted?.[1]!.split('.').find(Boolean);
  return dotted !== null && (first === undefined || /^(?:example|sample|template|dist|defaults?|tmpl|local)$/i.test(first));
}

function extensionOf(base: string): string {
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** Dockerfile.prod, prod.Dockerfile, Containerfile.staging. */
const DOCKERFILE = /^(?:(?:Docker|Container)file(?:\.[A-Za-z0-9_-]+)?|[A-Za-z0-9_.-]+\.(?:docker|container)file)$/i;

/** Is this file configuration (as opposed to source code, docs or data)? */
function isConfigFile(file: string): boolean {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  if (isEnvFile(base) || DOCKERFILE.test(base)) return true;
  const ext = extensionOf(base);
  if (CONFIG_EXTENSIONS.has(ext)) return true;
  if (ext === 'tfvars' || base.endsWith('.tfvars.json')) return true;
  if (CODE_CONFIG_EXTENSIONS.has(ext)) {
    const dirs = parts.slice(0, -1).map((d) => d.toLowerCase());
    if (dirs.some((d) => CONFIG_DIRS.has(d))) return true;
    // settings_production.py, production_settings.py, config.prod.js
    if (/(?:^|[._-])(?:settings|config)(?:[._-]|$)/i.test(base.slice(0, base.length - ext.length - 1))) return true;
  }
  return false;
}

/** The environment word in a config file's name: `application-prod.yml`, `values.staging.yaml`. */
function nameEnvironment(base: string): Environment | undefined {
  if (/^docker-compose\.override\.ya?ml$|^compose\.override\.ya?ml$/.test(base)) return 'development';
  // Strip the extension(s): `prod.tfvars.json`, `values-live.yaml`, `Dockerfile.prod` (no extension).
  let stem = base;
  if (!DOCKERFILE.test(base) || /\.(?:docker|container)file$/i.test(base)) stem = base.replace(/(?:\.tfvars)?\.[A-Za-z0-9]+$/, '');
  const words = stem.split(/[._-]/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const env = wordEnv(words[i]!, i === words.length - 1 || words.length === 1 ? 'last' : 'any');
    if (env) return env;
  }
  return undefined;
}

/** The innermost environment folder: `overlays/prod/`, `environments/staging/`, `deploy/dev/`. */
function folderEnvironment(dirs: string[]): { environment: Environment; dir: string } | undefined {
  for (let i = dirs.length - 1; i >= 0; i--) {
    const word = dirs[i]!.toLowerCase();
    const env = FOLDER_WORDS[word] ?? (PROD_DIGITS.test(word) ? FOLDER_WORDS[word.replace(/\d+$/, '')] : undefined);
    if (env) return { environment: env, dir: dirs[i]! };
  }
  return undefined;
}

/**
 * Folder names that say test in a compound: `test-ca/`, `test_keys/`, `unit-tests/`, `e2e_tests/`,
 * `testcerts/`. A separator or a known test word is required, so `latest/` and `contest/` are not.
 */
const TEST_DIR_COMPOUND = /^(?:tests?|testing|specs?)[-_.]|[-_.](?:tests?|testing|specs?)$|^test(?:certs?|keys?|ca|vectors|files|resources|support|helpers|utils)$/;

function isTestDir(dir: string): boolean {
  return TEST_DIRS.has(dir) || TEST_DIR_COMPOUND.test(dir);
}

function inTestTree(dirs: string[], base: string): { test: boolean; fixture: boolean } {
  let test = TEST_FILES.test(base);
  let fixture = false;
  for (const dir of dirs) {
    const d = dir.toLowerCase();
    if (isTestDir(d)) test = true;
    if (FIXTURE_DIRS.has(d)) fixture = true;
  }
  if (FIXTURE_FILES.test(base) && test) fixture = true;
  if (/\.snap$/.test(base)) fixture = test = true;
  return { test, fixture };
}

/** Prose formats: documentation wherever they are. */
const DOC_EXTENSIONS = new Set(['md', 'mdx', 'markdown', 'rst', 'adoc', 'asciidoc', 'rdoc', 'textile', 'pod']);
/** Folders of documentation and example code: every file below one is an example, configuration included. */
const DOC_DIRS = new Set(['docs', 'doc', 'documentation', 'examples', 'example', 'samples', 'sample', 'man']);

/** Prose files without an extension, or whatever their extension: README, CHANGELOG, NEWS. */
const PROSE_NAMES = /^(?:readme|changelog|changes|news|history|authors|contributing)(?:\.[a-z]+)?$/i;
/**
 * Templates of a config file (`config.json.sample`, `settings.example.yml`, `app.ini.dist`): what
 * a reader copies and fills in. Env files are the exception (`.env.example` stays the developer's
 * env file): a copy of the real `.env` is the commonest way such a file leaks.
 */
const TEMPLATE_FILES = /\.(?:sample|example|dist|template|tmpl)$|[._-](?:sample|example)\.[A-Za-z0-9]+$/i;
/** API descriptions: their values are `example:`s (`swagger.yaml`, `openapi.json`, `openapi-v2.yml`). */
const API_DESCRIPTIONS = /^(?:swagger|openapi)(?:[._-][\w.-]*)?\.(?:ya?ml|json)$/i;

/** Why a file is documentation (`under docs/`, `a README`, `a prose file (guide.md)`), or undefined. */
function documentation(base: string, dirs: string[]): string | undefined {
  const folder = dirs.find((d) => DOC_DIRS.has(d.toLowerCase()));
  if (folder) return `under ${folder}/`;
  if (DOC_EXTENSIONS.has(extensionOf(base))) return `a prose file (${base})`;
  if (PROSE_NAMES.test(base)) return `a prose file (${base})`;
  // A Python package's metadata holds its README as the long description.
  if (base === 'PKG-INFO' || (base === 'METADATA' && dirs[dirs.length - 1]?.endsWith('.dist-info'))) return `package metadata with the README (${base})`;
  if (TEMPLATE_FILES.test(base) && !isEnvFile(base)) return `a template to copy (${base})`;
  if (API_DESCRIPTIONS.test(base)) return `an API description, whose values are examples (${base})`;
  return undefined;
}

/** Inside a test folder only env files and config-named files are configuration; other data is test data. */
function isTestConfig(base: string, dirs: string[]): boolean {
  return isEnvFile(base) || nameEnvironment(base) !== undefined || /(?:^|[._-])(?:config|settings)(?:[._-]|$)/i.test(base) || dirs.some((d) => CONFIG_DIRS.has(d.toLowerCase()));
}

/** Environment and role of a repository-relative path (forward slashes), from its path alone. */
export function classify(file: string): Classification {
  const { environment, role } = explainPath(file);
  return { environment, role };
}

/** A classification with the path convention that decided it, in words: what `keyfence explain` says. */
export interface ExplainedClassification extends Classification {
  why: string;
}

/** `classify`, saying which convention decided (first match wins, in the order of the comment at the top). */
export function explainPath(file: string): ExplainedClassification {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1);
  if (CI_FILES.test(file)) return { environment: 'ci', role: 'ci', why: 'a CI pipeline definition' };
  const config = isConfigFile(file);
  const tests = inTestTree(dirs, base);
  const testDir = dirs.find((d) => isTestDir(d.toLowerCase()));
  const inTests = testDir ? `under ${testDir}/` : `a test file name (${base})`;
  if (tests.fixture) return { environment: 'test', role: 'fixture', why: `test data: ${dirs.find((d) => FIXTURE_DIRS.has(d.toLowerCase())) ? `under ${dirs.find((d) => FIXTURE_DIRS.has(d.toLowerCase()))}/` : `a recording or snapshot (${base})`}` };
  if (tests.test) {
    return config && isTestConfig(base, dirs)
      ? { environment: 'test', role: 'config', why: `test configuration: ${inTests}` }
      : { environment: 'test', role: 'test', why: `test code: ${inTests}` };
  }
  const docs = documentation(base, dirs);
  if (docs) return { environment: 'unknown', role: 'docs', why: `documentation: ${docs}` };
  if (isEnvFile(base)) {
    // The name first (`.env.production`), then the folder (`k8s/overlays/dev/config.env`).
    const named = envFileEnvironment(base);
    if (named) return { environment: named, role: 'config', why: `an env file named for ${named} (${base})` };
    const folder = folderEnvironment(dirs);
    if (folder) return { environment: folder.environment, role: 'config', why: `an env file in an environment folder (${folder.dir}/)` };
    if (isDeveloperEnvFile(base)) return { environment: 'development', role: 'config', why: `a developer's env file or its template (${base})` };
    return { environment: 'unknown', role: 'config', why: `an env file whose name and folders name no environment (${base})` };
  }
  if (!config) {
    return { environment: 'unknown', role: 'other', why: 'source code or other files: an environment word in its path does not classify code, which runs in every environment' };
  }
  const named = nameEnvironment(base);
  if (named) return { environment: named, role: 'config', why: `a config file named for ${named} (${base})` };
  const folder = folderEnvironment(dirs);
  if (folder) return { environment: folder.environment, role: 'config', why: `a config file in an environment folder (${folder.dir}/)` };
  return { environment: 'unknown', role: 'config', why: 'a config file whose name and folders name no environment' };
}

// --- declared environments --------------------------------------------------------------------

/**
 * Variables that name the deployment environment. `NODE_ENV`-style build modes come last: a
 * staging deployment commonly runs `NODE_ENV=production` for an optimised build, so a build mode
 * of `production` never turns a file named for staging into production.
 */
const DEPLOYMENT_VARIABLES = 'ENVIRONMENT|APP_ENV|APP_ENVIRONMENT|DEPLOY_ENV|DEPLOYMENT_ENV|DEPLOYMENT_ENVIRONMENT|RAILS_ENV|RACK_ENV|ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT|SPRING_PROFILES_ACTIVE|STAGE|ENV';
const BUILD_MODE_VARIABLES = 'NODE_ENV|FLASK_ENV|DJANGO_ENV|MIX_ENV|GO_ENV|APP_MODE';
const DECLARATION = new RegExp(
  `^[ \\t]*(?:export[ \\t]+)?(${DEPLOYMENT_VARIABLES}|${BUILD_MODE_VARIABLES})[ \\t]*[=:][ \\t]*["']?([A-Za-z][A-Za-z0-9-]{0,30})`,
  'gm',
);
const BUILD_MODE = new RegExp(`^(?:${BUILD_MODE_VARIABLES})$`);

/**
 * An explicit `APP_ENV=staging`, `RAILS_ENV=production`, `NODE_ENV=test` (and friends) inside an
 * env file wins over the file's name: `.env` holding `APP_ENV=production` is production config.
 * Deployment variables beat build modes; the first declaration of each kind counts.
 */
export function declaredEnvironment(file: string, text: string): Environment | undefined {
  return declaration(file, text)?.environment;
}

/** The declaration `declaredEnvironment` goes by: `APP_ENV=production` on line 3. */
export interface Declaration {
  environment: Environment;
  /** `APP_ENV=production`, as written. */
  text: string;
  line: number;
}

export function declaration(file: string, text: string): Declaration | undefined {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  // Env files in test folders are test data whatever they declare.
  if (!isEnvFile(base) || inTestTree(parts.slice(0, -1), base).test) return undefined;
  let deployment: Declaration | undefined;
  let buildMode: Declaration | undefined;
  DECLARATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DECLARATION.exec(text)) !== null) {
    const environment = environmentOfWord(m[2]!);
    if (!environment) continue;
    const found = { environment, text: `${m[1]}=${m[2]}`, line: lineAt(text, m.index + m[0].indexOf(m[1]!)) };
    if (BUILD_MODE.test(m[1]!)) buildMode ??= found;
    else {
      deployment = found;
      break;
    }
  }
  if (deployment) return deployment;
  if (buildMode?.environment === 'production' && classify(file).environment === 'staging') return { ...buildMode, environment: 'staging' };
  return buildMode;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
