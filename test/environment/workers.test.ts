import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

/**
 * A tree large enough for worker threads: each worker's engine sees only its batches, so a value
 * shared by files of different batches is found only if the workers hand their observations to
 * the main engine (Engine.takeObservations -> addObservations).
 */
// Above scanFiles' PARALLEL_FROM_FILES, so the scan is shared between the main thread and workers.
const FILES = 2100;

it('finds values shared across worker batches', () => {
  dir = tempDir('keyfence-workers-');
  for (let i = 0; i < FILES; i++) dir.write(`src/module${String(i).padStart(4, '0')}.js`, `export const n${i} = ${i};\n`);
  const shared = fake.password();
  dir.write('a/.env.production', `SESSION_SECRET=${shared}\n`);
  dir.write('z/.env.staging', `SESSION_SECRET=${shared}\n`);
  const result = runCli(['scan', '--no-git', '--format', 'json'], dir.path, { KEYFENCE_THREADS: '2' });
  const findings = (JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; file: string }> }).findings;
  expect(findings.filter((f) => f.ruleId === 'env-crossover').map((f) => f.file)).toEqual(['z/.env.staging']);
});

/** The fixture workflow that checks out a fork's code with a secret in reach: findings in every copy. */
const PWN_REQUEST = readFileSync(new URL('../../fixtures/workflows/untrusted-checkout/err-pwn-request.yml', import.meta.url), 'utf8');

// Workers hand workflow files back to the main thread to audit: none may be lost or audited twice.
it('reports the same findings and counts with one thread and with several', () => {
  dir = tempDir('keyfence-workers-');
  const PACKAGES = 7;
  for (let i = 0; i < FILES; i++) {
    const name = `pkg${i % PACKAGES}/src/module${String(i).padStart(4, '0')}.js`;
    dir.write(name, i % 300 === 0 ? `const key = '${fake.stripeLive()}';\n` : `export const n${i} = ${i};\n`);
  }
  for (let p = 0; p < PACKAGES; p++) dir.write(`pkg${p}/.github/workflows/preview.yml`, PWN_REQUEST);
  const run = (threads: string) => {
    const report = JSON.parse(runCli(['scan', '--no-git', '--format', 'json'], dir.path, { KEYFENCE_THREADS: threads }).stdout) as {
      findings: Array<{ ruleId: string; file: string; line: number; fingerprint: string }>;
      stats: { files: number; bytes: number };
    };
    return { findings: report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.fingerprint}`), files: report.stats.files, bytes: report.stats.bytes };
  };
  const one = run('1');
  expect(one.files).toBe(FILES + PACKAGES);
  expect(one.findings.filter((f) => f.includes('/src/'))).toHaveLength(Math.ceil(FILES / 300));
  const workflowFiles = one.findings.filter((f) => f.includes('/.github/workflows/')).map((f) => f.split(':')[0]);
  expect([...new Set(workflowFiles)]).toEqual(Array.from({ length: PACKAGES }, (_, p) => `pkg${p}/.github/workflows/preview.yml`));
  expect(run('3')).toEqual(one);
});
