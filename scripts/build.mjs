// Builds what `npx keyfence` runs: one ESM bundle with lazily loaded chunks (so the pre-commit hook
// loads no more than it uses), the rule pack pre-parsed to JSON without its examples, and the
// prefilter's keyword automaton for that pack.
//
// The build writes into a fresh folder and moves each file into dist/ with an atomic rename, so a
// keyfence process (or a test run) started from the old bundle never sees half of the new one.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import micromatch from 'micromatch';
import { buildAction, bundledRecheck, nodeBundle, rulePack } from './buildAction.mjs';
import { rotationSteps } from './rotationSteps.mjs';
import { reportPageScript } from './reportPage.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
// The rule files without their examples, each regex as written (`{{assign}}` and all: the macros'
// text would be two thirds of the file, which every commit's hook reads; src/rules/builtinRules.ts
// expands a regex when it is first used). Worked out once here instead of in every run: `groups`,
// the regex's capture groups (counting them takes a second compile), and `filesPattern`, the
// `files:` globs as two regexes.
const pack = await rulePack();
mkdirSync('dist', { recursive: true });
const staging = mkdtempSync(join('dist', '.build-'));
const rules = pack.rules.map(({ spec, origin }, i) => ({
  spec: pack.written[i].spec,
  origin,
  groups: new RegExp(`${spec.regex}|`, spec.flags ?? '').exec('').length - 1,
  ...(spec.files ? { filesPattern: filesPattern(spec.files) } : {}),
}));
writeFileSync(join(staging, 'rules.json'), JSON.stringify(rules));
// The macros (rules/macros.yml), which custom rules in keyfence.yml may use too.
writeFileSync(join(staging, 'macros.json'), JSON.stringify(pack.macros));
// Each rule's rotate/revoke steps from its doc page, for `keyfence rotate` (docs/ is not published).
writeFileSync(join(staging, 'rotation.json'), JSON.stringify(rotationSteps(root)));
// The HTML report's script (Chart.js inside), which the bundles inline; from source the tests read it here.
writeFileSync(join(staging, 'report-page.txt'), await reportPageScript());

/**
 * A rule's `files:` globs as regex sources, as src/engine/engine.ts matches them: includes ignore case,
 * excludes do not.
 */
function filesPattern(globs) {
  const union = (list, nocase) => list.map((g) => micromatch.makeRe(g, { dot: true, nocase }).source).join('|');
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  return { include: union(include.length ? include : ['**'], true), ...(exclude.length ? { exclude: union(exclude, false) } : {}) };
}

/**
 * The prefilter's keyword automaton for the built-in rules, computed once here rather than in every
 * run (src/engine/keywordAutomaton.ts): the build runs the engine's own code for it, bundled on the fly.
 */
