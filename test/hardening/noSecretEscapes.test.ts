/**
 * Promise: no secret escapes (README, "Security model"). Secrets of every built-in rule's format
 * (each rule's own `match:` examples, expanded under seeds fast-check chooses) sit in random
 * surrounding text; the real engine, the masking stage, every report format and the baseline
 * writer must not put a value, nor the middle of one, in any output unless --show-secrets; neither
 * may the CLI's reports, files, notes and error messages, nor the Action's annotations, summary,
 * SARIF and outputs. Values shared between environments (`env-crossover`) are never printed: not
 * even five characters of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { Engine } from '../../src/engine/engine.js';
import type { Finding } from '../../src/findings/finding.js';
import { toReport } from '../../src/findings/redact.js';
import { FORMATS, loadReporter, type RuleInfo } from '../../src/reporters/reporter.js';
import { serializeBaseline, updateBaseline } from '../../src/suppressions/baseline.js';
import { runAction as runActionIn } from '../support/action.js';
import { runCli, type CliResult } from '../support/cli.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { builtinRulesWithExamples, expandExample, Outputs, type RuleWithExamples } from './leaks.js';

const RULES = builtinRulesWithExamples();
const STATS = { files: 1, bytes: 1, commits: 0, durationMs: 1, skipped: 0, suppressed: { inline: 0, allow: 0, baseline: 0 } };
const ISOLATED = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Every report format and the baseline, rendered from `findings` as the CLI renders them. */
async function renderAll(findings: Finding[], showSecrets = false): Promise<Outputs> {
  const report = toReport(findings, STATS, ['a note'], showSecrets);
  const rules: RuleInfo[] = [...new Set(findings.map((f) => f.ruleId))].map((id) => ({ id, description: id, category: 'live-key', severity: 'high' }));
  const outputs = new Outputs();
  for (const format of FORMATS) {
    const render = await loadReporter(format);
    outputs.add(format, render(report, { color: format === 'text', rules, linkTo: (file, line) => `https://example.com/${file}#L${line}` }));
  }
  const { baseline } = await updateBaseline(undefined, findings);
  return outputs.add('baseline', serializeBaseline(baseline));
}

