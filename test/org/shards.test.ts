import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrgRepository } from '../../src/github/orgRepositories.js';
import { progressLine } from '../../src/run/org/orgProgress.js';
import { selectRepositories } from '../../src/run/org/selection.js';
import { parseShard, planShards } from '../../src/run/org/shards.js';

const repos = fc.uniqueArray(fc.record({ fullName: fc.stringMatching(/^o\/[a-z0-9-]{1,12}$/), size: fc.nat({ max: 5_000_000 }) }), { selector: (r) => r.fullName, maxLength: 300 });

describe('planShards', () => {
  it('puts every repository in exactly one shard', () => {
    fc.assert(
      fc.property(repos, fc.integer({ min: 1, max: 64 }), (items, count) => {
        const shards = planShards(items, count);
        expect(shards.map((s) => s.index)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        const placed = shards.flatMap((s) => s.repositories.map((r) => r.fullName)).sort();
        expect(placed).toEqual(items.map((r) => r.fullName).sort());
        for (const s of shards) expect(s.size).toBe(s.repositories.reduce((sum, r) => sum + r.size, 0));
      }),
    );
  });

  it('balances: the largest shard exceeds the smallest by at most the largest repository', () => {
    fc.assert(
      fc.property(repos, fc.integer({ min: 1, max: 64 }), (items, count) => {
        const sizes = planShards(items, count).map((s) => s.size);
        const largest = Math.max(0, ...items.map((r) => r.size));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largest);
      }),
    );
  });

  it('spreads repositories of size 0 evenly (by count) rather than piling them on one shard', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 16 }), (n, count) => {
        const empty = Array.from({ length: n }, (_, i) => ({ fullName: `o/r${i}`, size: 0 }));
        const counts = planShards(empty, count).map((s) => s.repositories.length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is the same plan whatever order the listing came in', () => {
    const listings = repos.chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length })));
    fc.assert(
      fc.property(listings, fc.integer({ min: 1, max: 16 }), ([items, shuffled], count) => {
        const names = (list: typeof items) => planShards(list, count).map((s) => s.repositories.map((r) => r.fullName));
        expect(names(shuffled)).toEqual(names(items));
      }),
    );
  });

  it('places the largest first, each on the lightest shard', () => {
    const plan = planShards(
      [
        { fullName: 'o/a', size: 10 },
        { fullName: 'o/b', size: 7 },
        { fullName: 'o/c', size: 5 },
        { fullName: 'o/d', size: 4 },
        { fullName: 'o/e', size: 1 },
      ],
      2,
    );
    expect(plan.map((s) => [s.size, s.repositories.map((r) => r.fullName)])).toEqual([
      [14, ['o/a', 'o/d']],
      [13, ['o/b', 'o/c', 'o/e']],
    ]);
  });
});

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['3/8', { index: 3, count: 8 }],
  ])('%s', (text, shard) => expect(parseShard(text)).toEqual(shard));
  it.each(['0/4', '5/4', '1/0', '1', 'a/b', '1/4/2', '-1/4'])('%s is a usage error', (text) => expect(() => parseShard(text)).toThrow(`--shard "${text}" is not I/N with 1 ≤ I ≤ N`));
});

describe('selectRepositories', () => {
  const repo = (name: string, o: Partial<OrgRepository> = {}): OrgRepository => ({ fullName: `o/${name}`, name, cloneUrl: '', size: 1, archived: false, fork: false, visibility: 'public', ...o });
  const all = [repo('api'), repo('api-old', { archived: true }), repo('api-fork', { fork: true }), repo('Web', { visibility: 'private' }), repo('infra', { visibility: 'internal' })];
  const names = (s: Partial<Parameters<typeof selectRepositories>[1]>) =>
    selectRepositories(all, { include: [], exclude: [], archived: false, forks: false, visibility: 'all', ...s }).map((r) => r.name);

  it('leaves out archived repositories and forks unless asked', () => {
    expect(names({})).toEqual(['api', 'Web', 'infra']);
    expect(names({ archived: true, forks: true })).toEqual(['api', 'api-old', 'api-fork', 'Web', 'infra']);
  });
  it('matches name globs case-insensitively; --exclude-repo wins', () => {
    expect(names({ include: ['api*', 'web'], archived: true })).toEqual(['api', 'api-old', 'Web']);
    expect(names({ include: ['api*'], exclude: ['*-old'], archived: true, forks: true })).toEqual(['api', 'api-fork']);
  });
  it('filters by visibility', () => {
    expect(names({ visibility: 'private' })).toEqual(['Web']);
    expect(names({ visibility: 'internal' })).toEqual(['infra']);
    expect(names({ visibility: 'public' })).toEqual(['api']);
  });
});

describe('progressLine', () => {
  it('says repositories done, commits per second and the time left at the pace of this run', () => {
    expect(progressLine(12, 200, 34_000, 10, 10)).toBe('keyfence: 12/200 repositories, 3,400 commits/s, ETA 3m 8s');
    expect(progressLine(2, 5, 0, 0, 0)).toBe('keyfence: 2/5 repositories, 0 commits/s');
    expect(progressLine(1, 10_001, 100, 1, 60)).toBe('keyfence: 1/10001 repositories, 2 commits/s, ETA 166h 40m');
  });
});
