import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodedTexts } from '../../src/engine/encodedTexts.js';
import { engineWith, scanFiles } from '../environment/engineSupport.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir } from '../support/tempRepo.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('encodedTexts', () => {
  it('decodes every base64 value of printable text, at its place in the line', () => {
    const printableChar = fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c));
    const printable = fc.string({ unit: printableChar, minLength: 20, maxLength: 400 });
    fc.assert(
      fc.property(printable, fc.constantFrom('KEY=', 'key: ', '"key": "', '<value>'), (text, prefix) => {
        const line = `${prefix}${b64(text)}\n`;
        expect(encodedTexts(line)).toEqual([{ start: prefix.length, end: prefix.length + b64(text).length, decoded: text }]);
      }),
    );
  });

  it('passes over random bytes, runs inside longer tokens, and short values', () => {
    const random = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 97 + 13) % 256)).toString('base64');
    const jwtSegment = `eyJhbGciOiJIUzI1NiJ9.${b64('{"sub":"a user id that is long enough"}').replace(/=+$/, '')}.sig`;
    expect(encodedTexts(`hash: ${random}\n`)).toEqual([]);
    expect(encodedTexts(`token: ${jwtSegment}\n`)).toEqual([]);
    expect(encodedTexts(`url: https://cdn.acme.io/${b64('a printable path segment, long')}/x\n`)).toEqual([]);
    expect(encodedTexts(`user: ${b64('admin')}\n`)).toEqual([]);
  });
});

describe('base64-encoded secrets in configuration', () => {
  it('are found, located at the encoded value, in place of a generic finding of it', () => {
    const key = fake.stripeLive();
    const manifest = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: payments', 'data:', `  STRIPE_SECRET_KEY: ${b64(key)}`, ''].join('\n');
    const findings = scanFiles(engineWith(), { 'k8s/payments-secret.yaml': manifest });
    expect(findings.map((f) => `${f.line}:${f.column}-${f.endColumn} ${f.ruleId} ${f.secret === key}`)).toEqual([`6:22-${22 + b64(key).length} stripe-live-secret-key true`]);
    expect(findings[0]!.message).toMatch(/base64-encoded/);
    // The line is kept for context and suppression comments, with the encoded value masked.
    expect(findings[0]!.lineText).toBe('  STRIPE_SECRET_KEY: <base64>');
  });

  it('are not looked for in source code, where base64 is data (images, fonts, test vectors)', () => {
    const findings = scanFiles(engineWith(), { 'src/vectors.js': `export const sample = '${b64(fake.stripeLive())}';\n` });
    expect(findings).toEqual([]);
  });

  it('never reach a report, encoded or decoded', () => {
    const key = fake.stripeLive();
    const dir = tempDir('keyfence-encoded-');
    try {
      dir.write('ci/.env.production', `PAYMENTS_CONFIG=${b64(`STRIPE_SECRET_KEY=${key}\nRETRIES=3\n`)}\n`);
      for (const format of ['text', 'json', 'sarif', 'github', 'markdown']) {
        const { stdout, stderr, code } = runCli(['scan', '--no-git', '--format', format], dir.path);
        expect(code, format).toBe(1);
        expect(stdout + stderr, format).toContain('stripe-live-secret-key');
        expect(stdout + stderr, format).not.toContain(key);
        expect(stdout + stderr, format).not.toContain(b64(`STRIPE_SECRET_KEY=${key}`).slice(0, 24));
      }
    } finally {
      dir.remove();
    }
  });
});
