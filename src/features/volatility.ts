import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow, WindowOutput } from './rolling-window';

/**
 * Sample sd of the last n daily log returns `ln(close[i] / close[i-1])` (daily, not
 * annualised). Needs n returns, so ready from the (n+1)-th bar.
 */
export class Volatility implements StreamingFeature {
  readonly name = 'volatility';
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private readonly input = new Float64Array(1);
  private readonly output = new Float64Array(1);
  private hasPrevious = false;
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
    if (!this.hasPrevious) {
      this.hasPrevious = true;
      return null;
    }
    this.input[0] = Math.log(bar.close / previous);
    this.window.fold(this.input, 0, 1, this.output, 0, WindowOutput.sd);
    return this.window.isFull ? this.output[0] : null;
  }

  /**
   * Batch: reset, then the same computation as `update` over the whole series: the same log
   * returns `Math.log(close[t] / close[t-1])`, folded through the same window code.
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    const close = series.close;
    const count = series.dates.length;
    if (count === 0) return;
    // The returns go into `out` itself: fold reads out[t] (the return of bar t) before it
    // writes out[t] (the value at bar t), and never reads it again.
    out[0] = Number.NaN;
    for (let t = 1; t < count; t++) out[t] = Math.log(close[t] / close[t - 1]);
    this.window.foldAll(out, 1, count, out, 1, WindowOutput.sd);
    this.hasPrevious = true;
    this.previousClose = close[count - 1];
  }

  reset(): void {
    this.window.reset();
    this.hasPrevious = false;
    this.previousClose = Number.NaN;
  }
}
