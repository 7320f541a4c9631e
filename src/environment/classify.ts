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
  /** Everything else: source code, docs, scripts. */
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
function folderEnvironment(dirs: string[]): Environment | undefined {
  for (let i = dirs.length - 1; i >= 0; i--) {
    const word = dirs[i]!.toLowerCase();
    const env = FOLDER_WORDS[word] ?? (PROD_DIGITS.test(word) ? FOLDER_WORDS[word.replace(/\d+$/, '')] : undefined);
    if (env) return env;
  }
  return undefined;
}

function inTestTree(dirs: string[], base: string): { test: boolean; fixture: boolean } {
  let test = TEST_FILES.test(base);
  let fixture = false;
  for (const dir of dirs) {
    const d = dir.toLowerCase();
    if (TEST_DIRS.has(d)) test = true;
    if (FIXTURE_DIRS.has(d)) fixture = true;
  }
  if (FIXTURE_FILES.test(base) && test) fixture = true;
  if (/\.snap$/.test(base)) fixture = test = true;
  return { test, fixture };
}

/** Inside a test folder only env files and config-named files are configuration; other data is test data. */
function isTestConfig(base: string, dirs: string[]): boolean {
  return isEnvFile(base) || nameEnvironment(base) !== undefined || /(?:^|[._-])(?:config|settings)(?:[._-]|$)/i.test(base) || dirs.some((d) => CONFIG_DIRS.has(d.toLowerCase()));
}

/** Environment and role of a repository-relative path (forward slashes), from its path alone. */
export function classify(file: string): Classification {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1);
  if (CI_FILES.test(file)) return { environment: 'ci', role: 'ci' };
  const config = isConfigFile(file);
  const tests = inTestTree(dirs, base);
  if (tests.fixture) return { environment: 'test', role: 'fixture' };
  if (tests.test) return { environment: 'test', role: config && isTestConfig(base, dirs) ? 'config' : 'test' };
  if (isEnvFile(base)) {
    // The name first (`.env.production`), then the folder (`k8s/overlays/dev/config.env`).
    const environment = envFileEnvironment(base) ?? folderEnvironment(dirs) ?? (isDeveloperEnvFile(base) ? 'development' : 'unknown');
    return { environment, role: 'config' };
  }
  if (!config) return { environment: 'unknown', role: 'other' };
  return { environment: nameEnvironment(base) ?? folderEnvironment(dirs) ?? 'unknown', role: 'config' };
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
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  // Env files in test folders are test data whatever they declare.
  if (!isEnvFile(base) || inTestTree(parts.slice(0, -1), base).test) return undefined;
  let deployment: Environment | undefined;
  let buildMode: Environment | undefined;
  DECLARATION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DECLARATION.exec(text)) !== null) {
    const env = environmentOfWord(m[2]!);
    if (!env) continue;
    if (BUILD_MODE.test(m[1]!)) buildMode ??= env;
    else {
      deployment = env;
      break;
    }
  }
  if (deployment) return deployment;
  if (buildMode === 'production' && classify(file).environment === 'staging') return 'staging';
  return buildMode;
}
