import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow } from './rolling-window';

/** `close[t] / mean(close[t-n+1..t]) - 1`. Ready from the n-th bar. */
export class PriceVsMovingAverage implements StreamingFeature {
  readonly name = 'price_vs_ma';
  readonly warmUp: number;
  private readonly window: RollingWindow;

  constructor(readonly period = 50) {
    checkPeriod('price_vs_ma', period, 1);
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.window.push(bar.close);
    if (!this.window.isFull) return null;
    return bar.close / this.window.mean() - 1;
  }

  reset(): void {
    this.window.reset();
  }
}
