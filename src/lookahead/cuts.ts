import type { Random } from './random';

/**
 * `count` distinct integers in `from..to` (inclusive), one drawn in each of `count` equal
 * strata, ascending: a seeded sample that still covers the whole range. Fewer when the range
 * is smaller than `count`.
 */
export function stratifiedSample(from: number, to: number, count: number, random: Random): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`cut count must be an integer >= 0, got ${count}`);
  if (to < from || count === 0) return [];
  const span = to - from + 1;
  if (span <= count) return Array.from({ length: span }, (_, i) => from + i);
  const picked: number[] = [];
  for (let stratum = 0; stratum < count; stratum++) {
    const low = from + Math.floor((stratum * span) / count);
    const high = from + Math.floor(((stratum + 1) * span) / count) - 1;
    picked.push(low + Math.floor(random.uniform() * (high - low + 1)));
  }
  return picked;
}

/** Series at most this long are checked at every bar by the prefix check. */
export const exhaustivePrefixLength = 300;

/**
 * Bar indices the prefix check recomputes at: every bar of a short series; on a long one
 * `cuts` stratified samples, the bar where the default features become ready (the first
 * tradable bar, where an off-by-one shows) and the last 5 bars (where a look-ahead usually
 * turns a value into NaN).
 */
export function prefixCutIndices(length: number, cuts: number, random: Random, warmUp: number): number[] {
  if (length <= exhaustivePrefixLength) return Array.from({ length }, (_, i) => i);
  const indices = new Set(stratifiedSample(0, length - 1, cuts, random));
  if (warmUp - 1 < length) indices.add(Math.max(0, warmUp - 1));
  for (let i = Math.max(0, length - 5); i < length; i++) indices.add(i);
  return [...indices].sort((a, b) => a - b);
}
