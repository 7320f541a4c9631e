/**
 * The GitLab loader and model: includes (string, list, local, globs, nested), extends deep merge,
 * !reference, anchors, default:, hidden jobs, merge-request reachability; every value at the file
 * and line it was written.
 */
import { describe, expect, it } from 'vitest';
import { loadPipeline, type PipelineFiles } from '../../../src/workflows/gitlab/load.js';
import { buildModel, type GJob } from '../../../src/workflows/gitlab/model.js';
import { evaluateIf } from '../../../src/workflows/gitlab/rules.js';
import { isWorkflowFile } from '../../../src/workflows/workflowPath.js';
import { auditGitlabPipeline } from '../../../src/workflows/gitlab/auditPipeline.js';
import type { At } from '../../../src/workflows/gitlab/tree.js';

function files(map: Record<string, string>): PipelineFiles {
  return {
    read: (p) => Promise.resolve(map[p]),
    glob: (pattern) => {
      const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*\*/g, '§').replace(/\*/g, '[^/]*').replace(/§/g, '.*')}$`);
      return Promise.resolve(Object.keys(map).filter((k) => re.test(k)));
    },
  };
}

function where(at: At): string {
  const pos = at.src.lineCounter.linePos(at.span.start);
  return `${at.src.file}:${pos.line}:${pos.col}`;
}

async function model(main: string, rest: Record<string, string> = {}, file = '.gitlab-ci.yml') {
  return buildModel(await loadPipeline(file, main, files(rest)), 'merge_request_event');
}

function job(m: Awaited<ReturnType<typeof model>>, id: string): GJob {
  const j = m.jobs.find((x) => x.id === id);
  if (!j) throw new Error(`no job ${id}`);
  return j;
}

describe('GitLab loader', () => {
  it('merges local includes in every form, nested, under the including file', async () => {
    const m = await model(
      "include:\n  - 'ci/a.yml'\n  - local: /ci/jobs/*.yml\nvariables:\n  MODE: main\n",
      {
        'ci/a.yml': 'include: ci/b.yml\nvariables:\n  MODE: a\n  FROM_A: "1"\n',
        'ci/b.yml': 'build:\n  script: [make]\n',
        'ci/jobs/x.yml': 'x:\n  script: [echo x]\n',
        'ci/jobs/y.yml': 'y:\n  script: [echo y]\n',
      },
    );
    expect(m.problems).toEqual([]);
    expect(m.jobs.map((j) => j.id)).toEqual(['build', 'x', 'y']);
    expect(m.files.map((f) => f.file)).toEqual(['.gitlab-ci.yml', 'ci/a.yml', 'ci/b.yml', 'ci/jobs/x.yml', 'ci/jobs/y.yml']);
    expect(m.globalVariables.map((v) => `${v.name}=${v.value?.text} @${where(v.key.at)}`)).toEqual(['MODE=main @.gitlab-ci.yml:5:3', 'FROM_A=1 @ci/a.yml:4:3']);
    expect(job(m, 'build').scripts.map((s) => where(s.str.at))).toEqual(['ci/b.yml:2:12']);
    expect(m.includes.map((i) => [i.kind, i.location])).toEqual([['local', 'ci/a.yml'], ['local', 'ci/b.yml'], ['local', '/ci/jobs/*.yml']]);
  });

  it('resolves includes relative to the repository of a nested .gitlab-ci.yml', async () => {
    const m = await model('include: ci/a.yml\n', { 'svc/ci/a.yml': 'a:\n  script: [make]\n' }, 'svc/.gitlab-ci.yml');
    expect(job(m, 'a').scripts.map((s) => where(s.str.at))).toEqual(['svc/ci/a.yml:2:12']);
  });

  it('deep-merges extends: maps merged, lists replaced, the last parent winning, positions kept', async () => {
    const text = [
      '.base:',
      '  variables: { A: base, B: base }',
      '  script: [base]',
      '  environment: { name: staging }',
      '.prod:',
      '  environment: { name: production }',
      'deploy:',
      '  extends: [.base, .prod]',
      '  variables: { B: own }',
      '',
    ].join('\n');
    const d = job(await model(text), 'deploy');
    expect(d.variables.map((v) => `${v.name}=${v.value?.text}@${where(v.value!.at)}`)).toEqual(['A=base@.gitlab-ci.yml:2:19', 'B=own@.gitlab-ci.yml:9:19']);
    expect(d.scripts.map((s) => `${s.str.text}@${where(s.str.at)}`)).toEqual(['base@.gitlab-ci.yml:3:12']);
    expect(`${d.environment?.name.text}@${where(d.environment!.name.at)}`).toBe('production@.gitlab-ci.yml:6:24');
  });

  it('resolves !reference across files, splicing lists into lists', async () => {
    const m = await model('include: ci/t.yml\ntest:\n  script:\n    - !reference [.setup, script]\n    - make test\n  variables:\n    TOKEN_NAME: !reference [.vars, variables, NAME]\n', {
      'ci/t.yml': '.setup:\n  script:\n    - make deps\n    - make tools\n.vars:\n  variables:\n    NAME: deploy\n',
    });
    const t = job(m, 'test');
    expect(t.scripts.map((s) => `${s.str.text}@${where(s.str.at)}`)).toEqual(['make deps@ci/t.yml:3:7', 'make tools@ci/t.yml:4:7', 'make test@.gitlab-ci.yml:5:7']);
    expect(t.variables.map((v) => `${v.name}=${v.value?.text}@${where(v.value!.at)}`)).toEqual(['TOKEN_NAME=deploy@ci/t.yml:7:11']);
  });

  it('applies default: and anchors, and keeps hidden jobs as templates', async () => {
    const text = 'default:\n  image: node:22\n  before_script: [npm ci]\n.tpl: &tpl\n  script: [npm test]\nunit:\n  <<: *tpl\nlint:\n  inherit:\n    default: false\n  script: [npm run lint]\n';
    const m = await model(text);
    expect(m.jobs.map((j) => [j.id, j.hidden, j.image?.text ?? null, j.scripts.map((s) => s.str.text)])).toEqual([
      ['.tpl', true, 'node:22', ['npm ci', 'npm test']],
      ['unit', false, 'node:22', ['npm ci', 'npm test']],
      ['lint', false, null, ['npm run lint']],
    ]);
  });

  it('reports a missing include, extends target and reference where they are written', async () => {
    const m = await model('include: ci/none.yml\na:\n  extends: .gone\n  script:\n    - !reference [.nothing, script]\n');
    expect(m.problems.map((p) => `${where(p.at)} ${p.what}`)).toEqual([
      '.gitlab-ci.yml:1:10 include-missing/ci/none.yml',
      '.gitlab-ci.yml:3:12 extends-missing/a/.gone',
      '.gitlab-ci.yml:5:18 reference-missing/.nothing/script',
    ]);
  });

  it('records needs, dependencies, artifacts, dotenv reports and child pipelines', async () => {
    const text = 'b:\n  script: [make]\n  artifacts:\n    paths: [dist/]\n    reports: { dotenv: build.env }\nd:\n  needs: [b, { job: c, artifacts: false }, { pipeline: $X, job: y }]\n  dependencies: [b]\n  script: [x]\nt:\n  trigger:\n    include:\n      - local: ci/child.yml\n';
    const m = await model(text);
    expect(job(m, 'b').artifactPaths.map((p) => p.text)).toEqual(['dist/']);
    expect(job(m, 'b').dotenv.map((p) => p.text)).toEqual(['build.env']);
    expect(job(m, 'd').needs.map((n) => [n.job, n.artifacts])).toEqual([['b', true], ['c', false]]);
    expect(job(m, 'd').dependencies?.map((n) => n.job)).toEqual(['b']);
    expect(job(m, 't').childIncludes.map((c) => c.text)).toEqual(['ci/child.yml']);
  });
});

describe('hostile and broken input', () => {
  it('stops include cycles, reads each file once, and reports bad files where they fail', async () => {
    const m = await model('include: ci/a.yml\n', {
      'ci/a.yml': 'include: [ci/b.yml, ci/bad.yml, ci/list.yml]\na:\n  script: [x]\n',
      'ci/b.yml': 'include: ci/a.yml\nb:\n  script: [y]\n',
      'ci/bad.yml': 'c:\n  script: [z\n',
      'ci/list.yml': '- not\n- a mapping\n',
    });
    expect(m.files.map((f) => f.file)).toEqual(['.gitlab-ci.yml', 'ci/a.yml', 'ci/b.yml', 'ci/bad.yml', 'ci/list.yml']);
    // What parses of a broken file is still audited.
    expect(m.jobs.map((j) => j.id)).toEqual(['b', 'c', 'a']);
    expect(m.problems.map((p) => `${where(p.at)} ${p.what}`)).toEqual(['ci/bad.yml:3:1 yaml/BAD_INDENT', 'ci/list.yml:1:1 not-mapping']);
  });

  it('audits an alias bomb and an empty file without hanging or throwing', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), 'job:\n  script: *m', ''].join('\n');
    const found = await auditGitlabPipeline('.gitlab-ci.yml', bomb, files({}));
    expect(found.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['1 gitlab-pipeline-error']);
    expect(await auditGitlabPipeline('.gitlab-ci.yml', '', files({}))).toEqual([]);
  });

  it('treats .gitlab-ci.yml at any depth as a workflow file, and nothing else of GitLab', () => {
    expect(['.gitlab-ci.yml', 'svc/.gitlab-ci.yaml', 'ci/deploy.yml', 'gitlab-ci.yml'].map(isWorkflowFile)).toEqual([true, true, false, false]);
  });
});

describe('merge-request reachability', () => {
  const reach = async (text: string) => (await model(text)).jobs.filter((j) => !j.hidden).map((j) => `${j.id}:${j.mr.can ? j.mr.when ?? 'on_success' : 'no'}`);

  it('follows rules first-match, only/except, and the no-rules default', async () => {
    const text = [
      'mr:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n  script: [x]',
      'branch:\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  script: [x]',
      'never:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n      when: never\n    - when: always\n  script: [x]',
      'manual:\n  rules:\n    - if: $CI_COMMIT_TAG\n    - if: $CI_COMMIT_REF_NAME == "main"\n      when: manual\n  script: [x]',
      'changes:\n  rules:\n    - changes: [src/**]\n  script: [x]',
      'only:\n  only: [merge_requests]\n  script: [x]',
      'onlyBranches:\n  only: [branches]\n  script: [x]',
      'except:\n  only: [merge_requests, branches]\n  except: [merge_requests]\n  script: [x]',
      'plain:\n  script: [x]',
      '',
    ].join('\n');
    expect(await reach(text)).toEqual(['mr:on_success', 'branch:no', 'never:no', 'manual:manual', 'changes:on_success', 'only:on_success', 'onlyBranches:no', 'except:no', 'plain:no']);
  });

  it('lets workflow:rules decide for jobs without rules', async () => {
    expect(await reach('workflow:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\nplain:\n  script: [x]\n')).toEqual(['plain:on_success']);
    expect(await reach('workflow:\n  rules:\n    - if: $CI_COMMIT_BRANCH\nplain:\n  script: [x]\nmr:\n  only: [merge_requests]\n  script: [x]\n')).toEqual(['plain:no', 'mr:no']);
  });

  it('evaluates if: in three values', () => {
    expect(evaluateIf('$CI_PIPELINE_SOURCE == "merge_request_event"', 'merge_request_event')).toBe(true);
    expect(evaluateIf("$CI_PIPELINE_SOURCE == 'push' || $CI_COMMIT_TAG", 'merge_request_event')).toBe(false);
    expect(evaluateIf('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', 'merge_request_event')).toBe(false);
    expect(evaluateIf('$CI_MERGE_REQUEST_IID && $DEPLOY == "yes"', 'merge_request_event')).toBe('maybe');
    expect(evaluateIf('$CI_PIPELINE_SOURCE =~ /^merge/', 'merge_request_event')).toBe(true);
    expect(evaluateIf('$CI_PIPELINE_SOURCE !~ /^merge/ && $X', 'merge_request_event')).toBe(false);
    expect(evaluateIf('($CI_MERGE_REQUEST_IID) && ($CI_COMMIT_TAG == null)', 'merge_request_event')).toBe(true);
    expect(evaluateIf('$CI_MERGE_REQUEST_TARGET_BRANCH_NAME == "main"', 'merge_request_event')).toBe('maybe');
    expect(evaluateIf('this is not an expression', 'merge_request_event')).toBe('maybe');
  });
});

describe('include files on disk', () => {
  it('reads no file outside the tree, by .. or by a symbolic link', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { diskPipelineFiles } = await import('../../../src/sources/pipelineFiles.js');
    const outside = mkdtempSync(join(tmpdir(), 'keyfence-outside-'));
    const root = mkdtempSync(join(tmpdir(), 'keyfence-root-'));
    try {
      writeFileSync(join(outside, 'x.yml'), 'x:\n  script: [echo outside]\n');
      mkdirSync(join(root, 'ci'));
      writeFileSync(join(root, 'ci', 'in.yml'), 'a:\n  script: [echo inside]\n');
      symlinkSync(join(outside, 'x.yml'), join(root, 'ci', 'link.yml'));
      const reader = diskPipelineFiles(root);
      expect(await reader.read('ci/in.yml')).toBe('a:\n  script: [echo inside]\n');
      expect(await reader.read('ci/link.yml')).toBeUndefined();
      expect(await reader.read(`../${outside.split('/').pop()}/x.yml`)).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
