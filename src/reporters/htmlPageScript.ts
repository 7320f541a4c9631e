import { readFileSync } from 'node:fs';
import { builtPath } from '../rules/builtinRules.js';

/**
 * The HTML report's script: src/reporters/htmlPage/ bundled with Chart.js by scripts/reportPage.mjs.
 * keyfence's bundles replace this module with one holding the script as a string; from source (the
 * tests) it is read from dist/report-page.txt, which the build writes.
 */
export function htmlPageScript(): string {
  const path = builtPath('report-page.txt');
  if (!path) throw new Error('the HTML report script (dist/report-page.txt) is missing: run `npm run build`');
  return readFileSync(path, 'utf8');
}
