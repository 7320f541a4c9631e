/**
 * The contract of auditWorkflowFile, isWorkflowFile and findWorkflowFiles, and the guard analysis
 * behind the checks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkflowFiles } from '../../src/sources/workflowFiles.js';
import { auditWorkflowFile, isWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { analyse, evaluateCond } from '../../src/workflows/analysis.js';
import { defaultIsProductionEnvironment } from '../../src/workflows/check.js';
import { buildModel } from '../../src/workflows/model.js';
import { splitTemplate } from '../../src/workflows/expressions.js';

const PWN = [
  'on: pull_request_target',
  'permissions:',
  '  pull-requests: write',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          ref: ${{ github.event.pull_request.head.sha }}',
  '      - run: npm ci',
].join('\n');

describe('auditWorkflowFile', () => {
  it('fills every field of a finding', () => {
    const [f] = auditWorkflowFile('.github/workflows/pwn.yml', PWN);
    expect(f).toMatchObject({
      ruleId: 'untrusted-checkout',
      category: 'workflow',
      severity: 'critical',
      file: '.github/workflows/pwn.yml',
      // The line that runs the pull request's code; the checkout is a related location.
      line: 11,
      column: 14,
      endLine: 11,
      endColumn: 20,
      environment: 'ci',
      secret: '',
      lineText: '      - run: npm ci',
      previousLineText: '          ref: ${{ github.event.pull_request.head.sha }}',
    });
    expect(f!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(f!.related).toEqual([
      { file: '.github/workflows/pwn.yml', line: 10, column: 16, endLine: 10, endColumn: 57, label: "fetches the pull request's code" },
      { file: '.github/workflows/pwn.yml', line: 1, column: 5, endLine: 1, endColumn: 24, label: 'this trigger' },
    ]);
    expect(f!.message).toContain('persist-credentials: false');
  });

  it('keeps fingerprints when lines move, and changes them with the file', () => {
    const moved = `# a comment\n\n${PWN.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-24.04')}`;
    const a = auditWorkflowFile('.github/workflows/pwn.yml', PWN)[0]!;
    const b = auditWorkflowFile('.github/workflows/pwn.yml', moved)[0]!;
    expect(b.line).toBe(a.line + 2);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(auditWorkflowFile('.github/workflows/other.yml', PWN)[0]!.fingerprint).not.toBe(a.fingerprint);
  });

  it('uses echo-leak for secrets in logs', () => {
    const f = auditWorkflowFile('.github/workflows/x.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secrets.A }} | base64\n');
    expect(f.map((x) => [x.ruleId, x.category, x.severity])).toEqual([['secret-to-log', 'echo-leak', 'high']]);
  });

  it('accepts a production policy', () => {
    const text = 'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    environment: blue\n    steps:\n      - run: echo\n';
    expect(auditWorkflowFile('.github/workflows/x.yml', text)).toEqual([]);
    const f = auditWorkflowFile('.github/workflows/x.yml', text, { isProductionEnvironment: (n) => n === 'blue' });
    expect(f.map((x) => x.ruleId)).toEqual(['production-on-untrusted-trigger']);
  });

  it('audits local actions as actions', () => {
    const action = 'name: a\ndescription: b\nruns:\n  using: composite\n  steps:\n    - run: echo "${{ github.event.issue.title }}"\n      shell: bash\n';
    expect(auditWorkflowFile('tools/action.yml', action).map((x) => [x.ruleId, x.severity])).toEqual([['template-injection', 'medium']]);
    expect(auditWorkflowFile('action.yaml', 'name: a\nruns:\n  using: node20\n  main: index.js\n')).toEqual([]);
  });
});

describe('isWorkflowFile', () => {
  it.each([
    ['.github/workflows/ci.yml', true],
    ['.github/workflows/ci.yaml', true],
    ['repos/a/.github/workflows/release.YML', true],
    ['.github/workflows/sub/ci.yml', false],
    ['.github/ci.yml', false],
    ['action.yml', true],
    ['tools/setup/action.yaml', true],
    ['my-action.yml', false],
    ['docs/workflows/ci.yml', false],
  ])('%s -> %s', (p, expected) => {
    expect(isWorkflowFile(p)).toBe(expected);
  });
});

describe('findWorkflowFiles', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyfence-wf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (p: string) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), 'on: push\n');
  };
  put('a/.github/workflows/ci.yml');
  put('a/.github/workflows/nested/skip.yml');
  put('b/.github/workflows/release.yaml');
  put('b/actions/setup/action.yml');
  put('b/node_modules/pkg/action.yml');
  put('c/.git/hooks/action.yml');
  put('loose/workflow.yml');

  it('finds workflows and actions at any depth, skipping node_modules and .git', async () => {
    const found = (await findWorkflowFiles([dir])).map((f) => path.relative(dir, f).split(path.sep).join('/'));
    expect(found).toEqual(['a/.github/workflows/ci.yml', 'b/.github/workflows/release.yaml', 'b/actions/setup/action.yml']);
  });

  it('includes a file given explicitly', async () => {
    const file = path.join(dir, 'loose/workflow.yml');
    expect(await findWorkflowFiles([file])).toEqual([file.split(path.sep).join('/')]);
  });

  it('rejects a missing path', async () => {
    await expect(findWorkflowFiles([path.join(dir, 'nope')])).rejects.toThrow(/does not exist/);
  });
});

describe('guards', () => {
  const cond = (expr: string, event: string) => {
    const m = buildModel('.github/workflows/x.yml', `on: [${event}]\njobs:\n  a:\n    if: ${JSON.stringify(expr)}\n    runs-on: x\n    steps:\n      - run: echo\n`);
    return evaluateCond(m.jobs[0]!.if, event);
  };

  it.each([
    ['github.event.pull_request.head.repo.full_name == github.repository', 'fork'],
    ['github.repository == github.event.pull_request.head.repo.full_name', 'fork'],
    ['github.event.pull_request.head.repo.fork == false', 'fork'],
    ['!github.event.pull_request.head.repo.fork', 'fork'],
    ["github.event_name != 'pull_request_target' || github.event.pull_request.head.repo.full_name == github.repository", 'fork'],
    ["github.event.comment.author_association == 'MEMBER'", 'author'],
    ["contains(fromJSON('[\"OWNER\",\"COLLABORATOR\"]'), github.event.comment.author_association)", 'author'],
    ["contains(github.event.pull_request.labels.*.name, 'ok to test')", 'label'],
    ["github.event.label.name == 'ok to test'", 'label'],
    ['github.event.pull_request.merged == true', 'merged'],
    ["github.event.pull_request.user.login == 'dependabot[bot]'", 'author'],
    ["github.actor == 'octocat'", 'actor'],
  ])('%s is a %s guard', (expr, kind) => {
    const r = cond(expr, 'pull_request_target');
    expect(r.canRun).toBe(true);
    expect((r.guard as unknown as Record<string, boolean>)[kind]).toBe(true);
  });

  it.each([
    "github.actor == 'dependabot[bot]'",
    'github.event.pull_request.head.repo.full_name != github.repository',
    "github.event.pull_request.head.repo.full_name == github.repository || github.event.comment.body == 'x'",
    "contains(github.event.comment.body, '/deploy')",
    "github.event.comment.author_association != 'NONE'",
    "github.repository == 'octo/repo'",
  ])('%s is no guard', (expr) => {
    const r = cond(expr, 'pull_request_target');
    expect(r.canRun).toBe(true);
    expect(Object.values(r.guard).some(Boolean)).toBe(false);
  });

  it('knows when the event name rules a job out', () => {
    expect(cond("github.event_name == 'push'", 'pull_request_target').canRun).toBe(false);
    expect(cond("contains(fromJSON('[\"push\",\"schedule\"]'), github.event_name)", 'pull_request_target').canRun).toBe(false);
    expect(cond("github.event_name != 'pull_request_target' && always()", 'pull_request_target').canRun).toBe(false);
  });

  it('passes guards on through needs', () => {
    const m = buildModel('.github/workflows/x.yml', [
      'on: pull_request_target',
      'jobs:',
      '  gate:',
      "    if: github.event.pull_request.head.repo.full_name == github.repository",
      '    runs-on: x',
      '    steps: [{run: echo}]',
      '  build:',
      '    needs: gate',
      '    runs-on: x',
      '    steps: [{run: echo}]',
      '  always:',
      '    needs: gate',
      '    if: always()',
      '    runs-on: x',
      '    steps: [{run: echo}]',
    ].join('\n'));
    const a = analyse(m);
    expect(a.facts(m.jobs[1]!).guards.get('pull_request_target')?.fork).toBe(true);
    expect(a.facts(m.jobs[2]!).guards.get('pull_request_target')?.fork).toBe(false);
  });
});

describe('expressions and policy', () => {
  it('splits templates without being fooled by }} in string literals', () => {
    const s = splitTemplate("a ${{ format('}}{0}', x) }} b ${{ y }}");
    expect(s.parts.map((p) => [p.kind, p.text])).toEqual([
      ['literal', 'a '],
      ['expr', " format('}}{0}', x) "],
      ['literal', ' b '],
      ['expr', ' y '],
    ]);
    expect(splitTemplate('x ${{ y').unterminated).toBe(2);
  });

  it.each([
    ['production', true],
    ['prod-eu', true],
    ['LiveSite', true],
    ['prd', true],
    ['prod2', true],
    ['preprod', false],
    ['staging', false],
    ['delivery', false],
    ['non-production-sandbox', false],
  ])('environment %s is production: %s', (name, expected) => {
    expect(defaultIsProductionEnvironment(name)).toBe(expected);
  });
});
