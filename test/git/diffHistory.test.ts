import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { commit, expectOneLineError, keyfence, keyfenceJson, type JsonReport } from './gitHelpers.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});
function repo(): TempDir {
  const r = tempRepo();
  cleanup.push(() => r.remove());
  return r;
}

const STRIPE = 'stripe-live-secret-key';
const summary = (r: JsonReport) =>
  r.findings.map((f) => ({ file: f.file, line: f.line, commit: f.commit, author: f.author, date: f.date }));

/** base -> adds a key -> removes it again -> unrelated change. */
function addedThenRemoved() {
  const r = repo();
  r.write('README.md', '# service\n');
  r.write('src/config.js', "module.exports = {\n  region: 'eu',\n};\n");
  r.git('add', '-A');
  const base = commit(r, 'base', '2026-01-01T10:00:00Z');
  const key = fake.stripeLive();
  r.write('src/config.js', `module.exports = {\n  region: 'eu',\n  stripe: '${key}',\n};\n`);
  r.git('add', '-A');
  const leak = commit(r, 'add stripe', '2026-01-02T11:00:00Z');
  r.write('src/config.js', "module.exports = {\n  region: 'eu',\n  stripe: process.env.STRIPE_KEY,\n};\n");
  r.git('add', '-A');
  const fix = commit(r, 'oops, use the environment', '2026-01-03T12:00:00Z');
  r.write('README.md', '# service\n\nDocs.\n');
  r.git('add', '-A');
  const head = commit(r, 'docs', '2026-01-04T13:00:00Z');
  return { r, base, leak, fix, head, key };
}

describe('keyfence diff and history: a secret added and later removed', () => {
  it('diff BASE..HEAD finds it, naming the commit, author and date', () => {
    const { r, base, leak, key } = addedThenRemoved();
    const result = keyfenceJson(r.path, ['diff', `${base}..HEAD`]);
    expect(result.code).toBe(1);
    expect(summary(result.report)).toEqual([{ file: 'src/config.js', line: 3, commit: leak, author: 'Test Author <author@example.com>', date: '2026-01-02T11:00:00Z' }]);
    expect(result.report.findings[0]!.ruleId).toBe(STRIPE);
    expect(result.report.stats.commits).toBe(3);
    expect(result.stdout).not.toContain(key);
    // The text report names the commit too.
    const text = keyfence(r.path, ['diff', `${base}..HEAD`]);
    expect(text.stdout).toContain(`in ${leak.slice(0, 12)} by Test Author <author@example.com> on 2026-01-02T11:00:00Z`);
    expect(text.stdout).toMatch(/in 3 commits/);
  });

  it('diff takes BASE...HEAD and a lone BASE the same way, and an empty range finds nothing', () => {
    const { r, base, leak, head } = addedThenRemoved();
    expect(summary(keyfenceJson(r.path, ['diff', `${base}...${head}`]).report).map((f) => f.commit)).toEqual([leak]);
    expect(summary(keyfenceJson(r.path, ['diff', base]).report).map((f) => f.commit)).toEqual([leak]);
    const empty = keyfenceJson(r.path, ['diff', `${head}..${head}`]);
    expect(empty.code).toBe(0);
    expect(empty.report.stats.commits).toBe(0);
    // A range that ends before the leak does not see it.
    expect(keyfenceJson(r.path, ['diff', `HEAD~1..HEAD`]).report.findings).toEqual([]);
  });

  it('history finds it too, and --max-count and --since limit the commits', () => {
    const { r, leak } = addedThenRemoved();
    const all = keyfenceJson(r.path, ['history']);
    expect(all.code).toBe(1);
    expect(summary(all.report).map((f) => [f.file, f.line, f.commit])).toEqual([['src/config.js', 3, leak]]);
    expect(all.report.stats.commits).toBe(4);
    expect(all.stderr).toBe(''); // no progress line when stderr is not a terminal

    const two = keyfenceJson(r.path, ['history', '--max-count', '2']);
    expect(two.report.stats.commits).toBe(2);
    expect(two.report.findings).toEqual([]);
    expect(keyfenceJson(r.path, ['history', '-n', '3']).report.findings).toHaveLength(1);

    const recent = keyfenceJson(r.path, ['history', '--since', '2026-01-02T12:00:00Z']);
    expect(recent.report.stats.commits).toBe(2);
    expect(recent.report.findings).toEqual([]);
  });

  it('history shows a progress line on a terminal, and clears it before the report', async () => {
    const { r } = addedThenRemoved();
    const capture = (isTTY: boolean) => {
      const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((stream.text += String(chunk)), done()) }), { text: '', isTTY });
      return stream;
    };
    const stdout = capture(false);
    const stderr = capture(true);
    expect(await main(['history', '--format', 'json'], { cwd: r.path, env: process.env, stdout, stderr })).toBe(1);
    // eslint-disable-next-line no-control-regex -- \x1b[K is the ANSI erase-line the progress line starts with
    expect(stderr.text).toMatch(/^\r\x1b\[Kkeyfence: 1 commit, [\d,]+ commits\/s/);
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(stdout.text).stats.commits).toBe(4);
  });

  it('history --all also scans refs HEAD cannot reach', () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '-A');
    commit(r, 'base');
    r.git('checkout', '-q', '-b', 'experiment');
    r.write('exp.txt', `key = ${fake.stripeLive()}\n`);
    r.git('add', '-A');
    const exp = commit(r, 'experiment');
    r.git('checkout', '-q', 'main');
    expect(keyfenceJson(r.path, ['history']).report.findings).toEqual([]);
    expect(summary(keyfenceJson(r.path, ['history', '--all']).report).map((f) => f.commit)).toEqual([exp]);
  });
});

