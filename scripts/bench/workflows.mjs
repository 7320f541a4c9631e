// `node scripts/bench.mjs --scenario workflows`: workflow analysis time per file. Generates a folder
// of repositories (seeded: the same files on every machine) whose `.github/` holds the workflows
// real projects carry — CI on pushes and pull requests with a build matrix, releases that publish,
// pull_request_target labelers, workflow_run commenters downloading the CI's artifacts, issue
// triage through a local composite action, reusable workflows and their callers, comment commands,
// nightly jobs, docs deploys — about one in eight with a flaw the checks report. It reports the
// analysis per file (parse, repository graph, every check; in-process, warm), and, for context,
// `keyfence workflows` on the folder minus a run on an empty one.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTool } from './measure.mjs';
import { Rng } from './prng.mjs';

const ACTIONS = {
  checkout: 'actions/checkout@v4',
  node: 'actions/setup-node@v4',
  python: 'actions/setup-python@v5',
  upload: 'actions/upload-artifact@v4',
  download: 'actions/download-artifact@v4',
  cache: 'actions/cache@v4',
  script: 'actions/github-script@v7',
  labeler: 'actions/labeler@v5',
  stale: 'actions/stale@v9',
};

const yamlList = (items) => `[${items.join(', ')}]`;

function ci(rng, name, flaw) {
  const versions = rng.pick([['18', '20', '22'], ['20', '22'], ['20', '22', '24']]);
  const os = rng.pick([['ubuntu-latest'], ['ubuntu-latest', 'windows-latest'], ['ubuntu-latest', 'macos-latest']]);
  const extra = Array.from({ length: rng.int(0, 4) }, (_, i) => `      - name: extra check ${i + 1}\n        run: npm run check:${rng.pick(['types', 'format', 'links', 'licenses', 'size'])}\n`).join('');
  return `name: ${name}
on:
  push:
    branches: [main]
  pull_request:
    branches: [main]
permissions:
  contents: read
concurrency:
  group: \${{ github.workflow }}-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    runs-on: \${{ matrix.os }}
    strategy:
      fail-fast: false
      matrix:
        node: ${yamlList(versions)}
        os: ${yamlList(os)}
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          persist-credentials: false
      - uses: ${ACTIONS.node}
        with:
          node-version: \${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test -- --coverage
${extra}      - uses: ${ACTIONS.upload}
        if: matrix.node == '${versions[versions.length - 1]}'
        with:
          name: coverage-\${{ matrix.os }}
          path: coverage
${flaw ? `      - run: echo "Testing \${{ github.event.pull_request.title }}"\n` : ''}`;
}

function release(rng, flaw) {
  const registry = rng.pick(['npm', 'pypi']);
  const publish = registry === 'npm'
    ? `      - uses: ${ACTIONS.node}
        with:
          node-version: 22
          registry-url: https://registry.npmjs.org
      - run: npm ci && npm run build
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`
    : `      - uses: ${ACTIONS.python}
        with:
          python-version: '3.12'
      - run: python -m pip install build && python -m build
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: \${{ secrets.PYPI_API_TOKEN }}
`;
  return `name: Release
on:
  push:
    tags: ['v*']
permissions:
  contents: write
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: release
    steps:
      - uses: ${ACTIONS.checkout}
${flaw ? `      - uses: ${ACTIONS.cache}\n        with:\n          path: ~/.npm\n          key: npm-\${{ hashFiles('package-lock.json') }}\n` : ''}${publish}      - run: gh release create "$TAG" --generate-notes
        env:
          GH_TOKEN: \${{ github.token }}
          TAG: \${{ github.ref_name }}
`;
}

function labeler(rng, flaw) {
  return `name: Labeler
on:
  pull_request_target:
    types: [opened, synchronize]
permissions:
  contents: read
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.labeler}
        with:
          repo-token: \${{ secrets.GITHUB_TOKEN }}
${flaw ? `      - uses: ${ACTIONS.checkout}\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n      - run: npm ci && npm run lint\n` : `      - uses: ${ACTIONS.script}\n        with:\n          script: |\n            const size = context.payload.pull_request.additions;\n            core.info('size ' + size);\n`}`;
}

function commenter(rng, ciName, flaw) {
  return `name: Comment coverage
on:
  workflow_run:
    workflows: [${ciName}]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  comment:
    if: github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.download}
        with:
          name: coverage-ubuntu-latest
          path: ${flaw ? 'coverage' : '${{ runner.temp }}/coverage'}
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ github.token }}
${flaw ? '      - run: bash coverage/report.sh\n' : `      - run: gh pr comment "$PR" --repo "$REPO" --body-file "$RUNNER_TEMP/coverage/summary.md"\n        env:\n          GH_TOKEN: \${{ github.token }}\n          PR: \${{ github.event.workflow_run.pull_requests[0].number }}\n          REPO: \${{ github.repository }}\n`}`;
}

