#!/usr/bin/env node
// `npm run bench`: keyfence side by side with the floors (the cost of merely reading the input) and
// with the tools users would pick instead, on a generated corpus. See docs/performance.md for what
// it measures and the figures of the last full run.
//
//   node scripts/bench.mjs                     full run: corpus ≥150 MB / ≥40,000 files, 5 rounds
//   node scripts/bench.mjs --quick             small corpus, 3 rounds (development)
//   node scripts/bench.mjs --scenario tree     only some scenarios: tree, history, hook (comma list)
//   node scripts/bench.mjs --scenario workflows  ms per workflow file over >= 1,000 generated workflows (alone)
//   node scripts/bench.mjs --scenario merge    alone: `report merge` of 5,000 generated repository reports
//                                              (--repositories N for another number)
//   node scripts/bench.mjs --scenario org      alone: `audit --org` of 200 generated repositories (repos/min, peak RSS)
//   options: --rounds N, --timeout SECONDS (per run, default 120), --build (build dist first),
//            --nodes 20,22,24 (the node versions keyfence runs on; default all three in a full run,
//            only the bench's own node with --quick),
//            --docs / --no-docs (write docs/performance.md; default: only for a full run of everything)
//   node scripts/bench.mjs --render .bench/results/FILE.json   redraw the table, markdown and charts
//            of a saved run (into docs/ with --docs, else .bench/report/)

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, load, pageFaultCost, projectRevision } from './bench/machine.mjs';
import { rssMethod, runTool } from './bench/measure.mjs';
import { ensureNodes } from './bench/nodes.mjs';
import { findGitSecrets, findRipgrep, findSecretlint, writeGitSecretsConfig, writeSecretlintConfig } from './bench/peers.mjs';
import { renderMarkdown, renderTable, renderSvgs } from './bench/report.mjs';
import { ensureCorpus } from './bench/setup.mjs';
import { summarise } from './bench/stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, '.bench');
const log = (line) => process.stderr.write(`${line}\n`);

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    rounds: { type: 'string' },
    repositories: { type: 'string' },
    timeout: { type: 'string' },
    build: { type: 'boolean', default: false },
    docs: { type: 'boolean' },
    'no-docs': { type: 'boolean' },
    render: { type: 'string' },
    nodes: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
function writeReport(report, toDocs) {
  process.stdout.write('\n' + renderTable(report) + '\n');
  const outDir = toDocs ? join(ROOT, 'docs') : join(BENCH, 'report');
  mkdirSync(outDir, { recursive: true });
  const svgs = renderSvgs(report);
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(outDir, name), svg);
  writeFileSync(join(outDir, 'performance.md'), renderMarkdown(report, Object.keys(svgs)));
  log(`\nwrote ${relative(ROOT, join(outDir, 'performance.md'))} and ${Object.keys(svgs).join(', ')}${toDocs ? '' : ' (docs/ is written only by a full run of every scenario, or with --docs)'}`);
}

if (opts.render) {
  const report = JSON.parse(readFileSync(opts.render, 'utf8'));
  writeReport(report, opts['no-docs'] ? false : (opts.docs ?? false));
  process.exit(0);
}

