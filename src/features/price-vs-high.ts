import { checkPeriod, type FeatureBar, type StreamingFeature } from './feature';

/**
 * `close[t] / max(high[t-n..t-1]) - 1`: today's close against the prior n highs, today
 * excluded. Ready from the (n+1)-th bar. A monotonic deque keeps the maximum in amortised
 * constant time.
 */
export class PriceVsHigh implements StreamingFeature {
  readonly name = 'price_vs_high';
  readonly warmUp: number;
  private readonly dequeIndex: Float64Array;
  private readonly dequeHigh: Float64Array;
  private front = 0;
  private size = 0;
  private bars = 0;

  constructor(readonly period = 20) {
    checkPeriod('price_vs_high', period, 1);
    this.warmUp = period + 1;
    this.dequeIndex = new Float64Array(period + 1);
    this.dequeHigh = new Float64Array(period + 1);
  }

  get isReady(): boolean {
    return this.bars >= this.warmUp;
  }

  update(bar: FeatureBar): number | null {
    const t = this.bars;
    const capacity = this.dequeHigh.length;
    // Drop highs older than t-n; the deque then holds exactly the prior n bars' candidates.
    while (this.size > 0 && this.dequeIndex[this.front] < t - this.period) {
      this.front = this.front + 1 === capacity ? 0 : this.front + 1;
      this.size--;
    }
    const value = t >= this.period ? bar.close / this.dequeHigh[this.front] - 1 : null;
    while (this.size > 0) {
      const back = (this.front + this.size - 1) % capacity;
      if (this.dequeHigh[back] > bar.high) break;
      this.size--;
    }
    const slot = (this.front + this.size) % capacity;
    this.dequeIndex[slot] = t;
    this.dequeHigh[slot] = bar.high;
    this.size++;
    this.bars = t + 1;
    return value;
  }

  reset(): void {
    this.front = 0;
    this.size = 0;
    this.bars = 0;
  }
}
