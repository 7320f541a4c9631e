import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * GitHub runs the committed dist/action.js, not src/: a change to src/ must ship with a rebuilt
 * bundle. Fix a failure with `node scripts/build.mjs` and commit (or stage) dist/action.js.
 */
it('the committed Action bundle is what src/ builds today', () => {
  const script = fileURLToPath(new URL('../../scripts/check-action-bundle.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}, 120000);

it('holds no path of the machine that built it, so every checkout builds the same bytes', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
  const bundle = readFileSync(new URL('../../dist/action.js', import.meta.url), 'utf8');
  expect(bundle.includes(root)).toBe(false);
});
