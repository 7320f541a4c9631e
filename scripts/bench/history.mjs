// The generated git history: a mixed-language project with thousands of commits, written in one go
// with `git fast-import` (seconds, where `git commit` in a loop would take many minutes). Commits
// edit, add, delete and rename files; feature branches come back through merge commits; now and
// then a commit adds a credential, and a later one often removes it again.

import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './prng.mjs';
import * as c from './content.mjs';
import { secretLine } from './secrets.mjs';

const AUTHORS = ['Ada Okafor', 'Bruno Lindqvist', 'Chen Wei', 'Dana Levi', 'Emeka Nwosu', 'Farah Haddad', 'Gustavo Reyes', 'Hana Sato', 'Ivan Petrov', 'Jules Martin', 'Kavya Iyer', 'Lena Vogel'];
const TYPES = ['feat', 'fix', 'refactor', 'chore', 'docs', 'test', 'perf', 'build'];

const KINDS = [
  [5, { lang: 'ts', dir: 'src', ext: 'ts' }],
  [2, { lang: 'ts', dir: 'test', ext: 'test.ts' }],
  [2, { lang: 'py', dir: 'scripts', ext: 'py' }],
  [1, { lang: 'go', dir: 'tools', ext: 'go' }],
  [1, { lang: 'md', dir: 'docs', ext: 'md' }],
  [1, { lang: 'yaml', dir: 'config', ext: 'yaml' }],
];

function generate(r, lang, target) {
  switch (lang) {
    case 'py':
      return c.pyFile(r, target);
    case 'go':
      return c.goFile(r, target, { pkg: 'tools' });
    case 'md':
      return c.markdownFile(r, target, c.sentence(r, 2, 4).slice(0, -1));
    case 'yaml':
      return c.yamlFile(r, target, 'app');
    default:
      return c.jsFile(r, target, { ts: true, test: false });
  }
}

const syntaxOf = (lang) => ({ ts: 'js', py: 'py', go: 'go', md: 'md', yaml: 'yaml' })[lang];

/**
 * Writes the fast-import stream for `commits` commits to `sink` (an async write function).
 * Returns facts about the history: commits, merges, planted credentials.
 */
