#!/usr/bin/env node
// Profiles keyfence on the bench corpus and summarises where the CPU time went.
//
//   node scripts/bench-profile.mjs                      scan --no-git of the 100% tree (full corpus)
//   node scripts/bench-profile.mjs --quick              the same on the quick corpus
//   node scripts/bench-profile.mjs --scenario history   keyfence history on the generated history
//   node scripts/bench-profile.mjs --scenario hook      keyfence staged, 2,000 staged lines
//   node scripts/bench-profile.mjs --summarise DIR|FILE…  only summarise existing .cpuprofile files
//   options: --top N (rows, default 25)
//
// Runs `node --cpu-prof --cpu-prof-dir .bench/profile/<time> dist/cli.js …` (the corpus must exist:
// run `npm run bench` once, or this script builds it), then aggregates the self time of every
// .cpuprofile written (the main thread and each worker thread) by function name + script + line.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'tree' },
    summarise: { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
  },
});
const TOP = Number(opts.top);

/** Self time (ms) per node id of one profile, from the sample timeline. */
function selfTimes(profile) {
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; the sample lasts until the next one.
    const dt = (i + 1 < timeDeltas.length ? timeDeltas[i + 1] : timeDeltas[i] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  return self;
}

function shortUrl(url) {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith(ROOT)) return relative(ROOT, path).replace(/^\.bench\/dist-snapshot\//, 'dist/');
  if (path.startsWith('node:')) return path;
  return basename(path);
}

export function summarise(files, top = TOP) {
  const byFunction = new Map();
  const byScript = new Map();
  const threads = [];
  let total = 0;
  const callers = new Map(); // function key -> Map(caller key -> ms)
  const keyOf = (node) => {
    const f = node.callFrame;
    let name = f.functionName || (f.url ? '(anonymous)' : '(native)');
    if (name.length > 90) name = `${name.slice(0, 87)}…`;
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
    return `${name}\t${where}`;
  };
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    const self = selfTimes(profile);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let threadTotal = 0;
    for (const node of profile.nodes) {
      const ms = self.get(node.id) ?? 0;
      if (!ms) continue;
      const f = node.callFrame;
      const key = keyOf(node);
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      // The nearest caller that is JavaScript of ours or of node, not another native frame.
      let p = parent.get(node.id);
      while (p !== undefined && !byId.get(p).callFrame.url && byId.get(p).callFrame.functionName) p = parent.get(p);
      if (p !== undefined) {
        const ck = keyOf(byId.get(p)).replace('\t', ' ');
        if (!callers.has(key)) callers.set(key, new Map());
        callers.get(key).set(ck, (callers.get(key).get(ck) ?? 0) + ms);
      }
      const script = f.url ? shortUrl(f.url) : key.split('\t')[0];
      byScript.set(script, (byScript.get(script) ?? 0) + ms);
      threadTotal += ms;
    }
    threads.push({ file: basename(file), ms: threadTotal });
    total += threadTotal;
  }
  const idle = [...byFunction].filter(([k]) => k.startsWith('(idle)\t')).reduce((n, [, ms]) => n + ms, 0);
  const busy = total - idle;
  const lines = [];
  lines.push(`${files.length} profile(s) (main thread + workers), ${(total / 1000).toFixed(2)} s of samples in all, ${(busy / 1000).toFixed(2)} s not idle:`);
  for (const t of threads) lines.push(`  ${t.file}: ${(t.ms / 1000).toFixed(2)} s`);
  lines.push('', `Top ${top} functions by self time:`, '');
  lines.push('| # | self ms | % of busy | function | location |', '|--:|--:|--:|---|---|');
  [...byFunction].filter(([k]) => !k.startsWith('(idle)\t')).sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([key, ms], i) => {
    const [name, where] = key.split('\t');
    lines.push(`| ${i + 1} | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} | \`${name}\` | ${where} |`);
  });
  lines.push('', 'Who calls the top 8 (nearest JavaScript caller, share of the self time):', '');
  for (const [key] of [...byFunction].filter(([k]) => !k.startsWith('(idle)\t') && !k.startsWith('(program)') && !k.startsWith('(garbage')).sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    const list = [...(callers.get(key) ?? new Map())].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const own = byFunction.get(key);
    lines.push(`- \`${key.split('\t')[0]}\` ← ${list.map(([c, ms]) => `${c.trim()} (${Math.round((ms / own) * 100)}%)`).join(', ') || '(root)'}`);
  }
  lines.push('', 'Self time by script:', '');
  lines.push('| self ms | % of busy | script |', '|--:|--:|---|');
  for (const [script, ms] of [...byScript].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`| ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} | ${script} |`);
  return lines.join('\n');
}

function profilesIn(paths) {
  const out = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) if (f.endsWith('.cpuprofile')) out.push(join(p, f));
    if (p.endsWith('.cpuprofile')) out.push(p);
  }
  return out;
}

if (opts.summarise) {
  const files = profilesIn(positionals);
  if (!files.length) throw new Error('no .cpuprofile files given');
  process.stdout.write(summarise(files) + '\n');
} else {
  const { ensureCorpus } = await import('./bench/setup.mjs');
  const bench = join(ROOT, '.bench');
  const corpus = await ensureCorpus(bench, opts.quick ? 'quick' : 'full', (l) => process.stderr.write(`${l}\n`));
  if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const dir = join(bench, 'profile', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const cases = {
    tree: { cwd: corpus.subsets[100].tree, args: ['scan', '--no-git', '.'] },
    'tree-git': { cwd: corpus.subsets[100].repo, args: ['scan'] },
    history: { cwd: corpus.history.dir, args: ['history'] },
    hook: { cwd: corpus.hook.large.dir, args: ['staged'] },
  };
  const c = cases[opts.scenario];
  if (!c) throw new Error(`unknown scenario "${opts.scenario}": use ${Object.keys(cases).join(', ')}`);
  const argv = ['--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'dist/cli.js'), ...c.args, '--format', 'json'];
  process.stderr.write(`node ${argv.join(' ')}\n  (in ${c.cwd})\n`);
  const t = performance.now();
  const run = spawnSync('node', argv, { cwd: c.cwd, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  let stats = '';
  try {
    const j = JSON.parse(run.stdout.toString());
    stats = `, ${j.findings.length} findings, stats ${JSON.stringify(j.stats)}`;
  } catch {
    // not JSON
  }
  process.stdout.write(`keyfence ${c.args.join(' ')}: exit ${run.status}, ${(ms / 1000).toFixed(2)} s wall under the profiler${stats}\n\n`);
  process.stdout.write(summarise(profilesIn([dir])) + '\n');
  process.stdout.write(`\nprofiles in ${relative(ROOT, dir)} (open them in Chrome DevTools or speedscope for call trees)\n`);
}
