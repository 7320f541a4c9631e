/** Bad input never throws and never hangs: it becomes workflow-parse-error findings with positions. */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';

const FILE = '.github/workflows/ci.yml';
const audit = (text: string) => auditWorkflowFile(FILE, text);
const ids = (text: string) => audit(text).map((f) => `${f.line}:${f.column} ${f.ruleId}`);

describe('malformed input', () => {
  it('reports a YAML syntax error with its position and keeps going', () => {
    const findings = audit('on: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n    steps: []\n');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.ruleId === 'workflow-parse-error')).toBe(true);
    expect(findings[0]!.line).toBeGreaterThanOrEqual(4);
    expect(findings[0]!.category).toBe('workflow');
    expect(findings[0]!.environment).toBe('ci');
    expect(findings[0]!.secret).toBe('');
  });

  it('still audits what parses next to an unparsable expression', () => {
    const text = [
      'on: issues',
      'permissions:',
      '  issues: write',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.issue.title }}" "${{ nope( }}"',
    ].join('\n');
    expect(ids(text)).toEqual(['8:20 template-injection', '8:54 workflow-parse-error']);
  });

  it('reports duplicate keys', () => {
    const f = audit('on: push\non: pull_request\njobs: {}\n');
    expect(f.map((x) => [x.line, x.ruleId])).toContainEqual([2, 'workflow-parse-error']);
    expect(f.find((x) => x.line === 2)!.message).toContain('duplicate key `on`');
  });

  it.each([
    ['an empty file', ''],
    ['whitespace', '   \n\n  \n'],
    ['only comments', '# nothing here\n# at all\n'],
  ])('handles %s', (_label, text) => {
    const f = audit(text);
    expect(f).toHaveLength(1);
    expect(f[0]!.ruleId).toBe('workflow-parse-error');
    expect(f[0]!.severity).toBe('low');
  });

  it.each([
    ['a scalar', 'hello\n'],
    ['a number', '42\n'],
    ['a sequence', '- on: push\n- jobs: {}\n'],
    ['null', '~\n'],
  ])('handles a document that is %s', (_label, text) => {
    const f = audit(text);
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f.every((x) => x.ruleId === 'workflow-parse-error')).toBe(true);
  });

  it('handles wrong node types everywhere', () => {
    const text = 'on: {push: [1, 2]}\npermissions: [contents]\nenv: 3\njobs:\n  a: 5\n  b:\n    steps: {run: x}\n    if: [1]\n    environment: [x]\n    runs-on: {labels: {a: b}}\n  c:\n    steps:\n      - 3\n      - [run]\n      - run: [echo]\n        with: 7\n        env: [x]\n';
    expect(() => audit(text)).not.toThrow();
    expect(audit(text).some((f) => f.ruleId === 'workflow-parse-error')).toBe(true);
  });

  it('handles several documents', () => {
    expect(audit('on: push\n---\njobs: {}\n').some((f) => f.ruleId === 'workflow-parse-error')).toBe(true);
  });

  it('handles tabs, CRLF and a BOM', () => {
    const text = '\uFEFFon: issues\r\npermissions:\r\n  issues: write\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: echo ${{ github.event.issue.body }}\r\n\tbad: tab\r\n';
    const f = audit(text);
    const inj = f.find((x) => x.ruleId === 'template-injection');
    expect(inj?.line).toBe(8);
    expect(inj?.column).toBe(19);
    expect(inj?.lineText).toBe('      - run: echo ${{ github.event.issue.body }}');
  });
});

describe('anchors and aliases', () => {
  it('follows aliases into the analysis, reporting at the anchor', () => {
    const text = [
      'on: issue_comment',
      'permissions:',
      '  issues: write',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps: &steps',
      '      - run: echo "${{ github.event.comment.body }}"',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    steps: *steps',
    ].join('\n');
    const f = audit(text).filter((x) => x.ruleId === 'template-injection');
    // One finding per job, both at the anchored step, with distinct fingerprints.
    expect(f.map((x) => x.line)).toEqual([8, 8]);
    expect(new Set(f.map((x) => x.fingerprint)).size).toBe(2);
  });

  it('supports merge keys', () => {
    const text = 'on: push\nx-defaults: &d\n  runs-on: ubuntu-latest\njobs:\n  a:\n    <<: *d\n    steps:\n      - run: echo hi\n';
    expect(ids(text)).toEqual(['2:1 workflow-parse-error']); // x-defaults is an unknown key, nothing else
  });

  it('stops an alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    lines.push('on: push', 'jobs:', '  j:', '    runs-on: ubuntu-latest', `    steps: *${String.fromCharCode(96 + 12)}`);
    const started = Date.now();
    const f = audit(lines.join('\n'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(f.some((x) => x.ruleId === 'workflow-parse-error' && /alias/.test(x.message))).toBe(true);
  });

  it('survives a self-referencing alias', () => {
    expect(() => audit('a: &a [*a]\non: push\njobs: {}\n')).not.toThrow();
  });

  it('survives deep nesting', () => {
    const deep = `on: push\njobs:\n  a:\n    env: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(() => audit(deep)).not.toThrow();
  });
});

describe('scale', () => {
  it('audits a large workflow fast', () => {
    const steps = Array.from({ length: 3000 }, (_, i) => `      - name: step ${i}\n        run: echo "${'$'}{{ github.sha }}" && npm test`).join('\n');
    const text = `on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`;
    const started = Date.now();
    expect(audit(text)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a very long expression does not hang the parser', () => {
    const long = Array(3000).fill("github.event_name == 'push'").join(' || ');
    const started = Date.now();
    expect(() => audit(`on: push\njobs:\n  a:\n    if: ${long}\n    runs-on: x\n    steps:\n      - run: echo\n`)).not.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('properties', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
      audit(s);
    }), { numRuns: 300 });
  });

  it('never throws on fixtures with lines removed or shuffled', () => {
    const root = path.resolve(__dirname, '../../fixtures/workflows');
    const texts = readdirSync(root).flatMap((d) => readdirSync(path.join(root, d)).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(path.join(root, d, f), 'utf8')));
    fc.assert(fc.property(fc.constantFrom(...texts), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (text, cuts, dedent) => {
      let lines = text.split('\n');
      for (const c of cuts) lines.splice(c % Math.max(lines.length, 1), 1);
      if (dedent) lines = lines.map((l, i) => (i % 3 === 0 ? l.trimStart() : l));
      for (const f of audit(lines.join('\n'))) {
        expect(f.line).toBeGreaterThanOrEqual(1);
        expect(f.column).toBeGreaterThanOrEqual(1);
        expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      }
    }), { numRuns: 300 });
  });
});
