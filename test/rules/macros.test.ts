import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/loadConfig.js';
import { RuleError } from '../../src/engine/compiledRule.js';
import { createEngine } from '../../src/engine/createEngine.js';
import { loadMacroFile, loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { UserError } from '../../src/errors.js';
import { loadBuiltinRules } from '../../src/rules/builtinRules.js';
import { checkMacros, expandMacros, MacroError } from '../../src/rules/macros.js';
import { runCli } from '../support/cli.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

const RULES = new URL('../../rules', import.meta.url).pathname;
const DIST = new URL('../../dist/', import.meta.url);

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe('expandMacros', () => {
  const macros = { op: '=|:', sep: ['[ \\t]{0,3}{{op}}', ','], quote: '["\']?' };

  it('puts a macro in a non-capturing group, a list as the alternation of its entries', () => {
    expect(expandMacros('a{{op}}b', macros)).toBe('a(?:=|:)b');
    expect(expandMacros('key{{sep}}?{{quote}}', macros)).toBe('key(?:[ \\t]{0,3}(?:=|:)|,)?(?:["\']?)');
  });

  it('expands macros inside macros', () => {
    expect(expandMacros('{{sep}}', macros)).toBe('(?:[ \\t]{0,3}(?:=|:)|,)');
  });

  it('leaves a regex without a macro alone, and escaped or spaced braces too', () => {
    for (const regex of ['\\b(sk_live_[0-9a-zA-Z]{24})\\b', 'x{2,3}', '\\{{op}}', '\\\\\\{{op}}', '\\{\\{op\\}\\}', '{{ .Values.op }}']) expect(expandMacros(regex, macros)).toBe(regex);
    // An escaped backslash before the braces escapes nothing.
    expect(expandMacros('\\\\{{op}}', macros)).toBe('\\\\(?:=|:)');
  });

  it('rejects an unknown macro, naming it and the known ones', () => {
    expect(() => expandMacros('key{{asign}}v', macros)).toThrow(MacroError);
    expect(() => expandMacros('key{{asign}}v', macros)).toThrow('unknown macro {{asign}} (known: {{op}}, {{quote}}, {{sep}})');
    expect(() => expandMacros('{{sep}}', { sep: '{{nope}}' })).toThrow('unknown macro {{nope}}');
  });

  it('rejects a macro that refers to itself', () => {
    expect(() => expandMacros('{{a}}', { a: 'x{{b}}', b: '{{a}}' })).toThrow('macro {{a}} refers to itself ({{a}} -> {{b}} -> {{a}})');
  });
});

describe('checkMacros', () => {
  it.each([
    [{ assign: '(=|:)' }, 'macro {{assign}} has a capture group'],
    [{ assign: ['=', '(:)'] }, 'macro {{assign}} has a capture group'],
    [{ assign: '(?:=' }, 'macro {{assign}} is not a valid regular expression'],
    [{ Assign: '=' }, 'macro name "Assign" must be kebab-case'],
    [{ assign: [] }, 'macro {{assign}} must be a regex or a list of regexes'],
    [{ assign: 42 }, 'macro {{assign}} must be a regex or a list of regexes'],
    [{ assign: '{{missing}}' }, 'unknown macro {{missing}}'],
    [['='], 'expected a `macros:` mapping'],
  ])('%j: %s', (data, message) => {
    expect(() => checkMacros(data)).toThrow(message);
  });
});

describe('rule files', () => {
  const rule = (regex: string) =>
    ['rules:', '  - id: acme-key', '    description: ACME key', '    category: live-key', '    severity: high', '    keywords: [acme]', `    regex: '${regex}'`, '    examples: { match: [], noMatch: [] }', ''].join('\n');

  it('expand the macros of the folder, which is not a rule file itself', () => {
    dir = tempDir('keyfence-macros-');
    dir.write('macros.yml', "macros:\n  sep: '[ \\t]{0,3}='\n");
    dir.write('acme.yml', rule('acme_key{{sep}}([a-f0-9]{32})'));
    expect(loadRuleDirectory(dir.path).map(({ spec, origin }) => `${origin} ${spec.id} ${spec.regex}`)).toEqual(['rules/acme.yml acme-key acme_key(?:[ \\t]{0,3}=)([a-f0-9]{32})']);
  });

  it('name the file, line and rule of an unknown macro', () => {
    dir = tempDir('keyfence-macros-');
    dir.write('macros.yml', "macros:\n  sep: '='\n");
    dir.write('acme.yml', rule('acme_key{{sepp}}([a-f0-9]{32})'));
    expect(() => loadRuleDirectory(dir!.path)).toThrow(RuleError);
    expect(() => loadRuleDirectory(dir!.path)).toThrow(/^rules\/acme\.yml:7 \(rule acme-key\): regex: unknown macro \{\{sepp\}\} \(known: \{\{sep\}\}\)$/);
  });

  it('name the macro file when a macro is broken', () => {
    dir = tempDir('keyfence-macros-');
    dir.write('macros.yml', "macros:\n  sep: '(=)'\n");
    expect(() => loadMacroFile(dir!.path)).toThrow(/^rules\/macros\.yml: macro \{\{sep\}\} has a capture group/);
  });

  it('inline no copy of the assignment grammar: the keyword-anchored rules name the macros', () => {
    const copies = ['[\\s"\'\'`:=>,]{1,8}', '[\\s"\'\'`:=>,(]{1,8}', '(?:=>|:=|=|:)|\\\\?["\'\'][ \\t]{0,5},', '(?:=>|:=|=(?![=~>])|:(?![:\\\\/]))'];
    const sources = loadRuleDirectory(RULES).map(({ origin }) => origin);
    const inlined = [...new Set(sources)].flatMap((origin) => {
      const text = readFileSync(new URL(`../../${origin}`, import.meta.url), 'utf8');
      return copies.filter((copy) => text.includes(copy)).map((copy) => `${origin}: ${copy}`);
    });
    expect(inlined).toEqual([]);
  });
});

describe('the built rule pack', () => {
  const built = JSON.parse(readFileSync(new URL('rules.json', DIST), 'utf8')) as Array<{ spec: { id: string; regex?: string } }>;
  const sourced = new Map(loadRuleDirectory(RULES).map(({ spec }) => [spec.id, spec.regex]));
  const written = new Map(loadRuleDirectory(RULES, { expand: false }).map(({ spec }) => [spec.id, spec.regex]));
  const loaded = loadBuiltinRules();

  it('holds each regex as written, half the file, and its reader expands the macros', () => {
    expect(built.filter(({ spec }) => spec.regex !== written.get(spec.id)).map(({ spec }) => spec.id)).toEqual([]);
    // More than a hundred rules name the assignment grammar (the exact list is in the rule files).
    expect(built.filter(({ spec }) => /\{\{assign(?:-strict)?\}\}/.test(spec.regex ?? '')).length).toBeGreaterThan(100);
    const expandedSize = JSON.stringify(built.map((r) => ({ ...r, spec: { ...r.spec, regex: sourced.get(r.spec.id) } }))).length;
    expect(readFileSync(new URL('rules.json', DIST), 'utf8').length).toBeLessThan(expandedSize / 2);
    // Whoever reads a loaded rule, or copies or serialises it, sees the regex expanded.
    expect(loaded.map(({ spec }) => spec.id)).toEqual(built.map(({ spec }) => spec.id));
    expect(loaded.filter(({ spec }) => spec.regex !== sourced.get(spec.id)).map(({ spec }) => spec.id)).toEqual([]);
    expect(loaded.filter(({ spec }) => ({ ...spec }).regex !== sourced.get(spec.id)).map(({ spec }) => spec.id)).toEqual([]);
    const serialised = JSON.parse(JSON.stringify(loaded)) as typeof built;
    expect(serialised.filter(({ spec }) => spec.regex?.includes('{{')).map(({ spec }) => spec.id)).toEqual([]);
  });

  it('bounds runs of blanks by at least five, which V8 compiles as a loop rather than copies (rules/macros.yml)', () => {
    const unrolled = /\[ \\t\]\{[01],[1-3]\}/;
    expect(loaded.filter(({ spec }) => unrolled.test(spec.regex ?? '')).map(({ spec }) => spec.id)).toEqual([]);
  });

  it('ships the macros for custom rules', () => {
    expect(JSON.parse(readFileSync(new URL('macros.json', DIST), 'utf8'))).toEqual(loadMacroFile(RULES));
  });
});

describe('custom rules in keyfence.yml', () => {
  const custom = (regex: string) =>
    ['rules:', '  - id: acme-key', '    description: ACME key', '    category: live-key', '    severity: high', '    keywords: [acme_]', `    regex: '${regex}'`, '    flags: i', ''].join('\n');

  it('use the built-in macros', async () => {
    dir = tempDir('keyfence-config-');
    dir.write('keyfence.yml', custom('acme_[\\w.-]{0,20}key{{assign}}([a-f0-9]{32})(?![A-Za-z0-9])'));
    const config = readConfig(dir.path);
    expect(config.rules[0]!.spec.regex).toBe(expandMacros('acme_[\\w.-]{0,20}key{{assign}}([a-f0-9]{32})(?![A-Za-z0-9])', loadMacroFile(RULES)));
    const engine = await createEngine(config);
    const value = randomString(seededRandom('custom-rule-macro'), 'hex', 32);
    const found = engine.scan({ file: 'src/client.js', text: `const a = 1;\nconst key = process.env.ACME_API_KEY || "${value}";\n`, firstLine: 1 });
    expect(found.map((f) => `${f.ruleId} ${f.secret} ${f.line}`)).toEqual([`acme-key ${value} 2`]);
  });

  it('name the file and line of an unknown macro', () => {
    dir = tempDir('keyfence-config-');
    dir.write('keyfence.yml', custom('acme_key{{asign}}([a-f0-9]{32})'));
    expect(() => readConfig(dir!.path)).toThrow(UserError);
    expect(() => readConfig(dir!.path)).toThrow(/^keyfence\.yml:7:12: rule acme-key: regex: unknown macro \{\{asign\}\} \(known: .*\{\{assign\}\}/);
  });

  it('stop the CLI with exit 2 and one line naming the place', () => {
    dir = tempDir('keyfence-config-');
    dir.write('keyfence.yml', custom('acme_key{{asign}}([a-f0-9]{32})'));
    const result = runCli(['scan', '--no-git', '.'], dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^keyfence: keyfence\.yml:7:12: rule acme-key: regex: unknown macro \{\{asign\}\} \(known: /);
  });
});
