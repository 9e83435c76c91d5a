import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { foldHighColumn, hasNaN } from './price-vs-high-blocks';

/**
 * `close[t] / max(high[t-n..t-1]) - 1`: today's close against the prior n highs, today
 * excluded. Ready from the (n+1)-th bar. A monotonic deque keeps the maximum in amortised
 * constant time.
 */
export class PriceVsHigh implements StreamingFeature {
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
    checkPeriod('price_vs_high', period, 1);
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
   * Batch: the batch kernel's blocks (price-vs-high-blocks.ts, the same values as the deque), then
   * the deque of the whole series, rebuilt from its last n + 1 bars (after bar t it holds
   * candidates among bars t-n..t only). Highs with a NaN take the deque all along: there the two
   * differ (see foldHighBlocks).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    const count = series.dates.length;
    if (hasNaN(series.high, count)) {
      for (let from = 0; from < count; from += batchChunk) {
        this.fold(series.high, series.close, from, Math.min(count, from + batchChunk), out, from);
      }
      return;
    }
    foldHighColumn(this.period, series, out);
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
