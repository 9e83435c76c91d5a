import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow, WindowOutput } from './rolling-window';

/**
 * `(volume[t] - mean(v)) / sd(v)` over the last n volumes, today included, sample sd;
 * 0 where sd = 0 (a flat window says nothing unusual happened). Ready from the n-th bar.
 */
export class VolumeZScore implements StreamingFeature {
  readonly name = 'volume_zscore';
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private readonly input = new Float64Array(1);
  private readonly output = new Float64Array(1);

  constructor(readonly period = 20) {
    checkPeriod('volume_zscore', period, 2);
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.input[0] = bar.volume;
    this.window.fold(this.input, 0, 1, this.output, 0, WindowOutput.zScore);
    return this.window.isFull ? this.output[0] : null;
  }

  /** Batch: reset, then the same fold as `update` over the whole series (NaN while not ready). */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    this.window.foldAll(series.volume, 0, series.dates.length, out, 0, WindowOutput.zScore);
  }

  reset(): void {
    this.window.reset();
  }
}
