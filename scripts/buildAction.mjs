// Builds the GitHub Action's entry, dist/action.js: ONE self-contained ESM file (no chunks, the
// rule pack inlined), because the Action runs from a checkout of this repository where only the
// committed bundle exists. The output depends only on the sources, the lockfile's packages and the
// esbuild version, so scripts/check-action-bundle.mjs can rebuild it and compare byte for byte.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inlineReportPage } from './reportPage.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The built-in rules: sorted by file, without their examples, their macros expanded (`rules`) and as
 * written (`written`: dist/rules.json holds these, half the size, and its reader expands a regex
 * when it is first used); and the macros themselves (rules/macros.yml), for that and for custom rules
 * in keyfence.yml. Read by the loader the tests use (src/engine/ruleFiles.ts), bundled on the fly.
 */
export async function rulePack() {
  const { loadRuleDirectory, loadMacroFile } = await importSource('src/engine/ruleFiles.ts');
  const { expandMacros } = await importSource('src/rules/macros.ts');
  const dir = resolve(root, 'rules');
  const macros = loadMacroFile(dir);
  const written = loadRuleDirectory(dir, { expand: false }).map(({ spec: { examples: _examples, ...spec }, origin }) => ({ spec, origin }));
  const expanded = (spec) => (spec.regex === undefined ? spec : { ...spec, regex: expandMacros(spec.regex, macros) });
  const rules = written.map(({ spec, origin }) => ({ spec: expanded(spec), origin }));
  return { rules, written, macros };
}

/** A TypeScript module of src/, bundled with what it imports into a temporary file and imported. */
async function importSource(entry) {
  const { outputFiles } = await build({
    ...nodeBundle(),
    stdin: { contents: `export * from ${JSON.stringify(`./${entry}`)};`, resolveDir: root, loader: 'ts' },
    write: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'keyfence-build-'));
  try {
    const module = join(dir, 'module.mjs');
    writeFileSync(module, outputFiles[0].text);
    return await import(pathToFileURL(module).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** micromatch imported up front: the CLI loads it on demand from node_modules, which the Action does not have. */
const bundledGlobs = {
  name: 'keyfence-bundled-globs',
  setup(b) {
    // A path of no folder: the bundle must not hold where it was built.
    b.onResolve({ filter: /[\\/]globs(\.js)?$/ }, (args) => ({ path: 'globs', namespace: 'keyfence-globs', pluginData: { resolveDir: args.resolveDir } }));
    b.onLoad({ filter: /.*/, namespace: 'keyfence-globs' }, (args) => ({
      contents: "import micromatch from 'micromatch'; export function globs() { return micromatch; }",
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

/**
 * The engine reads the rule pack from dist/rules.json next to the bundle, and the macros from
 * dist/macros.json; the Action has no such files. This plugin puts a module in front of
 * src/rules/builtinRules.ts that re-exports it with `loadBuiltinRules` and `loadBuiltinMacros`
 * answering from the inlined pack (a local export wins over `export *`), and no file read from
 * beside the bundle (so no precomputed keyword automaton).
 */
function inlineRulePack({ rules, macros }) {
  return {
    name: 'keyfence-inline-rule-pack',
    setup(b) {
      b.onResolve({ filter: /[\\/]builtinRules(\.js)?$/ }, (args) => {
        if (args.pluginData?.original) return undefined;
        const real = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return { path: 'builtinRules', namespace: 'keyfence-rule-pack', pluginData: { real } };
      });
      b.onLoad({ filter: /.*/, namespace: 'keyfence-rule-pack' }, (args) => ({
        contents: [
          `export * from ${JSON.stringify('./builtinRules.ts')};`,
          `const RULES = ${JSON.stringify(rules)};`,
          'export function loadBuiltinRules() { return structuredClone(RULES); }',
          `const MACROS = ${JSON.stringify(macros)};`,
          'export function loadBuiltinMacros() { return MACROS; }',
          // Nothing is read from beside a single-file bundle: no precomputed keyword automaton (the
          // prefilter builds it).
          'export function builtPath() { return undefined; }',
        ].join('\n'),
        resolveDir: dirname(args.pluginData.real),
        loader: 'js',
        pluginData: { original: true },
      }));
    },
  };
}

/**
 * recheck, which proves a custom rule's regexes free of catastrophic backtracking, in the bundle:
 * the Action has no node_modules, and the package does not pull recheck's native binary and jar
 * (50 MB). Its synchronous API runs either in a synckit worker it finds by file name (not bundled:
 * stubbed here) or, with RECHECK_SYNC_BACKEND=pure, in-process with its Scala.js checker, which a
 * bundle sets (src/engine/regexSafety.ts). It is loaded only when the configuration has custom rules.
 */
export const bundledRecheck = {
  name: 'keyfence-bundled-recheck',
  setup(b) {
    b.onResolve({ filter: /^synckit$/ }, () => ({ path: 'synckit', namespace: 'keyfence-no-synckit' }));
    b.onLoad({ filter: /.*/, namespace: 'keyfence-no-synckit' }, () => ({
      contents: "export function createSyncFn() { throw new Error('synckit is not bundled: set RECHECK_SYNC_BACKEND=pure'); }",
      loader: 'js',
    }));
  },
};

export async function buildAction(outfile) {
  // action.yml runs it with node24; the node20 syntax of nodeBundle keeps it runnable by the CLI's
  // minimum too.
  await build({
    ...nodeBundle(),
    external: [],
    absWorkingDir: root,
    entryPoints: ['src/action/main.ts'],
    outfile,
    splitting: false,
    plugins: [inlineRulePack(await rulePack()), bundledGlobs, bundledRecheck, inlineReportPage],
  });
}

/**
 * What every keyfence bundle is: ESM for node 20 with the version baked in, a `require` for the
 * CommonJS packages it bundles, recheck inside (its pure-JS checker: `__KEYFENCE_BUNDLED__`). Only
 * micromatch is loaded from node_modules (src/engine/globs.ts): the package's one dependency.
 */
export function nodeBundle() {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  return {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    logLevel: 'warning',
    define: { __KEYFENCE_VERSION__: JSON.stringify(pkg.version), __KEYFENCE_HOMEPAGE__: JSON.stringify(pkg.homepage), __KEYFENCE_BUNDLED__: 'true' },
    plugins: [bundledRecheck, inlineReportPage],
    banner: { js: "import { createRequire as __keyfenceRequire } from 'node:module'; const require = __keyfenceRequire(import.meta.url);" },
  };
}
