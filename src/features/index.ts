// Named exports: the batch internals (chunk size, folds, naturalLog, the feature table) stay
// inside the package; modules and tests that need them import them by path.
export { hasBatchPath, runFeature, checkPeriod, type BatchFeature, type FeatureBar, type StreamingFeature } from './feature';
export {
  computeFeatures,
  createFeature,
  defaultFeaturePeriods,
  FeatureSet,
  featureNames,
  featureWarmUp,
  formatConfigValue,
  maximumPeriod,
  resolveFeaturePeriods,
  type FeatureColumns,
  type FeatureName,
  type FeaturePeriods,
  type FeatureValues,
} from './feature-set';
export { RollingMean } from './rolling-mean';
export { RollingVariance } from './rolling-variance';
export { RateOfChange } from './roc';
export { PriceVsMovingAverage } from './price-vs-moving-average';
export { PriceVsHigh } from './price-vs-high';
export { VolumeZScore } from './volume-zscore';
export { Volatility } from './volatility';