async function writeStream(write, commits, seed) {
  const r = new Rng(seed);
  const files = new Map(); // path -> { lang, lines }
  let mark = 0;
  let time = Date.UTC(2019, 0, 7, 9) / 1000;
  const planted = [];
  const pendingRemoval = []; // { at, path, value }
  let count = 0;
  let merges = 0;

  const newPath = (kind) => {
    for (;;) {
      const stem = kind.lang === 'go' || kind.lang === 'py' ? c.ident.snake(r) : c.ident.camel(r);
      const p = `${kind.dir}/${c.words(r, 1, 2).join('/')}/${stem}.${kind.ext}`;
      if (!files.has(p)) return p;
    }
  };
  const blob = async (text) => {
    const id = ++mark;
    const buf = Buffer.from(text);
    await write(`blob\nmark :${id}\ndata ${buf.length}\n`);
    await write(buf);
    await write('\n');
    return id;
  };
  const commitHeader = async (branch, message, from, merge) => {
    const id = ++mark;
    const who = r.pick(AUTHORS);
    const email = `${who.toLowerCase().replace(/ /g, '.')}@acme-corp.net`;
    time += r.int(600, 6 * 3600);
    const msg = Buffer.from(message);
    let head = `commit refs/heads/${branch}\nmark :${id}\nauthor ${who} <${email}> ${time} +0000\ncommitter ${who} <${email}> ${time} +0000\ndata ${msg.length}\n`;
    await write(head);
    await write(msg);
    head = '\n';
    if (from) head += `from :${from}\n`;
    if (merge) head += `merge :${merge}\n`;
    await write(head);
    return id;
  };

  /** One commit's worth of changes, applied to `files`. Returns [path, blobMark|null][]. */
  const changes = async () => {
    const out = [];
    const op = files.size < 40 ? 'add' : r.weighted([[70, 'edit'], [15, 'add'], [10, 'edit+add'], [3, 'delete'], [2, 'rename']]);
    const paths = [...files.keys()];
    if (op === 'edit' || op === 'edit+add') {
      for (let i = 0, n = r.weighted([[60, 1], [25, 2], [10, 3], [5, 5]]); i < n; i++) {
        const path = r.pick(paths);
        const f = files.get(path);
        const at = r.int(0, f.lines.length);
        const removed = r.chance(0.6) ? r.int(0, Math.min(8, f.lines.length - at)) : 0;
        const snippet = generate(r, f.lang, r.int(150, 2000)).split('\n').slice(3);
        const add = snippet.slice(0, r.int(1, Math.min(40, snippet.length)));
        if (count > 50 && r.chance(0.006)) {
          const s = secretLine(r, syntaxOf(f.lang));
          add.splice(r.int(0, add.length), 0, s.line);
          planted.push({ commit: count + 1, path, kind: s.kind, removedIn: null });
          if (r.chance(0.5)) pendingRemoval.push({ at: count + r.int(5, 200), path, value: s.value, entry: planted[planted.length - 1] });
        }
        f.lines.splice(at, removed, ...add);
        out.push([path, null]);
      }
    }
    if (op === 'add' || op === 'edit+add') {
      for (let i = 0, n = files.size < 40 ? r.int(20, 60) : r.int(1, 3); i < n; i++) {
        const kind = r.weighted(KINDS);
        const path = newPath(kind);
        files.set(path, { lang: kind.lang, lines: generate(r, kind.lang, r.size(2500, 0.8, 200, 30000)).split('\n') });
        out.push([path, null]);
      }
    }
    if (op === 'delete') {
      const path = r.pick(paths);
      files.delete(path);
      out.push([path, 'D']);
    }
    if (op === 'rename') {
      const path = r.pick(paths);
      const f = files.get(path);
      const dest = `${path.split('/').slice(0, -1).join('/')}/${c.ident.camel(r)}.${path.split('.').slice(1).join('.')}`;
      if (!files.has(dest)) {
        files.delete(path);
        files.set(dest, f);
        out.push([path, 'D'], [dest, null]);
      }
    }
    // Credentials whose time has come are taken out again.
    for (let i = pendingRemoval.length - 1; i >= 0; i--) {
      const p = pendingRemoval[i];
      if (p.at > count) continue;
      pendingRemoval.splice(i, 1);
      const f = files.get(p.path);
      if (!f) continue;
      const k = f.lines.findIndex((l) => l.includes(p.value));
      if (k < 0) continue;
      f.lines.splice(k, 1);
      p.entry.removedIn = count + 1;
      out.push([p.path, null]);
    }
    const result = [];
    const seen = new Set();
    for (const [path, how] of out.reverse()) {
      if (seen.has(path)) continue;
      seen.add(path);
      if (how === 'D' || !files.has(path)) result.push([path, 'D']);
      else result.push([path, await blob(files.get(path).lines.join('\n'))]);
    }
    return result;
  };

  const emitChanges = async (list) => {
    let text = '';
    for (const [path, how] of list) text += how === 'D' ? `D ${path}\n` : `M 100644 :${how} ${path}\n`;
    await write(text + '\n');
  };
  const message = () => `${r.pick(TYPES)}(${c.words(r, 1, 1)[0]}): ${c.sentence(r, 3, 9).slice(0, -1).toLowerCase()}${r.chance(0.3) ? `\n\n${c.sentence(r, 8, 20)}` : ''}\n`;

  let main = 0;
  while (count < commits) {
    if (count > 30 && r.chance(0.04) && commits - count > 10) {
      // A feature branch of a few commits, merged back with a merge commit.
      const n = r.int(2, 6);
      let tip = main;
      const touched = new Map();
      for (let i = 0; i < n; i++) {
        const list = await changes();
        tip = await commitHeader('feature', message(), tip);
        await emitChanges(list);
        for (const [p, m] of list) touched.set(p, m);
        count++;
      }
      main = await commitHeader('main', `Merge branch 'feature/${c.words(r, 1, 2).join('-')}'\n`, main, tip);
      await emitChanges([...touched]);
      count++;
      merges++;
      continue;
    }
    const list = await changes();
    main = await commitHeader('main', message(), main || undefined);
    await emitChanges(list);
    count++;
  }
  await write('reset refs/heads/feature\nfrom 0000000000000000000000000000000000000000\n\n');
  return { commits: count, merges, files: files.size, planted };
}