/** Lines around an example: random text (any code unit, line breaks, report-format syntax). */
const noiseLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...' \t=:;"\'`$%{}()[]<>|,-_./\\#*!?&@^~+éß€😀\r'.split('')), maxLength: 40 }),
  fc.constantFrom('::error::x', '%0A%25', '| cell | `code` |', '<script>alert(1)</script>', '# keyfence:allow', 'password = ', '-----END', '${{ secrets.X }}'),
);
const surrounding = fc.record({
  before: fc.array(noiseLine, { maxLength: 3 }),
  after: fc.array(noiseLine, { maxLength: 3 }),
  /** Text on the example's own line, after a space. */
  trailing: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

function embed(text: string, around: { before: string[]; after: string[]; trailing?: string | undefined }): string {
  const line = around.trailing === undefined ? text : `${text} ${around.trailing.replace(/[\r\n]/g, ' ')}`;
  return [...around.before, line, ...around.after].join('\n');
}

describe('the engine, the masking stage, every format and the baseline', () => {
  // Every built-in rule, in groups small enough for a few seeds each within the time budget.
  const GROUPS = 12;
  const groups = Array.from({ length: GROUPS }, (_, g) => RULES.filter((_, i) => i % GROUPS === g));

  it.each(groups.map((rules, g) => ({ group: `${g + 1} of ${GROUPS}`, rules })))('hold no value of the rules of group $group', async ({ rules }: { rules: RuleWithExamples[] }) => {
    let planted = 0;
    let found = 0;
    const onePerRule = { minLength: rules.length, maxLength: rules.length };
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.array(fc.nat(), onePerRule), fc.array(surrounding, onePerRule), async (seed, picks, around) => {
        const engine = new Engine(defaultConfig());
        const findings: Finding[] = [];
        const values: Array<{ ruleId: string; value: string }> = [];
        rules.forEach((rule, i) => {
          const example = expandExample(rule, picks[i]!, seededRandom(`${seed}/${rule.id}`));
          if (example.planted && example.planted.length >= 12) values.push({ ruleId: rule.id, value: example.planted });
          const got = engine.scan({ file: example.file, text: embed(example.text, around[i]!) });
          planted++;
          if (got.some((f) => f.ruleId === rule.id)) found++;
          findings.push(...got);
        });
        findings.push(...engine.finish());
        const masked = await renderAll(findings, false);
        expect(masked.leaksOf(findings)).toEqual([]);
        // A crossover shows no value, or (a live key in a development file) its provider prefix and last four.
        for (const f of toReport(findings, STATS, [], false).findings.filter((x) => x.category === 'env-crossover')) expect(f.secret).toMatch(/^(?:[A-Za-z0-9_-]{0,20}…[A-Za-z0-9]{0,4})?$/);
        // The templates' random values, whatever span the rule reports.
        expect(values.flatMap(({ ruleId, value }) => (masked.leakOf(value, { middleToo: false }) ? [`${ruleId}: ${value}`] : []))).toEqual([]);
        // The check can see a secret: --show-secrets prints them.
        const credential = findings.find((f) => f.category === 'live-key' && f.secret.length >= 16);
        const shown = new Outputs().add('json', (await loadReporter('json'))(toReport(findings, STATS, [], true), { color: false, rules: [] }));
        if (credential) expect(shown.leakOf(credential.secret)).toBeDefined();
      }),
      { numRuns: 3 },
    );
    // The surrounding text must not hide the examples from their rules: the property is about real findings.
    expect(found / planted).toBeGreaterThan(0.85);
  });

  it('show no word of a password (generic secrets have no provider prefix to show)', async () => {
    // Words that ordinary report text does not hold: a capital, letters, then digits.
    const word = fc.stringMatching(/^[A-Z][a-z]{3,7}[0-9]{1,2}$/);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(word, { minLength: 2, maxLength: 4 }), fc.constantFrom('-', '_'), fc.integer({ min: 0, max: 3 }), async (words, sep, shape) => {
        const password = `${words.join(sep)}${sep}${randomString(seededRandom(words.join()), 'alnum', 6)}`;
        const text = [
          `DB_PASSWORD=${password}`,
          `const password = "${password}";`,
          `DATABASE_URL=postgres://app:${password}@db.internal:5432/app`,
          `  api_key: '${password}'`,
        ][shape]!;
        const engine = new Engine(defaultConfig());
        const findings = [...engine.scan({ file: shape % 2 ? 'src/db.js' : '.env.development', text }), ...engine.finish()];
        if (!findings.some((f) => f.secret === password)) return;
        checked++;
        const masked = await renderAll(findings);
        expect(masked.leaksOf(findings)).toEqual([]);
        for (const w of words) expect(masked.leakOf(w, { middleToo: false }), `"${w}" of ${password}`).toBeUndefined();
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(8);
  });

  it('never print a value shared between environments, not five characters of it', async () => {
    const PAIRS: Array<[string, string]> = [
      ['.env.staging', '.env.production'],
      ['.env.development', '.env.production'],
      ['config/production.yml', 'config/development.yml'],
      ['.env.test', '.env.staging'],
    ];
    let crossovers = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.constantFrom(...PAIRS), fc.constantFrom('SESSION_SECRET', 'DB_PASSWORD', 'PAYMENTS_API_KEY', 'jwtSecret'), fc.integer({ min: 20, max: 40 }), async (seed, [a, b], name, length) => {
        const value = randomString(seededRandom(String(seed)), 'alnum', length);
        const line = (file: string) => (file.endsWith('.yml') ? `${name}: "${value}"\n` : `${name}=${value}\n`);
        const engine = new Engine(defaultConfig());
        const findings = [...engine.scan({ file: a, text: `# ${a}\n${line(a)}` }), ...engine.scan({ file: b, text: line(b) }), ...engine.finish()];
        const crossover = findings.filter((f) => f.category === 'env-crossover');
        expect(crossover.length).toBeGreaterThan(0);
        crossovers++;
        const report = toReport(findings, STATS, [], false);
        for (const f of report.findings.filter((x) => x.ruleId === 'env-crossover')) expect(f.secret).toBe('');
        const masked = await renderAll(findings, false);
        for (let i = 0; i + 5 <= value.length; i++) {
          expect(masked.leakOf(value.slice(i, i + 5), { middleToo: false }), value).toBeUndefined();
        }
      }),
      { numRuns: 15 },
    );
    expect(crossovers).toBe(15);
  });
});

// ------------------------------------------------------------------------------------------------
// The CLI and the Action, end to end

