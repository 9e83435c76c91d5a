/**
 * Fixed-size windows with constant-time mean (RollingMean) and sample variance (RollingVariance).
 *
 * Running sums drift and cancel catastrophically when the values are large next to their
 * spread (volumes of 1e8 that move by 1e6). So the sums are kept relative to an anchor near
 * the window's mean, and recomputed exactly (two-pass) every n pushes: O(n) once every n pushes,
 * constant amortised time, and no drift across decades of bars. A window whose values are all
 * equal reports a variance of exactly 0, which the sums alone cannot promise.
 *
 * Between two exact recomputations the anchor can go stale: after a jump in level (volumes from
 * 1e6 to 1e9 with a spread of a few units) the old values leave the window and the variance
 * collapses from about 1e17 to about 1, far below the rounding error of sums that went through
 * 1e18. So RollingVariance also counts `magnitude`, the total of the squares that went into
 * `sumSquares` since the last exact recomputation (their rounding errors are a few ulps of it),
 * and recomputes exactly as soon as the variance falls below 1/1024 of it: the sums then keep at
 * least 13 significant digits of the variance. This is O(n) only after such a collapse. A mean
 * alone needs no such guard: its error stays a few ulps of the values' scale.
 *
 * The schedule is a pure function of the push count k (0-based): pushes 0..n-2 only fill the
 * window (not ready); push k with (k + 1) % n === 0 recomputes exactly from the window's values
 * in chronological order; every other push updates the sums. The batch kernel
 * (fused-kernel.ts) follows the same schedule with the same arithmetic over a whole series, and
 * both recompute through the functions below, so streaming and batch agree bit for bit; the
 * state after an exact push depends only on the last n values, which is what lets a feature's
 * batch path hand its state back to streaming by replaying a tail (see `replayStart`).
 */

/** Where `recomputeSums` writes: anchor, sum, sumSquares. */
export const exactSums = new Float64Array(3);

/**
 * Exact sums of `values[from..from+size-1]` around their own mean, in index order: the anchor
 * (the mean), the sum of the deviations and the sum of their squares (a mean window uses the first two).
 */
export function recomputeSums(values: Float64Array, from: number, size: number): void {
  const end = from + size;
  let total = 0;
  for (let i = from; i < end; i++) total += values[i];
  const anchor = total / size;
  let sum = 0;
  let sumSquares = 0;
  for (let i = from; i < end; i++) {
    const deviation = values[i] - anchor;
    sum += deviation;
    sumSquares += deviation * deviation;
  }
  exactSums[0] = anchor;
  exactSums[1] = sum;
  exactSums[2] = sumSquares;
}

/**
 * The first index from which replaying a series of `count` pushes into a fresh window of `size`
 * reaches the same state as pushing all of them: a multiple of `size` (so the replay's exact
 * pushes fall on the original's) at least `size` pushes before the end (so the replay makes at
 * least one exact push), or 0.
 */
export function replayStart(count: number, size: number): number {
  return count < size ? 0 : Math.floor((count - size) / size) * size;
}

/** Ring buffer in push order, shared by both windows. */
class Ring {
  readonly values: Float64Array;
  /** The window in chronological order, for the exact recomputations. */
  readonly chronological: Float64Array;
  /** Index of the oldest value once full (and of the next write). */
  head = 0;
  /** Pushes since the last reset. */
  count = 0;

  constructor(readonly size: number) {
    this.values = new Float64Array(size);
    this.chronological = new Float64Array(size);
  }

  /** Writes `value` over the oldest value, which it returns. */
  push(value: number): number {
    const oldest = this.values[this.head];
    this.values[this.head] = value;
    this.head = this.head + 1 === this.size ? 0 : this.head + 1;
    this.count++;
    return oldest;
  }

  /** The window (full) in chronological order, in `chronological`. */
  ordered(): Float64Array {
    const { values, chronological, head, size } = this;
    chronological.set(values.subarray(head, size), 0);
    chronological.set(values.subarray(0, head), size - head);
    return chronological;
  }

  reset(): void {
    this.head = 0;
    this.count = 0;
  }
}

