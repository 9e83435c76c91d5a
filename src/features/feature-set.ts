import type { BarSeries } from '../data/bars';
import { ConfigError } from '../errors';
import { allocateFeatureColumns, foldFeatures } from './batch-kernel';
import type { FeatureBar, StreamingFeature } from './feature';
import {
  defaultFeaturePeriods,
  featureNames,
  featureTable,
  updateEach,
  type FeatureColumns,
  type FeatureName,
  type FeaturePeriods,
  type FeatureValues,
  type StreamingFeatures,
} from './feature-table';

export { defaultFeaturePeriods, featureNames, type FeatureColumns, type FeatureName, type FeaturePeriods, type FeatureValues } from './feature-table';

/** Shortest look-back each feature accepts (a sample sd needs two values), from the table. */
export const minimumPeriod: Readonly<Record<FeatureName, number>> = Object.freeze(
  Object.fromEntries(featureNames.map((name) => [name, featureTable[name].feature.minimumPeriod])) as Record<FeatureName, number>,
);

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
    const minimumPeriod = featureTable[name].feature.minimumPeriod;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimumPeriod || value > maximumPeriod) {
      throw new ConfigError(`${where}: ${name} must be an integer >= ${minimumPeriod} and <= ${maximumPeriod}, got ${formatConfigValue(value)}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

export function createFeature(name: FeatureName, period: number): StreamingFeature {
  return new featureTable[name].feature(period);
}

/** Bars needed before every feature is ready (with the defaults: 50, i.e. t = 49). */
export function featureWarmUp(periods: FeaturePeriods = defaultFeaturePeriods): number {
  return Math.max(...featureNames.map((name) => createFeature(name, periods[name]).warmUp));
}

/** All the features, streaming. */
export class FeatureSet {
  private readonly features: StreamingFeature[];
  private readonly byName: StreamingFeatures;
  readonly warmUp: number;

  constructor(readonly periods: FeaturePeriods = defaultFeaturePeriods) {
    this.features = featureNames.map((name) => createFeature(name, periods[name]));
    this.byName = Object.fromEntries(featureNames.map((name, i) => [name, this.features[i]])) as StreamingFeatures;
    this.warmUp = Math.max(...this.features.map((feature) => feature.warmUp));
  }

  update(bar: FeatureBar): FeatureValues {
    return updateEach(this.byName, bar);
  }

  get isReady(): boolean {
    return this.features.every((feature) => feature.isReady);
  }

  reset(): void {
    for (const feature of this.features) feature.reset();
  }
}

/** All the features over a whole series (batch convention: NaN while not ready). */
export function computeFeatures(series: BarSeries, periods: FeaturePeriods = defaultFeaturePeriods): FeatureColumns {
  // The batch kernel; each column equals runFeature of that feature alone, bit for bit.
  const columns: FeatureColumns = allocateFeatureColumns(series.dates.length);
  foldFeatures(series, periods, columns);
  return columns;
}
