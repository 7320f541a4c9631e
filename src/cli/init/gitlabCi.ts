/**
 * `keyfence init` in a GitLab project: a job that runs `keyfence diff` on merge requests and hands
 * GitLab two reports of the one run: secret detection (the security widget, Ultimate) and code
 * quality (the merge-request widget and diff view, every tier). The job is a file of its own,
 * `.gitlab/keyfence.gitlab-ci.yml`, included from `.gitlab-ci.yml`: init creates `.gitlab-ci.yml`
 * only when there is none, and never edits one; it prints the lines to add instead.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../../sources/git.js';
import { writeAtomic } from '../../run/writeAtomic.js';
import { VERSION } from '../../version.js';

export const GITLAB_JOB_FILE = '.gitlab/keyfence.gitlab-ci.yml';

export const GITLAB_JOB = `# keyfence: fails a merge request whose commits add secrets, and shows them in the merge
# request's security widget (secret-detection report) and its code-quality widget (code-quality
# report, every tier). Written by \`keyfence init\`.
keyfence:
  stage: test
  image: node:20 # has git; keyfence reads the merge request's commits with it
  rules:
    # Merge-request pipelines only: the job reads no CI/CD variable, so it holds nothing to leak.
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0" # the merge request's base commit must be in the clone
  script:
    - git fetch --quiet origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - npx --yes keyfence@${VERSION} diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA" --format gitlab --output gl-secret-detection-report.json --report codequality=gl-code-quality-report.json
  artifacts:
    when: always
    reports:
      secret_detection: gl-secret-detection-report.json
      codequality: gl-code-quality-report.json
`;

const INCLUDE_LINES = `include:\n  - local: ${GITLAB_JOB_FILE}\n`;

/** Whether the repository is a GitLab project: it has a pipeline file, or its origin is a GitLab host. */
export async function isGitlabProject(root: string): Promise<boolean> {
  if (existsSync(join(root, '.gitlab-ci.yml')) || existsSync(join(root, '.gitlab-ci.yaml'))) return true;
  const remote = await runGit(['remote', 'get-url', 'origin'], root).catch(() => undefined);
  if (!remote || remote.code !== 0) return false;
  return /^(?:[a-z+]+:\/\/(?:[^@/]+@)?|[^@/]+@)?[^/:]*gitlab[^/:]*[:/]/i.test(remote.stdout.toString('utf8').trim());
}

/** Writes the job file, and `.gitlab-ci.yml` when there is none; prints what to add otherwise. */
export async function installGitlabJob(root: string, out: (line: string) => void): Promise<void> {
  const jobPath = join(root, GITLAB_JOB_FILE);
  if (existsSync(jobPath)) out(`  kept     ${GITLAB_JOB_FILE}: it exists (not overwritten)`);
  else {
    await writeAtomic(jobPath, GITLAB_JOB);
    out(`  created  ${GITLAB_JOB_FILE}: merge requests run \`keyfence diff\` and report to GitLab's security widget`);
  }
  const pipeline = ['.gitlab-ci.yml', '.gitlab-ci.yaml'].find((name) => existsSync(join(root, name)));
  if (!pipeline) {
    await writeAtomic(join(root, '.gitlab-ci.yml'), `# Written by \`keyfence init\`: add your own jobs below.\n${INCLUDE_LINES}`);
    out(`  created  .gitlab-ci.yml: includes ${GITLAB_JOB_FILE}`);
    return;
  }
  const text = await readFile(join(root, pipeline), 'utf8');
  if (text.includes(GITLAB_JOB_FILE)) {
    out(`  kept     ${pipeline}: it includes ${GITLAB_JOB_FILE}`);
    return;
  }
  out(`  todo     ${pipeline}: not changed; add the job to your pipeline (under an \`include:\` you have, or as a new one):`);
  for (const line of INCLUDE_LINES.trimEnd().split('\n')) out(`             ${line}`);
}
