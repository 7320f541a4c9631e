/**
 * Path rules (rules/README.md, "Path rules"): a rule with `path:` reports a file by its name, once,
 * at line 1, with no value, binary or text; it gives way to a content rule that reads the file.
 */
import { describe, expect, it } from 'vitest';
import { compileRule, RuleError } from '../../src/engine/compiledRule.js';
import { Scanner } from '../../src/engine/scanner.js';
import { fingerprint } from '../../src/findings/fingerprint.js';
import type { RuleSpec } from '../../src/rules/ruleSpec.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';

const examples = { match: [], noMatch: [] };
const pathRule = (over: Partial<RuleSpec> = {}): RuleSpec => ({
  id: 'acme-vault',
  description: 'ACME vault file',
  category: 'generic-secret',
  severity: 'high',
  keywords: [],
  path: '\\.acmevault$',
  examples,
  ...over,
});
const contentRule: RuleSpec = {
  id: 'acme-key',
  description: 'ACME key',
  category: 'live-key',
  severity: 'critical',
  keywords: ['acme_'],
  regex: '\\b(acme_[a-z0-9]{24})\\b',
  examples,
};

describe('compiling a path rule', () => {
  it('takes `path` instead of `regex`, and neither both nor none', () => {
    expect(compileRule(pathRule(), 'test').path?.flags).toBe('i');
    expect(() => compileRule(pathRule({ regex: 'x' }), 'test')).toThrow(RuleError);
    expect(() => compileRule(pathRule({ path: undefined }), 'test')).toThrow(/`regex` is required \(or `path`/);
    expect(() => compileRule(pathRule({ path: '(' }), 'test')).toThrow(/`path` is not a valid regular expression/);
  });

  it('takes a file validator only on a path rule, and a value validator only on a content rule', () => {
    expect(compileRule(pathRule({ validator: 'key-store' }), 'test').fileValidator).toBeTypeOf('function');
    expect(() => compileRule(pathRule({ validator: 'jwt' }), 'test')).toThrow(/checks a value, not a file/);
    expect(() => compileRule({ ...contentRule, validator: 'key-store' }, 'test')).toThrow(/checks a file: it needs a path rule/);
  });
});

describe('scanning with a path rule', () => {
  const rules = [compileRule(contentRule, 'test'), compileRule(pathRule({ validator: 'key-store' }), 'test')];
  const scanner = new Scanner(rules);
  const key = `acme_${randomString(seededRandom('path rules'), 'lowernum', 24)}`;

  it('reports a binary file by its name, case-insensitively, at line 1 with no value', () => {
    const [finding, ...more] = scanner.scan({ file: 'ops/Team.ACMEVAULT', text: '', binary: { content: Buffer.from([1, 0, 2, 3]) } }, 'unknown');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'acme-vault', line: 1, column: 1, endLine: 1, endColumn: 1, secret: '', severity: 'high' });
    expect(finding!.fingerprint).toBe(fingerprint('acme-vault', 'ops/Team.ACMEVAULT', 'file', false));
    expect(finding!.lineText).toBeUndefined();
  });

  it('reports a binary file whose bytes could not be read, and not an empty one', () => {
    expect(scanner.scan({ file: 'big.acmevault', text: '', binary: {} }, 'unknown').map((f) => f.ruleId)).toEqual(['acme-vault']);
    expect(scanner.scan({ file: 'empty.acmevault', text: '', binary: { content: Buffer.alloc(0) } }, 'unknown')).toEqual([]);
  });

  it('runs only path rules on binary files, and only on the files they name', () => {
    expect(scanner.scan({ file: 'logo.png', text: '', binary: { content: Buffer.from(key) } }, 'unknown')).toEqual([]);
    expect(scanner.wantsFile('a/b.acmevault')).toBe(true);
    expect(scanner.wantsFile('a/b.acmevault.bak')).toBe(false);
  });

  it('gives way to a content rule that finds a secret in the file: one file, one finding', () => {
    expect(scanner.scan({ file: 'team.acmevault', text: `KEY=${key}\n` }, 'unknown').map((f) => f.ruleId)).toEqual(['acme-key']);
    expect(scanner.scan({ file: 'team.acmevault', text: 'opaque\n' }, 'unknown').map((f) => f.ruleId)).toEqual(['acme-vault']);
  });

  it('is left out for text decoded from inside a file', () => {
    expect(scanner.scan({ file: 'team.acmevault', text: 'opaque\n' }, 'unknown', { paths: false })).toEqual([]);
  });

  it('keeps to its `files:` scope and its environments', () => {
    const scoped = new Scanner([compileRule(pathRule({ environments: ['production'] }), 'test')]);
    expect(scoped.scan({ file: 'x.acmevault', text: 'opaque' }, 'development')).toEqual([]);
    expect(scoped.scan({ file: 'x.acmevault', text: 'opaque' }, 'production').map((f) => f.ruleId)).toEqual(['acme-vault']);
    const excluded = compileRule(pathRule({ files: ['!vendor/**'] }), 'test');
    const withScope = new Scanner([excluded], [(file) => !file.startsWith('vendor/')]);
    expect(withScope.scan({ file: 'vendor/x.acmevault', text: 'opaque' }, 'unknown')).toEqual([]);
  });
});
