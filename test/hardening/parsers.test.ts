/**
 * Promise: parsers never crash. Hostile or broken input becomes findings, notes or a one-line error
 * with file, line and column, never an exception or a stack trace. What test/git/patchParser.test.ts
 * and test/workflows/robustness.test.ts already prove is not repeated: this adds generated patches
 * of every shape git prints (and broken ones), a real repository with the odd cases end to end,
 * generated YAML-ish workflows through the CLI, and generated configs for the config loader.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/configFile.js';
import { defaultConfig } from '../../src/config/config.js';
import { Engine } from '../../src/engine/engine.js';
import { isSkipped, toGitFragment } from '../../src/sources/gitChanges.js';
import { PatchParser, type PatchEvent } from '../../src/sources/patchParser.js';
import { auditWorkflowFile, WORKFLOW_CHECKS } from '../../src/workflows/auditWorkflow.js';
import { expectOneLineError, keyfence, keyfenceJson, commit } from '../git/gitHelpers.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

let dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});
const track = <T extends TempDir>(d: T): T => (dirs.push(d), d);

// ------------------------------------------------------------------------------------------------
// The patch parser

const sha = fc.stringMatching(/^[0-9a-f]{40}$/);
const shortSha = fc.stringMatching(/^[0-9a-f]{7}$/);
/**
 * Path characters, and C-quoted escapes as git prints them: tab, newline, quote, backslash, UTF-8
 * and invalid bytes.
 */
const plainSegment = fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/);
const escape = fc.constantFrom('\\t', '\\n', '\\"', '\\\\', '\\303\\251', '\\346\\227\\245', '\\377', '\\200\\201', '\\302', ' ', 'é', '日');
const quotedSegment = fc.array(fc.oneof(plainSegment, escape), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
const path = fc.oneof(
  fc.array(plainSegment, { minLength: 1, maxLength: 3 }).map((s) => ({ bare: s.join('/'), quoted: false })),
  fc.array(quotedSegment, { minLength: 1, maxLength: 3 }).map((s) => ({ bare: s.join('/'), quoted: true })),
);
const side = (prefix: string, p: { bare: string; quoted: boolean }) => (p.quoted ? `"${prefix}${p.bare}"` : `${prefix}${p.bare}`);
const eol = fc.constantFrom('\n', '\n', '\n', '\r\n');
const KEY = fake.stripeLive();
const content = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  fc.constantFrom(`STRIPE_KEY=${KEY}`, `  "key": "${KEY}",\r`),
);

const hunkLine = fc.oneof(
  fc.tuple(fc.constantFrom('+', '-', ' '), content).map(([c, t]) => c + t),
  fc.constant('\\ No newline at end of file'),
  fc.constantFrom('+++ b/not-a-header', '--- a/nor-this', '+diff --git a/x b/x', '@@ broken hunk header', ''),
);
const hunk = fc
  .tuple(fc.nat(500), fc.nat(9), fc.nat(500), fc.nat(9), fc.array(fc.tuple(hunkLine, eol), { maxLength: 8 }))
  .map(([a, b, c, d, lines]) => `@@ -${a},${b} +${c},${d} @@ context${lines.length ? '\n' : ''}${lines.map(([l, e]) => l + e).join('').replace(/\r?\n$/, '')}`);
const combinedHunk = fc
  .tuple(fc.integer({ min: 2, max: 4 }), fc.nat(300), fc.array(fc.tuple(fc.array(fc.constantFrom('+', '-', ' '), { minLength: 4, maxLength: 4 }), content), { maxLength: 6 }))
  .map(([parents, start, lines]) => {
    const at = '@'.repeat(parents + 1);
    const ranges = Array.from({ length: parents }, (_, i) => `-${i + 1},2`).join(' ');
    return [`${at} ${ranges} +${start},3 ${at}`, ...lines.map(([cols, text]) => cols.slice(0, parents).join('') + text)].join('\n');
  });

