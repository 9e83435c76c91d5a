import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';

/** Rate of change: `close[t] / close[t-n] - 1`. Ready from the (n+1)-th bar. */
export class RateOfChange implements StreamingFeature {
  readonly name = 'roc';
  readonly warmUp: number;
  private readonly closes: Float64Array;
  private count = 0;
  private head = 0;

  constructor(readonly period = 20) {
    checkPeriod('roc', period, 1);
    this.warmUp = period + 1;
    this.closes = new Float64Array(period + 1);
  }

  get isReady(): boolean {
    return this.count >= this.warmUp;
  }

  update(bar: FeatureBar): number | null {
    const slots = this.closes.length;
    this.closes[this.head] = bar.close;
    this.head = this.head + 1 === slots ? 0 : this.head + 1;
    if (this.count < slots) this.count++;
    if (this.count < slots) return null;
    // After the write, head points at the oldest close in the ring: close[t-n].
    return bar.close / this.closes[this.head] - 1;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
  }
}
