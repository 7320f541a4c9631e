/**
 * `keyfence workflows` in-process: discovery, report paths, suppressions, exit codes; and this
 * repository's own workflows.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/workflows.js';
import { findWorkflowFiles } from '../../src/sources/workflowFiles.js';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { textSink } from '../support/textSink.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

async function run(cwd: string, ...args: string[]) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await command.run({ args, cwd, env: {}, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const PWN = 'on: pull_request_target\npermissions:\n  pull-requests: write\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: npm ci\n';
const CLEAN = 'on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n';

describe('keyfence workflows', () => {
  it('audits every repository under a directory, one bad file not stopping the others', async () => {
    dir = tempDir();
    dir.write('one/.github/workflows/pwn.yml', PWN);
    dir.write('one/.github/workflows/ok.yaml', CLEAN);
    dir.write('two/.github/workflows/broken.yml', 'on: [push\n');
    dir.write('two/actions/setup/action.yml', 'name: s\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: echo "${{ github.event.issue.title }}"\n      shell: bash\n');
    const { code, stdout } = await run(dir.path, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<Record<string, unknown>>; stats: { files: number } };
    expect(report.stats.files).toBe(4);
    expect(report.findings.map((f) => [f.file, f.line, f.ruleId, f.category, f.environment])).toEqual([
      ['one/.github/workflows/pwn.yml', 11, 'untrusted-checkout', 'workflow', 'ci'],
      ['two/.github/workflows/broken.yml', 2, 'workflow-parse-error', 'workflow', 'ci'],
      ['two/actions/setup/action.yml', 6, 'template-injection', 'workflow', 'ci'],
    ]);
  });

  it('skips the workflows git ignores inside a work tree, unless a file is named', async () => {
    dir = tempRepo();
    dir.write('.gitignore', 'generated/\n');
    dir.write('.github/workflows/pwn.yml', PWN);
    dir.write('generated/repo/.github/workflows/pwn.yml', PWN);
    const walked = await run(dir.path, '--format', 'json');
    expect(JSON.parse(walked.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['.github/workflows/pwn.yml']);
    expect(await findWorkflowFiles([dir.path])).toEqual([`${dir.path}/.github/workflows/pwn.yml`]);
    const named = await run(dir.path, 'generated/repo/.github/workflows/pwn.yml', '--format', 'json');
    expect(JSON.parse(named.stdout).findings.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([['generated/repo/.github/workflows/pwn.yml', 11]]);
  });

  it('reports paths from the repository root and honours inline suppressions', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/pwn.yml', PWN);
    const first = await run(dir.path, '--format', 'json');
    expect(JSON.parse(first.stdout).findings[0].file).toBe('.github/workflows/pwn.yml');
    dir.write('.github/workflows/pwn.yml', PWN.replace('          ref:', '          # keyfence: ignore[untrusted-checkout] reviewed: only same-org forks\n          ref:'));
    const second = await run(path.join(dir.path, '.github'), '--format', 'json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).findings).toEqual([]);
  });

  it('honours a marker at the checkout when the finding is where the checked-out code runs', async () => {
    dir = tempRepo();
    dir.write('.github/workflows/pwn.yml', PWN);
    const found = JSON.parse((await run(dir.path, '--format', 'json')).stdout).findings;
    expect(found.map((f: { ruleId: string; line: number }) => `${f.ruleId}:${f.line}`)).toEqual(['untrusted-checkout:11']);
    const marked = (marker: string) => PWN.replace('.head.sha }}', `.head.sha }} # ${marker}`);
    dir.write('.github/workflows/pwn.yml', marked('keyfence: ignore[untrusted-checkout] builds docs only, no secrets in this job'));
    const silenced = await run(dir.path, '--format', 'json');
    expect([silenced.code, JSON.parse(silenced.stdout).findings]).toEqual([0, []]);
    dir.write('.github/workflows/pwn.yml', marked('keyfence: ignore[template-injection] not this check'));
    expect(JSON.parse((await run(dir.path, '--format', 'json')).stdout).findings).toHaveLength(1);
  });

  it('audits an explicitly given file whatever its name', async () => {
    dir = tempDir();
    dir.write('drafts/pwn.txt', PWN);
    const { code, stdout } = await run(dir.path, 'drafts/pwn.txt', '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).findings[0].file).toBe('drafts/pwn.txt');
  });

  it('exits 0 on a clean repository and 2 on a missing path', async () => {
    dir = tempDir();
    dir.write('.github/workflows/ci.yml', CLEAN);
    expect((await run(dir.path)).code).toBe(0);
    await expect(run(dir.path, 'nope')).rejects.toThrow(/nope does not exist/);
  });
});

describe("this repository's own workflows", () => {
  it('pass the audit', async () => {
    const root = path.resolve(__dirname, '../..');
    const targets = ['.github', 'action.yml', 'action.yaml'].map((p) => path.join(root, p)).filter((p) => existsSync(p));
    const files = targets.length ? await findWorkflowFiles(targets) : [];
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const findings = auditWorkflowFile(rel, readFileSync(file, 'utf8')).filter((f) => f.severity !== 'low');
      expect(findings.map((f) => `${rel}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`)).toEqual([]);
    }
  });
});
