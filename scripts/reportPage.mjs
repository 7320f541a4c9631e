// The HTML report's script (src/reporters/htmlPage/): bundled for the browser with the parts of
// Chart.js it uses, minified, and inlined into every HTML report, so a report opens without network.
// Chart.js is a devDependency: the script goes into keyfence's own bundles as a string
// (`inlineReportPage`), and the build writes it to dist/report-page.txt for the tests, which run
// src/reporters/htmlPageScript.ts from source. Chart.js's licence comment is kept (legalComments).
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

let built;

/** The page script, built once per process. */
export function reportPageScript() {
  built ??= build({
    absWorkingDir: root,
    entryPoints: ['src/reporters/htmlPage/main.js'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    charset: 'ascii',
    legalComments: 'eof',
    logLevel: 'warning',
  }).then(({ outputFiles }) => {
    const text = outputFiles[0].text;
    // Inside <script>…</script> the HTML parser ends the element at the first `</script`.
    if (/<\/script/i.test(text) || /<!--/.test(text)) throw new Error('the report page script holds `</script` or `<!--`: it cannot be inlined into HTML');
    return text;
  });
  return built;
}

/**
 * src/reporters/htmlPageScript.ts, in a bundle, answers with the script itself instead of reading
 * dist/report-page.txt: the Action's bundle has no file beside it, and the CLI's needs none.
 */
export const inlineReportPage = {
  name: 'keyfence-inline-report-page',
  setup(b) {
    const module = resolve(root, 'src/reporters/htmlPageScript.ts');
    b.onResolve({ filter: /[\\/]htmlPageScript(\.js)?$/ }, (args) => {
      const real = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return real === module ? { path: 'htmlPageScript', namespace: 'keyfence-report-page' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'keyfence-report-page' }, async () => ({
      contents: `const SCRIPT = ${JSON.stringify(await reportPageScript())};\nexport function htmlPageScript() { return SCRIPT; }\n`,
      loader: 'js',
    }));
  },
};
