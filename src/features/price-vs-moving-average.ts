import type { BarSeries } from '../data/bars';
import { checkPeriod, foldInChunks, type ChunkFold, type FeatureBar, type StreamingFeature } from './feature';
import { foldRatioToMean, newMeanState, RollingMean } from './rolling-mean';
import { replayStart } from './rolling-window';

/** `close[t] / mean(close[t-n+1..t]) - 1`. Ready from the n-th bar. */
export class PriceVsMovingAverage implements StreamingFeature {
  static readonly minimumPeriod = 1;
  readonly name = 'price_vs_ma';
  readonly warmUp: number;
  private readonly window: RollingMean;

  constructor(readonly period = 50) {
    checkPeriod('price_vs_ma', period, PriceVsMovingAverage.minimumPeriod);
    this.warmUp = period;
    this.window = new RollingMean(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.window.push(bar.close);
    return this.window.isFull ? this.window.ratioToMean(bar.close) : null;
  }

  /** The batch kernel's price_vs_ma: RollingMean's batch fold over the closes (rolling-mean.ts). */
  static batchFold(period: number, series: BarSeries, out: Float64Array): ChunkFold {
    const state = newMeanState();
    const close = series.close;
    return (from, to) => foldRatioToMean(state, period, close, from, to, out);
  }

  /**
   * Batch: the batch kernel's fold of this feature (the same arithmetic as `update`), then the
   * streaming state of the whole series, rebuilt from its tail (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldInChunks(PriceVsMovingAverage.batchFold(this.period, series, out), series.dates.length);
    this.reset();
    const count = series.dates.length;
    for (let t = replayStart(count, this.period); t < count; t++) this.window.push(series.close[t]);
  }

  reset(): void {
    this.window.reset();
  }
}
