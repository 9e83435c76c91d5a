import type { BarSeries } from '../data/bars';
import { checkPeriod, foldInChunks, type ChunkFold, type FeatureBar, type StreamingFeature } from './feature';

/** Rate of change: `close[t] / close[t-n] - 1`. Ready from the (n+1)-th bar. */
export class RateOfChange implements StreamingFeature {
  static readonly minimumPeriod = 1;
  readonly name = 'roc';
  readonly warmUp: number;
  private readonly closes: Float64Array;
  private readonly input = new Float64Array(1);
  private readonly output = new Float64Array(1);
  private count = 0;
  private head = 0;

  constructor(readonly period = 20) {
    checkPeriod('roc', period, RateOfChange.minimumPeriod);
    this.warmUp = period + 1;
    this.closes = new Float64Array(period + 1);
  }

  get isReady(): boolean {
    return this.count >= this.warmUp;
  }

  update(bar: FeatureBar): number | null {
    this.input[0] = bar.close;
    this.fold(this.input, 0, 1, this.output, 0);
    return this.isReady ? this.output[0] : null;
  }

  /** Batch: reset, then the same fold as `update` over the whole series (NaN while not ready). */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    const count = series.dates.length;
    foldInChunks((from, to) => this.fold(series.close, from, to, out, from), count);
  }

  /** The batch kernel's roc: the same division as `update`, reading close[t-n] from the series (no ring needed). */
  static batchFold(period: number, series: BarSeries, out: Float64Array): ChunkFold {
    const close = series.close;
    return (from, to) => foldRoc(close, period, from, to, out);
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
  }

  /** Consumes `close[from..to-1]`; writes the value after each bar into `out[at + i - from]`. */
  private fold(close: Float64Array, from: number, to: number, out: Float64Array, at: number): void {
    const closes = this.closes;
    const slots = closes.length;
    let head = this.head;
    let count = this.count;
    for (let i = from; i < to; i++) {
      const value = close[i];
      closes[head] = value;
      head = head + 1 === slots ? 0 : head + 1;
      if (count < slots) count++;
      // After the write, head points at the oldest close in the ring: close[t-n].
      out[at + i - from] = count < slots ? Number.NaN : value / closes[head] - 1;
    }
    this.head = head;
    this.count = count;
  }
}

/** roc over bars `from..to-1`: `close[t] / close[t-n] - 1`. */
function foldRoc(close: Float64Array, period: number, from: number, to: number, out: Float64Array): void {
  for (let t = from; t < to; t++) out[t] = t < period ? Number.NaN : close[t] / close[t - period] - 1;
}
