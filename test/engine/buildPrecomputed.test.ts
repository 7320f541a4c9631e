import micromatch from 'micromatch';
import { describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/rules/builtinRules.js';

/**
 * The build works some things out once for the built-in rules (scripts/build.mjs) that the engine
 * would otherwise compute in every run; here they are computed the slow way and compared.
 */
const rules = loadBuiltinRules();

/** Paths a glob should and should not match: its own shape at several depths and cases, and others. */
function samplePaths(globs: string[]): string[] {
  const out = ['src/index.ts', 'README.md', 'Dockerfile', 'deploy/Dockerfile.prod', 'scripts/build.sh', 'SCRIPTS/RUN.SH', 'package.json', 'node_modules/x/package.json', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'Makefile', 'a/.husky/pre-commit', 'docker-entrypoint.sh', 'dockerfile.txt'];
  for (const glob of globs.map((g) => g.replace(/^!/, ''))) {
    for (const prefix of ['', 'a/', 'a/b.c/']) {
      for (const star of ['x', 'deploy.prod', '']) {
        const path = glob.replace(/^\*\*\//, prefix).replace(/\*/g, star);
        out.push(path, path.toUpperCase(), `${path}.bak`, `${path}/inner`);
      }
    }
  }
  return out;
}

describe('what the build precomputes for the built-in rules', () => {
  it('counts the capture groups of every regex', () => {
    for (const { spec, groups } of rules) expect(groups, spec.id).toBe(new RegExp(`${spec.regex}|`, spec.flags ?? '').exec('')!.length - 1);
  });

  it('compiles `files:` globs to regexes that agree with micromatch', () => {
    const scoped = rules.filter((r) => r.spec.files);
    expect(scoped.length).toBeGreaterThan(0);
    for (const { spec, filesPattern } of scoped) {
      expect(filesPattern, spec.id).toBeDefined();
      const include = spec.files!.filter((g) => !g.startsWith('!'));
      const exclude = spec.files!.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
      const yes = new RegExp(filesPattern!.include, 'i');
      const no = filesPattern!.exclude === undefined ? undefined : new RegExp(filesPattern!.exclude);
      for (const path of samplePaths(spec.files!)) {
        const expected = micromatch.isMatch(path, include.length ? include : ['**'], { dot: true, nocase: true }) && !(exclude.length && micromatch.isMatch(path, exclude, { dot: true }));
        expect(yes.test(path) && !no?.test(path), `${spec.id}: ${path}`).toBe(expected);
      }
    }
  });
});
