import type { BarSeries } from '../data/bars';
import { checkPeriod, foldInChunks, type ChunkFold, type FeatureBar, type StreamingFeature } from './feature';
import { foldVariance, newVarianceState, RollingVariance, VarianceOutput } from './rolling-variance';
import { replayStart } from './rolling-window';

/**
 * `(volume[t] - mean(v)) / sd(v)` over the last n volumes, today included, sample sd;
 * 0 where sd = 0 (a flat window says nothing unusual happened). Ready from the n-th bar.
 */
export class VolumeZScore implements StreamingFeature {
  static readonly minimumPeriod = 2;
  readonly name = 'volume_zscore';
  readonly warmUp: number;
  private readonly window: RollingVariance;

  constructor(readonly period = 20) {
    checkPeriod('volume_zscore', period, VolumeZScore.minimumPeriod);
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

  /** The batch kernel's volume_zscore: RollingVariance's batch fold over the volumes (rolling-variance.ts). */
  static batchFold(period: number, series: BarSeries, out: Float64Array): ChunkFold {
    const state = newVarianceState();
    const volume = series.volume;
    return (from, to) => foldVariance(state, period, volume, 0, 0, from, to, out, VarianceOutput.zScore);
  }

  /**
   * Batch: the batch kernel's fold of this feature (the same arithmetic as `update`), then the
   * streaming state of the whole series, rebuilt from its tail (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldInChunks(VolumeZScore.batchFold(this.period, series, out), series.dates.length);
    this.reset();
    const count = series.dates.length;
    for (let t = replayStart(count, this.period); t < count; t++) this.window.push(series.volume[t]);
  }

  reset(): void {
    this.window.reset();
  }
}
