/**
 * Fixed-size windows with constant-time mean (RollingMean, rolling-mean.ts) and sample variance
 * (RollingVariance, rolling-variance.ts): what the two share.
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
 * in chronological order; every other push updates the sums. Each window's batch fold, beside it
 * (rolling-mean.ts, rolling-variance.ts), follows the same schedule with the same arithmetic over
 * a whole series, and both recompute through the function below, so streaming and batch agree bit
 * for bit; the
 * state after an exact push depends only on the last n values, which is what lets a feature's
 * batch path hand its state back to streaming by replaying a tail (see `replayStart`).
 */

/**
 * Exact sums of `values[from..from+size-1]` around their own mean, in index order, into
 * `into[0..2]`: the anchor (the mean), the sum of the deviations and the sum of their squares (a
 * mean window uses the first two). The caller owns `into` and reads it right after the call.
 */
export function recomputeSums(values: Float64Array, from: number, size: number, into: Float64Array): void {
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
  into[0] = anchor;
  into[1] = sum;
  into[2] = sumSquares;
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
export class Ring {
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

/*
 * The batch folds beside each window follow its schedule with its arithmetic over a whole series
 * instead of a ring: the value leaving the window at bar t is `values[t - n]`, and the exact
 * recomputations read `values[t-n+1..t]`, which is the ring in chronological order. Each fold keeps
 * its state in a Float64Array rather than object fields, which V8 boxed into heap numbers
 * (price_vs_ma's fold measured 10 -> 6 ns/bar).
 *
 * Each fold runs as short loops of "steady" bars between two exact recomputations (no schedule
 * test in the loop), then the exact bar; `countdown` is the number of bars up to and including
 * the next exact one.
 */
