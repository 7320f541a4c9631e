#!/usr/bin/env node
// `npm run precision`: how often keyfence blocks on real code that holds no live secret (issue #15).
// Builds a corpus of pinned packages (npm tarballs, Debian .debs) under .precision/, scans it with
// the built CLI at its defaults, prints the blocking findings per MB and the list, and compares the
// list with the judged one in docs/precision.md. See docs/precision.md.
//
//   npm run precision                         download (once), unpack (once), scan, compare
//   npm run precision -- --write-docs         also rewrite the generated section of docs/precision.md
//                                             (verdicts kept; new findings written as `unjudged`)
//   options: --fail-on SEVERITY (default: keyfence's default), --json (the summary as JSON on stdout),
//            --build (rebuild dist/ first), --dist DIR (scan with the keyfence built in DIR, e.g. a build
//            of an older commit, to take a "before"), -h/--help
//   exit: 0 rate ≤ 0.1 per MB and every finding judged; 1 otherwise; 2 setup error (one line)

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCorpus, spec } from './precision/corpus.mjs';
import { readJudged, writeDocs } from './precision/docs.mjs';
import { SetupError } from './precision/errors.mjs';
import { mapLimit } from './precision/exec.mjs';
import { currentMarker, extract, prune } from './precision/extract.mjs';
import { fetchArchive, isCached } from './precision/fetch.mjs';
import { lineHasher, matchJudged } from './precision/judged.mjs';
import { SEVERITIES, atOrAbove, defaultFailOn, keyfenceVersion, prepareCli, scanCorpus, writeDefaultConfig } from './precision/scan.mjs';
import { renderText, summarise } from './precision/summary.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOME = join(ROOT, '.precision');
const PATHS = {
  downloads: join(HOME, 'downloads'),
  corpus: join(HOME, 'corpus'),
  state: join(HOME, 'state'),
  tmp: join(HOME, 'tmp'),
};
const CORPUS_LIST = join(ROOT, 'scripts/precision/corpus.json');
const DOC = join(ROOT, 'docs/precision.md');
/** Downloads side by side: they wait on the network; unpacking waits on the disk and the 2 cores. */
const DOWNLOADS_AT_ONCE = 4;
const EXTRACTS_AT_ONCE = 2;

const log = (line) => process.stderr.write(`${line}\n`);

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'fail-on': { type: 'string' },
        json: { type: 'boolean', default: false },
        'write-docs': { type: 'boolean', default: false },
        build: { type: 'boolean', default: false },
        dist: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new SetupError(`${error.message} (see --help)`);
  }
  if (values['fail-on'] !== undefined && !SEVERITIES.includes(values['fail-on']))
    throw new SetupError(`--fail-on must be one of ${[...SEVERITIES].reverse().join(', ')}`);
  return values;
}

function usage() {
  const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 15);
  return `${head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`;
}

/** Every pinned package downloaded and unpacked; returns each package's marker (sizes, language). */
async function buildCorpus(entries, timings) {
  const removed = prune(entries, PATHS);
  if (removed.length) log(`removed from the corpus (no longer listed): ${removed.join(', ')}`);
  const missing = entries.filter((e) => !currentMarker(e, PATHS));
  const toDownload = missing.filter((e) => !isCached(e, PATHS.downloads));
  let started = Date.now();
  if (toDownload.length) log(`downloading ${toDownload.length} of ${entries.length} packages …`);
  const archives = await mapLimit(missing, DOWNLOADS_AT_ONCE, (e) => fetchArchive(e, PATHS));
  timings.downloadMs = Date.now() - started;
  started = Date.now();
  if (missing.length) log(`unpacking ${missing.length} packages …`);
  await mapLimit(missing, EXTRACTS_AT_ONCE, (e, i) => extract(e, archives[i], PATHS));
  timings.extractMs = Date.now() - started;
  return entries.map((e) => {
    const marker = currentMarker(e, PATHS);
    if (!marker) throw new SetupError(`${spec(e)} was unpacked but has no marker in ${PATHS.state}`);
    return marker;
  });
}

/** The checkout's commit (read only: `git rev-parse`), to say what a measurement was taken on. */
function revision() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return `dist/ of the work tree at commit ${sha}`;
  } catch {
    return undefined;
  }
}

/** The blocking findings of the report, each with its line hash and its verdict from the judged list. */
function judge(report, failOn) {
  const hash = lineHasher(PATHS.corpus);
  const blocking = report.findings
    .filter((f) => atOrAbove(f.severity, failOn))
    .map((f) => ({ path: f.file, line: f.line ?? 0, rule: f.ruleId, severity: f.severity, hash: hash(f.file, f.line ?? 0) }));
  // The list was judged at the default threshold: under a higher --fail-on, its lower lines are not
  // gone, just not blocking.
  const judged = readJudged(DOC).filter((j) => atOrAbove(j.severity, failOn));
  const { matched, gone } = matchJudged(blocking, judged);
  const findings = matched.map(({ finding, judged }) => ({ ...finding, verdict: judged?.verdict ?? 'unjudged', reason: judged?.reason ?? '' }));
  return { findings, gone, belowFailOn: report.findings.length - blocking.length };
}

async function main() {
  const opts = options();
  if (opts.help) {
    process.stdout.write(usage());
    return 0;
  }
  const timings = { downloadMs: 0, extractMs: 0, scanMs: 0 };
  const entries = loadCorpus(CORPUS_LIST);
  mkdirSync(HOME, { recursive: true });
  const markers = await buildCorpus(entries, timings);
  const other = opts.dist === undefined ? undefined : resolve(opts.dist);
  const cli = await prepareCli(ROOT, join(HOME, 'dist'), { other, build: opts.build, log });
  const configFile = writeDefaultConfig(join(HOME, 'keyfence.yml'));
  const defaultOn = await defaultFailOn(cli, configFile);
  const failOn = opts['fail-on'] ?? defaultOn;
  // The judged list is the list at the default threshold: another threshold's list would replace it.
  if (opts['write-docs'] && failOn !== defaultOn) throw new SetupError(`--write-docs records the default --fail-on ${defaultOn}: drop --fail-on ${failOn}`);
  log(`scanning ${entries.length} packages with keyfence (--fail-on ${failOn}) …`);
  const started = Date.now();
  const report = await scanCorpus(cli, { corpus: PATHS.corpus, configFile, reportFile: join(HOME, 'report.json'), failOn });
  timings.scanMs = Date.now() - started;
  const { findings, gone, belowFailOn } = judge(report, failOn);
  // A build from elsewhere is not this checkout's commit: say where it came from instead.
  const built = other ? `build in ${other}` : revision();
  const version = await keyfenceVersion(cli);
  const summary = summarise({ version, revision: built, failOn, markers, report, findings, belowFailOn, gone, timings });
  process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : renderText(summary));
  if (opts['write-docs']) {
    writeDocs(DOC, summary, new Date().toISOString().slice(0, 10));
    log(`wrote the generated section of ${DOC.slice(ROOT.length + 1)}`);
  }
  return summary.ok ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  // Anything that stops the run before a measurement is a setup error (exit 2), never a rate over the
  // target (exit 1); an unexpected one keeps its stack for whoever fixes it.
  process.stderr.write(`precision: ${error instanceof SetupError ? error.message : error.stack}\n`);
  process.exitCode = 2;
}
