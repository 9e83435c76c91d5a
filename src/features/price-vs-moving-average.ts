import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { RollingWindow, WindowOutput } from './rolling-window';

/** `close[t] / mean(close[t-n+1..t]) - 1`. Ready from the n-th bar. */
export class PriceVsMovingAverage implements StreamingFeature {
  readonly name = 'price_vs_ma';
  readonly warmUp: number;
  private readonly window: RollingWindow;
  private readonly input = new Float64Array(1);
  private readonly output = new Float64Array(1);

  constructor(readonly period = 50) {
    checkPeriod('price_vs_ma', period, 1);
    this.warmUp = period;
    this.window = new RollingWindow(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    this.input[0] = bar.close;
    this.window.fold(this.input, 0, 1, this.output, 0, WindowOutput.ratioToMean);
    return this.window.isFull ? this.output[0] : null;
  }

  /** Batch: reset, then the same fold as `update` over the whole series (NaN while not ready). */
  runBatch(series: BarSeries, out: Float64Array): void {
    this.reset();
    this.window.foldAll(series.close, 0, series.dates.length, out, 0, WindowOutput.ratioToMean);
  }

  reset(): void {
    this.window.reset();
  }
}
