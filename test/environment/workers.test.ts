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
it('finds values shared across worker batches', () => {
  dir = tempDir('keyfence-workers-');
  for (let i = 0; i < 600; i++) dir.write(`src/module${String(i).padStart(3, '0')}.js`, `export const n${i} = ${i};\n`);
  const shared = fake.password();
  dir.write('a/.env.production', `SESSION_SECRET=${shared}\n`);
  dir.write('z/.env.staging', `SESSION_SECRET=${shared}\n`);
  const result = runCli(['scan', '--no-git', '--format', 'json'], dir.path, { KEYFENCE_THREADS: '2' });
  const findings = (JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; file: string }> }).findings;
  expect(findings.filter((f) => f.ruleId === 'env-crossover').map((f) => f.file)).toEqual(['z/.env.staging']);
});
