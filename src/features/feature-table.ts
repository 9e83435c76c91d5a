import type { FeatureBar, FeatureClass, StreamingFeature } from './feature';
import { PriceVsHigh } from './price-vs-high';
import { PriceVsMovingAverage } from './price-vs-moving-average';
import { RateOfChange } from './roc';
import { Volatility } from './volatility';
import { VolumeZScore } from './volume-zscore';

/** One row of the feature table: the feature's class (streaming object and batch fold) and the spec's default period. */
export interface FeatureRow {
  readonly feature: FeatureClass;
  readonly defaultPeriod: number;
}

/**
 * The built-in features, in column order. Everything that lists the features (their names,
 * periods and defaults, FeatureSet, the batch kernel, the columns) reads this table: adding a
 * feature is its own file (streaming class with its batch fold beside it), one row here and, the
 * compiler asks for it, its line in `updateEach` below.
 */
export const featureTable = Object.freeze({
  roc: { feature: RateOfChange, defaultPeriod: 20 },
  price_vs_ma: { feature: PriceVsMovingAverage, defaultPeriod: 50 },
  price_vs_high: { feature: PriceVsHigh, defaultPeriod: 20 },
  volume_zscore: { feature: VolumeZScore, defaultPeriod: 20 },
  volatility: { feature: Volatility, defaultPeriod: 20 },
} as const satisfies Record<string, FeatureRow>);

export type FeatureName = keyof typeof featureTable;

export const featureNames: readonly FeatureName[] = Object.freeze(Object.keys(featureTable) as FeatureName[]);

/** Look-back period of each feature, in bars. */
export type FeaturePeriods = Record<FeatureName, number>;

/** Batch result: one column per feature, NaN while not ready. */
export type FeatureColumns = Record<FeatureName, Float64Array>;
/** Streaming result at one bar: null while not ready. */
export type FeatureValues = Record<FeatureName, number | null>;

/** The spec's defaults. */
export const defaultFeaturePeriods: Readonly<FeaturePeriods> = Object.freeze(
  Object.fromEntries(featureNames.map((name) => [name, featureTable[name].defaultPeriod])) as FeaturePeriods,
);

/** One streaming object per feature, by name (a FeatureSet's). */
export type StreamingFeatures = Record<FeatureName, StreamingFeature>;

/**
 * One bar through every feature: the streaming values at that bar. Written out by name (a missing
 * or unknown feature does not compile) rather than stored in a loop under the table's names:
 * stores under five changing keys measured 35% slower per streamed bar (SignalPipeline.update).
 */
export function updateEach(features: StreamingFeatures, bar: FeatureBar): FeatureValues {
  return {
    roc: features.roc.update(bar),
    price_vs_ma: features.price_vs_ma.update(bar),
    price_vs_high: features.price_vs_high.update(bar),
    volume_zscore: features.volume_zscore.update(bar),
    volatility: features.volatility.update(bar),
  };
}
