import { describe, expect, it } from 'vitest';
import { classify, declaredEnvironment, type FileRole } from '../../src/environment/classify.js';
import type { Environment } from '../../src/findings/finding.js';

/**
 * Real-world paths and the environment (and role) they belong to. The principle under test: an
 * environment word in a path classifies configuration, never source code.
 */
const CASES: Array<[string, Environment, FileRole]> = [
  // env files
  ['.env', 'development', 'config'],
  ['.env.local', 'development', 'config'],
  ['.env.example', 'development', 'config'],
  ['.env.sample', 'development', 'config'],
  ['.envrc', 'development', 'config'],
  ['.env.development', 'development', 'config'],
  ['.env.dev', 'development', 'config'],
  ['.env.development.local', 'development', 'config'],
  ['.env.test', 'test', 'config'],
  ['.env.testing', 'test', 'config'],
  ['.env.staging', 'staging', 'config'],
  ['.env.stage', 'staging', 'config'],
  ['.env.uat', 'staging', 'config'],
  ['.env.production', 'production', 'config'],
  ['.env.prod', 'production', 'config'],
  ['.env.production.local', 'production', 'config'],
  ['.env.live', 'production', 'config'],
  ['.env.ci', 'ci', 'config'],
  ['.env.docker', 'unknown', 'config'],
  ['apps/web/.env.production', 'production', 'config'],
  ['deploy/production.env', 'production', 'config'],
  ['docker/app.prod.env', 'production', 'config'],
  ['local.env', 'development', 'config'],
  // No environment in the name: the folder's, else the developer's own settings.
  ['k8s/overlays/dev/config.env', 'development', 'config'],
  ['deploy/production/.env', 'production', 'config'],
  ['environments/staging/app.env', 'staging', 'config'],
  ['deploy/production/.env.staging', 'staging', 'config'],
  ['apps/web/.env', 'development', 'config'],
  ['services/api/app.env', 'unknown', 'config'],
  // config/<env>.*
  ['config/production.json', 'production', 'config'],
  ['config/production.js', 'production', 'config'],
  ['config/development.yaml', 'development', 'config'],
  ['config/test.json', 'test', 'config'],
  ['config/staging.toml', 'staging', 'config'],
  ['config/default.json', 'unknown', 'config'],
  ['config/custom-environment-variables.json', 'unknown', 'config'],
  ['config/local.json', 'development', 'config'],
  ['config/live.json', 'production', 'config'],
  ['config/prod.exs', 'production', 'config'],
  ['config/environments/production.rb', 'production', 'config'],
  ['config/environments/development.rb', 'development', 'config'],
  ['src/config/production.ts', 'production', 'config'],
  // settings/<env>.py and friends
  ['myshop/settings/production.py', 'production', 'config'],
  ['myshop/settings/dev.py', 'development', 'config'],
  ['myshop/settings/base.py', 'unknown', 'config'],
  ['settings_prod.py', 'production', 'config'],
  // Spring, .NET
  ['src/main/resources/application-prod.yml', 'production', 'config'],
  ['src/main/resources/application-staging.properties', 'staging', 'config'],
  ['src/main/resources/application-live.properties', 'production', 'config'],
  ['src/main/resources/application.yml', 'unknown', 'config'],
  ['Api/appsettings.Production.json', 'production', 'config'],
  ['Api/appsettings.Development.json', 'development', 'config'],
  // docker compose
  ['docker-compose.prod.yml', 'production', 'config'],
  ['docker-compose.staging.yaml', 'staging', 'config'],
  ['compose.production.yaml', 'production', 'config'],
  ['docker-compose.override.yml', 'development', 'config'],
  ['docker-compose.yml', 'unknown', 'config'],
  ['Dockerfile.prod', 'production', 'config'],
  ['docker/prod.Dockerfile', 'production', 'config'],
  ['Dockerfile', 'unknown', 'config'],
  // Kubernetes / Kustomize / Helm
  ['k8s/overlays/production/kustomization.yaml', 'production', 'config'],
  ['deploy/kustomize/overlays/staging/patch-env.yaml', 'staging', 'config'],
  ['k8s/base/deployment.yaml', 'unknown', 'config'],
  ['charts/orders/values-prod.yaml', 'production', 'config'],
  ['charts/orders/values.staging.yaml', 'staging', 'config'],
  ['charts/orders/prod-values.yaml', 'production', 'config'],
  ['charts/orders/values-live.yaml', 'production', 'config'],
  ['charts/orders/values.yaml', 'unknown', 'config'],
  ['helm/values/dev.yaml', 'development', 'config'],
  // Terraform
  ['infra/prod.tfvars', 'production', 'config'],
  ['infra/staging.tfvars.json', 'staging', 'config'],
  ['terraform/environments/prod/main.tf', 'production', 'config'],
  ['terraform/envs/dev/terraform.tfvars', 'development', 'config'],
  ['infrastructure-live/live/stage/vpc/terragrunt.hcl', 'staging', 'config'],
  ['terraform/modules/db/main.tf', 'unknown', 'config'],
  // tests and fixtures win over names
  ['test/fixtures/.env.production', 'test', 'fixture'],
  ['tests/fixtures/config/production.json', 'test', 'fixture'],
  ['spec/cassettes/stripe/create_charge.yml', 'test', 'fixture'],
  ['spec/vcr_cassettes/orders.yml', 'test', 'fixture'],
  ['src/__tests__/__snapshots__/client.test.ts.snap', 'test', 'fixture'],
  ['src/__fixtures__/user.json', 'test', 'fixture'],
  ['pkg/parser/testdata/config.yaml', 'test', 'fixture'],
  ['test/__recordings__/orders_1/recording.har', 'test', 'fixture'],
  ['src/__mocks__/stripe.ts', 'test', 'fixture'],
  ['test/api.test.ts', 'test', 'test'],
  ['src/orders.spec.js', 'test', 'test'],
  ['src/liveReload.test.js', 'test', 'test'],
  ['internal/db/db_test.go', 'test', 'test'],
  ['tests/test_orders.py', 'test', 'test'],
  ['tests/conftest.py', 'test', 'test'],
  ['src/test/java/com/acme/OrderServiceTest.java', 'test', 'test'],
  ['e2e/checkout.e2e.ts', 'test', 'test'],
  ['test/.env', 'test', 'config'],
  ['tests/config/test.json', 'test', 'config'],
  ['test/data/users.json', 'test', 'test'],
  // CI
  ['.github/workflows/deploy-production.yml', 'ci', 'ci'],
  ['.github/actions/setup/action.yml', 'ci', 'ci'],
  ['.gitlab-ci.yml', 'ci', 'ci'],
  ['Jenkinsfile', 'ci', 'ci'],
  ['.circleci/config.yml', 'ci', 'ci'],
  ['azure-pipelines.yml', 'ci', 'ci'],
  ['bitbucket-pipelines.yml', 'ci', 'ci'],
  // Source code named like an environment is code, not configuration
  ['src/production.ts', 'unknown', 'other'],
  ['src/liveReload.js', 'unknown', 'other'],
  ['src/live/stream.ts', 'unknown', 'other'],
  ['lib/dev/server.js', 'unknown', 'other'],
  ['app/models/stage.rb', 'unknown', 'other'],
  ['src/components/ProductionBanner.tsx', 'unknown', 'other'],
  ['scripts/deploy-prod.sh', 'unknown', 'other'],
  // documentation and example code: examples to readers, whatever their names say
  ['docs/production.md', 'unknown', 'docs'],
  ['README.md', 'unknown', 'docs'],
  ['packages/api/README', 'unknown', 'docs'],
  ['guide/deploy.rst', 'unknown', 'docs'],
  ['examples/quickstart.py', 'unknown', 'docs'],
  ['examples/.env.production', 'unknown', 'docs'],
  ['docs/config/production.yml', 'unknown', 'docs'],
  ['website/docs/setup.mdx', 'unknown', 'docs'],
  ['test/fixtures/README.md', 'test', 'fixture'],
  ['src/docs.ts', 'unknown', 'other'],
  ['CHANGELOG', 'unknown', 'docs'],
  ['config/config.json.sample', 'unknown', 'docs'],
  ['config/settings.example.yml', 'unknown', 'docs'],
  ['app.ini.dist', 'unknown', 'docs'],
  ['.env.example', 'development', 'config'],
  ['api/swagger.yaml', 'unknown', 'docs'],
  ['spec/openapi.v3.json', 'test', 'test'],
  ['lib/python3/site-packages/requests-2.31.0.dist-info/METADATA', 'unknown', 'docs'],
  ['PyJWT.egg-info/PKG-INFO', 'unknown', 'docs'],
  // compound test folders
  ['share/rustls/test-ca/rsa/end.key', 'test', 'test'],
  ['crypto/test_keys/id_rsa', 'test', 'test'],
  ['web/unit-tests/login.js', 'test', 'test'],
  ['pkg/testcerts/server.pem', 'test', 'test'],
  ['releases/latest/notes.json', 'unknown', 'config'],
  ['contest/results.ts', 'unknown', 'other'],
  // config files whose names only look like environments
  ['live-server.json', 'unknown', 'config'],
  ['livereload.json', 'unknown', 'config'],
  ['config/local-storage.json', 'unknown', 'config'],
  ['pipeline/stage-1.yml', 'unknown', 'config'],
  ['data/products.json', 'unknown', 'config'],
  ['.devcontainer/devcontainer.json', 'unknown', 'config'],
  ['i18n/locale.json', 'unknown', 'config'],
];