/** Creates a git repository at `dir` with the generated history checked out. */
export async function buildHistoryRepo(dir, commits, seed = 'history') {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  execFileSync('git', ['config', 'gc.auto', '0'], { cwd: dir });
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited with ${code}`))));
  });
  let pending = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!pending.length) return;
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  };
  const write = async (data) => {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes > 1 << 20) await flush();
  };
  const facts = await writeStream(write, commits, seed);
  await write('done\n');
  await flush();
  child.stdin.end();
  await exited;
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
  execFileSync('git', ['gc', '-q'], { cwd: dir });
  facts.commits = Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir }).toString().trim());
  return facts;
}

const GIT_ENV = { GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };

/**
 * Two clones of the history repository, each with a staged change: `small` adds 5 lines to one file,
 * `large` adds 2,000 lines over 20 files (15 edited, 5 new), one of them a live credential.
 */
export function buildHookRepos(source, dirs) {
  const r = new Rng('hook');
  const out = {};
  for (const [which, dir] of Object.entries(dirs)) {
    execFileSync('git', ['clone', '-q', '-c', 'gc.auto=0', source, dir], { env: { ...process.env, ...GIT_ENV } });
    const tracked = execFileSync('git', ['ls-files', 'src'], { cwd: dir }).toString().trim().split('\n').filter((p) => p.endsWith('.ts'));
    const chosen = r.shuffle(tracked);
    const plan = which === 'small' ? [{ path: chosen[0], lines: 5, secret: false }] : [
      ...chosen.slice(0, 15).map((path, i) => ({ path, lines: 100, secret: i === 7 })),
      ...Array.from({ length: 5 }, (_, i) => ({ path: `src/features/new_${i}/${c.ident.camel(r)}.ts`, lines: 100, secret: false, create: true })),
    ];
    for (const step of plan) {
      const full = join(dir, step.path);
      const added = [];
      while (added.length < step.lines) added.push(...c.jsFile(r, 3000, { ts: true }).split('\n').filter((l) => l.trim() !== ''));
      added.length = step.lines;
      if (step.secret) added[40] = secretLine(r, 'js', 'stripe-live').line;
      if (step.create) {
        mkdirSync(join(full, '..'), { recursive: true });
        writeFileSync(full, added.join('\n') + '\n');
      } else {
        const lines = readFileSync(full, 'utf8').split('\n');
        // Insert after a non-empty line so the diff is exactly the added lines.
        const at = Math.max(1, Math.floor(lines.length / 2));
        lines.splice(at, 0, ...added);
        writeFileSync(full, lines.join('\n'));
      }
    }
    execFileSync('git', ['add', '-A'], { cwd: dir });
    const numstat = execFileSync('git', ['diff', '--cached', '--numstat'], { cwd: dir }).toString().trim().split('\n');
    const addedLines = numstat.reduce((n, l) => n + Number(l.split('\t')[0]), 0);
    const removedLines = numstat.reduce((n, l) => n + Number(l.split('\t')[1]), 0);
    out[which] = { dir, files: numstat.length, added: addedLines, removed: removedLines, stagedPaths: numstat.map((l) => l.split('\t')[2]) };
  }
  return out;
}