// `report merge` of an organisation's reports: a scenario of its own, run alone (scripts/bench/merge.mjs).
if (opts.scenario === 'merge') {
  if (opts.build || !existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const { benchMerge } = await import('./bench/merge.mjs');
  const repositories = Number(opts.repositories ?? 5000);
  await benchMerge({ bench: BENCH, cli: join(ROOT, 'dist/cli.js'), repositories, timeoutS: Number(opts.timeout ?? 600), log });
  process.exit(0);
}

// `audit --org` over generated local repositories: a scenario of its own, run alone (scripts/bench/org.mjs).
if (opts.scenario === 'org') {
  if (opts.build || !existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const { benchOrg } = await import('./bench/org.mjs');
  await benchOrg({ bench: BENCH, cli: join(ROOT, 'dist/cli.js'), timeoutS: Number(opts.timeout ?? 1800), log });
  process.exit(0);
}

// Workflow analysis per file over a generated folder of repositories: a scenario of its own, run
// alone (scripts/bench/workflows.mjs).
if (opts.scenario === 'workflows') {
  if (opts.build || !existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const { benchWorkflows } = await import('./bench/workflows.mjs');
  await benchWorkflows({ root: ROOT, bench: BENCH, cli: join(ROOT, 'dist/cli.js'), rounds: Number(opts.rounds ?? 3), timeoutS: Number(opts.timeout ?? 600), log });
  process.exit(0);
}

const GROUPS = ['tree', 'history', 'hook'];
const groups = opts.scenario ? opts.scenario.split(',').map((s) => s.trim()) : GROUPS;
for (const g of groups) if (!GROUPS.includes(g)) throw new Error(`unknown scenario "${g}": use ${GROUPS.join(', ')}`);
const scaleName = opts.quick ? 'quick' : 'full';
const rounds = Number(opts.rounds ?? (opts.quick ? 3 : 5));
// A run of a fraction of a second (the hook, start-up) is at the mercy of whatever else the machine
// does for that moment: three times the rounds, for a median one slow run cannot move.
const SHORT_GROUPS = new Set(['hook', 'hook-node', 'startup', 'startup-node']);
const SHORT_ROUNDS_FACTOR = 3;
const timeoutS = Number(opts.timeout ?? 120);
const complete = !opts.quick && groups.length === GROUPS.length && rounds >= 5;
const writeDocs = opts['no-docs'] ? false : (opts.docs ?? complete);

// ------------------------------------------------------------------------------------------------
// keyfence itself: a snapshot of dist/, so a rebuild in the middle of a run cannot mix two builds.

if (opts.build || !existsSync(join(ROOT, 'dist/cli.js'))) {
  log('building dist/ (node scripts/build.mjs) …');
  execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return t;
};
const distAge = statSync(join(ROOT, 'dist/cli.js')).mtimeMs;
const stale = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'rules'))) > distAge;
if (stale) log('warning: src/ or rules/ changed after dist/ was built: measuring the old build (pass --build to rebuild)');
const DIST = join(BENCH, 'dist-snapshot');
rmSync(DIST, { recursive: true, force: true });
mkdirSync(BENCH, { recursive: true });
cpSync(join(ROOT, 'dist'), DIST, { recursive: true });
// What `npx keyfence` runs: package.json's `bin`.
const CLI = join(DIST, basename(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin.keyfence));
const kfVersion = execFileSync('node', [CLI, '--version']).toString().trim();
const kfRules = execFileSync('node', [CLI, 'rules']).toString().trim().split('\n').pop();

// ------------------------------------------------------------------------------------------------
// Corpus and peers.

const corpus = await ensureCorpus(BENCH, scaleName, log);
const slrc = join(BENCH, 'secretlintrc.json');
writeSecretlintConfig(slrc);
// A keyfence.yml as `keyfence init` writes it, with two settings in use: what the hook of a
// configured repository reads (and parses with the YAML reader) on every commit.
const hookConfig = join(BENCH, 'hook-keyfence.yml');
writeFileSync(hookConfig, 'failOn: medium\nenvironments:\n  production: [\'deploy/prod/**\']\n');
const secretlint = findSecretlint(ROOT);
const gitSecrets = findGitSecrets({ log });
const gsEnv = gitSecrets.ok ? writeGitSecretsConfig(join(BENCH, 'git-secrets.gitconfig')) : {};
const ripgrep = groups.includes('tree') ? findRipgrep({ log }) : { ok: false, reason: 'no tree scenario' };
for (const [name, p] of [['secretlint', secretlint], ['git-secrets', gitSecrets], ['ripgrep', ripgrep]]) {
  if (!p.ok) log(`skipped: ${name}: ${p.reason}`);
}
// Every keyword of every built-in rule, for ripgrep's one pass: the prefilter's work and no more.
const keywordsFile = join(BENCH, 'keywords.txt');
const builtinRules = JSON.parse(readFileSync(join(DIST, 'rules.json'), 'utf8'));
// One per line: a keyword that holds a line break (`\narg ` for Dockerfiles) is its pieces, and no
// line may be empty (an empty pattern matches everywhere).
const keywords = builtinRules.flatMap((r) => r.spec.keywords.flatMap((k) => k.toLowerCase().split('\n'))).filter(Boolean);
writeFileSync(keywordsFile, [...new Set(keywords)].join('\n') + '\n');
// The node versions: the bench's own first (its figures are the ones the targets judge), then the others.
const ownMajor = Number(process.versions.node.split('.')[0]);
const majors = (opts.nodes ?? (opts.quick ? String(ownMajor) : '20,22,24')).split(',').map(Number);
const nodes = ensureNodes(BENCH, [ownMajor, ...majors.filter((m) => m !== ownMajor)], log);
for (const n of nodes) if (n.skipped) log(`skipped: node ${n.major}: ${n.skipped}`);
const otherNodes = nodes.filter((n) => n.bin && n.major !== ownMajor);

