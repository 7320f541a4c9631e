/**
 * Promise: no hang. A 10 MB single-line minified file and a 1 GB file finish in bounded time (the
 * test's timeout is the bound: generous, so a slow machine does not fail it, and far below what a
 * hang or a quadratic blow-up would take); lines full of every rule's keywords cost no backtracking;
 * a custom rule with a catastrophic regex is rejected when keyfence.yml loads, with a clear error.
 * (Every built-in regex is proven linear by test/rules/ruleRegexSafety.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { Engine } from '../../src/engine/engine.js';
import { expectOneLineError, keyfence, keyfenceJson } from '../git/gitHelpers.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { builtinRulesWithExamples, expandExample } from './leaks.js';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { fileURLToPath } from 'node:url';

let dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});
const track = <T extends TempDir>(d: T): T => (dirs.push(d), d);

/**
 * A minified bundle: one line of `size` characters of code that wakes generic rules everywhere, a key
 * in the middle.
 */
function minified(size: number, key: string): string {
  const chunk = 'function(a,b){return a.key+b.token};var secret_token=e.key,password=t.pw,api_key:q.k;';
  const half = chunk.repeat(Math.ceil(size / 2 / chunk.length));
  return `${half}var k="${key}";${half}`;
}

/** A sparse file of `size` bytes (no data written past `head`): the disk holds a few kB. */
function sparse(path: string, head: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

const GB = 1024 ** 3;

describe('a 10 MB single-line minified file', () => {
  it('is scanned in bounded time, on disk and staged, and its key is found', () => {
    const repo = track(tempRepo('keyfence-minified-'));
    const key = fake.stripeLive();
    // Large enough to be scanned at all: the default maxFileSize (5 MB) would skip it.
    repo.write('keyfence.yml', 'maxFileSize: 20000000\n');
    // `.min.js` by name; `app.js` is told minified by its lines' length.
    repo.write('dist/app.min.js', minified(10_000_000, key));
    repo.write('dist/app.js', minified(10_000_000, key));
    for (const args of [['scan'], ['scan', '--no-git']]) {
      const { code, report, stderr } = keyfenceJson(repo.path, args);
      expect(code, stderr).toBe(1);
      expect(report.findings.map((f) => `${f.file} ${f.ruleId}`).sort()).toEqual(['dist/app.js stripe-live-secret-key', 'dist/app.min.js stripe-live-secret-key']);
    }
    repo.git('add', '-A');
    const staged = keyfenceJson(repo.path, ['staged']);
    expect(staged.code, staged.stderr).toBe(1);
    expect(staged.report.findings.map((f) => f.file).sort()).toEqual(['dist/app.js', 'dist/app.min.js']);
  }, 120_000);
});

describe('a 1 GB file', () => {
  it('on disk: skipped with a note at the default maxFileSize, and never read whole past what a string holds', () => {
    const dir = track(tempDir('keyfence-huge-'));
    // Text at the start (so it is not binary by its first bytes), then a gigabyte of nothing.
    sparse(join(dir.path, 'huge.log'), `${'log line '.repeat(1000)}\n`, GB);
    dir.write('app.env', `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
    const byDefault = keyfenceJson(dir.path, ['scan']);
    expect(byDefault.code).toBe(1);
    expect(byDefault.report.notes.join('\n')).toMatch(/huge\.log \(1073741824 bytes\)/);
    // A maxFileSize above what a JavaScript string can hold still skips it: no crash, no exit 2.
    dir.write('keyfence.yml', 'maxFileSize: 2000000000\n');
    const raised = keyfenceJson(dir.path, ['scan']);
    expect(raised.code, raised.stderr).toBe(1);
    expect(raised.stderr).not.toContain('internal error');
    expect(raised.report.notes.join('\n')).toMatch(/huge\.log \(1073741824 bytes\)/);
    expect(raised.report.findings.map((f) => f.file)).toEqual(['app.env']);
  }, 120_000);

  it('staged for a commit: the hook answers in bounded time', () => {
    const repo = track(tempRepo('keyfence-huge-staged-'));
    sparse(join(repo.path, 'huge.log'), `${'log line '.repeat(1000)}\n`, GB);
    repo.write('app.env', `STRIPE_SECRET_KEY=${fake.stripeLive()}\n`);
    // Stored with light compression: it is the hook's time that counts here, not git's.
    const add = spawnSync('git', ['-c', 'core.compression=1', '-c', 'core.looseCompression=1', 'add', '-A'], {
      cwd: repo.path,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    expect(add.status).toBe(0);
    const staged = keyfenceJson(repo.path, ['staged']);
    expect(staged.code, staged.stderr).toBe(1);
    expect(staged.report.findings.map((f) => f.file)).toEqual(['app.env']);
    expect(staged.report.notes.join('\n')).toMatch(/huge\.log/);
  }, 120_000);
});

describe('lines made to make regexes work hard', () => {
  it('every rule keyword repeated on one long line, and each rule\'s example run together, cost bounded time', () => {
    const rules = loadRuleDirectory(fileURLToPath(new URL('../../rules', import.meta.url)));
    const keywords = [...new Set(rules.flatMap((r) => r.spec.keywords))];
    const engine = new Engine(defaultConfig());
    // Keywords back to back, with the characters rules match on between them (no separator a `\b` needs).
    const hostile = [
      keywords.join('').repeat(Math.ceil(1_000_000 / keywords.join('').length)),
      keywords.map((k) => `${k}${'a'.repeat(200)}`).join('=').repeat(20),
      keywords.map((k) => `${k}=${'A1b2'.repeat(50)}`).join(' ').repeat(20),
      `password = "${'x'.repeat(500_000)}`,
      `${'-----BEGIN PRIVATE KEY-----'.repeat(10_000)}`,
      `eyJ${'a'.repeat(300_000)}.${'b'.repeat(300_000)}`,
      `postgres://${'u'.repeat(200_000)}:${'p'.repeat(200_000)}@`,
    ];
    for (const [i, text] of hostile.entries()) {
      for (const file of ['config/.env.development', 'src/app.js']) expect(() => engine.scan({ file, text }), `line ${i}`).not.toThrow();
    }
    // Every rule's examples run together on one line, twice over.
    const examples = builtinRulesWithExamples().flatMap((rule) => rule.match.map((_, n) => expandExample(rule, n, seededRandom(`${rule.id}/${n}`)).text.replace(/\r?\n/g, ' ')));
    const joined = examples.join(' ').repeat(2);
    const found = engine.scan({ file: 'config/.env.development', text: joined });
    expect(found.length).toBeGreaterThan(examples.length);
  }, 60_000);
});

describe('a custom rule with a catastrophic regex', () => {
  const RULE = (regex: string, allow = '') => `rules:
  - id: acme-token
    description: ACME token
    category: live-key
    severity: high
    keywords: [acme_]
    regex: '${regex}'
${allow ? `    allow: ['${allow}']\n` : ''}    examples: { match: [], noMatch: [] }
`;

  it('is rejected when keyfence.yml loads, naming the file, the rule and an attack, in the hook too', () => {
    const repo = track(tempRepo('keyfence-redos-'));
    const cache = track(tempDir('keyfence-redos-cache-'));
    const env = { KEYFENCE_CACHE_DIR: cache.path };
    repo.write('app.js', 'module.exports = 1;\n');
    repo.git('add', '-A');
    for (const [regex, allow] of [
      ['\\b(acme_(?:[a-z]+)+)$', ''],
      ['\\b(acme_[a-z0-9]{32})\\b', '^(a|a)*$'],
      ['acme_(\\w+\\s?)*=', ''],
    ] as const) {
      repo.write('keyfence.yml', RULE(regex, allow));
      for (const command of ['scan', 'staged']) {
        const result = keyfence(repo.path, [command], env);
        expectOneLineError(result, /^keyfence: keyfence\.yml:\d+:\d+: rule acme-token: `(regex|allow\[0\])` can backtrack catastrophically \(.+, e\.g\. on ".+"\)$/);
        expect(result.stderr).toMatch(/hint: bound the repetition/);
      }
    }
    // A linear regex loads and runs.
    repo.write('keyfence.yml', RULE('\\b(acme_[a-z0-9]{32})\\b'));
    // A random value: a repeated block (`a1b2c3d4` four times) is a placeholder for every rule.
    repo.write('app.js', `const t = 'acme_${randomString(seededRandom('no-hang'), 'lowernum', 32)}';\n`);
    const ok = keyfenceJson(repo.path, ['scan'], env);
    expect(ok.code, ok.stderr).toBe(1);
    expect(ok.report.findings.map((f) => f.ruleId)).toEqual(['acme-token']);
  }, 120_000);
});
