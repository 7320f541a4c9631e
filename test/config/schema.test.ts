import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig as loadConfig } from '../../src/config/loadConfig.js';
import { createEngine } from '../../src/engine/createEngine.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/keyfence.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

/**
 * Every configuration we ship or show: the example service and organisation policy, and every YAML
 * block in the README and docs that is a keyfence.yml (its first line is `# keyfence.yml…` or it
 * names the schema).
 */
function shippedExamples(): Array<{ where: string; text: string }> {
  const out = [
    { where: 'keyfence.yml', text: readFileSync(join(ROOT, 'keyfence.yml'), 'utf8') },
    { where: 'fixtures/service/repo/keyfence.yml', text: readFileSync(join(ROOT, 'fixtures/service/repo/keyfence.yml'), 'utf8') },
    { where: 'fixtures/service/policy/keyfence.yml', text: readFileSync(join(ROOT, 'fixtures/service/policy/keyfence.yml'), 'utf8') },
  ];
  const markdown = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? markdown(path) : name.endsWith('.md') ? [path] : [];
    });
  for (const file of [join(ROOT, 'README.md'), ...markdown(join(ROOT, 'docs'))]) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
      const body = block[1]!;
      if (!/^# keyfence\.yml|yaml-language-server: \$schema=\S*keyfence\.schema\.json/m.test(body)) continue;
      const line = text.slice(0, block.index).split('\n').length;
      out.push({ where: `${relative(ROOT, file)}:${line}`, text: body });
    }
  }
  return out;
}

describe('schema/keyfence.schema.json', () => {
  const examples = shippedExamples();

  it('covers the documented examples', () => {
    expect(examples.map((e) => e.where)).toEqual(expect.arrayContaining(['fixtures/service/repo/keyfence.yml', expect.stringMatching(/^docs\/environments\.md:\d+$/)]));
  });

  it.each(examples)('validates $where', ({ text }) => {
    expect(validate(parse(text) ?? null), errors()).toBe(true);
  });
});

/** The schema and the loader agree on what is valid (the loader also knows rule ids and locks). */
describe('the schema agrees with the loader', () => {
  let dir: TempDir;
  afterEach(() => dir?.remove());
  /** Whether keyfence takes the file: the loader reads and merges it, the engine compiles its custom rules. */
  const loads = async (text: string) => {
    dir = tempDir('keyfence-schema-');
    dir.write('keyfence.yml', text);
    try {
      await createEngine(loadConfig(dir.path));
      return true;
    } catch {
      return false;
    }
  };

  it.each([
    ['failOn: high', true],
    ['failOn: { severity: low, locked: true }', true],
    ['requireReason: { value: true, locked: true }', true],
    ['environments: { production: [deploy/**], test: qa/**, locked: true }', true],
    ['policy: { production: { minSeverity: high, rules: { prod-host: { enabled: false, severity: low } }, locked: true } }', true],
    ['overrides: { echo-leak: { enabled: true, severity: high, locked: true } }', true],
    ['allow: [{ rules: [echo-leak], paths: x/**, secrets: ["^abc"], lines: [todo], stopwords: [dummy], reason: ok }]', true],
    ['productionDomains: [acme.com, "*.acme.io"]', true],
    ['maxFileSize: 1000', true],
    ['suppressionMarkers: ["nosec"]', true],
    ['rules: [{ id: acme-key, description: ACME, category: live-key, severity: high, keywords: [acme_], regex: "acme_[a-z]{32}", files: ["**/*.sh"], generatedFiles: false, examples: { match: ["acme_{{rand:lower:32}}"], noMatch: ["acme_x"] } }]', true],
    ['failOn: severe', false],
    ['failOn: { severity: high, lock: true }', false],
    ['fail_on: high', false],
    ['environments: { prod: [x] }', false],
    ['policy: { production: { floor: high } }', false],
    ['overrides: { echo-leak: { enabled: "no" } }', false],
    ['allow: [{ reason: nothing }]', false],
    ['productionDomains: ["https://acme.com"]', false],
    ['maxFileSize: 0', false],
    ['extends: 3', false],
    ['rules: [{ id: acme-key, description: ACME, category: live-key, severity: high, keywords: [acme_] }]', false],
    ['rules: [{ id: acme-key, description: ACME, category: secret, severity: high, keywords: [acme_], regex: x }]', false],
  ])('%s: %s', async (text, valid) => {
    expect(validate(parse(text)), errors()).toBe(valid);
    expect(await loads(text)).toBe(valid);
  });
});