/** One file of a patch, in any of the shapes git prints, or a broken one. */
const fileBlock = fc.oneof(
  // Modified, with hunks.
  fc.tuple(path, sha, sha, fc.array(hunk, { maxLength: 3 })).map(([p, a, b, hs]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, `index ${a}..${b} 100644`, `--- ${side('a/', p)}`, `+++ ${side('b/', p)}`, ...hs]),
  // New, deleted (no removed lines: --irreversible-delete).
  fc.tuple(path, sha, fc.array(hunk, { maxLength: 2 })).map(([p, b, hs]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, 'new file mode 100644', `index 0000000..${b}`, '--- /dev/null', `+++ ${side('b/', p)}`, ...hs]),
  fc.tuple(path, shortSha).map(([p, a]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, 'deleted file mode 100755', `index ${a}..0000000`]),
  // Renamed or copied, with or without changes.
  fc.tuple(path, path, fc.constantFrom('rename', 'copy'), fc.nat(100), fc.array(hunk, { maxLength: 2 })).map(([p, q, how, similarity, hs]) => [
    `diff --git ${side('a/', p)} ${side('b/', q)}`,
    `similarity index ${similarity}%`,
    `${how} from ${side('', p)}`,
    `${how} to ${side('', q)}`,
    ...(hs.length ? [`--- ${side('a/', p)}`, `+++ ${side('b/', q)}`, ...hs] : []),
  ]),
  // Mode changes, symlinks, binaries (both forms), submodules.
  fc.tuple(path, fc.constantFrom('100644', '100755', '120000')).map(([p, m]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, 'old mode 100644', `new mode ${m}`]),
  fc.tuple(path, sha, sha).map(([p, a, b]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, `index ${a}..${b} 100644`, `Binary files ${side('a/', p)} and ${side('b/', p)} differ`]),
  fc.tuple(path, sha).map(([p, b]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, 'new file mode 100644', `index 0000000..${b}`, 'GIT binary patch', 'literal 12', 'zcmZQzU|?imVq{=o;9y{6U|?imU<v>L', '', 'literal 0', 'HcmV?d00001', '']),
  fc.tuple(path, sha, sha).map(([p, a, b]) => [`diff --git ${side('a/', p)} ${side('b/', p)}`, `index ${a}..${b} 160000`, `--- ${side('a/', p)}`, `+++ ${side('b/', p)}`, '@@ -1 +1 @@', `-Subproject commit ${a}`, `+Subproject commit ${b}`]),
  // A merge's dense combined diff.
  fc.tuple(path, shortSha, shortSha, shortSha, fc.array(combinedHunk, { minLength: 1, maxLength: 2 })).map(([p, a, b, c, hs]) => [`diff --cc ${side('', p)}`, `index ${a},${b}..${c}`, `--- ${side('a/', p)}`, `+++ ${side('b/', p)}`, ...hs]),
  fc.tuple(path).map(([p]) => [`* Unmerged path ${side('', p)}`]),
  // Broken: a header cut short, garbage, a hunk without a header, a commit header with missing fields.
  fc.tuple(path).map(([p]) => [`diff --git ${side('a/', p)}`]),
  fc.array(content, { maxLength: 3 }),
  fc.array(hunk, { minLength: 1, maxLength: 2 }),
  fc.tuple(sha, fc.array(sha, { maxLength: 3 }), fc.nat(), content).map(([s, parents, time, who]) => [`\0${s}\0${parents.join(' ')}\0${time}\0${who}\0${who}@example.com`, '']),
  fc.tuple(content).map(([c]) => [`\0${c}`]),
);
const patch = fc.array(fileBlock, { maxLength: 6 }).map((blocks) => Buffer.from(blocks.flat().join('\n') + '\n', 'latin1').toString('latin1'));
/** The bytes git would send: the text as UTF-8, escapes staying escapes; invalid bytes come from quoted octal only. */
const patchBytes = patch.map((text) => Buffer.from(text, 'utf8'));

function parseInChunks(bytes: Buffer, cuts: number[], options = {}): PatchEvent[] {
  const parser = new PatchParser(options);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const p of [...points, bytes.length]) {
    parser.write(bytes.subarray(at, p));
    at = p;
  }
  parser.end();
  return parser.take();
}

