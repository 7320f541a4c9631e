import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** What the tests read of a workflow's job. */
interface WorkflowJob {
  permissions: Record<string, string>;
  steps: Array<{ uses?: string; with?: Record<string, unknown> }>;
}

describe('action.yml', () => {
  const action = parse(read('action.yml'));

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
  });

  it('declares exactly the inputs the Action reads, and the outputs it sets', () => {
    const source = read('src/action/main.ts');
    const read_ = new Set([...source.matchAll(/core\.getInput\('([\w-]+)'\)/g)].map((m) => m[1]));
    expect(new Set(Object.keys(action.inputs))).toEqual(read_);
    expect(action.inputs['github-token'].default).toBe('${{ github.token }}');
    expect(Object.keys(action.outputs).sort()).toEqual(['critical', 'high', 'low', 'medium', 'sarif', 'total']);
  });
});

describe('the documented workflows and this repository\'s own', () => {
  const docs = read('docs/action.md');
  const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('are three copy-paste workflows: pull requests, SARIF upload, scheduled audit', () => {
    expect(blocks).toHaveLength(3);
    expect(blocks.map((b) => Object.keys(parse(b).on))).toEqual([['pull_request'], ['push', 'pull_request'], ['schedule', 'workflow_dispatch']]);
  });

  it('pass `keyfence workflows`, but for the advice to pin keyfence itself by commit', () => {
    // The docs cannot name the commit of a release the reader has not picked: `@v1` stays, and
    // keyfence says to pin it (docs/action.md explains how): below the default --fail-on where the
    // job's token can only comment, at it where the job hands keyfence a secret (the audit's token).
    for (const [i, text] of blocks.entries()) {
      const line = text.split('\n').findIndex((l) => l.includes('uses: keyfence/keyfence@v1')) + 1;
      const severity = text.includes('${{ secrets.') ? 'medium' : 'low';
      expect(auditWorkflowFile(`.github/workflows/example-${i}.yml`, text).map((f) => `${f.ruleId}:${f.line}:${f.severity}`)).toEqual([`unpinned-action:${line}:${severity}`]);
    }
    expect(auditWorkflowFile('.github/workflows/keyfence.yml', read('.github/workflows/keyfence.yml'))).toEqual([]);
  });

  it('ask for the least permissions: contents read, pull-requests write only to comment, security-events write only to upload SARIF', () => {
    for (const text of [...blocks, read('.github/workflows/keyfence.yml')]) {
      const wf = parse(text);
      expect(wf.permissions).toEqual({ contents: 'read' });
      for (const job of Object.values(wf.jobs) as WorkflowJob[]) {
        const keyfence = job.steps.find((s) => s.uses === './' || s.uses?.startsWith('keyfence/keyfence@'))!;
        const comments = keyfence.with?.comment !== false && !text.includes('mode: audit');
        const uploads = job.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
        const expected: Record<string, string> = { contents: 'read' };
        if (comments) expected['pull-requests'] = 'write';
        if (uploads) expected['security-events'] = 'write';
        expect(job.permissions).toEqual(expected);
      }
    }
  });
});
