import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod, type ChunkFold } from './feature';
import { featureNames, featureTable, type FeatureColumns, type FeaturePeriods } from './feature-table';

/**
 * The batch path of `computeFeatures` / `computeSignals`: every feature of the feature table over
 * a whole series, chunk by chunk (`batchChunk` bars), each feature in a tight loop of its own over
 * the chunk with its rolling state in local variables. Each feature's fold is written beside its
 * streaming window (its class's `batchFold`); this file only runs them.
 *
 * Measured (bench/features.ts, 1M bars): one loop computing all five features per bar was
 * slower than one loop per feature over a chunk that stays in cache: a bar's long chains of
 * divisions and square roots fit several times into the out-of-order window of a short loop,
 * once into that of the long one. The folds are called once per feature and chunk (not per bar),
 * so going through the table costs nothing measurable; the loops inside stay monomorphic.
 *
 * Bit-identical to the streaming objects by the same arithmetic in the same order (see each
 * feature's batchFold). test/features/contract.test.ts and batch-kernel.test.ts compare every
 * column with the streaming objects with Object.is: a change to a window or to a feature must be
 * repeated in its fold, and those tests fail until it is.
 */

/** Fresh NaN-free columns of the series' length (every cell is written by the fold). */
export function allocateFeatureColumns(count: number): FeatureColumns {
  return Object.fromEntries(featureNames.map((name) => [name, new Float64Array(count)])) as FeatureColumns;
}

/**
 * Every feature over the whole series into `columns`, in chunks of `batchChunk` bars (see there).
 * `afterChunk(from, to)` runs after each chunk, while its rows are still in cache: the factors use
 * it. The periods are checked first, with the feature classes' errors.
 */
export function foldFeatures(
  series: BarSeries,
  periods: FeaturePeriods,
  columns: FeatureColumns,
  afterChunk?: (from: number, to: number) => void,
): void {
  for (const name of featureNames) checkPeriod(name, periods[name], featureTable[name].feature.minimumPeriod);
  const folds: ChunkFold[] = featureNames.map((name) => featureTable[name].feature.batchFold(periods[name], series, columns[name]));
  const count = series.dates.length;
  for (let from = 0; from < count; from += batchChunk) {
    const to = Math.min(count, from + batchChunk);
    for (let i = 0; i < folds.length; i++) folds[i](from, to);
    if (afterChunk !== undefined) afterChunk(from, to);
  }
}