// ------------------------------------------------------------------------------------------------
// Scenarios. Each tool: steps run in order and timed as one; okCodes are the exit codes of success
// (scanners exit 1 when they find something, which the corpus makes sure they do).

const kf = (args, cwd, extra = {}, node = 'node') => ({ id: 'keyfence', label: 'keyfence', role: 'keyfence', parse: 'keyfence', steps: [{ argv: [node, CLI, ...args, '--format', 'json'], cwd, okCodes: [0, 1], capture: true }], ...extra });
// What the pre-commit hook runs: the default text report, which loads other code than --format json.
const kfText = (args, cwd, node = 'node') => ({ id: 'keyfence-text', label: 'keyfence (text report)', role: 'variant', steps: [{ argv: [node, CLI, ...args], cwd, okCodes: [0, 1], capture: true }] });
const kfConfig = (args, cwd, node = 'node') => ({ id: 'keyfence-config', label: 'keyfence (text report, a keyfence.yml)', role: 'variant', steps: [{ argv: [node, CLI, ...args, '--config', hookConfig], cwd, okCodes: [0, 1], capture: true }] });
const rgPass = (cwd, gitMode) =>
  ripgrep.ok
    ? { id: 'ripgrep-keywords', label: `ripgrep ${ripgrep.version}: every rule keyword, one pass`, role: 'pass', steps: [{ argv: [ripgrep.bin, '--count-matches', '--ignore-case', '--fixed-strings', '--hidden', '--glob', '!.git', '--no-messages', ...(gitMode ? [] : ['--no-ignore']), '--threads', '2', '--file', keywordsFile, '.'], cwd, okCodes: [0, 1] }] }
    : skipped('ripgrep-keywords', 'ripgrep keyword pass', ripgrep.reason);
const skipped = (id, label, reason) => ({ id, label, role: 'peer', status: 'skipped', reason, steps: [] });
const na = (id, label, reason) => ({ id, label, role: 'peer', status: 'n/a', reason, steps: [] });
const slTool = (cwd, targets) =>
  secretlint.ok
    ? { id: 'secretlint', label: `secretlint ${secretlint.version}`, role: 'peer', parse: 'secretlint', steps: [{ argv: ['node', secretlint.bin, '--secretlintrc', slrc, '--format', 'json', ...targets], cwd, okCodes: [0, 1], capture: true }] }
    : skipped('secretlint', 'secretlint', secretlint.reason);
const gsTool = (cwd, args) =>
  gitSecrets.ok
    ? { id: 'git-secrets', label: `git-secrets ${gitSecrets.version}`, role: 'peer', parse: 'git-secrets', steps: [{ argv: ['git', 'secrets', ...args], cwd, env: gsEnv, okCodes: [0, 1], capture: true }] }
    : skipped('git-secrets', 'git-secrets', gitSecrets.reason);