describe('the patch parser on generated patches', () => {
  it('never throws, reads the same however git\'s output is cut, and numbers every added line', async () => {
    const engine = new Engine(defaultConfig());
    await fc.assert(
      fc.asyncProperty(patchBytes, fc.array(fc.nat(), { maxLength: 12 }), async (bytes, cuts) => {
        const whole = parseInChunks(bytes, []);
        expect(parseInChunks(bytes, cuts)).toEqual(whole);
        for (const event of whole) {
          if (event.type === 'unmerged') expect(typeof event.path).toBe('string');
          if (event.type !== 'file') continue;
          const f = event.file;
          expect(typeof f.path).toBe('string');
          expect(f.lineNumbers).toHaveLength(f.added.length);
          for (const n of f.lineNumbers) expect(Number.isInteger(n) && n >= 0).toBe(true);
          if (f.kind !== 'text') expect(f.added).toEqual([]);
          for (const line of f.added) expect(line).not.toContain('\n');
          // What the parser hands on, the engine scans, and places findings on the file's own lines.
          const item = await toGitFragment(f, undefined);
          if (!item || isSkipped(item)) continue;
          for (const finding of engine.scan(item.fragment)) expect(f.lineNumbers).toContain(finding.line);
        }
        engine.finish();
      }),
      { numRuns: 400 },
    );
  });

  it('keeps at most maxFileLength of added text per file, whatever the input', () => {
    fc.assert(
      fc.property(patchBytes, fc.integer({ min: 16, max: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, limit, cuts) => {
        for (const event of parseInChunks(bytes, cuts, { maxFileLength: limit })) {
          if (event.type !== 'file') continue;
          const kept = event.file.added.reduce((n, l) => n + l.length + 1, 0);
          expect(kept).toBeLessThanOrEqual(limit);
          if (event.file.truncated) expect(event.file.added).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
// The git sources end to end, on a repository holding the odd cases

describe('the git sources on a repository with every odd case', () => {
  it('find each planted key on its line through history, diff and staged, and never crash', () => {
    const repo = track(tempRepo('keyfence-odd-'));
    const keys = Array.from({ length: 10 }, () => fake.stripeLive());
    const write = (name: string | Buffer, data: string | Buffer) => writeFileSync(typeof name === 'string' ? join(repo.path, name) : Buffer.concat([Buffer.from(`${repo.path}/`), name]), data);
    const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x65, 0x6e, 0x76]); // "caf\xe9.env": not UTF-8
    repo.write('base.txt', 'base\n');
    repo.git('add', '-A');
    const base = commit(repo, 'base');
    // CRLF, no newline at the end, a name with a tab, a newline and quotes, a name that is not UTF-8,
    // a binary file holding a key, an executable script, a symlink.
    write('crlf.env', `A=1\r\nKEY=${keys[0]}\r\nB=2\r\n`);
    write('no-eol.env', `A=1\nKEY=${keys[1]}`);
    write('odd\tna"me\nhere.env', `KEY=${keys[2]}\n`);
    write(latin1Name, `X=1\nKEY=${keys[3]}\n`);
    write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(keys[4]!)]));
    write('run.sh', '#!/bin/sh\necho hi\n');
    repo.git('add', '-A');
    commit(repo, 'odd files');
    // Mode change with content, rename with change, a line after one that had no newline, a deletion.
    repo.git('update-index', '--chmod=+x', 'run.sh');
    write('run.sh', `#!/bin/sh\necho hi\nexport KEY=${keys[5]}\n`);
    repo.git('mv', 'crlf.env', 'renamed.env');
    write('renamed.env', `A=1\r\nKEY=${keys[0]}\r\nB=2\r\nC=${keys[6]}\r\n`);
    write('no-eol.env', `A=1\nKEY=${keys[1]}\nNEXT=${keys[7]}\n`);
    repo.git('rm', '-q', 'base.txt');
    repo.git('add', '-A');
    commit(repo, 'changes');
    // A merge with a conflict resolved by hand, adding a line of its own (an "evil merge").
    repo.git('checkout', '-q', '-b', 'side');
    write('conflict.env', 'VALUE=side\n');
    repo.git('add', '-A');
    commit(repo, 'side');
    repo.git('checkout', '-q', 'main');
    write('conflict.env', 'VALUE=main\n');
    repo.git('add', '-A');
    commit(repo, 'main');
    expect(() => repo.git('merge', '-q', 'side')).toThrow();
    write('conflict.env', `VALUE=resolved\nKEY=${keys[8]}\n`);
    repo.git('add', '-A');
    const merge = commit(repo, 'merge');
    // Staged, not committed: CRLF lines in a file with an odd name.
    write('staged \t"x".env', `A=1\r\nKEY=${keys[9]}\r\n`);
    repo.git('add', '-A');

    const keyFindings = (report: { findings: Array<{ file: string; line: number; ruleId: string; secret: string }> }) =>
      report.findings.filter((f) => f.ruleId === 'stripe-live-secret-key').map((f) => `${f.file}:${f.line} ${keys.indexOf(f.secret)}`);
    const expected = [
      'crlf.env:2 0',
      'no-eol.env:2 1',
      'odd\tna"me\nhere.env:1 2',
      // A name that is not UTF-8 is shown with replacement characters, and still scanned.
      'caf\uFFFD.env:2 3',
      'run.sh:3 5',
      'renamed.env:4 6',
      // The key line lost its missing newline, so git shows it again: added by both commits.
      'no-eol.env:3 7',
      'conflict.env:2 8',
    ];
    const history = keyfenceJson(repo.path, ['history', '--show-secrets']);
    expect(history.code, history.stderr).toBe(1);
    expect(new Set(keyFindings(history.report))).toEqual(new Set([...expected, 'no-eol.env:2 1']));
    // The binary file is skipped with a note, its key unread; the rename re-adds nothing it moved.
    expect(history.report.notes.join('\n')).toMatch(/1 binary file not scanned: image\.png/);

    const diff = keyfenceJson(repo.path, ['diff', `${base}..${merge}`, '--show-secrets']);
    expect(diff.code, diff.stderr).toBe(1);
    expect(new Set(keyFindings(diff.report))).toEqual(new Set(keyFindings(history.report)));

    const staged = keyfenceJson(repo.path, ['staged', '--show-secrets']);
    expect(staged.code, staged.stderr).toBe(1);
    expect(keyFindings(staged.report)).toEqual(['staged \t"x".env:2 9']);

    // The work tree: the file whose name is not UTF-8 is read by its bytes, not silently passed over.
    for (const args of [['scan'], ['scan', '--no-git']]) {
      const scan = keyfenceJson(repo.path, [...args, '--show-secrets']);
      expect(scan.code, scan.stderr).toBe(1);
      expect(keyFindings(scan.report)).toEqual(expect.arrayContaining(['caf\uFFFD.env:2 3', 'odd\tna"me\nhere.env:1 2', 'staged \t"x".env:2 9', 'renamed.env:4 6']));
    }
  });
});

// ------------------------------------------------------------------------------------------------
// The workflow parser

/** YAML-ish text: the tokens of YAML and of workflows, in any order. */
const yamlToken = fc.constantFrom(
  'on:', 'jobs:', 'steps:', 'run:', 'uses:', 'with:', 'env:', 'if:', 'permissions:', 'runs-on:', 'pull_request_target', 'push', 'write-all',
  '- ', '  ', '    ', '\n', '\n', '\t', '\r\n', ': ', '? ', '[', ']', '{', '}', ', ', '&a ', '*a', '&b ', '*b', '<<: *a', '!!str ', '!!map ', '!custom ',
  '|', '|-', '>', "'", '"', '---\n', '...\n', '%YAML 1.2\n', '%TAG ! tag:x,2024:\n', '# comment', '${{ ', ' }}', 'github.event.pull_request.title', 'secrets.TOKEN',
  "format('{0}', github.head_ref)", 'toJSON(secrets)', 'actions/checkout@v4', 'ref: ${{ github.event.pull_request.head.sha }}', 'x', '0', 'null', 'true', '~', '\u00e9', '\ufeff', '\\', '`',
);
const yamlish = fc.array(yamlToken, { maxLength: 80 }).map((t) => t.join(''));
/** Workflow-shaped documents with anchors, aliases, merge keys and duplicate keys, as YAML. */
const workflowDoc = fc
  .record({
    trigger: fc.constantFrom('push', 'pull_request', 'pull_request_target', 'workflow_run', 'issue_comment', '[push, pull_request_target]'),
    steps: fc.array(
      fc.oneof(
        fc.constantFrom('- uses: actions/checkout@v4\n  with:\n    ref: ${{ github.event.pull_request.head.sha }}', '- run: echo "${{ github.event.issue.title }}"', '- run: echo ${{ secrets.TOKEN }}', '- uses: ./local-action'),
        fc.string({ maxLength: 30 }).map((s) => `- run: ${JSON.stringify(s)}`),
        fc.constant('- &step\n  run: echo anchored'),
        fc.constant('- *step'),
        fc.constant('- <<: *step\n  name: merged'),
      ),
      { maxLength: 5 },
    ),
    dupe: fc.boolean(),
    permissions: fc.constantFrom('', 'permissions: write-all\n', 'permissions:\n  contents: read\n', 'permissions: *perm\n'),
  })
  .map(({ trigger, steps, dupe, permissions }) => {
    const body = steps.map((s) => s.split('\n').map((l) => `      ${l}`).join('\n')).join('\n');
    return `on: ${trigger}\n${permissions}jobs:\n  build:\n    runs-on: ubuntu-latest\n${dupe ? '    runs-on: self-hosted\n' : ''}    steps:\n${body || '      []'}\n`;
  });
const mutated = fc.tuple(workflowDoc, fc.array(fc.tuple(fc.nat(), fc.nat(20), yamlToken), { maxLength: 4 })).map(([text, edits]) => {
  let out = text;
  for (const [at, cut, insert] of edits) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + cut);
  }
  return out;
});

const CHECK_IDS = new Set(WORKFLOW_CHECKS.map((c) => c.id));

describe('the workflow parser', () => {
  it('turns any YAML-ish text into findings with valid positions, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, workflowDoc, mutated), (text) => {
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const f of auditWorkflowFile('.github/workflows/ci.yml', text)) {
          expect(CHECK_IDS.has(f.ruleId) || f.ruleId === 'workflow-parse-error', f.ruleId).toBe(true);
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines + 1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.endLine).toBeGreaterThanOrEqual(f.line);
          expect(f.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('through the CLI: a folder of broken workflows is findings (exit 0 or 1), never an error', () => {
    const dir = track(tempDir('keyfence-workflows-fuzz-'));
    const texts = fc.sample(fc.oneof(yamlish, mutated), { numRuns: 40, seed: 7 });
    texts.forEach((text, i) => dir.write(`repo${i % 4}/.github/workflows/w${i}.yml`, text));
    // And the classics: an alias bomb, a self-referencing alias, a document too deep to walk.
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    dir.write('bomb/.github/workflows/bomb.yml', `${bomb.join('\n')}\non: push\njobs:\n  j:\n    runs-on: x\n    steps: *j\n`);
    dir.write('self/.github/workflows/self.yml', 'a: &a [*a]\non: push\njobs: {}\n');
    dir.write('deep/action.yml', `runs: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
    for (const format of ['json', 'sarif'] as const) {
      const result = runCli(['workflows', '.', '--format', format], dir.path);
      expect(result.code, result.stderr).toBeLessThan(2);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      const report = JSON.parse(result.stdout);
      const files = format === 'json' ? report.stats.files : report.runs[0].properties.stats.files;
      expect(files).toBe(43);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// The config loader

const KEYS = ['extends', 'failOn', 'requireReason', 'environments', 'policy', 'overrides', 'allow', 'rules', 'productionDomains', 'maxFileSize', 'suppressionMarkers'];
const INNER_KEYS = [
  ...['severity', 'locked', 'enabled', 'minSeverity', 'value', 'reason', 'production', 'development', 'test', 'staging', 'ci', 'paths', 'secrets', 'lines', 'stopwords'],
  ...['id', 'regex', 'keywords', 'description', 'category', 'examples', 'match', 'noMatch', 'flags', 'secretGroup', 'files', 'requires', 'after', 'until'],
  ...['validator', 'entropy', 'allowLine', 'mode', 'multiline', 'placeholders', 'generic-password', 'env-crossover', 'stripe-live-secret-key', 'no-such-rule'],
];
const scalar = fc.oneof(
  fc.constantFrom('high', 'critical', 'low', 'medium', 'live-key', 'production', true, false, null, 0, -1, 1.5, 5000000, '(a+)+$', '(', '[a-z]{32}', '\\b(acme_[a-z0-9]{32})\\b'),
  fc.constantFrom('./base.yml', './missing.yml', '@acme/policy', '**/*.js', 'acme.com', 'http://x', 'github-checksum', '', 'a-b'),
  fc.string({ maxLength: 12 }),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...INNER_KEYS), tie('node'), { maxKeys: 5 })),
})).node;
/** A config as a user might write one wrong: settings of the wrong shape, broken YAML, cut short. */
const config = fc.oneof(
  fc.tuple(fc.dictionary(fc.constantFrom(...KEYS), tree, { minKeys: 1, maxKeys: 4 }), fc.nat(), fc.boolean()).map(([o, cut, truncate]) => {
    const text = stringify(o);
    return truncate ? text.slice(0, cut % (text.length + 1)) : text;
  }),
  fc.array(fc.constantFrom(...KEYS.map((k) => `${k}:`), ' ', '\n', '  ', '- ', '[', ']', '{', '}', ',', '&a', '*a', '!!binary', '|', "'", '"', '---', '%YAML 1.1', 'high', '(a+)+$', '\t', '@'), { minLength: 1, maxLength: 40 }).map((t) => t.join('')),
);

/** `keyfence.yml:3:7: …`, `keyfence.yml:3:7 (rule x): …` or `base.yml:1:10: …`: a file, a line and a column. */
const POSITIONED = /^(?:keyfence|base)\.yml:\d+:\d+[ :]/;

describe('the config loader', () => {
  it('loads a config or names file, line and column in a one-line error, for any input', async () => {
    const dir = track(tempDir('keyfence-config-fuzz-'));
    dir.write('base.yml', 'extends: ./keyfence.yml\n');
    await fc.assert(
      fc.asyncProperty(config, async (text) => {
        dir.write('keyfence.yml', text);
        try {
          await loadConfig(dir.path);
        } catch (error) {
          expect(error, String((error as Error).stack)).toBeInstanceOf(UserError);
          expect((error as Error).message).toMatch(POSITIONED);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('through the CLI: exit 2, one `keyfence:` line naming file:line:col (and a hint), never a stack', async () => {
    const repo = track(tempRepo('keyfence-config-cli-'));
    repo.write('app.js', 'module.exports = 1;\n');
    repo.git('add', '-A');
    commit(repo, 'app');
    // Broken configs, told apart in-process, then each run for real by a command.
    const broken: string[] = [];
    for (const text of fc.sample(config, { numRuns: 200, seed: 11 })) {
      if (broken.length === 12) break;
      repo.write('keyfence.yml', text);
      if (await loadConfig(repo.path).then(() => false, () => true)) broken.push(text);
    }
    expect(broken).toHaveLength(12);
    broken.forEach((text, i) => {
      repo.write('keyfence.yml', text);
      const result = keyfence(repo.path, [['scan', 'staged', 'history', 'workflows'][i % 4]!]);
      expectOneLineError(result, /^keyfence: (?:keyfence|base)\.yml:\d+:\d+[ :]/);
    });
  });
});
