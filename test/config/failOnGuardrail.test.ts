import { afterEach, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

it('a command-line --fail-on cannot loosen a locked failOn, but may tighten it', () => {
  dir = tempDir();
  dir.write('policy/org.yml', 'failOn: { severity: medium, locked: true }\n');
  dir.write('keyfence.yml', 'extends: ./policy/org.yml\n');
  dir.write('src/app.js', 'export const ok = true;\n');
  const loosened = runCli(['scan', '--no-git', '--fail-on', 'critical'], dir.path);
  expect(loosened.code).toBe(2);
  expect(loosened.stderr).toMatch(/^keyfence: --fail-on critical would loosen the locked guardrail failOn: medium set at policy\/org\.yml:1:\d+/);
  expect(runCli(['scan', '--no-git', '--fail-on', 'low'], dir.path).code).toBe(0);
});
