import { describe, expect, it } from 'vitest';
import { pathFilter } from '../../src/run/pathFilter.js';

const FILES = ['README.md', 'docs/guide.md', 'src/app.js', 'src/vendor/lib.min.js', 'vendor/x.js', 'src/.env.test', 'deep/docs/note.md'];

describe('--include / --exclude', () => {
  it('is no filter without globs', () => {
    expect(pathFilter([], [])).toBeUndefined();
  });

  it.each([
    [[], ['vendor'], ['README.md', 'docs/guide.md', 'src/app.js', 'src/.env.test', 'deep/docs/note.md']],
    [[], ['*.min.js', '*.md'], ['src/app.js', 'vendor/x.js', 'src/.env.test']],
    [['src'], [], ['src/app.js', 'src/vendor/lib.min.js', 'src/.env.test']],
    [['src/**'], ['src/vendor/'], ['src/app.js', 'src/.env.test']],
    [['./docs/'], [], ['docs/guide.md']],
    [['docs'], [], ['docs/guide.md', 'deep/docs/note.md']],
    [['**/.env*'], [], ['src/.env.test']],
    [['*.js'], ['*.js'], []],
  ])('include %j, exclude %j: %j', (include, exclude, kept) => {
    const filter = pathFilter(include, exclude)!;
    expect(FILES.filter((f) => filter.matches(f))).toEqual(kept);
  });

  it('refuses a glob that names no path', () => {
    expect(() => pathFilter(['./'], [])).toThrow('--include "./" matches no path');
  });
});
