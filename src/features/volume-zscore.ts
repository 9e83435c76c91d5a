import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { foldWindowFeature } from './fused-kernel';
import { replayStart, RollingVariance } from './rolling-window';

/**
 * `(volume[t] - mean(v)) / sd(v)` over the last n volumes, today included, sample sd;
 * 0 where sd = 0 (a flat window says nothing unusual happened). Ready from the n-th bar.
 */
export class VolumeZScore implements StreamingFeature {
  readonly name = 'volume_zscore';
  readonly warmUp: number;
  private readonly window: RollingVariance;

  constructor(readonly period = 20) {
    checkPeriod('volume_zscore', period, 2);
    this.warmUp = period;
    this.window = new RollingVariance(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.window.push(bar.volume);
    return this.window.isFull ? this.window.zScore(bar.volume) : null;
  }

  /**
   * Batch: the batch kernel's fold of this feature (the same arithmetic as `update`), then the
   * streaming state of the whole series, rebuilt from its tail (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldWindowFeature('volume_zscore', this.period, series, out);
    this.reset();
    const count = series.dates.length;
    for (let t = replayStart(count, this.period); t < count; t++) this.window.push(series.volume[t]);
  }

  reset(): void {
    this.window.reset();
  }
}