let dirs: TempDir[] = [];
afterEach(() => {
  for (const d of dirs) d.remove();
  dirs = [];
});

const commit = (repo: TempDir, message: string) => repo.git('commit', '-q', '--no-verify', '--allow-empty', '-m', message);

/**
 * A repository holding examples of `rules`, expanded under `seed`: a quarter in each of two commits
 * after the base, a quarter staged, a quarter untracked; and a workflow that does not parse.
 */
function plantedRepository(rules: RuleWithExamples[], seed: string): { repo: TempDir; base: string; head: string } {
  const repo = tempRepo('keyfence-leak-');
  dirs.push(repo);
  repo.write('README.md', '# app\n');
  repo.git('add', '-A');
  commit(repo, 'base');
  const base = repo.git('rev-parse', 'HEAD').trim();
  const quarter = Math.ceil(rules.length / 4);
  rules.forEach((rule, i) => {
    const example = expandExample(rule, i, seededRandom(`${seed}/${rule.id}`));
    // Each example in a folder of its own: examples name the same files (example.txt, .env.development).
    repo.write(`e${i}/${example.file}`, `${example.text}\n`);
    if (i === quarter) {
      repo.git('add', '-A');
      commit(repo, 'first half');
    } else if (i === 2 * quarter) {
      repo.git('add', '-A');
      commit(repo, 'second half');
    } else if (i === 3 * quarter) repo.git('add', '-A');
  });
  const head = repo.git('rev-parse', 'HEAD').trim();
  // A workflow that quotes a key and breaks YAML on the same line: parse errors must not quote it.
  repo.write('.github/workflows/ci.yml', `on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n    steps:\n      - run: echo ${fake.stripeLive()} [\n`);
  return { repo, base, head };
}

/** Findings of every rule that reports a value: the raw values, from --show-secrets. */
function shownFindings(result: CliResult): Array<{ ruleId: string; category: string; secret: string }> {
  return (JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; category: string; secret: string }> }).findings;
}

describe('the CLI', () => {
  it('prints no value in any report, file, note or message of any command, unless --show-secrets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.shuffledSubarray(RULES, { minLength: 24, maxLength: 24 }), async (seed, rules) => {
        const { repo, base, head } = plantedRepository(rules, seed);
        const env = ISOLATED;
        // The values, as keyfence itself reads them: every command, with --show-secrets.
        const values = new Map<string, { ruleId: string; category: string; secret: string }>();
        for (const args of [['scan'], ['history'], ['staged'], ['audit']]) {
          const shown = runCli([...args, '--format', 'json', '--show-secrets'], repo.path, env);
          expect(shown.code, shown.stderr).toBeLessThan(2);
          for (const f of shownFindings(shown)) values.set(`${f.ruleId}\0${f.secret}`, f);
        }
        expect(values.size).toBeGreaterThan(12);

        const outputs = new Outputs();
        const run = (name: string, args: string[]) => {
          const result = runCli(args, repo.path, env);
          expect(result.code, `${name}: ${result.stderr}`).toBeLessThan(2);
          outputs.add(`${name} stdout`, result.stdout).add(`${name} stderr`, result.stderr);
        };
        for (const format of FORMATS) run(`scan --format ${format}`, ['scan', '--format', format]);
        run('scan --output', ['scan', '--format', 'sarif', '--output', 'out/report.sarif']);
        outputs.add('report.sarif', readFileSync(join(repo.path, 'out/report.sarif'), 'utf8'));
        run('history', ['history', '--format', 'markdown']);
        run('diff', ['diff', `${base}..${head}`, '--format', 'github']);
        run('staged', ['staged']);
        run('audit', ['audit', '--format', 'json']);
        run('workflows', ['workflows', '--format', 'text']);
        run('baseline', ['baseline', '--output', 'out/baseline.json']);
        outputs.add('baseline.json', readFileSync(join(repo.path, 'out/baseline.json'), 'utf8'));
        run('scan --baseline', ['scan', '--baseline', 'out/baseline.json', '--format', 'json']);

        expect(outputs.leaksOf([...values.values()])).toEqual([]);
      }),
      { numRuns: 1 },
    );
  });

  it('quotes no value in the errors of a malformed config or a bad --baseline', () => {
    const repo = tempRepo('keyfence-leak-errors-');
    dirs.push(repo);
    const key = fake.stripeLive();
    // Short: a parser quoting ten characters of the file would quote all of it.
    const password = randomString(seededRandom(key), 'alnum', 9);
    repo.write('app.js', 'module.exports = {};\n');
    repo.write('.env', `STRIPE_SECRET_KEY=${key}\n`);
    repo.write('db-password.txt', `${password}\n`);
    repo.write('config.json', `{"version": "${key}", "salt": "${password}"\n`);
    const configs = [
      `productionDomains: [${key}]\n`,
      `${key}: true\n`,
      `failOn: high\nallow:\n  - secrets: ['${key}(']\n`,
      `rules:\n  - id: acme\n    description: d\n    category: live-key\n    severity: high\n    keywords: [acme]\n    regex: '(${key}'\n    examples: { match: [], noMatch: [] }\n`,
      `allow:\n  - paths: [${key}\n`,
      `extends: ./${key}.yml\n`,
      `environments:\n  ${key}: ['**']\n`,
      `overrides:\n  ${key}: { enabled: false }\n`,
    ];
    const failures: string[] = [];
    const check = (what: string, result: CliResult) => {
      if (result.code !== 2) failures.push(`${what}: exit ${result.code}`);
      const outputs = new Outputs().add('stdout', result.stdout).add('stderr', result.stderr);
      for (const value of [key, password]) {
        const leak = outputs.leakOf(value);
        if (leak) failures.push(`${what}: ${leak}\n${result.stderr}`);
      }
    };
    for (const [i, config] of configs.entries()) {
      repo.write('keyfence.yml', config);
      // `staged` prints its errors itself (with the way past the hook).
      check(`config ${i}`, runCli([i % 2 ? 'staged' : 'scan'], repo.path, ISOLATED));
    }
    repo.write('keyfence.yml', '');
    for (const file of ['.env', 'db-password.txt', 'config.json']) check(`--baseline ${file}`, runCli(['scan', '--baseline', file], repo.path, ISOLATED));
    check('--config .env', runCli(['scan', '--config', '.env'], repo.path, ISOLATED));
    expect(failures).toEqual([]);
  });
});

