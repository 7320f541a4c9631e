import type { Environment } from '../findings/finding.js';

/**
 * Which environment a file belongs to, from the path conventions teams already follow. The first
 * matching convention wins, most specific first: an explicit environment name in the file name beats
 * the folder it sits in, and a test folder beats everything but an explicit name.
 */
const NAMES: Array<[Environment, RegExp]> = [
  ['production', /^(?:prod|production|prd|live)$/],
  ['staging', /^(?:staging|stage|stg|preprod|pre-prod|uat)$/],
  ['development', /^(?:dev|development|local|sandbox)$/],
  ['test', /^(?:test|tests|testing|ci-test|e2e)$/],
];

function envOfName(word: string): Environment | undefined {
  const lower = word.toLowerCase();
  for (const [env, re] of NAMES) if (re.test(lower)) return env;
  return undefined;
}

const CI_FILES = /(?:^|\/)(?:\.github\/workflows\/[^/]+\.ya?ml|\.github\/actions\/.+|\.gitlab-ci\.ya?ml|Jenkinsfile|\.circleci\/[^/]+|azure-pipelines\.ya?ml|bitbucket-pipelines\.yml|\.travis\.yml|\.buildkite\/[^/]+|\.drone\.yml|cloudbuild\.ya?ml|buildspec\.ya?ml)$/;
const TEST_DIRS = /(?:^|\/)(?:test|tests|__tests__|spec|specs|fixtures|__fixtures__|testdata|test-data|__snapshots__|cassettes|__mocks__|mocks|e2e)\//i;
const TEST_FILES = /(?:\.(?:test|spec)\.[A-Za-z0-9]+$|_test\.(?:go|py|rb|exs?)$|^test_[^/]*\.py$|Test\.(?:java|kt|cs)$|Tests?\.cs$|\.snap$)/;

/** `.env.production`, `.env.prod.local`, `.env.development`; `.env` and `.env.local` are development. */
function envFile(base: string): Environment | undefined {
  const m = /^\.env(?:\.([A-Za-z0-9_-]+))?(?:\.([A-Za-z0-9_-]+))?$/.exec(base);
  if (!m) return undefined;
  const first = m[1];
  if (!first || first === 'local' || first === 'example' || first === 'sample' || first === 'template') return 'development';
  return envOfName(first) ?? 'unknown';
}

/** Environment words inside a file name: application-prod.yml, values-staging.yaml, prod.tfvars. */
function nameWord(base: string): Environment | undefined {
  const stem = base.replace(/\.[^.]+$/, '');
  for (const word of stem.split(/[._-]/)) {
    const env = envOfName(word);
    if (env && env !== 'test') return env;
  }
  return undefined;
}

/** Environment folders: config/production/, overlays/staging/, environments/prod/, settings/dev.py. */
function folderWord(dirs: string[]): Environment | undefined {
  for (let i = dirs.length - 1; i >= 0; i--) {
    const env = envOfName(dirs[i]!);
    if (env && env !== 'test') return env;
  }
  return undefined;
}

export function classifyPath(file: string): Environment {
  const parts = file.split('/');
  const base = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1);
  if (CI_FILES.test(file)) return 'ci';
  const fromEnvFile = envFile(base);
  if (fromEnvFile) return fromEnvFile;
  if (TEST_FILES.test(base) || TEST_DIRS.test(`${file}`)) return 'test';
  return nameWord(base) ?? folderWord(dirs) ?? 'unknown';
}

const DECLARED = /^[ \t]*(?:export[ \t]+)?(?:ENVIRONMENT|ENV|NODE_ENV|APP_ENV|RAILS_ENV|RACK_ENV|FLASK_ENV|DJANGO_ENV|ASPNETCORE_ENVIRONMENT|SPRING_PROFILES_ACTIVE|STAGE)[ \t]*[=:][ \t]*["']?([A-Za-z-]+)/m;

/** An explicit `NODE_ENV=production` (and friends) inside an env file wins over the file's name. */
export function declaredEnvironment(file: string, text: string): Environment | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (!base.startsWith('.env') && !base.endsWith('.env')) return undefined;
  const m = DECLARED.exec(text);
  return m ? envOfName(m[1]!) : undefined;
}
