import type { BarSeries } from '../data/bars';

/** The fields a feature may read from a bar. Any `Bar` satisfies it. */
export interface FeatureBar {
  readonly high: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * A streaming feature. `update` consumes the bar that has just closed and returns the
 * value at that bar, or `null` while warming up: never 0, NaN or a partial value.
 * Each update is constant time.
 */
export interface StreamingFeature {
  readonly name: string;
  /** Bars needed before the first value: `update` returns non-null from the `warmUp`-th bar on. */
  readonly warmUp: number;
  readonly isReady: boolean;
  update(bar: FeatureBar): number | null;
  reset(): void;
}

/**
 * Optional fast batch path. `runBatch` resets the feature, then must do exactly what folding
 * `update` over the series would do (same arithmetic in the same order, same final state),
 * writing NaN where `update` would return null. roc folds its own ring over the series; the
 * other built-in features run the batch kernel's fold of themselves (fused-kernel.ts), then
 * rebuild their streaming state from the series' tail.
 */
export interface BatchFeature extends StreamingFeature {
  runBatch(series: BarSeries, out: Float64Array): void;
}

/**
 * Batch paths fold a series in chunks of this many bars. A fold over a whole series in one call
 * runs in code that V8 compiled on-stack while the loop was young (with partial type feedback)
 * and then reuses for every later call; short calls get regular, fully informed compilation.
 * Measured: up to 2.5x faster for the rolling-window features. Chunking does not change the
 * arithmetic (the state simply carries over between calls).
 */
export const batchChunk = 2048;

export function hasBatchPath(feature: StreamingFeature): feature is BatchFeature {
  return typeof (feature as Partial<BatchFeature>).runBatch === 'function';
}

/**
 * Batch convention for the whole library: one Float64Array of the input's length, NaN
 * where the streaming object returned null. A fold over `update`, or the feature's own
 * `runBatch` (the same arithmetic), so batch and streaming agree bit for bit.
 */
export function runFeature(feature: StreamingFeature, series: BarSeries): Float64Array {
  const count = series.dates.length;
  const out = new Float64Array(count);
  if (hasBatchPath(feature)) {
    feature.runBatch(series, out);
    return out;
  }
  feature.reset();
  const bar = { high: 0, close: 0, volume: 0 };
  for (let i = 0; i < count; i++) {
    bar.high = series.high[i];
    bar.close = series.close[i];
    bar.volume = series.volume[i];
    const value = feature.update(bar);
    out[i] = value === null ? Number.NaN : value;
  }
  return out;
}

export function checkPeriod(featureName: string, period: number, minimum: number): number {
  if (!Number.isInteger(period) || period < minimum) {
    throw new RangeError(`${featureName}: period must be an integer >= ${minimum}, got ${period}`);
  }
  return period;
}
