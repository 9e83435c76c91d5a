import { batchChunk } from './feature';

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
 *
 * Speed: all the arithmetic is in `fold`, which pushes a whole range of values with the state in
 * local variables and writes one statistic per push. `push` is `fold` over one value, and the
 * features call `fold` both from `update` (one bar) and from their batch path (a whole series),
 * so streaming and batch run the same code and agree bit for bit by construction.
 */

/** What `fold` writes after each push (NaN while the window is not full). */
export const WindowOutput = Object.freeze({
  /** Nothing is written. */
  none: 0,
  /** `value / mean - 1` (price_vs_ma). */
  ratioToMean: 1,
  /** `(value - mean) / sd`, exactly 0 when sd = 0 (volume_zscore). */
  zScore: 2,
  /** The sample sd (volatility). */
  sd: 3,
});
export type WindowOutput = (typeof WindowOutput)[keyof typeof WindowOutput];

export class RollingWindow {
  private readonly buffer: Float64Array;
  private readonly scratch = new Float64Array(1);
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
    this.scratch[0] = value;
    this.fold(this.scratch, 0, 1, this.scratch, 0, WindowOutput.none);
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

  /**
   * Pushes `values[from..to-1]` in order. After the push of `values[i]`, unless `output` is
   * `none`, writes into `out[at + i - from]` the statistic `output` of the window (see
   * WindowOutput), or NaN while the window is not full. The mean and variance are exactly those
   * of `mean()` and `sampleVariance()`.
   */
  fold(values: Float64Array, from: number, to: number, out: Float64Array, at: number, output: WindowOutput): void {
    const size = this.size;
    const buffer = this.buffer;
    let count = this.count;
    let head = this.head;
    let anchor = this.anchor;
    let sum = this.sum;
    let sumSquares = this.sumSquares;
    let magnitude = this.magnitude;
    let equalRun = this.equalRun;
    let last = this.last;
    for (let i = from; i < to; i++) {
      const value = values[i];
      if (count === size) {
        const removed = buffer[head] - anchor;
        sum -= removed;
        sumSquares -= removed * removed;
        magnitude += removed * removed;
      } else {
        count++;
      }
      buffer[head] = value;
      const added = value - anchor;
      sum += added;
      sumSquares += added * added;
      magnitude += added * added;
      equalRun = value === last ? equalRun + 1 : 1;
      last = value;
      head++;
      let exact = false;
      if (head === size) {
        head = 0;
        exact = true;
      } else if (count === size && equalRun < size) {
        // (n - 1) * variance * n, compared without a division; `!(a > b)` also catches NaN.
        const scaledSquares = sumSquares * size - sum * sum;
        exact = !(scaledSquares * 1024 > magnitude * size);
      }
      if (exact) {
        this.count = count;
        this.recompute();
        anchor = this.anchor;
        sum = this.sum;
        sumSquares = this.sumSquares;
        magnitude = this.magnitude;
      }
      if (output === WindowOutput.none) continue;
      const k = at + i - from;
      if (count !== size) {
        out[k] = Number.NaN;
        continue;
      }
      if (output === WindowOutput.ratioToMean) {
        out[k] = value / (anchor + sum / count) - 1;
        continue;
      }
      let variance = 0;
      if (equalRun < count) {
        const v = (sumSquares - (sum * sum) / count) / (count - 1);
        variance = v > 0 ? v : 0;
      }
      if (output === WindowOutput.sd) out[k] = Math.sqrt(variance);
      else out[k] = variance === 0 ? 0 : (value - (anchor + sum / count)) / Math.sqrt(variance);
    }
    this.count = count;
    this.head = head;
    this.anchor = anchor;
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.magnitude = magnitude;
    this.equalRun = equalRun;
    this.last = last;
  }

  /** `fold` over a long range, in chunks of `batchChunk` values (see there); same result. */
  foldAll(values: Float64Array, from: number, to: number, out: Float64Array, at: number, output: WindowOutput): void {
    for (let start = from; start < to; start += batchChunk) {
      this.fold(values, start, Math.min(to, start + batchChunk), out, at + start - from, output);
    }
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

  /** Exact (two-pass) sums of the `count` values in the buffer, around their own mean. */
  private recompute(): void {
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
