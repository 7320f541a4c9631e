// Builds what `npx keyfence` runs: one ESM bundle with lazily loaded chunks (so the pre-commit hook
// loads no more than it uses) and the rule pack pre-parsed to JSON without its examples.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
for (const f of readdirSync('dist', { withFileTypes: true }).filter(() => true)) {
  if (f.name !== 'action.js') rmSync(`dist/${f.name}`, { recursive: true, force: true });
}
mkdirSync('dist', { recursive: true });

const rules = readdirSync('rules')
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .flatMap((file) => {
    const data = parse(readFileSync(`rules/${file}`, 'utf8'));
    return (data?.rules ?? []).map(({ examples: _examples, ...spec }) => ({ spec, origin: `rules/${file}` }));
  });
writeFileSync('dist/rules.json', JSON.stringify(rules));

await build({
  entryPoints: { cli: 'src/cli/bin.ts', worker: 'src/engine/scanWorker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  minifyWhitespace: false,
  legalComments: 'none',
  logLevel: 'warning',
  // recheck finds its native checker binary relative to its own package: load it from node_modules.
  external: ['recheck'],
  define: { __KEYFENCE_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __keyfenceRequire } from 'node:module'; const require = __keyfenceRequire(import.meta.url);" },
});
