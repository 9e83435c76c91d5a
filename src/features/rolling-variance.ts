import { recomputeSums, Ring } from './rolling-window';

/** Where this file's windows and folds get `recomputeSums`' results, read right after the call (module-private). */
const exactSums = new Float64Array(3);

/**
 * Streaming mean and sample variance (n - 1) of the last n values (volume_zscore, volatility), and
 * beside it the batch fold that repeats its arithmetic over a whole series (see rolling-window.ts
 * for the schedule both follow).
 */
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
    recomputeSums(this.ring.ordered(), 0, this.size, exactSums);
    this.anchor = exactSums[0];
    this.sum = exactSums[1];
    this.sumSquares = exactSums[2];
    this.magnitude = this.sumSquares;
    this.centered = this.sumSquares - this.sum * this.sum * this.inverse;
  }
}

/** A variance window's batch state before its first push: anchor, sum, sumSquares, magnitude, last, equalRun, countdown. */
export function newVarianceState(): Float64Array {
  return Float64Array.of(0, 0, 0, 0, Number.NaN, 0, 1);
}

/** What foldVariance writes: volume_zscore's z-score or volatility's sd. */
export const VarianceOutput = Object.freeze({ zScore: 1, sd: 2 });
export type VarianceOutput = (typeof VarianceOutput)[keyof typeof VarianceOutput];

/**
 * RollingVariance.push then zScore or sd, for bars `from..to-1`, into `out[t]`. The value of bar
 * t is `values[t - at]`; it is the window's push number `t - first`, where `first` is the window's
 * first bar (volatility's returns start at bar 1).
 */
export function foldVariance(
  state: Float64Array,
  size: number,
  values: Float64Array,
  at: number,
  first: number,
  from: number,
  to: number,
  out: Float64Array,
  output: VarianceOutput,
): void {
  const inverse = 1 / size;
  const inverseLess = 1 / (size - 1);
  let anchor = state[0];
  let sum = state[1];
  let sumSquares = state[2];
  let magnitude = state[3];
  let last = state[4];
  let equalRun = state[5];
  let countdown = state[6];
  let t = from;
  for (; t < to && t - first < size - 1; t++) {
    const value = values[t - at];
    equalRun = value === last ? equalRun + 1 : 1;
    last = value;
    out[t] = Number.NaN;
  }
  while (t < to) {
    const steadyEnd = Math.min(to, t + countdown - 1);
    countdown -= steadyEnd - t;
    for (; t < steadyEnd; t++) {
      const value = values[t - at];
      equalRun = value === last ? equalRun + 1 : 1;
      last = value;
      const added = value - anchor;
      const removed = values[t - at - size] - anchor;
      const addedSquare = added * added;
      const removedSquare = removed * removed;
      sum += added - removed;
      sumSquares += addedSquare - removedSquare;
      magnitude += addedSquare + removedSquare;
      let centered = sumSquares - sum * sum * inverse;
      if (!(centered * 1024 > magnitude) && equalRun < size) {
        recomputeSums(values, t - at - size + 1, size, exactSums);
        anchor = exactSums[0];
        sum = exactSums[1];
        sumSquares = exactSums[2];
        magnitude = sumSquares;
        centered = sumSquares - sum * sum * inverse;
      }
      const variance = equalRun < size && centered > 0 ? centered * inverseLess : 0;
      if (output === VarianceOutput.sd) out[t] = Math.sqrt(variance);
      else out[t] = variance === 0 ? 0 : (value - (anchor + sum * inverse)) / Math.sqrt(variance);
    }
    if (t < to) {
      const value = values[t - at];
      equalRun = value === last ? equalRun + 1 : 1;
      last = value;
      countdown = size;
      recomputeSums(values, t - at - size + 1, size, exactSums);
      anchor = exactSums[0];
      sum = exactSums[1];
      sumSquares = exactSums[2];
      magnitude = sumSquares;
      const centered = sumSquares - sum * sum * inverse;
      const variance = equalRun < size && centered > 0 ? centered * inverseLess : 0;
      if (output === VarianceOutput.sd) out[t] = Math.sqrt(variance);
      else out[t] = variance === 0 ? 0 : (value - (anchor + sum * inverse)) / Math.sqrt(variance);
      t++;
    }
  }
  state[0] = anchor;
  state[1] = sum;
  state[2] = sumSquares;
  state[3] = magnitude;
  state[4] = last;
  state[5] = equalRun;
  state[6] = countdown;
}
