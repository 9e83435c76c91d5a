import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow } from './rolling-window';

/**
 * `(volume[t] - mean(v)) / sd(v)` over the last n volumes, today included, sample sd;
 * 0 where sd = 0 (a flat window says nothing unusual happened). Ready from the n-th bar.
 */
export class VolumeZScore implements StreamingFeature {
  readonly name = 'volume_zscore';
  readonly warmUp: number;
  private readonly window: RollingWindow;

  constructor(readonly period = 20) {
    checkPeriod('volume_zscore', period, 2);
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.window.push(bar.volume);
    if (!this.window.isFull) return null;
    const variance = this.window.sampleVariance();
    if (variance === 0) return 0;
    return (bar.volume - this.window.mean()) / Math.sqrt(variance);
  }

  reset(): void {
    this.window.reset();
  }
}
