import type { BarSeries } from '../data/bars';
import { checkPeriod, foldInChunks, type ChunkFold, type FeatureBar, type StreamingFeature } from './feature';

/**
 * `close[t] / max(high[t-n..t-1]) - 1`: today's close against the prior n highs, today
 * excluded. Ready from the (n+1)-th bar. A monotonic deque keeps the maximum in amortised
 * constant time.
 */
export class PriceVsHigh implements StreamingFeature {
  static readonly minimumPeriod = 1;
  readonly name = 'price_vs_high';
  readonly warmUp: number;
  private readonly dequeIndex: Float64Array;
  private readonly dequeHigh: Float64Array;
  private readonly inputHigh = new Float64Array(1);
  private readonly inputClose = new Float64Array(1);
  private readonly output = new Float64Array(1);
  private front = 0;
  private size = 0;
  private bars = 0;

  constructor(readonly period = 20) {
    checkPeriod('price_vs_high', period, PriceVsHigh.minimumPeriod);
    this.warmUp = period + 1;
    this.dequeIndex = new Float64Array(period + 1);
    this.dequeHigh = new Float64Array(period + 1);
  }

  get isReady(): boolean {
    return this.bars >= this.warmUp;
  }

  update(bar: FeatureBar): number | null {
    this.inputHigh[0] = bar.high;
    this.inputClose[0] = bar.close;
    this.fold(this.inputHigh, this.inputClose, 0, 1, this.output, 0);
    return this.isReady ? this.output[0] : null;
  }

  /**
   * The batch kernel's price_vs_high: the blocks below (the same values as the deque), or, for
   * highs with a NaN, where the two differ (see foldHighBlocks), the deque itself.
   */
  static batchFold(period: number, series: BarSeries, out: Float64Array): ChunkFold {
    const { high, close } = series;
    if (hasNaN(high, series.dates.length)) {
      const deque = new PriceVsHigh(period);
      return (from, to) => deque.fold(high, close, from, to, out, from);
    }
    return highBlocksFold(period, high, close, out);
  }

  /**
   * Batch: the batch kernel's fold, then the deque of the whole series, rebuilt from its last
   * n + 1 bars (after bar t it holds candidates among bars t-n..t only). Highs with a NaN take the
   * deque all along (see batchFold).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    const count = series.dates.length;
    if (hasNaN(series.high, count)) {
      foldInChunks((from, to) => this.fold(series.high, series.close, from, to, out, from), count);
      return;
    }
    foldInChunks(highBlocksFold(this.period, series.high, series.close, out), count);
    const start = Math.max(0, count - this.period - 1);
    this.bars = start;
    this.fold(series.high, series.close, start, count, new Float64Array(count - start), 0);
  }

  reset(): void {
    this.front = 0;
    this.size = 0;
    this.bars = 0;
  }

  /** Consumes bars `from..to-1`; writes the value after each bar into `out[at + i - from]`. */
  private fold(high: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array, at: number): void {
    const period = this.period;
    const dequeIndex = this.dequeIndex;
    const dequeHigh = this.dequeHigh;
    const capacity = dequeHigh.length;
    let front = this.front;
    let size = this.size;
    let t = this.bars;
    for (let i = from; i < to; i++, t++) {
      // Drop highs older than t-n; the deque then holds exactly the prior n bars' candidates.
      while (size > 0 && dequeIndex[front] < t - period) {
        front = front + 1 === capacity ? 0 : front + 1;
        size--;
      }
      out[at + i - from] = t >= period ? close[i] / dequeHigh[front] - 1 : Number.NaN;
      const barHigh = high[i];
      while (size > 0) {
        let back = front + size - 1;
        if (back >= capacity) back -= capacity;
        if (dequeHigh[back] > barHigh) break;
        size--;
      }
      let slot = front + size;
      if (slot >= capacity) slot -= capacity;
      dequeIndex[slot] = t;
      dequeHigh[slot] = barHigh;
      size++;
    }
    this.front = front;
    this.size = size;
    this.bars = t;
  }
}

/**
 * The batch fold of price_vs_high: `close[t] / max(high[t-n..t-1]) - 1` by blocks of n bars instead of
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
function foldHighBlocks(state: Float64Array, suffixMax: Float64Array, period: number, high: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
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

/** foldHighBlocks from the first bar of a series on. */
function highBlocksFold(period: number, high: Float64Array, close: Float64Array, out: Float64Array): ChunkFold {
  const state = new Float64Array(2);
  const suffixMax = new Float64Array(period);
  return (from, to) => foldHighBlocks(state, suffixMax, period, high, close, from, to, out);
}

/** True when `values[0..count-1]` holds a NaN. */
function hasNaN(values: Float64Array, count = values.length): boolean {
  for (let i = 0; i < count; i++) if (values[i] !== values[i]) return true;
  return false;
}