describe('merge commits', () => {
  it('report a merged secret once, with the commit that added it, and what the merge itself adds', () => {
    const r = repo();
    r.write('app.cfg', 'name = app\nmode = base\n');
    r.git('add', '-A');
    const base = commit(r, 'base');
    r.git('checkout', '-q', '-b', 'feature');
    r.write('feature.cfg', `token = ${fake.stripeLive()}\n`);
    r.write('app.cfg', 'name = app\nmode = feature\n');
    r.git('add', '-A');
    const feature = commit(r, 'feature');
    r.git('checkout', '-q', 'main');
    r.write('app.cfg', 'name = app\nmode = main\n');
    r.git('add', '-A');
    commit(r, 'main');
    expect(() => r.git('merge', '-q', '--no-ff', 'feature')).toThrow(); // a conflict in app.cfg
    r.write('app.cfg', `name = app\nmode = merged\nkey = ${fake.stripeLive()}\n`);
    r.git('add', '-A');
    const merge = commit(r, 'merge feature');

    for (const [args, commits] of [
      [['history'], 4],
      [['diff', `${base}..HEAD`], 3],
    ] as const) {
      const result = keyfenceJson(r.path, [...args]);
      expect(summary(result.report).map((f) => [f.file, f.line, f.commit])).toEqual([
        ['app.cfg', 3, merge],
        ['feature.cfg', 1, feature],
      ]);
      expect(result.report.stats.commits).toBe(commits);
    }
  });

  it('a clean merge adds nothing of its own', () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '-A');
    commit(r, 'base');
    r.git('checkout', '-q', '-b', 'side');
    r.write('side.txt', `key = ${fake.stripeLive()}\n`);
    r.git('add', '-A');
    const side = commit(r, 'side');
    r.git('checkout', '-q', 'main');
    r.write('main.txt', 'main\n');
    r.git('add', '-A');
    commit(r, 'main');
    r.git('merge', '-q', '--no-ff', '-m', 'merge', 'side');
    expect(summary(keyfenceJson(r.path, ['history']).report).map((f) => f.commit)).toEqual([side]);
  });
});

describe('shallow clones', () => {
  it('scan the commits present, attribute the boundary tree to the oldest commit, and say so', () => {
    const { r, leak } = addedThenRemoved();
    const clones = tempDir('keyfence-clone-');
    cleanup.push(() => clones.remove());
    const clone = join(clones.path, 'shallow');
    // Depth 3: the leak commit is the oldest present, so its whole tree counts as added there.
    clones.git('clone', '-q', '--depth', '3', `file://${r.path}`, clone);
    const result = keyfenceJson(clone, ['history']);
    expect(result.report.stats.commits).toBe(3);
    expect(result.report.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^shallow clone: /)]));
    expect(summary(result.report).map((f) => f.commit)).toEqual([leak]);

    const shallower = join(clones.path, 'shallower');
    clones.git('clone', '-q', '--depth', '2', `file://${r.path}`, shallower);
    const missed = keyfenceJson(shallower, ['history']);
    expect(missed.report.findings).toEqual([]);
    expect(missed.report.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^shallow clone: /)]));
  });
});

