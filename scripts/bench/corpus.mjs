// The generated working tree: a monorepo of packages in several languages. Package i is built from
// its own seed, so the 10% and 30% subsets (the first tenth and three tenths of the packages) are
// the same files as in the full tree, and every block of ten packages has the same language mix.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from './prng.mjs';
import * as c from './content.mjs';
import { decoyLine, pemBlock, secretLine } from './secrets.mjs';

const BLOCK = ['web', 'web', 'node', 'node', 'python', 'python', 'go', 'go', 'java', 'ruby'];

const SRC_EXT = { web: ['ts', 'tsx', 'ts', 'js'], node: ['ts', 'ts', 'js'], python: ['py'], go: ['go'], java: ['java'], ruby: ['rb'] };
const SYNTAX = { ts: 'js', tsx: 'js', js: 'js', py: 'py', go: 'go', java: 'java', rb: 'rb', yaml: 'yaml', yml: 'yaml', json: 'json', md: 'md', env: 'env', properties: 'properties' };

function packageLanguage(index) {
  const block = Math.floor(index / BLOCK.length);
  return new Rng(`block-${block}`).shuffle(BLOCK)[index % BLOCK.length];
}

function sourceFile(r, lang, ext, target, test, javaPkg, cls) {
  switch (lang) {
    case 'python':
      return c.pyFile(r, target, { test });
    case 'go':
      return c.goFile(r, target, { pkg: c.words(r, 1, 1)[0], test });
    case 'java':
      return c.javaFile(r, target, { pkg: javaPkg, cls, test });
    case 'ruby':
      return c.rubyFile(r, target, { test });
    default:
      return c.jsFile(r, target, { ts: ext !== 'js', test });
  }
}

/**
 * Builds one package's files in memory: [{ path, text }], paths relative to the tree root, plus the
 * credentials planted in it.
 */
