/**
 * GitLab pipelines through the one pipeline, with the built CLI on real git repositories:
 * `keyfence workflows` reports a `.gitlab-ci.yml` and the file it includes (at the included file's
 * lines) next to a GitHub workflow, the secret rules report a literal credential of an included
 * file once, and `audit` and `diff` report the same GitLab findings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { fake } from '../../support/secrets.js';
import { tempRepo, type TempDir } from '../../support/tempRepo.js';

let repo: TempDir | undefined;
afterEach(() => repo?.remove());

interface Report {
  findings: Array<{ file: string; line: number; column: number; ruleId: string; category: string; severity: string }>;
}

const PWN = 'on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n';
const MAIN = 'include:\n  - local: ci/deploy.yml\n\nstages: [test, deploy]\n\ntest:\n  stage: test\n  script:\n    - npm test\n';

function deployYml(key: string): string {
  return [
    'deploy:',
    '  stage: deploy',
    '  environment: production',
    '  rules:',
    '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    '  variables:',
    `    PAYMENT_KEY: "${key}"`,
    '  script:',
    '    - env',
    '    - kubectl apply -f k8s/',
    '',
  ].join('\n');
}

function rows(report: Report): string[] {
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.category} ${f.severity}`);
}

function setUp(): TempDir {
  const dir = tempRepo();
  dir.write('README.md', 'service\n');
  dir.git('add', '.');
  dir.git('commit', '-q', '-m', 'start');
  dir.write('.github/workflows/pwn.yml', PWN);
  dir.write('.gitlab-ci.yml', MAIN);
  dir.write('ci/deploy.yml', deployYml(fake.stripeLive()));
  dir.git('add', '.');
  dir.git('commit', '-q', '-m', 'pipelines');
  return dir;
}

describe('GitLab pipelines in every door', () => {
  it('keyfence workflows reports GitHub and GitLab findings at the lines that wrote them', () => {
    repo = setUp();
    const run = runCli(['workflows', '--format', 'json'], repo.path);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(rows(report)).toEqual([
      '.github/workflows/pwn.yml:1:5 excessive-permissions workflow low',
      '.github/workflows/pwn.yml:9:14 untrusted-checkout workflow critical',
      'ci/deploy.yml:3:16 gitlab-mr-secrets workflow high',
      // The included file is scanned by the secret rules once, at the value's line.
      'ci/deploy.yml:7:19 stripe-live-secret-key live-key critical',
      'ci/deploy.yml:9:7 gitlab-secret-to-log echo-leak medium',
    ]);
  });

  it('keyfence audit and keyfence diff report the same GitLab findings', () => {
    repo = setUp();
    const gitlab = (r: Report) => rows(r).filter((x) => x.includes('gitlab-'));
    const audit = runCli(['audit', '--format', 'json'], repo.path);
    expect(audit.code).toBe(1);
    expect(gitlab(JSON.parse(audit.stdout) as Report)).toEqual(['ci/deploy.yml:3:16 gitlab-mr-secrets workflow high', 'ci/deploy.yml:9:7 gitlab-secret-to-log echo-leak medium']);
    const diff = runCli(['diff', 'HEAD~1..HEAD', '--format', 'json'], repo.path);
    expect(diff.code).toBe(1);
    expect(gitlab(JSON.parse(diff.stdout) as Report)).toEqual(['ci/deploy.yml:3:16 gitlab-mr-secrets workflow high', 'ci/deploy.yml:9:7 gitlab-secret-to-log echo-leak medium']);
  });

  it('keyfence diff audits the pipeline when only an included file changes, keeping the findings in that file', () => {
    repo = setUp();
    repo.write('ci/deploy.yml', deployYml('$PAYMENT_KEY_FROM_SETTINGS').replace('    - env\n', '    - echo "$DEPLOY_TOKEN" | base64\n'));
    repo.write('ci/unrelated.yml', 'x: 1\n');
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'deploy step');
    const diff = runCli(['diff', 'HEAD~1..HEAD', '--format', 'json'], repo.path);
    expect(diff.code).toBe(1);
    expect(rows(JSON.parse(diff.stdout) as Report)).toEqual([
      'ci/deploy.yml:3:16 gitlab-mr-secrets workflow high',
      'ci/deploy.yml:9:7 gitlab-secret-to-log echo-leak high',
    ]);
  });
});