describe('classify', () => {
  it.each(CASES)('%s -> %s (%s)', (path, environment, role) => {
    expect(classify(path)).toEqual({ environment, role });
  });
});

describe('declaredEnvironment', () => {
  const cases: Array<[string, string, Environment | undefined]> = [
    ['.env', 'APP_ENV=production\nDB_HOST=db\n', 'production'],
    ['.env', 'export RAILS_ENV="staging"\n', 'staging'],
    ['.env.docker', '# dev stack\nENVIRONMENT=development\n', 'development'],
    ['.env.local', 'NODE_ENV=test\n', 'test'],
    ['.env.production', 'NODE_ENV=development\n', 'development'],
    // A build mode of production does not make staging production...
    ['.env.staging', 'NODE_ENV=production\n', 'staging'],
    // ...but a deployment variable wins over a build mode.
    ['.env.staging', 'NODE_ENV=production\nAPP_ENV=production\n', 'production'],
    ['.env', '# APP_ENV=production\nAPP_ENV=development\n', 'development'],
    ['.env', 'NODE_ENV=${NODE_ENV}\n', undefined],
    ['.env', 'PORT=3000\n', undefined],
    // Only env files declare: a config file or code mentioning APP_ENV does not.
    ['config/app.yml', 'APP_ENV: production\n', undefined],
    ['src/index.js', 'NODE_ENV = production\n', undefined],
  ];
  it.each(cases)('%s with %j -> %s', (file, text, expected) => {
    expect(declaredEnvironment(file, text)).toBe(expected);
  });
});

describe('declaredEnvironment in test folders', () => {
  it('leaves test data alone', () => {
    expect(declaredEnvironment('test/fixtures/.env.docker', 'APP_ENV=production\n')).toBeUndefined();
    expect(declaredEnvironment('tests/.env', 'APP_ENV=production\n')).toBeUndefined();
  });
});
