// `node scripts/bench.mjs --scenario org`: `keyfence audit --org` over 200 small generated
// repositories on this machine. A local HTTP server answers GET /orgs/{org}/repos (100 a page, with
// GitHub's Link header) and each clone_url is a bare repository on disk (file://), so what is
// measured is keyfence's own work: listing, mirror clones, the audit of each repository, the
// report. Two runs: cold (empty cache: every repository cloned) and warm (the mirrors kept:
// fetched, nothing new). Reports repositories per minute and the CLI's peak resident memory
// (measure.mjs; git's own processes are not counted).
//
// The repositories are seeded (the same bytes on every machine): 2 to 8 commits of 5 to 30 small
// files each, mostly plain settings with a few decoys; about one in four carries a live-looking
// credential (secrets.mjs) in some commit.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTool } from './measure.mjs';
import { Rng } from './prng.mjs';
import { decoyLine, secretLine } from './secrets.mjs';

const ORG = 'bench-org';

/** `name = value` in the file's syntax. */
function setting(syntax, name, value) {
  if (syntax === 'env') return `${name.toUpperCase()}=${value}`;
  if (syntax === 'py') return `${name.toUpperCase()} = ${value}`;
  return `  ${name}: ${value}`;
}

/** One repository as a git fast-import stream: its commits on main. */
function fastImport(rng) {
  const parts = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commits = rng.int(2, 8);
  const files = Array.from({ length: rng.int(5, 30) }, (_, i) => `${rng.pick(['src', 'config', 'test', 'lib', 'deploy'])}/file-${i}.${rng.pick(['env', 'py', 'yaml'])}`);
  const leaky = rng.chance(0.25) ? rng.int(1, commits) : 0;
  for (let c = 1; c <= commits; c++) {
    parts.push(`commit refs/heads/main\nmark :${c}\ncommitter Bench <bench@example.com> ${1_700_000_000 + c * 3600} +0000\n${data(`change ${c}`)}`);
    if (c > 1) parts.push(`from :${c - 1}\n`);
    // The first commit adds every file; later ones change a few.
    const touched = c === 1 ? files : files.filter(() => rng.chance(0.2));
    for (const file of touched) {
      const syntax = file.endsWith('.env') ? 'env' : file.endsWith('.py') ? 'py' : 'yaml';
      // Plain settings, and now and then a decoy (a documented example, a placeholder) that must not be reported.
      const lines = Array.from({ length: rng.int(5, 40) }, (_, i) => (rng.chance(0.05) ? decoyLine(rng, syntax) : setting(syntax, `option_${i}`, rng.int(1, 99_999))));
      if (c === leaky && file === touched[0]) lines.splice(rng.int(0, lines.length), 0, secretLine(rng, syntax).line);
      parts.push(`M 100644 inline ${file}\n${data(`${lines.join('\n')}\n`)}`);
    }
  }
  return parts.join('');
}

/** The bare repositories, made once per count and seed, then reused. */
function ensureRepositories(dir, count, log) {
  const stamp = join(dir, 'complete.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const rng = new Rng(`org-${count}`);
  const repos = [];
  for (let i = 0; i < count; i++) {
    const name = `repo-${String(i).padStart(4, '0')}`;
    const path = join(dir, 'remotes', `${name}.git`);
    mkdirSync(path, { recursive: true });
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path]);
    const stream = fastImport(rng);
    execFileSync('git', ['fast-import', '--quiet'], { cwd: path, input: stream });
    repos.push({ name, path, size: Math.ceil(Buffer.byteLength(stream) / 1024) });
  }
  writeFileSync(stamp, JSON.stringify(repos));
  log(`generated ${count} repositories`);
  return repos;
}

/** GET /orgs/{org}/repos, 100 a page with a Link header, in the shape keyfence reads of `minimal-repository`. */
function listingServer(repos) {
  const items = repos.map((r, i) => ({
    id: i + 1,
    name: r.name,
    full_name: `${ORG}/${r.name}`,
    private: false,
    visibility: 'public',
    fork: false,
    archived: false,
    size: r.size,
    clone_url: pathToFileURL(r.path).href,
  }));
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== `/api/v3/orgs/${ORG}/repos`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const per = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / per));
    const headers = { 'content-type': 'application/json' };
    if (page < last) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<http://127.0.0.1:${server.address().port}${next.pathname}${next.search}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify(items.slice((page - 1) * per, page * per)));
  });
  return { server, requests: () => requests };
}

/** Runs the cold and the warm audit once each and prints (and returns) what they measured. */
export async function benchOrg({ bench, cli, repositories = 200, jobs = availableParallelism(), timeoutS = 1800, log }) {
  const dir = join(bench, `org-${repositories}`);
  const repos = ensureRepositories(dir, repositories, log);
  const { server } = listingServer(repos);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cache = join(dir, 'cache');
  rmSync(cache, { recursive: true, force: true });
  const env = { ...process.env, GITHUB_TOKEN: 'bench', KEYFENCE_CACHE_DIR: cache, NO_COLOR: '1' };
  const api = `http://127.0.0.1:${server.address().port}/api/v3`;
  const results = {};
  try {
    for (const kind of ['cold', 'warm']) {
      const out = join(dir, `report-${kind}.json`);
      rmSync(out, { force: true });
      const argv = ['node', cli, 'audit', '--org', ORG, '--github-url', api, '--jobs', String(jobs), '--format', 'json', '--output', out, '--fail-on', 'none'];
      const run = await runTool({ id: `audit --org (${kind})`, steps: [{ argv, cwd: dir, env, okCodes: [0] }] }, timeoutS * 1000);
      if (!run.ok) throw new Error(`audit --org failed (exit ${run.code}${run.timedOut ? ', timed out' : ''}): ${run.stderr.slice(0, 2000)}`);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const audited = report.notes[0];
      if (audited !== `${repositories} repositories of ${ORG}: ${repositories} audited, 0 not`) throw new Error(`unexpected: ${audited}`);
      results[kind] = {
        ms: Math.round(run.ms),
        reposPerMinute: +((repositories / run.ms) * 60_000).toFixed(1),
        peakRssMB: +(run.rssKb / 1024).toFixed(1),
        findings: report.findings.length,
        commits: report.stats.commits,
      };
      log(`audit --org ${kind}: ${repositories} repositories (${report.stats.commits} commits, ${report.findings.length} findings) in ${(run.ms / 1000).toFixed(1)} s, ` +
        `${results[kind].reposPerMinute} repositories/min, peak RSS ${results[kind].peakRssMB} MB (--jobs ${jobs})`);
    }
  } finally {
    server.close();
  }
  const result = { scenario: 'org', repositories, jobs, ...results };
  mkdirSync(join(bench, 'results'), { recursive: true });
  writeFileSync(join(bench, 'results', `org-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