function triage(flaw) {
  return `name: Triage
on:
  issues:
    types: [opened, edited]
permissions:
  issues: write
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          persist-credentials: false
      - uses: ./.github/actions/triage
        with:
          title: \${{ github.event.issue.title }}
          number: \${{ github.event.issue.number }}
${flaw ? '          unsafe: true\n' : ''}`;
}

function triageAction(flaw) {
  return `name: triage
description: Labels a new issue
inputs:
  title:
    description: the issue's title
  number:
    description: the issue's number
  unsafe:
    description: unused
runs:
  using: composite
  steps:
    - run: ${flaw ? './scripts/triage.sh "${{ inputs.title }}"' : './scripts/triage.sh "$TITLE"'}
      shell: bash
      env:
        TITLE: \${{ inputs.title }}
    - run: gh issue edit \${{ inputs.number }} --add-label triage
      shell: bash
`;
}

function reusable() {
  return `name: Build
on:
  workflow_call:
    inputs:
      ref:
        type: string
        default: ''
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          ref: \${{ inputs.ref }}
          persist-credentials: false
      - uses: ${ACTIONS.node}
        with:
          node-version: 22
      - run: npm ci && npm run build
      - uses: ${ACTIONS.upload}
        with:
          name: dist
          path: dist
`;
}

function caller(flaw) {
  return flaw
    ? `name: Preview build
on: pull_request_target
permissions:
  contents: read
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.event.pull_request.head.sha }}
    secrets: inherit
`
    : `name: Main build
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  build:
    uses: ./.github/workflows/build.yml
    with:
      ref: \${{ github.sha }}
`;
}

function nightly(rng) {
  return `name: Nightly
on:
  schedule:
    - cron: '${rng.int(0, 59)} ${rng.int(0, 23)} * * *'
  workflow_dispatch:
permissions:
  contents: read
jobs:
  audit:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          persist-credentials: false
      - run: npm audit --audit-level=high
      - run: npm outdated || true
`;
}

function stale() {
  return `name: Stale
on:
  schedule:
    - cron: '30 1 * * *'
permissions:
  issues: write
  pull-requests: write
jobs:
  stale:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.stale}
        with:
          days-before-stale: 60
          stale-issue-message: This issue has had no activity for 60 days.
`;
}

