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
 * Batch convention for the whole library: one Float64Array of the input's length, NaN
 * where the streaming object returned null. A fold over `update`, so batch and streaming
 * agree bit for bit by construction.
 */
export function runFeature(feature: StreamingFeature, series: BarSeries): Float64Array {
  feature.reset();
  const count = series.dates.length;
  const out = new Float64Array(count);
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

/** Converts the batch convention (NaN = not ready) back to streaming's `null`. */
export function valueOrNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

export function checkPeriod(featureName: string, period: number, minimum: number): number {
  if (!Number.isInteger(period) || period < minimum) {
    throw new RangeError(`${featureName}: period must be an integer >= ${minimum}, got ${period}`);
  }
  return period;
}