const scenarios = [];
const mb = (b) => b / 1e6;
if (groups.includes('tree')) {
  // The fixed cost of every tree scan (node, loading the bundle, the rules, a worker started and
  // stopped): what makes MB/s rise with the size of the tree, measured on its own.
  const empty = join(BENCH, 'empty-tree');
  rmSync(empty, { recursive: true, force: true });
  mkdirSync(empty, { recursive: true });
  scenarios.push({
    id: 'startup',
    group: 'startup',
    title: 'scan --no-git of an empty folder',
    size: 'no files',
    amount: {},
    expect: {},
    tools: [
      { id: 'floor', label: 'floor: node -e 0', role: 'floor', steps: [{ argv: ['node', '-e', '0'], cwd: empty }] },
      kf(['scan', '--no-git', '.'], empty),
    ],
  });
  for (const mode of ['no-git', 'git']) {
    for (const pct of Object.keys(corpus.subsets).map(Number).sort((a, b) => a - b)) {
      const s = corpus.subsets[pct];
      const dir = mode === 'git' ? s.repo : s.tree;
      scenarios.push({
        id: `tree-${mode}-${pct}`,
        group: 'tree',
        mode,
        pct,
        title: mode === 'git' ? `scan, git work tree, ${pct}%` : `scan --no-git, ${pct}%`,
        size: `${pct}%: ${s.files.toLocaleString('en-US')} files, ${mb(s.bytes).toFixed(1)} MB`,
        amount: { bytes: s.bytes, files: s.files },
        expect: { files: s.files, bytes: s.bytes, planted: s.planted },
        tools: [
          { id: 'floor', label: mode === 'git' ? 'floor: git ls-files + read every file (node)' : 'floor: read every file (node)', role: 'floor', steps: [{ argv: ['node', join(ROOT, 'scripts/bench/read-floor.mjs'), ...(mode === 'git' ? ['--git'] : []), dir], cwd: dir }] },
          mode === 'git' ? kf(['scan'], dir) : kf(['scan', '--no-git', '.'], dir),
          rgPass(dir, mode === 'git'),
          mode === 'git' ? na('secretlint', 'secretlint', 'no git mode: it scans the same files as in the --no-git rows') : slTool(dir, ['**/*']),
          mode === 'git' ? gsTool(dir, ['--scan']) : gsTool(dir, ['--scan', '-r', '.']),
        ],
      });
    }
  }
}
if (groups.includes('history')) {
  const h = corpus.history;
  for (const part of ['half', 'full']) {
    const n = part === 'half' ? h.halfCommits : h.commits;
    const bytes = part === 'half' ? h.halfPatchBytes : h.patchBytes;
    const limit = part === 'half' ? [`--max-count=${n}`] : [];
    scenarios.push({
      id: `history-${part}`,
      group: 'history',
      title: part === 'half' ? `history, first ${n.toLocaleString('en-US')} commits (--max-count)` : `history, all ${n.toLocaleString('en-US')} commits`,
      size: `${n.toLocaleString('en-US')} commits, ${mb(bytes).toFixed(1)} MB of patch`,
      amount: { commits: n, bytes },
      expect: { commits: n },
      tools: [
        { id: 'floor', label: 'floor: git log -p -U0', role: 'floor', steps: [{ argv: ['git', 'log', '-p', '-U0', ...limit], cwd: h.dir }] },
        kf(['history', ...limit], h.dir),
        na('secretlint', 'secretlint', 'no history mode'),
        part === 'half' ? na('git-secrets', 'git-secrets', '--scan-history takes no commit limit') : gsTool(h.dir, ['--scan-history']),
      ],
    });
  }
}
if (groups.includes('hook')) {
  for (const which of ['small', 'large']) {
    const k = corpus.hook[which];
    scenarios.push({
      id: `hook-${which}`,
      group: 'hook',
      title: `pre-commit: ${k.files} file${k.files === 1 ? '' : 's'}, ${k.added.toLocaleString('en-US')} lines staged`,
      size: `${k.files} files, +${k.added} lines`,
      amount: {},
      expect: {},
      tools: [
        { id: 'floor', label: 'floor: node -e 0 + git diff --cached', role: 'floor', steps: [{ argv: ['node', '-e', '0'], cwd: k.dir }, { argv: ['git', 'diff', '--cached'], cwd: k.dir }] },
        kf(['staged'], k.dir),
        kfText(['staged'], k.dir),
        kfConfig(['staged'], k.dir),
        slTool(k.dir, k.stagedPaths),
        gsTool(k.dir, ['--pre_commit_hook']),
      ],
    });
  }
}
// The same keyfence on the other node versions, each against the floor of its own node: start-up,
// the hook (its worse report format is what a user waits for) and the whole git work tree.
for (const n of otherNodes) {
  const on = `node ${n.version.slice(1)}`;
  const nodeFloor = (label, steps) => ({ id: 'floor', label, role: 'floor', steps });
  if (groups.includes('tree')) {
    const empty = join(BENCH, 'empty-tree');
    scenarios.push({ id: `startup@node${n.major}`, group: 'startup-node', node: n.major, title: `scan --no-git of an empty folder, ${on}`, size: 'no files', amount: {}, expect: {}, tools: [nodeFloor(`floor: node -e 0 (${on})`, [{ argv: [n.bin, '-e', '0'], cwd: empty }]), kf(['scan', '--no-git', '.'], empty, {}, n.bin)] });
    const s = corpus.subsets[100];
    scenarios.push({
      id: `tree-git-100@node${n.major}`,
      group: 'tree-node',
      node: n.major,
      mode: 'git',
      pct: 100,
      title: `scan, git work tree, 100%, ${on}`,
      size: `100%: ${s.files.toLocaleString('en-US')} files, ${mb(s.bytes).toFixed(1)} MB`,
      amount: { bytes: s.bytes, files: s.files },
      expect: { files: s.files, bytes: s.bytes, planted: s.planted },
      tools: [nodeFloor(`floor: git ls-files + read every file (${on})`, [{ argv: [n.bin, join(ROOT, 'scripts/bench/read-floor.mjs'), '--git', s.repo], cwd: s.repo }]), kf(['scan'], s.repo, {}, n.bin)],
    });
  }
  if (groups.includes('hook')) {
    for (const which of ['small', 'large']) {
      const k = corpus.hook[which];
      scenarios.push({
        id: `hook-${which}@node${n.major}`,
        group: 'hook-node',
        node: n.major,
        title: `pre-commit: ${k.files} file${k.files === 1 ? '' : 's'}, ${k.added.toLocaleString('en-US')} lines staged, ${on}`,
        size: `${k.files} files, +${k.added} lines`,
        amount: {},
        expect: {},
        tools: [nodeFloor(`floor: node -e 0 + git diff --cached (${on})`, [{ argv: [n.bin, '-e', '0'], cwd: k.dir }, { argv: ['git', 'diff', '--cached'], cwd: k.dir }]), kf(['staged'], k.dir, {}, n.bin), kfText(['staged'], k.dir, n.bin), kfConfig(['staged'], k.dir, n.bin)],
      });
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Running: per scenario, one warm-up run of every tool, then `rounds` rounds of A B C D.

function firstLine(text) {
  return (text ?? '').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('npm warn')) ?? '';
}

function parseOutput(tool, run) {
  try {
    if (tool.parse === 'keyfence') {
      const j = JSON.parse(run.stdout);
      return { findings: j.findings.length, stats: j.stats };
    }
    if (tool.parse === 'secretlint') {
      const j = JSON.parse(run.stdout || '[]');
      return { findings: j.reduce((n, f) => n + (f.messages?.length ?? 0), 0), files: j.length };
    }
    if (tool.parse === 'git-secrets') {
      const lines = run.stderr.split('\n');
      const end = lines.findIndex((l) => l.startsWith('[ERROR]'));
      return { findings: (end < 0 ? [] : lines.slice(0, end)).filter((l) => /:\d+:/.test(l)).length };
    }
  } catch (error) {
    return { parseError: String(error.message).slice(0, 120) };
  }
  return {};
}

const timeoutMs = timeoutS * 1000;
const timedOutBefore = new Map(); // `${mode}:${toolId}` -> pct, for tree scenarios
const started = new Date();
const loadStart = load();
let loadMax = loadStart.load1;
const results = [];

for (const sc of scenarios) {
  log(`\n[${sc.id}] ${sc.title} (${sc.size})`);
  const tools = sc.tools.map((t) => ({ ...t, status: t.status ?? 'ok', runs: [], steps: t.steps }));
  for (const t of tools) {
    const key = `${sc.mode}:${t.id}`;
    if (sc.group === 'tree' && t.status === 'ok' && timedOutBefore.has(key)) {
      t.status = 'timed-out';
      t.reason = `not run: timed out after ${timeoutS} s on the smaller ${timedOutBefore.get(key)}% tree`;
    }
  }
  const exec = async (t, label) => {
    const run = await runTool(t, timeoutMs);
    loadMax = Math.max(loadMax, load().load1);
    if (run.timedOut) {
      t.status = 'timed-out';
      t.reason = `timed out after ${timeoutS} s${label === 'warm-up' ? '' : ` (in ${label})`}`;
      if (sc.group === 'tree') timedOutBefore.set(`${sc.mode}:${t.id}`, sc.pct);
    } else if (!run.ok) {
      t.status = 'failed';
      t.reason = `exit ${run.code}${run.signal ? ` (${run.signal})` : ''}: ${firstLine(run.stderr) || firstLine(run.stdout)}`.slice(0, 200);
    }
    log(`  ${label.padEnd(8)} ${t.id.padEnd(12)} ${run.timedOut ? `timed out after ${timeoutS} s` : `${(run.ms / 1000).toFixed(3)} s, ${(run.rssKb / 1024).toFixed(0)} MB`}${t.status === 'failed' ? `  FAILED: ${t.reason}` : ''}`);
    return run;
  };
  for (const t of tools) {
    if (t.status !== 'ok') continue;
    const run = await exec(t, 'warm-up');
    if (t.status === 'ok') {
      t.warmup = { ms: run.ms, rssKb: run.rssKb, faults: run.faults };
      t.output = parseOutput(t, run);
    }
  }
  const scRounds = SHORT_GROUPS.has(sc.group) ? rounds * SHORT_ROUNDS_FACTOR : rounds;
  for (let r = 0; r < scRounds; r++) {
    for (const t of tools) {
      if (t.status !== 'ok') continue;
      const run = await exec(t, `round ${r + 1}`);
      if (t.status === 'ok') {
        t.runs[r] = { ms: run.ms, rssKb: run.rssKb, faults: run.faults };
        if (r === scRounds - 1) t.output = parseOutput(t, run);
      }
    }
  }
  results.push(summarise(sc, tools, scRounds));
}

const finished = new Date();
const loadEnd = load();
loadMax = Math.max(loadMax, loadEnd.load1);

// ------------------------------------------------------------------------------------------------
// Report.

const report = {
  date: started.toISOString(),
  durationS: Math.round((finished - started) / 1000),
  scale: scaleName,
  rounds,
  shortRounds: rounds * SHORT_ROUNDS_FACTOR,
  timeoutS,
  complete,
  machine: { ...describeMachine(), pageFault: pageFaultCost() },
  load: { start: loadStart.load1, end: loadEnd.load1, max: loadMax, cores: loadStart.cores },
  rssMethod,
  nodes: nodes.map((n) => (n.bin ? { major: n.major, version: n.version } : n)),
  ripgrep: ripgrep.ok ? { version: ripgrep.version } : { skipped: ripgrep.reason },
  keyfence: { version: kfVersion, rules: kfRules, revision: projectRevision(ROOT), staleDist: stale },
  peers: {
    secretlint: secretlint.ok ? { version: secretlint.version, preset: secretlint.presetVersion } : { skipped: secretlint.reason },
    gitSecrets: gitSecrets.ok ? { version: gitSecrets.version, patterns: 'git secrets --register-aws' } : { skipped: gitSecrets.reason },
  },
  corpus: {
    scale: scaleName,
    version: corpus.version,
    generationSeconds: corpus.generationSeconds,
    subsets: corpus.subsets,
    packages: corpus.packages.length,
    languages: corpus.packages.reduce((m, p) => ({ ...m, [p.lang]: (m[p.lang] ?? 0) + 1 }), {}),
    planted: corpus.planted.length,
    history: {
      commits: corpus.history.commits,
      merges: corpus.history.merges,
      files: corpus.history.files,
      patchBytes: corpus.history.patchBytes,
      planted: corpus.history.planted.length,
    },
    hook: Object.fromEntries(Object.entries(corpus.hook).map(([k, v]) => [k, { files: v.files, added: v.added }])),
  },
  scenarios: results,
};

mkdirSync(join(BENCH, 'results'), { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
writeFileSync(join(BENCH, 'results', `${stamp}-${scaleName}.json`), JSON.stringify(report, null, 1));

writeReport(report, writeDocs);
log(`raw figures in ${relative(ROOT, join(BENCH, 'results', `${stamp}-${scaleName}.json`))}`);
log(`bench took ${Math.round((finished - started) / 1000)} s`);
