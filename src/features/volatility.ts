import type { BarSeries } from '../data/bars';
import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';
import { foldWindowFeature } from './fused-kernel';
import { naturalLog } from './natural-log';
import { replayStart, RollingVariance } from './rolling-window';

/**
 * Sample sd of the last n daily log returns `ln(close[i] / close[i-1])` (daily, not
 * annualised). Needs n returns, so ready from the (n+1)-th bar.
 */
export class Volatility implements StreamingFeature {
  readonly name = 'volatility';
  readonly warmUp: number;
  private readonly window: RollingVariance;
  private hasPrevious = false;
  private previousClose = Number.NaN;

  constructor(readonly period = 20) {
    checkPeriod('volatility', period, 2);
    this.warmUp = period + 1;
    this.window = new RollingVariance(period);
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
    // naturalLog is Math.log, bit for bit, only faster (natural-log.ts).
    this.window.push(naturalLog(bar.close / previous));
    return this.window.isFull ? this.window.sd() : null;
  }

  /**
   * Batch: the batch kernel's fold of this feature (the same returns, the same arithmetic as
   * `update`), then the streaming state of the whole series, rebuilt from its tail: the returns
   * are the window's pushes, return i being that of bar i + 1 (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldWindowFeature('volatility', this.period, series, out);
    this.reset();
    const count = series.dates.length;
    const close = series.close;
    for (let t = count === 0 ? 0 : replayStart(count - 1, this.period); t < count; t++) {
      this.update({ high: Number.NaN, close: close[t], volume: Number.NaN });
    }
  }

  reset(): void {
    this.window.reset();
    this.hasPrevious = false;
    this.previousClose = Number.NaN;
  }
}
