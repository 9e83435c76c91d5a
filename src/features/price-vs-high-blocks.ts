import type { BarSeries } from '../data/bars';
import { batchChunk } from './feature';

/**
 * price_vs_high: `close[t] / max(high[t-n..t-1]) - 1` by blocks of n bars instead of
 * PriceVsHigh's deque (whose data-dependent pops cost a branch miss almost every bar). At every
 * multiple b of n (b >= n), `suffixMax[j]` gets the maximum of `high[b-n+j..b-1]`; until b + n
 * the window `high[t-n..t-1]` is then `high[t-n..b-1]` (that suffix) plus `high[b..t-1]`
 * (`newerMax`, a running maximum). State: newerMax, bars left in the block.
 *
 * Same value as the deque, bit for bit: the maximum is unique except for ties, and on a tie
 * both keep the newer bar (the deque pops a back that is <= the new high; here the newer side
 * wins every tie), which decides the sign of a zero maximum. NaN is where the two differ (the
 * deque lets a NaN evict the older highs), so NaN highs go to PriceVsHigh itself.
 */
export function foldHighBlocks(state: Float64Array, suffixMax: Float64Array, period: number, high: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
  let newerMax = state[0];
  let left = state[1];
  let t = from;
  for (; t < to && t < period; t++) out[t] = Number.NaN;
  while (t < to) {
    if (left === 0) {
      let maximum = -Infinity;
      for (let j = period - 1; j >= 0; j--) {
        const value = high[t - period + j];
        if (value > maximum) maximum = value;
        suffixMax[j] = maximum;
      }
      newerMax = -Infinity;
      left = period;
    }
    const end = Math.min(to, t + left);
    // suffixMax index of bar t: its offset in the block, period - (bars left in the block at t).
    const offset = period - left - t;
    left -= end - t;
    for (; t < end; t++) {
      const older = suffixMax[offset + t];
      out[t] = close[t] / (older > newerMax ? older : newerMax) - 1;
      const barHigh = high[t];
      if (barHigh >= newerMax) newerMax = barHigh;
    }
  }
  state[0] = newerMax;
  state[1] = left;
}

/** True when `values[0..count-1]` holds a NaN. */
export function hasNaN(values: Float64Array, count = values.length): boolean {
  for (let i = 0; i < count; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** price_vs_high over a whole series without NaN highs, chunk by chunk, NaN while not ready. */
export function foldHighColumn(period: number, series: BarSeries, out: Float64Array): void {
  const count = series.dates.length;
  const state = new Float64Array(2);
  const suffixMax = new Float64Array(period);
  for (let from = 0; from < count; from += batchChunk) {
    foldHighBlocks(state, suffixMax, period, series.high, series.close, from, Math.min(count, from + batchChunk), out);
  }
}
