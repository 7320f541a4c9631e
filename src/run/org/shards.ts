import { UserError } from '../../errors.js';

/** One machine's share of an organisation: 1-based `index` of `count`. */
export interface ShardId {
  index: number;
  count: number;
}

/** `--shard I/N`, 1 ≤ I ≤ N. */
export function parseShard(value: string): ShardId {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UserError(`--shard "${value}" is not I/N with 1 ≤ I ≤ N`, 'give the share as printed by `keyfence org plan`, e.g. --shard 2/8');
  return { index, count };
}

export function parseShardCount(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d{1,4}$/.test(value) || n < 1) throw new UserError(`--shards must be a whole number from 1 (got "${value ?? ''}")`, 'e.g. --shards 8');
  return n;
}

/** A planned share: the repositories (by full name) and their total size. */
export interface Shard<T> {
  index: number;
  repositories: T[];
  size: number;
}

/**
 * Splits `items` into `count` shards balanced by `size`: the largest first, each to the shard with
 * the least size so far (then the fewest repositories, then the lowest index), the longest-
 * processing-time rule. Every item lands in exactly one shard, and the largest shard exceeds the
 * smallest by at most the largest item. Deterministic: given the same list (the listing is sorted),
 * every machine of a sharded run computes the same plan, so `--shard I/N` needs no plan file.
 */
export function planShards<T extends { fullName: string; size: number }>(items: readonly T[], count: number): Array<Shard<T>> {
  const shards: Array<Shard<T>> = Array.from({ length: count }, (_, i) => ({ index: i + 1, repositories: [], size: 0 }));
  const order = [...items].sort((a, b) => b.size - a.size || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const item of order) {
    let best = shards[0]!;
    for (const s of shards) if (s.size < best.size || (s.size === best.size && s.repositories.length < best.repositories.length)) best = s;
    best.repositories.push(item);
    best.size += Math.max(0, item.size);
  }
  return shards;
}
