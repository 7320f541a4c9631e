import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { SETTING_PATTERNS } from '../../src/engine/crossover.js';
import { ENGINE_RULE_IDS } from '../../src/rules/policyRules.js';
import { checkRegexSafety } from '../../src/engine/regexSafety.js';
import { engineWith, scanFiles } from './engineSupport.js';

vi.mock('../../src/rules/builtinRules.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rules/builtinRules.js')>();
  const { loadRuleDirectory: load } = await import('../../src/engine/ruleFiles.js');
  const rules = load(new URL('../../rules', import.meta.url).pathname);
  return { ...original, loadBuiltinRules: () => rules };
});

const engine = engineWith();
const ids = (files: Record<string, string>) => scanFiles(engine, files).map((f) => `${f.file}:${f.line} ${f.ruleId}`);

describe('echo-leak runs on scripts only', () => {
  const line = 'echo "deploying with $DEPLOY_TOKEN"\n';
  it.each([
    ['scripts/deploy.sh', true],
    ['bin/release.bash', true],
    ['Makefile', true],
    ['build/rules.mk', true],
    ['Dockerfile', true],
    ['docker/Dockerfile.prod', true],
    ['.gitlab-ci.yml', true],
    ['Jenkinsfile', true],
    ['.husky/pre-push', true],
    ['tools/deploy.ps1', true],
    // GitHub workflows belong to the workflow audit (secret-to-log).
    ['.github/workflows/deploy.yml', false],
    ['src/deploy.js', false],
    ['README.md', false],
    ['docs/deploy.md', false],
    // A script kept as test data runs in no pipeline.
    ['test/fixtures/scripts/deploy.sh', false],
  ])('%s: %s', (file, reported) => {
    expect(ids({ [file]: line })).toEqual(reported ? [`${file}:1 echo-leak`] : []);
  });
});

describe('echo-leak-xtrace needs a secret after the trace, before set +x', () => {
  it.each([
    ['set -x\ncurl -H "Authorization: Bearer $DEPLOY_TOKEN" https://deploy.acme.io\n', ['1']],
    ['#!/bin/bash -ex\nnpm publish --//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n', ['1']],
    ['bash -x ./release.sh "$GITHUB_TOKEN"\n', ['1']],
    ['set -x\nnpm ci\nnpm test\n', []],
    ['set -x\nnpm ci\nset +x\necho "$NPM_TOKEN" | npm login --stdin\n', []],
    ['echo "$NPM_TOKEN" | npm login --stdin\nset -x\nnpm publish\n', []],
    ['set -x\nmake\nset +x\nuse "$A_TOKEN"\nset -x\nuse "$B_TOKEN"\n', ['5']],
  ])('%j', (text, lines) => {
    expect(ids({ 'scripts/ci.sh': text }).map((l) => l.replace(/^scripts\/ci\.sh:(\d+) echo-leak-xtrace$/, '$1'))).toEqual(lines);
  });

  it.each([
    // An integration test that traces itself and reads no secret.
    ['test/integration/run.sh', 'set -eux\ndocker compose up -d\n./wait-for-it.sh db:5432\nnpm run test:integration\n', []],
    // A secret named only in a comment is not read.
    ['scripts/ci.sh', 'set -x\n# needs $DEPLOY_TOKEN in the environment\nmake deploy\n', []],
    ['scripts/ci.sh', 'set -x\nmake deploy  # uses $DEPLOY_TOKEN\n', ['1']],
    ['scripts/ci.sh', 'set -o xtrace\nnpm ci\nset +o xtrace\nnpm publish --token "$NPM_TOKEN"\n', []],
    // Each RUN of a Dockerfile is a shell of its own: the trace of one does not reach the next.
    ['Dockerfile', 'FROM node:20\nRUN set -x && npm ci\nRUN curl -H "Authorization: Bearer $NPM_TOKEN" https://registry.acme.io\n', []],
    ['Dockerfile', 'FROM node:20\nRUN set -x \\\n  && curl -H "Authorization: Bearer $NPM_TOKEN" https://registry.acme.io\n', ['2']],
    // A CI pipeline file runs its jobs with the pipeline's secrets in the environment.
    ['.gitlab-ci.yml', 'test:\n  script:\n    - set -eux\n    - ./scripts/integration.sh\n', ['3']],
    ['Jenkinsfile', "stage('Publish') {\n  sh '''\n    set -eux\n    ./gradlew publish\n  '''\n}\n", ['3']],
  ])('%s: %j', (file, text, lines) => {
    expect(ids({ [file]: text }).filter((l) => l.endsWith(' echo-leak-xtrace')).map((l) => l.slice(file.length + 1).split(' ')[0])).toEqual(lines);
  });

  it('looks ahead within the fragment and maps a diff hunk’s line numbers back to it', () => {
    const staged = engine.scan({ file: 'scripts/ci.sh', text: 'set -x\ncurl -u "ci:$API_TOKEN" https://acme.io\n', lineNumbers: [12, 13] });
    expect(staged.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['12 echo-leak-xtrace']);
  });
});

