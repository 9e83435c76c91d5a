import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { foldWindowFeature } from './fused-kernel';
import { replayStart, RollingMean } from './rolling-window';

/** `close[t] / mean(close[t-n+1..t]) - 1`. Ready from the n-th bar. */
export class PriceVsMovingAverage implements StreamingFeature {
  readonly name = 'price_vs_ma';
  readonly warmUp: number;
  private readonly window: RollingMean;

  constructor(readonly period = 50) {
    checkPeriod('price_vs_ma', period, 1);
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

  /**
   * Batch: the batch kernel's fold of this feature (the same arithmetic as `update`), then the
   * streaming state of the whole series, rebuilt from its tail (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldWindowFeature('price_vs_ma', this.period, series, out);
    this.reset();
    const count = series.dates.length;
    for (let t = replayStart(count, this.period); t < count; t++) this.window.push(series.close[t]);
  }

  reset(): void {
    this.window.reset();
  }
}
