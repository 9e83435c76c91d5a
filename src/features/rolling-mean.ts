import { recomputeSums, Ring } from './rolling-window';

/** Where this file's window and fold get `recomputeSums`' results, read right after the call (module-private). */
const exactSums = new Float64Array(3);

/**
 * Streaming mean of the last n values (price_vs_ma), and beside it the batch fold that repeats its
 * arithmetic over a whole series (see rolling-window.ts for the schedule both follow).
 */
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
      recomputeSums(ring.ordered(), 0, this.size, exactSums);
      this.anchor = exactSums[0];
      this.sum = exactSums[1];
    } else {
      this.sum += value - oldest;
    }
  }

  /** `value / mean - 1` (price_vs_ma), foldRatioToMean's formula. */
  ratioToMean(value: number): number {
    return value / (this.anchor + this.sum * this.inverse) - 1;
  }

  reset(): void {
    this.ring.reset();
    this.anchor = 0;
    this.sum = 0;
  }
}

/** A mean window's batch state before its first push: anchor, sum, countdown (the first exact push is the n-th). */
export function newMeanState(): Float64Array {
  return Float64Array.of(0, 0, 1);
}

/**
 * price_vs_ma over bars `from..to-1` of `values` (the closes, bar t at index t), into `out[t]`:
 * RollingMean.push then ratioToMean, bar by bar.
 */
export function foldRatioToMean(state: Float64Array, size: number, values: Float64Array, from: number, to: number, out: Float64Array): void {
  const inverse = 1 / size;
  let anchor = state[0];
  let sum = state[1];
  let countdown = state[2];
  let t = from;
  for (; t < to && t < size - 1; t++) out[t] = Number.NaN;
  while (t < to) {
    const steadyEnd = Math.min(to, t + countdown - 1);
    countdown -= steadyEnd - t;
    for (; t < steadyEnd; t++) {
      const value = values[t];
      sum += value - values[t - size];
      out[t] = value / (anchor + sum * inverse) - 1;
    }
    if (t < to) {
      countdown = size;
      recomputeSums(values, t - size + 1, size, exactSums);
      anchor = exactSums[0];
      sum = exactSums[1];
      out[t] = values[t] / (anchor + sum * inverse) - 1;
      t++;
    }
  }
  state[0] = anchor;
  state[1] = sum;
  state[2] = countdown;
}