describe('the other script rules', () => {
  it('reports environment dumps and secret build arguments', () => {
    expect(
      ids({
        'scripts/debug.sh': 'printenv | sort\nenv > /tmp/env.txt\ncat .env.example > .env\nexec env NODE_ENV=production node server.js\n',
        'Dockerfile': 'FROM node:20\nARG NPM_TOKEN\nARG NODE_VERSION=20\nENV API_KEY=""\nRUN --mount=type=secret,id=npm npm ci\n',
        'package.json': '{\n  "scripts": {\n    "env": "env",\n    "dev": "cross-env NODE_ENV=development node app.js"\n  }\n}\n',
      }),
    ).toEqual(['scripts/debug.sh:1 echo-leak-env-dump', 'Dockerfile:2 echo-leak-docker-build-arg', 'package.json:3 echo-leak-env-dump']);
  });

  it('reports debug settings in production config only', () => {
    expect(ids({ '.env.production': 'DEBUG=true\n', '.env.development': 'DEBUG=true\n', 'config/default.json': '{ "debug": true }\n', 'settings/production.py': 'DEBUG = True\n' })).toEqual([
      '.env.production:1 debug-in-production',
      'settings/production.py:1 debug-in-production',
    ]);
  });
});

describe('the environment rules are documented and safe', () => {
  it('documents the engine rules', () => {
    const docs: Record<string, string> = {
      'env-crossover': 'docs/rules/env-crossover.md',
      'prod-host-domain': 'docs/rules/prod-host.md',
      'policy-loosened': 'docs/rules/policy-loosened.md',
      'prod-data-dump': 'docs/rules/prod-data.md',
      'prod-data-personal': 'docs/rules/prod-data.md',
    };
    for (const id of ENGINE_RULE_IDS) {
      const page = readFileSync(new URL(`../../${docs[id]}`, import.meta.url), 'utf8');
      expect(page, `${docs[id]} has no "## ${id}" section`).toMatch(new RegExp(`^## ${id}\\s*$`, 'm'));
    }
  });

  const requirements = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname).flatMap(({ spec, origin }) => {
    const { after, until } = spec.requires ?? {};
    return Object.entries({ after, until }).flatMap(([field, source]) => (source === undefined ? [] : [{ where: `${origin} ${spec.id} requires.${field}`, source }]));
  });
  it.each(SETTING_PATTERNS.map((re) => ({ source: re.source, flags: re.flags })))('the crossover setting reader $source runs in linear time', async ({ source, flags }) => {
    expect((await checkRegexSafety(source, flags.replace(/[gd]/g, ''))).status).not.toBe('vulnerable');
  }, 60000);

  it.each(requirements)('$where runs in linear time', async ({ where, source }) => {
    const verdict = await checkRegexSafety(source, 'm');
    expect(verdict.status, `${where}: ${source}`).not.toBe('vulnerable');
  }, 60000);
});