/** Streaming mean of the last n values (price_vs_ma). */
export class RollingMean {
  private readonly ring: Ring;
  private readonly inverse: number;
  private anchor = 0;
  private sum = 0;

  constructor(readonly size: number) {
    this.ring = new Ring(size);
    this.inverse = 1 / size;
  }

  get isFull(): boolean {
    return this.ring.count >= this.size;
  }

  push(value: number): void {
    const ring = this.ring;
    const k = ring.count;
    const oldest = ring.push(value);
    if (k < this.size - 1) return;
    if ((k + 1) % this.size === 0) {
      recomputeSums(ring.ordered(), 0, this.size);
      this.anchor = exactSums[0];
      this.sum = exactSums[1];
    } else {
      this.sum += value - oldest;
    }
  }

  /** `value / mean - 1` (price_vs_ma), the batch kernel's formula. */
  ratioToMean(value: number): number {
    return value / (this.anchor + this.sum * this.inverse) - 1;
  }

  reset(): void {
    this.ring.reset();
    this.anchor = 0;
    this.sum = 0;
  }
}

/** Streaming mean and sample variance (n - 1) of the last n values (volume_zscore, volatility). */
export class RollingVariance {
  private readonly ring: Ring;
  private readonly inverse: number;
  private readonly inverseLess: number;
  private anchor = 0;
  private sum = 0;
  private sumSquares = 0;
  /** Sum of every square added to or removed from `sumSquares` since the last exact recomputation. */
  private magnitude = 0;
  /** `sumSquares - sum^2 / n`, i.e. (n - 1) times the variance, after the last push. */
  private centered = 0;
  /** Length of the run of equal values that ends with the last push. */
  private equalRun = 0;
  private last = Number.NaN;

  constructor(readonly size: number) {
    this.ring = new Ring(size);
    this.inverse = 1 / size;
    this.inverseLess = 1 / (size - 1);
  }

  get isFull(): boolean {
    return this.ring.count >= this.size;
  }

  push(value: number): void {
    const ring = this.ring;
    const size = this.size;
    const k = ring.count;
    const oldest = ring.push(value);
    this.equalRun = value === this.last ? this.equalRun + 1 : 1;
    this.last = value;
    if (k < size - 1) return;
    if ((k + 1) % size === 0) {
      this.recompute();
      return;
    }
    const added = value - this.anchor;
    const removed = oldest - this.anchor;
    const addedSquare = added * added;
    const removedSquare = removed * removed;
    this.sum += added - removed;
    this.sumSquares += addedSquare - removedSquare;
    this.magnitude += addedSquare + removedSquare;
    this.centered = this.sumSquares - this.sum * this.sum * this.inverse;
    // `!(a > b)` also catches NaN; a flat window (equalRun) has its exact 0 anyway.
    if (!(this.centered * 1024 > this.magnitude) && this.equalRun < size) this.recompute();
  }

  /** Sample variance; exactly 0 when every value in the window is equal. */
  variance(): number {
    const centered = this.centered;
    return this.equalRun < this.size && centered > 0 ? centered * this.inverseLess : 0;
  }

  /** The sample sd (volatility). */
  sd(): number {
    return Math.sqrt(this.variance());
  }

  /** `(value - mean) / sd`, exactly 0 when sd = 0 (volume_zscore). */
  zScore(value: number): number {
    const variance = this.variance();
    return variance === 0 ? 0 : (value - (this.anchor + this.sum * this.inverse)) / Math.sqrt(variance);
  }

  reset(): void {
    this.ring.reset();
    this.anchor = 0;
    this.sum = 0;
    this.sumSquares = 0;
    this.magnitude = 0;
    this.centered = 0;
    this.equalRun = 0;
    this.last = Number.NaN;
  }

  private recompute(): void {
    recomputeSums(this.ring.ordered(), 0, this.size);
    this.anchor = exactSums[0];
    this.sum = exactSums[1];
    this.sumSquares = exactSums[2];
    this.magnitude = this.sumSquares;
    this.centered = this.sumSquares - this.sum * this.sum * this.inverse;
  }
}
