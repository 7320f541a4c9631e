/**
 * The repository graph (src/workflows/repository.ts) through the doors: `keyfence workflows` on a
 * directory and `keyfence staged` on a change read a workflow's callers, reusable workflows, local
 * actions and `workflow_run` upstreams from the same tree, and report at the callee's executing line
 * with the caller's places as related. The fixture repositories under fixtures/workflows/ hold the
 * golden cases; here, what each file alone would say, and the real doors on real git repositories.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command as staged } from '../../src/cli/commands/staged.js';
import { command as workflows } from '../../src/cli/commands/workflows.js';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { WorkflowRepository, repositoryPrefix } from '../../src/workflows/repository.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { textSink } from '../support/textSink.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/workflows');
const read = (rel: string) => readFileSync(path.join(FIXTURES, rel), 'utf8');

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

type Door = typeof workflows;
async function run(door: Door, cwd: string, ...args: string[]) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await door.run({ args, cwd, env: {}, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface JsonFinding {
  file: string;
  line: number;
  ruleId: string;
  severity: string;
  related?: { file: string; line: number; label?: string }[];
}

const CALLEE = 'untrusted-checkout/err-reusable-inherit-head/.github/workflows/build.yml';
const CALLER = 'untrusted-checkout/err-reusable-inherit-head/.github/workflows/pr.yml';
const PUSH_CALLER = 'untrusted-checkout/ok-reusable-push-caller/.github/workflows/main.yml';

describe('what a file alone cannot tell', () => {
  it('a workflow_run upstream that only pushes to main makes the downloaded artifact trusted', () => {
    const up = { file: '.github/workflows/ci.yml', text: read('untrusted-artifact/ok-chain-push-only/.github/workflows/ci.yml') };
    const down = { file: '.github/workflows/deploy.yml', text: read('untrusted-artifact/ok-chain-push-only/.github/workflows/deploy.yml') };
    // Alone, the upstream is unknown: the trigger is judged as any workflow_run (a fork's run).
    expect(auditWorkflowFile(down.file, down.text).map((f) => `${f.ruleId}:${f.line}`)).toEqual(['untrusted-artifact:18', 'production-on-untrusted-trigger:20']);
    const repository = new WorkflowRepository([up, down]);
    expect(auditWorkflowFile(down.file, down.text, { repository })).toEqual([]);
  });

  it('an upstream named but not in the repository keeps the trigger untrusted', () => {
    const down = { file: '.github/workflows/deploy.yml', text: read('untrusted-artifact/ok-chain-push-only/.github/workflows/deploy.yml') };
    const repository = new WorkflowRepository([down]);
    expect(auditWorkflowFile(down.file, down.text, { repository }).map((f) => `${f.ruleId}:${f.line}`)).toEqual(['untrusted-artifact:18', 'production-on-untrusted-trigger:20']);
  });

  it('a reusable workflow is judged once per caller: a pull_request_target caller makes its build a pwn request, a push caller does not', () => {
    const callee = { file: '.github/workflows/build.yml', text: read(CALLEE) };
    expect(auditWorkflowFile(callee.file, callee.text)).toEqual([]);
    const pushOnly = new WorkflowRepository([callee, { file: '.github/workflows/main.yml', text: read(PUSH_CALLER) }]);
    expect(auditWorkflowFile(callee.file, callee.text, { repository: pushOnly })).toEqual([]);
    const both = new WorkflowRepository([
      callee,
      { file: '.github/workflows/main.yml', text: read(PUSH_CALLER) },
      { file: '.github/workflows/pr.yml', text: read(CALLER) },
    ]);
    const findings = auditWorkflowFile(callee.file, callee.text, { repository: both });
    expect(findings.map((f) => [f.ruleId, f.severity, f.line, f.related?.map((r) => `${r.file}:${r.line}`)])).toEqual([
      ['untrusted-checkout', 'critical', 17, ['.github/workflows/build.yml:15', '.github/workflows/pr.yml:3', '.github/workflows/pr.yml:8']],
    ]);
  });

  it('calls resolve within the repository folder of the file (a folder of many repositories)', () => {
    expect(repositoryPrefix('a/b/.github/workflows/x.yml')).toBe('a/b/');
    expect(repositoryPrefix('a/.github/actions/setup/action.yml')).toBe('a/');
    const repository = new WorkflowRepository([
      { file: 'one/.github/workflows/build.yml', text: read(CALLEE) },
      { file: 'two/.github/workflows/pr.yml', text: read(CALLER) },
    ]);
    // two/'s caller names ./.github/workflows/build.yml of two/, which does not exist.
    expect(auditWorkflowFile('one/.github/workflows/build.yml', read(CALLEE), { repository })).toEqual([]);
  });
});

describe('the doors read the repository from their tree', () => {
  it('keyfence workflows reports the called workflow\'s build, with the caller as related', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/build.yml', read(CALLEE));
    dir.write('.github/workflows/pr.yml', read(CALLER));
    const { code, stdout } = await run(workflows, dir.path, '--format', 'json');
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.file, f.line, f.ruleId, f.severity])).toEqual([
      ['.github/workflows/build.yml', 17, 'untrusted-checkout', 'critical'],
      ['.github/workflows/pr.yml', 11, 'secrets-handed-on', 'high'],
    ]);
    expect(findings[0]!.related?.map((r) => [r.file, r.line, r.label])).toEqual([
      ['.github/workflows/build.yml', 15, 'fetches the pull request\'s code'],
      ['.github/workflows/pr.yml', 3, 'this trigger of the calling workflow'],
      ['.github/workflows/pr.yml', 8, 'calls this workflow'],
    ]);
  });

  it('keyfence staged judges a changed callee with the callers committed before', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/pr.yml', read(CALLER));
    dir.write('.github/workflows/build.yml', read(CALLEE).replace('      - run: npm ci\n', ''));
    dir.git('add', '.');
    dir.git('commit', '-qm', 'workflows');
    // The change adds the build step to the called workflow only.
    dir.write('.github/workflows/build.yml', read(CALLEE));
    dir.git('add', '.github/workflows/build.yml');
    const { stdout } = await run(staged, dir.path, '--format', 'json');
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.filter((f) => f.ruleId === 'untrusted-checkout').map((f) => [f.file, f.line, f.severity])).toEqual([
      ['.github/workflows/build.yml', 17, 'critical'],
    ]);
  });

  it('keyfence staged follows a workflow_run chain to the upstream in the index', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/ci.yml', read('untrusted-artifact/err-chain-pull-request-build/.github/workflows/ci.yml'));
    dir.write('.github/workflows/preview.yml', read('untrusted-artifact/err-chain-pull-request-build/.github/workflows/preview.yml'));
    dir.git('add', '.');
    const { code, stdout } = await run(staged, dir.path, '--format', 'json');
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleId === 'untrusted-artifact');
    expect(findings.map((f) => [f.file, f.line, f.related?.map((r) => `${r.file}:${r.line}`)])).toEqual([
      ['.github/workflows/preview.yml', 18, ['.github/workflows/preview.yml:13', '.github/workflows/preview.yml:4', '.github/workflows/ci.yml:12', '.github/workflows/ci.yml:3']],
    ]);
  });
});

describe('a change reported where it makes code run', () => {
  it('keyfence staged reports the called workflow\'s build when only the caller changes', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/build.yml', read(CALLEE));
    dir.write('.github/workflows/pr.yml', read(PUSH_CALLER));
    dir.git('add', '.');
    dir.git('commit', '-qm', 'workflows');
    // The change: the caller now runs on pull_request_target and passes the pull request's head.
    dir.write('.github/workflows/pr.yml', read(CALLER));
    dir.git('add', '.github/workflows/pr.yml');
    const { code, stdout } = await run(staged, dir.path, '--format', 'json');
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.file, f.line, f.ruleId])).toEqual([
      ['.github/workflows/build.yml', 17, 'untrusted-checkout'],
      ['.github/workflows/pr.yml', 11, 'secrets-handed-on'],
    ]);
  });

  it('keyfence staged leaves an unchanged callee\'s own findings out of a change to a trusted caller', async () => {
    dir = tempRepo();
    // The callee has a finding of its own (a title expanded into a script under workflow_call).
    const callee = read(CALLEE).replace('      - run: npm ci\n', '      - run: npm ci\n      - run: echo "${{ github.event.pull_request.title }}"\n');
    dir.write('.github/workflows/build.yml', callee);
    dir.write('.github/workflows/main.yml', read(PUSH_CALLER));
    dir.git('add', '.');
    dir.git('commit', '-qm', 'workflows');
    dir.write('.github/workflows/main.yml', read(PUSH_CALLER).replace('branches: [main]', 'branches: [main, release]'));
    dir.git('add', '.github/workflows/main.yml');
    const { code, stdout } = await run(staged, dir.path, '--format', 'json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { findings: JsonFinding[] }).findings).toEqual([]);
  });
});
