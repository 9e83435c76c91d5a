import type { FeatureName } from '../features/feature-set';

/** One weighted feature inside a factor; `clamp` bounds the feature before weighting. */
export interface FactorTerm {
  readonly feature: FeatureName;
  readonly weight: number;
  readonly clamp?: readonly [number, number];
}

/**
 * Factors are weighted sums of features; the composite score is a weighted sum of factors.
 * The factor names are free (the defaults are momentum and breakout).
 */
export interface FactorModel {
  readonly factors: Readonly<Record<string, readonly FactorTerm[]>>;
  readonly score: Readonly<Record<string, number>>;
}

/** Factor values at one bar, plus `score`; null while any input is not ready. */
export type FactorValues = Record<string, number | null>;
/** Factor columns over a series, plus `score`; NaN while not ready. */
export type FactorColumns = Record<string, Float64Array>;