describe('the Action', () => {
  /** Every byte the Action writes: annotations, stderr, the summary, outputs, the SARIF file. */
  async function runAction(repo: TempDir, work: TempDir, eventName: string, event: object): Promise<{ code: number; outputs: Outputs }> {
    // Nothing listens at the default API URL: the Action must not need the API in these modes.
    const run = await runActionIn({ repo, work, eventName, event, env: ISOLATED });
    const outputs = new Outputs().add('annotations', run.stdout).add('stderr', run.stderr).add('summary', run.summary).add('outputs', run.outputFile).add('sarif', run.sarifText);
    return { code: run.code, outputs };
  }

  it('puts no value in annotations, summary, SARIF or outputs, on a push, an audit and a config error', async () => {
    const rules = fc.shuffledSubarray(RULES, { minLength: 20, maxLength: 20 });
    await fc.assert(fc.asyncProperty(fc.string(), rules, (seed, picked) => actionLeaks(seed, picked)), { numRuns: 1 });
  });

  async function actionLeaks(seed: string, rules: RuleWithExamples[]): Promise<void> {
    const { repo, base, head } = plantedRepository(rules, seed);
    repo.git('add', '-A');
    commit(repo, 'the rest');
    const after = repo.git('rev-parse', 'HEAD').trim();
    expect(head).not.toBe(after);
    const work = tempDir('keyfence-leak-action-');
    dirs.push(work);
    const shown = runCli(['history', '--format', 'json', '--show-secrets'], repo.path, ISOLATED);
    const values = shownFindings(shown);
    expect(values.length).toBeGreaterThan(10);

    const push = await runAction(repo, work, 'push', { before: base, after, repository: { full_name: 'octo-org/website' } });
    expect(push.code).toBe(1);
    expect(push.outputs.leaksOf(values)).toEqual([]);
    const audit = await runAction(repo, work, 'schedule', { schedule: '17 6 * * 1' });
    expect(audit.code).toBe(1);
    expect(audit.outputs.leaksOf(values)).toEqual([]);

    const key = fake.stripeLive();
    writeFileSync(join(repo.path, 'keyfence.yml'), `productionDomains: [${key}]\n`);
    const broken = await runAction(repo, work, 'push', { before: base, after, repository: { full_name: 'octo-org/website' } });
    expect(broken.code).toBe(1);
    expect(broken.outputs.leakOf(key)).toBeUndefined();
  }
});