async function writeKeywordAutomaton(pack, out) {
  const { outputFiles } = await build({
    stdin: { contents: "export * from './src/engine/keywordAutomaton.ts';", resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const module = join(staging, 'prefilter-build.mjs');
  writeFileSync(module, outputFiles[0].text);
  try {
    const { buildKeywordAutomaton, encodeKeywordAutomaton } = await import(pathToFileURL(join(root, module)).href);
    const keywords = pack.flatMap(({ spec }) => spec.keywords.map((k) => k.toLowerCase()));
    writeFileSync(out, encodeKeywordAutomaton(buildKeywordAutomaton(keywords)));
  } finally {
    rmSync(module);
  }
}

const COMMON = { ...nodeBundle(), outdir: staging };

/**
 * The programs that must start fast, each built as one file: loading one file is much quicker than
 * loading the twenty-odd modules of the split bundle. `keyfence staged` (the pre-commit hook) and
 * `keyfence scan` run from them (src/cli/bin.ts), and so does every scan worker thread. `inline`
 * lists the modules loaded on demand that a program holds anyway (its command, the default report
 * format), with everything they import statically; what else it loads on demand (another report
 * format, a baseline, the YAML parser, the workflow checks, other commands) stays out: each such
 * import points at the module the split build made of it.
 */
const COMMON_INLINE = ['src/reporters/text.ts', 'src/reporters/json.ts', 'src/config/loadConfig.ts', 'src/suppressions/baseline.ts'];
const ONE_FILE_PROGRAMS = [
  // The launcher itself: one small file, so every command starts by loading no more than one module.
  { name: 'cli', entry: 'src/cli/bin.ts' },
  // The same launcher as CommonJS, which package.json's `bin` names: node starts a CommonJS file
  // without setting up its ES module loader, about 18 million instructions (some 6 ms) that the
  // pre-commit hook, whose program is a script (cachedProgram.ts), never needs otherwise (callgrind).
  { name: 'keyfence', entry: 'src/cli/bin.ts', commonjs: true },
  // Each with its command, the default report format, which nearly every run prints, and what many
  // runs need: JSON, a keyfence.yml (the YAML reader) and a baseline. Inside the program they are
  // covered by its code cache; from the split bundle, the first import() alone made node set up its
  // ES module loader, and a keyfence.yml with one setting cost the hook a third more (callgrind).
  // `script`: built as a function that src/cli/cachedProgram.ts runs with V8's code cache.
  { name: 'hook', entry: 'src/cli/run.ts', inline: ['src/cli/commands/staged.ts', ...COMMON_INLINE], script: true },
  { name: 'scan', entry: 'src/cli/run.ts', inline: ['src/cli/commands/scan.ts', ...COMMON_INLINE], script: true },
  { name: 'worker', entry: 'src/run/scanWorker.ts' },
];

/**
 * In the programs run with a code cache, micromatch (src/engine/globs.ts) is bundled, still loaded
 * on first use: from node_modules it was compiled afresh on every run that matched a glob (a
 * keyfence.yml with `environments:` cost the hook a fifth more, callgrind), inside the program the
 * code cache holds it once a run has used it.
 */
const lazyBundledGlobs = {
  name: 'keyfence-lazy-bundled-globs',
  setup(b) {
    b.onResolve({ filter: /[\\/]globs(\.js)?$/ }, (args) => ({ path: 'globs', namespace: 'keyfence-lazy-globs', pluginData: { resolveDir: args.resolveDir } }));
    b.onLoad({ filter: /.*/, namespace: 'keyfence-lazy-globs' }, (args) => ({
      contents: [
        `import { usedFeature } from ${JSON.stringify(join(root, 'src/codeCacheFeatures.ts'))};`,
        'let micromatch;',
        "export function globs() { if (!micromatch) { usedFeature('globs'); micromatch = require('micromatch'); } return micromatch; }",
      ].join('\n'),
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

/** `split`: the split build's metafile, which names the file it made of each module loaded on demand. */
async function buildOneFilePrograms(split) {
  const built = new Map();
  for (const [out, { entryPoint }] of Object.entries(split.outputs)) if (entryPoint) built.set(resolve(root, entryPoint), basename(out));
  for (const { name, entry, inline, script, commonjs } of ONE_FILE_PROGRAMS) {
    const inlined = new Set((inline ?? []).map((path) => resolve(root, path)));
    const result = await build({
      ...COMMON,
      ...(script ? { format: 'cjs', banner: {}, define: { ...COMMON.define, 'import.meta.url': '__keyfenceUrl' }, write: false } : {}),
      ...(commonjs
        ? {
            format: 'cjs',
            outExtension: { '.js': '.cjs' },
            banner: { js: "const __keyfenceUrl = require('node:url').pathToFileURL(__filename).href;" },
            define: { ...COMMON.define, 'import.meta.url': '__keyfenceUrl' },
          }
        : {}),
      entryPoints: { [name]: entry },
      // Without the indentation and comments: dist/hook.js was 0.69 MB, which every commit read into
      // memory twice (a buffer, then V8's string), 0.46 MB now; some 3 ms a commit (interleaved runs).
      // Names stay, so a stack trace still reads `at Engine.scan (…/hook.js:1:…)`.
      minifyWhitespace: true,
      minifySyntax: true,
      plugins: [
        bundledRecheck,
        ...(script ? [lazyBundledGlobs] : []),
        {
          name: 'keyfence-lazy-imports-from-split-build',
          setup(b) {
            b.onResolve({ filter: /.*/ }, async (args) => {
              if (args.kind !== 'dynamic-import' || args.pluginData?.resolving) return undefined;
              const found = await b.resolve(args.path, {
                kind: args.kind,
                resolveDir: args.resolveDir,
                importer: args.importer,
                pluginData: { resolving: true },
              });
              if (found.errors.length || found.external || inlined.has(found.path)) return undefined;
              const file = built.get(found.path);
              if (!file) throw new Error(`${name}.js: ${args.path} (imported by ${relative(root, args.importer)}) is not a module of the split build`);
              return { path: `./${file}`, external: true };
            });
          },
        },
      ],
    });
    if (script) writeFileSync(join(staging, `${name}.js`), asProgramScript(name, result.outputFiles[0].text));
  }
}

/**
 * Every character outside ASCII as a \\u escape (esbuild escapes strings, not regex literals or
 * comments). A single `…` would make V8 hold a whole program, or rules.json, as two bytes per
 * character, which costs decoding and slower scanning on every start. The escape means the same
 * character in JSON, in a regex literal (a surrogate pair too, with or without the u flag) and in a
 * comment, the only places left.
 */
function asciiOnly(text) {
  return text.replace(/[^\t\n\r\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A CommonJS bundle as the function src/cli/cachedProgram.ts runs: `require` and the module's URL
 * are its parameters, and so is `__keyfenceImport`, which stands in for import(): a script run by
 * vm.Script may not call import() itself. esbuild prints each dynamic import as `import("…")`.
 */
function asProgramScript(name, code) {
  const dynamic = /\bimport\((?=")/g;
  const body = code.replace(dynamic, '__keyfenceImport(');
  if (/\bimport\s*\(/.test(body)) throw new Error(`${name}.js: a dynamic import esbuild did not print as import("…"): src/cli/cachedProgram.ts could not load it`);
  // On the first line, so the program's line numbers in stack traces stay those of the bundle.
  return `(function (exports, require, module, __keyfenceUrl, __keyfenceImport) {${body}\n})`;
}

try {
  await writeKeywordAutomaton(rules, join(staging, 'prefilter.bin'));
  const { metafile } = await build({
    ...COMMON,
    entryPoints: { cli: 'src/cli/bin.ts' },
    splitting: true,
    chunkNames: '[name]-[hash]',
    metafile: true,
  });
  await buildOneFilePrograms(metafile);
  // The GitHub Action: one self-contained file, committed (scripts/check-action-bundle.mjs).
  await buildAction(join(root, staging, 'action.js'));
  // What the CLI loads (the Action's bundle is checked byte for byte against buildAction's output).
  for (const file of readdirSync(staging)) {
    if (!/\.(?:c?js|json)$/.test(file) || file === 'action.js') continue;
    const path = join(staging, file);
    writeFileSync(path, asciiOnly(readFileSync(path, 'utf8')));
  }
  // Chunks first, entry points last: a new cli.js only ever points at chunks already in place.
  const entry = (file) => ONE_FILE_PROGRAMS.some(({ name }) => file === `${name}.js` || file === `${name}.cjs`);
  const built = readdirSync(staging).sort((a, b) => Number(entry(a)) - Number(entry(b)));
  for (const file of built) renameSync(join(staging, file), join('dist', file));
  // Chunks of earlier builds go once no process can still be loading them.
  const keep = new Set([...built, 'action.js']);
  for (const file of readdirSync('dist')) {
    const path = join('dist', file);
    if (keep.has(file) || file.startsWith('.build-')) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 10 * 60 * 1000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another build removed it first.
    }
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}