function docs(rng) {
  return `name: Docs
on:
  push:
    branches: [main]
    paths: ['docs/**']
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          persist-credentials: false
      - run: pip install mkdocs-material==9.${rng.int(0, 5)}.0 && mkdocs build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}

function commands(flaw) {
  return `name: Commands
on:
  issue_comment:
    types: [created]
permissions:
  contents: read
  pull-requests: write
jobs:
  benchmark:
    if: github.event.issue.pull_request && startsWith(github.event.comment.body, '/bench')${flaw ? '' : " && contains(fromJSON('[\"OWNER\", \"MEMBER\"]'), github.event.comment.author_association)"}
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          persist-credentials: false
      - run: gh pr checkout \${{ github.event.issue.number }} && npm ci && npm run bench
        env:
          GH_TOKEN: \${{ github.token }}
`;
}

/** One repository: its workflows and local actions, path -> text. */
function repository(rng) {
  const files = {};
  const ciName = rng.pick(['CI', 'Tests', 'Build and test', 'Checks']);
  const flaw = () => rng.chance(0.12);
  files['.github/workflows/ci.yml'] = ci(rng, ciName, flaw());
  files['.github/workflows/release.yml'] = release(rng, flaw());
  files['.github/workflows/labeler.yml'] = labeler(rng, flaw());
  files['.github/workflows/coverage-comment.yml'] = commenter(rng, ciName, flaw());
  const triageFlaw = flaw();
  files['.github/workflows/triage.yml'] = triage(triageFlaw);
  files['.github/actions/triage/action.yml'] = triageAction(triageFlaw);
  files['.github/workflows/build.yml'] = reusable();
  files['.github/workflows/build-call.yml'] = caller(flaw());
  files['.github/workflows/nightly.yml'] = nightly(rng);
  if (rng.chance(0.7)) files['.github/workflows/stale.yml'] = stale();
  if (rng.chance(0.6)) files['.github/workflows/docs.yml'] = docs(rng);
  if (rng.chance(0.5)) files['.github/workflows/commands.yml'] = commands(flaw());
  return files;
}

/** The corpus, made once per size and seed, then reused. */
function ensureCorpus(dir, minFiles, log) {
  const stamp = join(dir, 'complete.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const rng = new Rng(`workflows-${minFiles}`);
  let files = 0;
  let bytes = 0;
  let repositories = 0;
  while (files < minFiles) {
    const name = `repo-${String(repositories).padStart(4, '0')}`;
    for (const [path, text] of Object.entries(repository(rng))) {
      const full = join(dir, 'repos', name, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, text);
      files++;
      bytes += text.length;
    }
    repositories++;
  }
  mkdirSync(join(dir, 'empty'), { recursive: true });
  const facts = { repositories, files, bytes };
  writeFileSync(stamp, JSON.stringify(facts));
  log(`generated ${repositories} repositories: ${files} workflow and action files, ${(bytes / 1e6).toFixed(2)} MB`);
  return facts;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The files of the corpus, grouped by repository (what one run reads as one repository). */
function readCorpus(dir) {
  const root = join(dir, 'repos');
  const walk = (base, rel, out) => {
    for (const e of readdirSync(join(base, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(base, p, out);
      else out.push({ file: `${relative(root, base)}/${p}`, text: readFileSync(join(base, p), 'utf8') });
    }
    return out;
  };
  return readdirSync(root).sort().map((name) => walk(join(root, name), '', []));
}

/**
 * The analysis itself, in this process: src/workflows bundled as keyfence bundles it (esbuild, ESM),
 * then for each repository its graph and every file's audit, as `keyfence workflows` runs them.
 */
async function analysisMs(root, dir, repos, rounds) {
  const { build } = await import('esbuild');
  const entry = join(dir, 'audit-entry.mjs');
  writeFileSync(entry, `export { auditWorkflowFile } from ${JSON.stringify(join(root, 'src/workflows/auditWorkflow.ts'))};\nexport { WorkflowRepository } from ${JSON.stringify(join(root, 'src/workflows/repository.ts'))};\n`);
  const outfile = join(dir, 'audit.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // CommonJS dependencies call require(): give the ES module one.
    banner: { js: "import { createRequire as kfRequire } from 'node:module'; const require = kfRequire(import.meta.url);" },
  });
  const { auditWorkflowFile, WorkflowRepository } = await import(pathToFileURL(outfile).href);
  const once = () => {
    const started = performance.now();
    let findings = 0;
    for (const files of repos) {
      const repository = new WorkflowRepository(files);
      for (const f of files) findings += auditWorkflowFile(f.file, f.text, { repository }).length;
    }
    return { ms: performance.now() - started, findings };
  };
  once(); // warm-up: the JIT, as in a long run
  const runs = Array.from({ length: rounds }, once);
  return { ms: median(runs.map((r) => r.ms)), findings: runs[0].findings };
}

/**
 * Workflow analysis per file: in-process over the corpus (the figure the target is about), and
 * `keyfence workflows` on the corpus minus an empty folder (the whole command: discovery, reading,
 * the secret rules on the same files, the report), `rounds` times each; prints and saves both.
 */
export async function benchWorkflows({ root, bench, cli, minFiles = 1000, rounds = 3, timeoutS = 600, log }) {
  const dir = join(bench, `workflows-${minFiles}`);
  const facts = ensureCorpus(dir, minFiles, log);
  // A work tree of its own: `keyfence workflows` skips what git ignores, and .bench/ is ignored in
  // keyfence's own repository.
  if (!existsSync(join(dir, '.git'))) execFileSync('git', ['init', '-q', dir]);
  const repos = readCorpus(dir);
  const analysis = await analysisMs(root, dir, repos, rounds);

  const out = join(dir, 'report.json');
  const run = async (target, output) => {
    const r = await runTool(
      { id: 'keyfence', steps: [{ argv: ['node', cli, 'workflows', target, '--format', 'json', '--output', output, '--fail-on', 'none'], cwd: dir, okCodes: [0] }] },
      timeoutS * 1000,
    );
    if (!r.ok) throw new Error(`keyfence workflows ${target} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}): ${r.stderr.slice(0, 2000)}`);
    return r.ms;
  };
  const empty = [];
  const full = [];
  for (let i = 0; i < rounds; i++) {
    empty.push(await run(join(dir, 'empty'), join(dir, 'empty.json')));
    full.push(await run(join(dir, 'repos'), out));
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  if (report.stats.files !== facts.files) throw new Error(`keyfence workflows read ${report.stats.files} files of ${facts.files}`);
  const workflowFindings = report.findings.filter((f) => f.category === 'workflow' || f.category === 'echo-leak').length;
  if (workflowFindings === 0 || analysis.findings === 0) throw new Error('no workflow finding: the corpus lost its flaws, or the checks did not run');
  const result = {
    scenario: 'workflows',
    repositories: facts.repositories,
    files: facts.files,
    rounds,
    analysisFindings: analysis.findings,
    analysisMs: Math.round(analysis.ms),
    msPerWorkflow: +(analysis.ms / facts.files).toFixed(3),
    commandFindings: report.findings.length,
    commandMs: Math.round(median(full)),
    startupMs: Math.round(median(empty)),
    commandMsPerWorkflow: +((median(full) - median(empty)) / facts.files).toFixed(3),
  };
  log(
    `workflow analysis: ${facts.files} files in ${facts.repositories} repositories, ${result.analysisFindings} findings, ` +
      `${result.analysisMs} ms: ${result.msPerWorkflow} ms per workflow file (median of ${rounds})\n` +
      `keyfence workflows (the whole command): ${result.commandMs} ms a run, ${result.startupMs} ms of it start-up: ` +
      `${result.commandMsPerWorkflow} ms per file`,
  );
  mkdirSync(join(bench, 'results'), { recursive: true });
  writeFileSync(join(bench, 'results', `workflows-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
