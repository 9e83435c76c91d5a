import type { BarSeries } from '../data/bars';
import { ConfigError } from '../errors';
import { allocateFeatureColumns, foldFeatures } from './fused-kernel';
import { type FeatureBar, type StreamingFeature } from './feature';
import { PriceVsHigh } from './price-vs-high';
import { PriceVsMovingAverage } from './price-vs-moving-average';
import { RateOfChange } from './roc';
import { Volatility } from './volatility';
import { VolumeZScore } from './volume-zscore';

export const featureNames = ['roc', 'price_vs_ma', 'price_vs_high', 'volume_zscore', 'volatility'] as const;
export type FeatureName = (typeof featureNames)[number];

/** Look-back period of each feature, in bars. */
export type FeaturePeriods = Record<FeatureName, number>;

/** The spec's defaults. */
export const defaultFeaturePeriods: Readonly<FeaturePeriods> = Object.freeze({
  roc: 20,
  price_vs_ma: 50,
  price_vs_high: 20,
  volume_zscore: 20,
  volatility: 20,
});

/** Batch result: one column per feature, NaN while not ready. */
export type FeatureColumns = Record<FeatureName, Float64Array>;
/** Streaming result at one bar: null while not ready. */
export type FeatureValues = Record<FeatureName, number | null>;

/** Shortest look-back each feature accepts (a sample sd needs two values). */
export const minimumPeriod: Readonly<Record<FeatureName, number>> = {
  roc: 1,
  price_vs_ma: 1,
  price_vs_high: 1,
  volume_zscore: 2,
  volatility: 2,
};

/**
 * A config value as an error message shows it: like JSON, except that NaN and the infinities
 * (which YAML's .nan and .inf produce, and JSON would print as null) keep their names.
 */
export function formatConfigValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatConfigValue).join(',')}]`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/** Longest look-back accepted: 400 years of daily bars; anything longer is a typo, not a window. */
export const maximumPeriod = 100_000;

/** Validates a partial periods object (from a file or options) and fills in the defaults. */
export function resolveFeaturePeriods(periods: Partial<Record<string, unknown>> = {}, where = 'feature periods'): FeaturePeriods {
  for (const key of Object.keys(periods)) {
    if (!(featureNames as readonly string[]).includes(key)) {
      throw new ConfigError(`${where}: unknown feature "${key}" (known: ${featureNames.join(', ')})`);
    }
  }
  const resolved = { ...defaultFeaturePeriods };
  for (const name of featureNames) {
    const value = periods[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimumPeriod[name] || value > maximumPeriod) {
      throw new ConfigError(`${where}: ${name} must be an integer >= ${minimumPeriod[name]} and <= ${maximumPeriod}, got ${formatConfigValue(value)}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

export function createFeature(name: FeatureName, period: number): StreamingFeature {
  switch (name) {
    case 'roc':
      return new RateOfChange(period);
    case 'price_vs_ma':
      return new PriceVsMovingAverage(period);
    case 'price_vs_high':
      return new PriceVsHigh(period);
    case 'volume_zscore':
      return new VolumeZScore(period);
    case 'volatility':
      return new Volatility(period);
  }
}

/** Bars needed before every feature is ready (with the defaults: 50, i.e. t = 49). */
export function featureWarmUp(periods: FeaturePeriods = defaultFeaturePeriods): number {
  return Math.max(...featureNames.map((name) => createFeature(name, periods[name]).warmUp));
}

/** All five features, streaming. */
export class FeatureSet {
  private readonly features: StreamingFeature[];
  readonly warmUp: number;

  constructor(readonly periods: FeaturePeriods = defaultFeaturePeriods) {
    this.features = featureNames.map((name) => createFeature(name, periods[name]));
    this.warmUp = Math.max(...this.features.map((feature) => feature.warmUp));
  }

  update(bar: FeatureBar): FeatureValues {
    const [roc, priceVsMa, priceVsHigh, volumeZScore, volatility] = this.features;
    return {
      roc: roc.update(bar),
      price_vs_ma: priceVsMa.update(bar),
      price_vs_high: priceVsHigh.update(bar),
      volume_zscore: volumeZScore.update(bar),
      volatility: volatility.update(bar),
    };
  }

  get isReady(): boolean {
    return this.features.every((feature) => feature.isReady);
  }

  reset(): void {
    for (const feature of this.features) feature.reset();
  }
}

/** All five features over a whole series (batch convention: NaN while not ready). */
export function computeFeatures(series: BarSeries, periods: FeaturePeriods = defaultFeaturePeriods): FeatureColumns {
  // The fused one-pass kernel; each column equals runFeature of that feature alone, bit for bit.
  const columns: FeatureColumns = allocateFeatureColumns(series.dates.length);
  foldFeatures(series, periods, columns);
  return columns;
}
