import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow } from './rolling-window';

/**
 * Sample sd of the last n daily log returns `ln(close[i] / close[i-1])` (daily, not
 * annualised). Needs n returns, so ready from the (n+1)-th bar.
 */
export class Volatility implements StreamingFeature {
  readonly name = 'volatility';
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private previousClose = Number.NaN;

  constructor(readonly period = 20) {
    checkPeriod('volatility', period, 2);
    this.warmUp = period + 1;
    this.window = new RollingWindow(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    const previous = this.previousClose;
    this.previousClose = bar.close;
    if (Number.isNaN(previous)) return null;
    this.window.push(Math.log(bar.close / previous));
    if (!this.window.isFull) return null;
    return Math.sqrt(this.window.sampleVariance());
  }

  reset(): void {
    this.window.reset();
    this.previousClose = Number.NaN;
  }
}
