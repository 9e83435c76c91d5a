export * from './feature';
export * from './feature-set';
export { RollingMean, RollingVariance } from './rolling-window';
export { naturalLog } from './natural-log';
export { RateOfChange } from './roc';
export { PriceVsMovingAverage } from './price-vs-moving-average';
export { PriceVsHigh } from './price-vs-high';
export { VolumeZScore } from './volume-zscore';
export { Volatility } from './volatility';
