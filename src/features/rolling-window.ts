/**
 * Fixed-size window of numbers with constant-time mean and sample variance.
 *
 * Running sums drift and cancel catastrophically when the values are large next to their
 * spread (volumes of 1e8 that move by 1e6). So the sums are kept relative to an anchor near
 * the window's mean, and recomputed exactly (two-pass) each time the ring buffer wraps:
 * O(n) once every n pushes, constant amortised time, and no drift across decades of bars.
 * A window whose values are all equal reports a variance of exactly 0, which the sums alone
 * cannot promise.
 *
 * Between two wraps the anchor can go stale: after a jump in level (volumes from 1e6 to 1e9 with
 * a spread of a few units) the old values leave the window and the variance collapses from
 * about 1e17 to about 1, far below the rounding error of sums that went through 1e18. So the
 * window also counts `magnitude`, the total of the squares that went into `sumSquares` since the
 * last exact recomputation (their rounding errors are a few ulps of it), and recomputes
 * exactly as soon as the variance falls below 1/1024 of it: the sums then keep at least 13
 * significant digits of the variance. This is O(n) only after such a collapse.
 */
export class RollingWindow {
  private readonly buffer: Float64Array;
  private count = 0;
  private head = 0;
  private anchor = 0;
  private sum = 0;
  private sumSquares = 0;
  /** Sum of every square added to or removed from `sumSquares` since the last exact recomputation. */
  private magnitude = 0;
  private equalRun = 0;
  private last = Number.NaN;

  constructor(readonly size: number) {
    this.buffer = new Float64Array(size);
  }

  get isFull(): boolean {
    return this.count === this.size;
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const size = this.size;
    const anchor = this.anchor;
    if (this.count === size) {
      const removed = this.buffer[this.head] - anchor;
      this.sum -= removed;
      this.sumSquares -= removed * removed;
      this.magnitude += removed * removed;
    } else {
      this.count++;
    }
    this.buffer[this.head] = value;
    const added = value - anchor;
    this.sum += added;
    this.sumSquares += added * added;
    this.magnitude += added * added;
    this.equalRun = value === this.last ? this.equalRun + 1 : 1;
    this.last = value;
    this.head++;
    if (this.head === size) {
      this.head = 0;
      this.reanchor();
    } else if (this.count === size && this.equalRun < size) {
      // (n - 1) * variance * n, compared without a division; `!(a > b)` also catches NaN.
      const scaledSquares = this.sumSquares * size - this.sum * this.sum;
      if (!(scaledSquares * 1024 > this.magnitude * size)) this.reanchor();
    }
  }

  mean(): number {
    return this.anchor + this.sum / this.count;
  }

  /** Sample variance (n - 1); exactly 0 when every value in the window is equal. */
  sampleVariance(): number {
    if (this.equalRun >= this.count) return 0;
    const variance = (this.sumSquares - (this.sum * this.sum) / this.count) / (this.count - 1);
    return variance > 0 ? variance : 0;
  }

  reset(): void {
    this.count = 0;
    this.head = 0;
    this.anchor = 0;
    this.sum = 0;
    this.sumSquares = 0;
    this.magnitude = 0;
    this.equalRun = 0;
    this.last = Number.NaN;
  }

  private reanchor(): void {
    const buffer = this.buffer;
    const count = this.count;
    let total = 0;
    for (let i = 0; i < count; i++) total += buffer[i];
    const anchor = total / count;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < count; i++) {
      const deviation = buffer[i] - anchor;
      sum += deviation;
      sumSquares += deviation * deviation;
    }
    this.anchor = anchor;
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.magnitude = sumSquares;
  }
}
