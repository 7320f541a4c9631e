/**
 * `keyfence init` in a GitLab project writes a merge-request job producing GitLab's secret-detection
 * report, includes it from a new `.gitlab-ci.yml`, and never edits an existing one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { GITLAB_JOB, GITLAB_JOB_FILE } from '../../src/cli/init/gitlabCi.js';
import { auditGitlabPipeline } from '../../src/workflows/gitlab/auditPipeline.js';
import { loadPipeline } from '../../src/workflows/gitlab/load.js';
import { buildModel } from '../../src/workflows/gitlab/model.js';
import { diskPipelineFiles } from '../../src/sources/pipelineFiles.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let repo: TempDir | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function init(dir: TempDir) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(['init', '--manager', 'git'], { cwd: dir.path, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', PATH: process.env.PATH }, stdout, stderr });
  return { code, out, err };
}

const read = (file: string) => readFileSync(join(repo!.path, file), 'utf8');

describe('keyfence init in a GitLab project', () => {
  it('detects a GitLab origin, writes the job and a .gitlab-ci.yml that includes it, and no GitHub workflow', async () => {
    repo = tempRepo();
    repo.git('remote', 'add', 'origin', 'git@gitlab.example.com:acme/web.git');
    const first = await init(repo);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain(`  created  ${GITLAB_JOB_FILE}: merge requests run \`keyfence diff\` and report to GitLab's security widget\n`);
    expect(first.out).toContain('  created  .gitlab-ci.yml: includes .gitlab/keyfence.gitlab-ci.yml\n');
    expect(first.out).toContain('  skipped  .github/workflows/keyfence.yml: a GitLab project (no .github folder)\n');
    expect(existsSync(join(repo.path, '.github'))).toBe(false);
    expect(read(GITLAB_JOB_FILE)).toBe(GITLAB_JOB);
    expect(parse(read('.gitlab-ci.yml'))).toEqual({ include: [{ local: GITLAB_JOB_FILE }] });

    // The pipeline as GitLab builds it: the job runs in merge-request pipelines and writes the report.
    const files = diskPipelineFiles(repo.path);
    const model = buildModel(await loadPipeline('.gitlab-ci.yml', read('.gitlab-ci.yml'), files), 'merge_request_event');
    expect(model.problems).toEqual([]);
    expect(model.jobs.map((j) => `${j.id} ${j.mr.can}`)).toEqual(['keyfence true']);
    const job = parse(read(GITLAB_JOB_FILE)).keyfence;
    expect(job.artifacts.reports).toEqual({ secret_detection: 'gl-secret-detection-report.json', codequality: 'gl-code-quality-report.json' });
    expect(job.script[1]).toMatch(
      /^npx --yes keyfence@\S+ diff "\$CI_MERGE_REQUEST_DIFF_BASE_SHA\.\.\$CI_COMMIT_SHA" --format gitlab --output gl-secret-detection-report\.json --report codequality=gl-code-quality-report\.json$/,
    );
    // keyfence's own pipeline checks find nothing to say about the job it writes.
    expect(await auditGitlabPipeline('.gitlab-ci.yml', read('.gitlab-ci.yml'), files)).toEqual([]);

    // Run again: nothing changes.
    const again = await init(repo);
    expect(again.out).toContain(`  kept     ${GITLAB_JOB_FILE}: it exists (not overwritten)\n`);
    expect(again.out).toContain('  kept     .gitlab-ci.yml: it includes .gitlab/keyfence.gitlab-ci.yml\n');
  });

  it('leaves an existing .gitlab-ci.yml as it is and prints the include to add', async () => {
    repo = tempRepo();
    const pipeline = 'test:\n  script: npm test\n';
    repo.write('.gitlab-ci.yml', pipeline);
    repo.write('.github/workflows/ci.yml', 'on: push\njobs: {}\n');
    const { code, out } = await init(repo);
    expect(code).toBe(0);
    expect(read('.gitlab-ci.yml')).toBe(pipeline);
    expect(out).toContain(
      [
        '  todo     .gitlab-ci.yml: not changed; add the job to your pipeline (under an `include:` you have, or as a new one):',
        '             include:',
        `               - local: ${GITLAB_JOB_FILE}`,
        '',
      ].join('\n'),
    );
    // Both CIs: the GitHub workflow is written too.
    expect(out).toContain('  created  .github/workflows/keyfence.yml');
    expect(read(GITLAB_JOB_FILE)).toBe(GITLAB_JOB);
  });

  it('writes no GitLab job in a GitHub repository', async () => {
    repo = tempRepo();
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/web.git');
    const { code, out } = await init(repo);
    expect(code).toBe(0);
    expect(out).not.toContain('gitlab');
    expect(existsSync(join(repo.path, GITLAB_JOB_FILE))).toBe(false);
    expect(existsSync(join(repo.path, '.github', 'workflows', 'keyfence.yml'))).toBe(true);
  });
});