function buildPackage(index) {
  const r = new Rng(`package-${index}`);
  const lang = packageLanguage(index);
  const name = `${c.projectName(r)}-${c.words(r, 1, 1)[0]}-${index}`;
  const top = lang === 'web' ? 'apps' : r.chance(0.6) ? 'services' : 'libs';
  const base = `${top}/${name}`;
  const files = new Map();
  const add = (path, text) => {
    let p = `${base}/${path}`;
    for (let n = 2; files.has(p); n++) p = `${base}/${path.replace(/(\.[^./]+)?$/, `-${n}$1`)}`;
    files.set(p, text);
    return p;
  };

  // Docs and common config.
  add('README.md', c.markdownFile(r, r.size(4000, 0.6, 800, 20000), name));
  add('CHANGELOG.md', c.markdownFile(r, r.size(6000, 0.8, 500, 40000), 'Changelog'));
  for (let i = 0, n = r.int(3, 9); i < n; i++) add(`docs/${c.words(r, 1, 2).join('-')}.md`, c.markdownFile(r, r.size(3000, 0.7, 400, 25000), c.sentence(r, 2, 5).slice(0, -1)));
  add('.github/workflows/ci.yml', c.yamlFile(r, 0, 'workflow'));
  if (r.chance(0.5)) add('.github/workflows/release.yml', c.yamlFile(r, 0, 'workflow'));
  add('Dockerfile', c.dockerfile(r));
  add('.gitignore', 'node_modules/\n*.log\n.env.local\n__pycache__/\n');
  add('.env.example', c.envFile(r, 'example'));
  for (let i = 0, n = r.int(2, 7); i < n; i++) add(`config/${c.words(r, 1, 1)[0]}.yaml`, c.yamlFile(r, r.size(1500, 0.7, 200, 12000), 'app'));
  for (let i = 0, n = r.int(1, 4); i < n; i++) add(`deploy/k8s/${c.words(r, 1, 1)[0]}.yaml`, c.yamlFile(r, 0, 'k8s'));

  // Dependencies and lockfiles.
  const lockSize = (median) => r.size(median, 0.6, 20000, 2_000_000);
  if (lang === 'web' || lang === 'node') {
    const deps = c.depList(r, 20);
    add('package.json', c.packageJson(r, name, deps));
    add('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, outDir: 'dist' }, include: ['src'] }, null, 2) + '\n');
    if (r.chance(0.6)) add('package-lock.json', c.packageLock(r, lockSize(280000), name));
    else add('yarn.lock', c.yarnLock(r, lockSize(220000)));
  } else if (lang === 'python') {
    add('pyproject.toml', `[tool.poetry]\nname = "${name}"\nversion = "0.1.0"\ndescription = "${c.sentence(r)}"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n`);
    add('poetry.lock', c.poetryLock(r, lockSize(150000)));
    add('requirements.txt', c.depList(r, r.int(5, 40)).map((d) => `${d.name.replace(/[@/]/g, '')}==${d.version}`).join('\n') + '\n');
  } else if (lang === 'go') {
    add('go.mod', `module github.com/acme/${name}\n\ngo 1.22\n`);
    add('go.sum', c.goSum(r, lockSize(70000)));
  } else if (lang === 'java') {
    add('pom.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<project>\n  <groupId>com.acme</groupId>\n  <artifactId>${name}</artifactId>\n  <dependencies>\n${c.depList(r, r.int(10, 40)).map((d) => `    <dependency><groupId>org.${d.name.replace(/[@/-]/g, '')}</groupId><artifactId>${d.name.replace(/[@/]/g, '')}</artifactId><version>${d.version}</version></dependency>`).join('\n')}\n  </dependencies>\n</project>\n`);
    add('src/main/resources/application.properties', c.propertiesFile(r, r.size(1500, 0.6, 200, 10000)));
  } else if (lang === 'ruby') {
    add('Gemfile', `source 'https://gems.example.com'\n\n${c.depList(r, r.int(8, 30)).map((d) => `gem '${d.name.replace(/[@/]/g, '')}', '~> ${d.version}'`).join('\n')}\n`);
    add('Gemfile.lock', c.gemfileLock(r, lockSize(45000)));
  }

  // Source and tests.
  const dirs = Array.from({ length: r.int(8, 30) }, () => c.words(r, 1, 3).join('/'));
  const javaPkg = `com.acme.${name.replace(/[^a-z]/g, '')}`;
  const nSource = r.int(330, 440);
  for (let i = 0; i < nSource; i++) {
    const test = r.chance(0.2);
    const ext = r.pick(SRC_EXT[lang]);
    const size = r.size(2000, 0.85, 200, 60000);
    const dir = r.pick(dirs);
    const stem = lang === 'java' ? c.ident.pascal(r) : lang === 'go' || lang === 'python' || lang === 'ruby' ? c.ident.snake(r) : c.ident.camel(r);
    const text = sourceFile(r, lang, ext, size, test, javaPkg, stem);
    let path;
    if (lang === 'python') path = test ? `tests/${dir}/test_${stem}.py` : `src/${name.split('-')[0]}/${dir}/${stem}.py`;
    else if (lang === 'go') path = test ? `internal/${dir}/${stem}_test.go` : `${r.chance(0.1) ? 'cmd' : 'internal'}/${dir}/${stem}.go`;
    else if (lang === 'java') path = `src/${test ? 'test' : 'main'}/java/com/acme/${dir}/${stem}${test ? 'Test' : ''}.java`;
    else if (lang === 'ruby') path = test ? `spec/${dir}/${stem}_spec.rb` : `${r.pick(['app/models', 'app/services', 'app/controllers', 'lib'])}/${dir}/${stem}.rb`;
    else path = test ? `test/${dir}/${stem}.test.${ext}` : `src/${dir}/${stem}.${ext}`;
    add(path, text);
  }

  // JSON data: translations and fixtures.
  if (lang === 'web') for (let i = 0, n = r.int(3, 10); i < n; i++) add(`src/locales/${r.pick(['en', 'de', 'fr', 'es', 'ja', 'pt', 'it', 'nl', 'pl', 'sv'])}.json`, c.jsonFile(r, r.size(8000, 0.7, 1000, 60000), 'i18n'));
  for (let i = 0, n = r.int(1, 6); i < n; i++) add(`test/fixtures/${c.words(r, 1, 2).join('-')}.json`, c.jsonFile(r, r.size(5000, 0.9, 500, 80000), 'fixture'));
  for (let i = 0, n = r.int(1, 4); i < n; i++) add(`config/${c.words(r, 1, 1)[0]}.json`, c.jsonFile(r, r.size(1200, 0.6, 200, 8000), 'config'));

  // Minified bundles and maps (front ends; a few back ends ship one too).
  const nBundles = lang === 'web' ? r.int(1, 3) : lang === 'node' && r.chance(0.3) ? 1 : 0;
  for (let i = 0; i < nBundles; i++) {
    const stem = `${c.words(r, 1, 1)[0]}.${r.hex(8)}`;
    const size = r.size(280000, 0.7, 40000, 2_500_000);
    add(`dist/${stem}.min.js`, c.minifiedBundle(r, size, { lineBreakEvery: r.chance(0.3) ? 32000 : 0 }));
    if (r.chance(0.4)) add(`dist/${stem}.min.js.map`, c.sourceMap(r, Math.min(size, 1_500_000), `${stem}.min.js`));
  }

  // Credentials and decoys.
  const planted = [];
  const paths = [...files.keys()];
  // Not bundles or lockfiles (generated), nor CI workflows (a line dropped into one breaks its YAML).
  const editable = paths.filter((p) => !/\.(min\.js|map)$|lock|go\.sum$|\.github\//.test(p));
  const insert = (path, line) => {
    const lines = files.get(path).split('\n');
    const at = lines.length > 2 ? 1 + Math.floor(r.float() * (lines.length - 2)) : lines.length;
    lines.splice(at, 0, line);
    files.set(path, lines.join('\n'));
    return at + 1;
  };
  const syntaxOf = (path) => {
    const base = path.split('/').pop();
    if (base.startsWith('.env')) return 'env';
    return SYNTAX[base.split('.').pop()] ?? 'js';
  };
  const nSecrets = r.weighted([[50, 0], [35, 1], [15, 2]]);
  for (let i = 0; i < nSecrets; i++) {
    const where = r.weighted([[3, 'env'], [2, 'config'], [3, 'source'], [1, 'fixture'], [1, 'docs'], [1, 'pem']]);
    if (where === 'pem') {
      const p = add(`${r.pick(['certs', 'test/fixtures', 'deploy'])}/${c.words(r, 1, 1)[0]}-key.pem`, pemBlock(r).join('\n') + '\n');
      planted.push({ file: p, line: 1, kind: 'private-key' });
      continue;
    }
    let path;
    if (where === 'env') path = add(`.env.${r.pick(['development', 'staging', 'production', 'test'])}`, c.envFile(r, 'local'));
    else {
      const re = { config: /\.(ya?ml|properties)$/, source: /\.(ts|tsx|js|py|go|java|rb)$/, fixture: /fixtures\/.*\.json$/, docs: /\.md$/ }[where];
      path = r.pick(editable.filter((p) => re.test(p)));
      if (!path) continue;
    }
    const s = secretLine(r, syntaxOf(path));
    insert(path, s.line);
    planted.push({ file: path, line: 0, kind: s.kind, value: s.value });
  }
  for (let i = 0, n = r.int(1, 4); i < n; i++) {
    const path = r.pick(editable);
    insert(path, decoyLine(r, syntaxOf(path)));
  }
  // Inserts shift earlier ones: find each value's line in the final text.
  for (const p of planted) {
    if (p.value === undefined) continue;
    p.line = files.get(p.file).split('\n').findIndex((l) => l.includes(p.value)) + 1;
    delete p.value;
  }
  return { name, lang, dir: base, files, planted };
}

/** Writes packages [0, count) under root. Returns the manifest entries. */
export function writePackages(root, count, onProgress = () => {}) {
  const packages = [];
  const planted = [];
  for (let i = 0; i < count; i++) {
    const pkg = buildPackage(i);
    let bytes = 0;
    for (const [path, text] of pkg.files) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      const buf = Buffer.from(text);
      writeFileSync(full, buf);
      bytes += buf.length;
    }
    packages.push({ index: i, name: pkg.name, lang: pkg.lang, dir: pkg.dir, files: pkg.files.size, bytes });
    planted.push(...pkg.planted);
    onProgress(i + 1, count);
  }
  return { packages, planted };
}