describe('diff without a range, in GitHub Actions', () => {
  function withEvent(payload: unknown): Record<string, string> {
    const d = mkdtempSync(join(tmpdir(), 'keyfence-event-'));
    cleanup.push(() => rmSync(d, { recursive: true, force: true }));
    const path = join(d, 'event.json');
    writeFileSync(path, JSON.stringify(payload));
    return { GITHUB_EVENT_PATH: path, GITHUB_ACTIONS: 'true' };
  }

  it('reads base and head of a pull_request event', () => {
    const { r, base, head, leak } = addedThenRemoved();
    const env = { ...withEvent({ pull_request: { base: { sha: base }, head: { sha: head } } }), GITHUB_EVENT_NAME: 'pull_request' };
    const result = keyfenceJson(r.path, ['diff'], env);
    expect(summary(result.report).map((f) => f.commit)).toEqual([leak]);
    expect(result.report.stats.commits).toBe(3);
  });

  it('reads before and after of a push, and only the head commit of a new branch', () => {
    const { r, base, head, leak, fix } = addedThenRemoved();
    const push = keyfenceJson(r.path, ['diff'], { ...withEvent({ before: base, after: head }), GITHUB_EVENT_NAME: 'push' });
    expect(summary(push.report).map((f) => f.commit)).toEqual([leak]);
    const created = keyfenceJson(r.path, ['diff'], { ...withEvent({ before: '0'.repeat(40), after: fix }), GITHUB_EVENT_NAME: 'push' });
    expect(created.report.stats.commits).toBe(1);
    expect(created.report.notes).toEqual([expect.stringMatching(/created its branch/)]);
  });

  it('says how to fix a base commit missing from a shallow checkout', () => {
    const { r, head } = addedThenRemoved();
    const env = { ...withEvent({ pull_request: { base: { sha: 'f'.repeat(40) }, head: { sha: head } } }), GITHUB_EVENT_NAME: 'pull_request' };
    const result = keyfence(r.path, ['diff'], env);
    expectOneLineError(result, /unknown revision "f{40}"/);
    expect(result.stderr).toContain('fetch-depth: 0');
  });

  it('errors clearly when there is no range at all', () => {
    const { r } = addedThenRemoved();
    expectOneLineError(keyfence(r.path, ['diff'], { GITHUB_EVENT_PATH: '' }), /no commit range: none given/);
    const env = { ...withEvent({ inputs: {} }), GITHUB_EVENT_NAME: 'workflow_dispatch' };
    expectOneLineError(keyfence(r.path, ['diff'], env), /no commit range in the workflow_dispatch event/);
  });
});

describe('bad input: one line, exit 2, never a stack trace', () => {
  it('not a git repository', () => {
    const outside = mkdtempSync(join(tmpdir(), 'keyfence-norepo-'));
    cleanup.push(() => rmSync(outside, { recursive: true, force: true }));
    for (const command of [['history'], ['diff', 'a..b']]) expectOneLineError(keyfence(outside, command, { GIT_CEILING_DIRECTORIES: tmpdir() }), /not a git repository/);
  });

  it('an unknown revision, and a malformed range', () => {
    const { r } = addedThenRemoved();
    expectOneLineError(keyfence(r.path, ['diff', 'no-such-branch..HEAD']), /unknown revision "no-such-branch"/);
    expectOneLineError(keyfence(r.path, ['diff', '..HEAD']), /cannot read the range/);
    expectOneLineError(keyfence(r.path, ['history', '--max-count', 'ten']), /--max-count must be a whole number/);
  });

  it('an empty repository', () => {
    const r = repo();
    expectOneLineError(keyfence(r.path, ['history']), /has no commits yet/);
    expectOneLineError(keyfence(r.path, ['history', '--all']), /has no commits yet/);
    expectOneLineError(keyfence(r.path, ['diff', 'HEAD~1..HEAD']), /has no commits yet/);
  });

  it('a detached HEAD is scanned like any other (CI checks out commits)', () => {
    const { r, leak } = addedThenRemoved();
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    expect(summary(keyfenceJson(r.path, ['history']).report).map((f) => f.commit)).toEqual([leak]);
  });

  it('a corrupt or missing object names the problem and suggests git fsck', () => {
    const { r } = addedThenRemoved();
    const blob = r.git('rev-parse', 'HEAD~2:src/config.js').trim();
    const file = join(r.path, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');
    const broken = keyfence(r.path, ['history']);
    expectOneLineError(broken, new RegExp(`git log failed: .*${blob}`));
    expect(broken.stderr).toContain('git fsck');

    const head = r.git('rev-parse', 'HEAD').trim();
    rmSync(join(r.path, '.git', 'objects', head.slice(0, 2), head.slice(2)));
    expectOneLineError(keyfence(r.path, ['history']), /bad object HEAD/);
  });
});
