import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod } from './feature';
import { naturalLog } from './natural-log';
import { PriceVsHigh } from './price-vs-high';
import { foldHighBlocks, hasNaN } from './price-vs-high-blocks';
import { exactSums, recomputeSums } from './rolling-window';

/**
 * The batch path of `computeFeatures` / `computeSignals`: the five features over a whole series,
 * chunk by chunk (`batchChunk` bars), each feature in a tight loop of its own over the chunk with
 * its rolling state in local variables. The five feature classes stay the streaming definition.
 *
 * Measured (bench/features.ts, 1M bars): one loop computing all five features per bar was
 * slower than one loop per feature over a chunk that stays in cache: a bar's long chains of
 * divisions and square roots fit several times into the out-of-order window of a short loop,
 * once into that of the long one.
 *
 * Bit-identical to the streaming objects by the same arithmetic in the same order: the three
 * rolling windows follow RollingMean / RollingVariance's schedule and formulas and recompute
 * through the same functions (rolling-window.ts), roc divides by the same close[t-n],
 * price_vs_high finds the same maximum (see price-vs-high-blocks.ts) and volatility takes the same
 * `naturalLog(close[t] / close[t-1])`. test/features/contract.test.ts and fused-kernel.test.ts
 * compare every column with the streaming objects with Object.is: a change to a window or to a
 * feature must be repeated here, and those tests fail until it is.
 */

/** The look-back periods of the five features (a FeaturePeriods, without importing feature-set). */
export interface KernelPeriods {
  readonly roc: number;
  readonly price_vs_ma: number;
  readonly price_vs_high: number;
  readonly volume_zscore: number;
  readonly volatility: number;
}

/** The five output columns (a FeatureColumns). */
export interface KernelColumns {
  readonly roc: Float64Array;
  readonly price_vs_ma: Float64Array;
  readonly price_vs_high: Float64Array;
  readonly volume_zscore: Float64Array;
  readonly volatility: Float64Array;
}

/*
 * The rolling windows below follow RollingMean / RollingVariance's schedule (rolling-window.ts)
 * with their arithmetic, over a whole series instead of a ring: the value leaving the window at
 * bar t is `values[t - n]`, and the exact recomputations read `values[t-n+1..t]`, which is the
 * ring in chronological order. Each fold keeps its state in a Float64Array rather than object
 * fields, which V8 boxed into heap numbers (price_vs_ma's fold measured 10 -> 6 ns/bar).
 *
 * Each fold runs as short loops of "steady" bars between two exact recomputations (no schedule
 * test in the loop), then the exact bar; `countdown` is the number of bars up to and including
 * the next exact one.
 */

/** A mean window's state before its first push: anchor, sum, countdown (the first exact push is the n-th). */
function newMeanState(): Float64Array {
  return Float64Array.of(0, 0, 1);
}

/** A variance window's state before its first push: anchor, sum, sumSquares, magnitude, last, equalRun, countdown. */
function newVarianceState(): Float64Array {
  return Float64Array.of(0, 0, 0, 0, Number.NaN, 0, 1);
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
      recomputeSums(values, t - size + 1, size);
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

/** What foldVariance writes: volume_zscore's z-score or volatility's sd. */
export const VarianceOutput = Object.freeze({ zScore: 1, sd: 2 });
export type VarianceOutput = (typeof VarianceOutput)[keyof typeof VarianceOutput];

/**
 * RollingVariance.push then zScore or sd, for bars `from..to-1`, into `out[t]`. The value of bar
 * t is `values[t - at]`; it is the window's push number `t - first`, where `first` is the window's
 * first bar (volatility's returns start at bar 1).
 */
export function foldVariance(
  state: Float64Array,
  size: number,
  values: Float64Array,
  at: number,
  first: number,
  from: number,
  to: number,
  out: Float64Array,
  output: VarianceOutput,
): void {
  const inverse = 1 / size;
  const inverseLess = 1 / (size - 1);
  let anchor = state[0];
  let sum = state[1];
  let sumSquares = state[2];
  let magnitude = state[3];
  let last = state[4];
  let equalRun = state[5];
  let countdown = state[6];
  let t = from;
  for (; t < to && t - first < size - 1; t++) {
    const value = values[t - at];
    equalRun = value === last ? equalRun + 1 : 1;
    last = value;
    out[t] = Number.NaN;
  }
  while (t < to) {
    const steadyEnd = Math.min(to, t + countdown - 1);
    countdown -= steadyEnd - t;
    for (; t < steadyEnd; t++) {
      const value = values[t - at];
      equalRun = value === last ? equalRun + 1 : 1;
      last = value;
      const added = value - anchor;
      const removed = values[t - at - size] - anchor;
      const addedSquare = added * added;
      const removedSquare = removed * removed;
      sum += added - removed;
      sumSquares += addedSquare - removedSquare;
      magnitude += addedSquare + removedSquare;
      let centered = sumSquares - sum * sum * inverse;
      if (!(centered * 1024 > magnitude) && equalRun < size) {
        recomputeSums(values, t - at - size + 1, size);
        anchor = exactSums[0];
        sum = exactSums[1];
        sumSquares = exactSums[2];
        magnitude = sumSquares;
        centered = sumSquares - sum * sum * inverse;
      }
      const variance = equalRun < size && centered > 0 ? centered * inverseLess : 0;
      if (output === VarianceOutput.sd) out[t] = Math.sqrt(variance);
      else out[t] = variance === 0 ? 0 : (value - (anchor + sum * inverse)) / Math.sqrt(variance);
    }
    if (t < to) {
      const value = values[t - at];
      equalRun = value === last ? equalRun + 1 : 1;
      last = value;
      countdown = size;
      recomputeSums(values, t - at - size + 1, size);
      anchor = exactSums[0];
      sum = exactSums[1];
      sumSquares = exactSums[2];
      magnitude = sumSquares;
      const centered = sumSquares - sum * sum * inverse;
      const variance = equalRun < size && centered > 0 ? centered * inverseLess : 0;
      if (output === VarianceOutput.sd) out[t] = Math.sqrt(variance);
      else out[t] = variance === 0 ? 0 : (value - (anchor + sum * inverse)) / Math.sqrt(variance);
      t++;
    }
  }
  state[0] = anchor;
  state[1] = sum;
  state[2] = sumSquares;
  state[3] = magnitude;
  state[4] = last;
  state[5] = equalRun;
  state[6] = countdown;
}

/**
 * Volatility's log returns, chunk by chunk: `values[period + t - from]` is the return of bar t
 * of the current chunk, `values[0..period-1]` the last `period` returns before it (the values
 * leaving the window and those an exact recomputation reads).
 */
class LogReturns {
  readonly values: Float64Array;

  constructor(readonly period: number) {
    this.values = new Float64Array(period + batchChunk);
  }

  /** Bars `from..to-1` (bar 0 has no return): `naturalLog(close[t] / close[t-1])`, as Volatility.update. */
  fill(close: Float64Array, from: number, to: number): void {
    const values = this.values;
    const offset = this.period - from;
    for (let t = from === 0 ? 1 : from; t < to; t++) values[offset + t] = naturalLog(close[t] / close[t - 1]);
  }

  /** After a chunk of `length` bars: its last `period` returns become the prefix. */
  shift(length: number): void {
    this.values.copyWithin(0, length, length + this.period);
  }
}

/** roc over bars `from..to-1`: `close[t] / close[t-n] - 1`, read from the series (no ring needed). */
function foldRoc(close: Float64Array, period: number, from: number, to: number, out: Float64Array): void {
  for (let t = from; t < to; t++) out[t] = t < period ? Number.NaN : close[t] / close[t - period] - 1;
}

/** The state of the batch fold between two chunks of the same series. */
class ChunkedFold {
  private readonly periods: KernelPeriods;
  private readonly high = new Float64Array(2);
  private readonly suffixMax: Float64Array;
  /** Highs with a NaN: price_vs_high comes from PriceVsHigh itself (see foldFeatures). */
  private readonly highsHaveNaN: boolean;
  private readonly movingAverage = newMeanState();
  private readonly volumes = newVarianceState();
  private readonly logReturnWindow = newVarianceState();
  private readonly logReturns: LogReturns;

  constructor(periods: KernelPeriods, highsHaveNaN: boolean) {
    checkKernelPeriods(periods);
    this.periods = periods;
    this.suffixMax = new Float64Array(periods.price_vs_high);
    this.highsHaveNaN = highsHaveNaN;
    this.logReturns = new LogReturns(periods.volatility);
  }

  /** Bars `from..to-1` (at most batchChunk, following the bars already folded); each column at the bar's index. */
  fold(series: BarSeries, from: number, to: number, columns: KernelColumns): void {
    const periods = this.periods;
    const close = series.close;
    foldRoc(close, periods.roc, from, to, columns.roc);
    foldRatioToMean(this.movingAverage, periods.price_vs_ma, close, from, to, columns.price_vs_ma);
    if (!this.highsHaveNaN) foldHighBlocks(this.high, this.suffixMax, periods.price_vs_high, series.high, close, from, to, columns.price_vs_high);
    foldVariance(this.volumes, periods.volume_zscore, series.volume, 0, 0, from, to, columns.volume_zscore, VarianceOutput.zScore);
    foldVolatility(this.logReturnWindow, this.logReturns, close, from, to, columns.volatility);
  }
}

/** Volatility over bars `from..to-1` (a chunk): the returns, then their window; bar 0 has neither. */
function foldVolatility(state: Float64Array, returns: LogReturns, close: Float64Array, from: number, to: number, out: Float64Array): void {
  if (from >= to) return;
  returns.fill(close, from, to);
  if (from === 0) out[0] = Number.NaN;
  foldVariance(state, returns.period, returns.values, from - returns.period, 1, from === 0 ? 1 : from, to, out, VarianceOutput.sd);
  returns.shift(to - from);
}

/** The same checks (and errors) as the feature classes' constructors. */
function checkKernelPeriods(periods: KernelPeriods): void {
  checkPeriod('roc', periods.roc, 1);
  checkPeriod('price_vs_ma', periods.price_vs_ma, 1);
  checkPeriod('price_vs_high', periods.price_vs_high, 1);
  checkPeriod('volume_zscore', periods.volume_zscore, 2);
  checkPeriod('volatility', periods.volatility, 2);
}

/** One rolling-window feature alone over a whole series (its class's runBatch), NaN while not ready. */
export function foldWindowFeature(name: 'price_vs_ma' | 'volume_zscore' | 'volatility', period: number, series: BarSeries, out: Float64Array): void {
  const count = series.dates.length;
  if (name === 'price_vs_ma') {
    const state = newMeanState();
    for (let from = 0; from < count; from += batchChunk) foldRatioToMean(state, period, series.close, from, Math.min(count, from + batchChunk), out);
  } else if (name === 'volume_zscore') {
    const state = newVarianceState();
    for (let from = 0; from < count; from += batchChunk) {
      foldVariance(state, period, series.volume, 0, 0, from, Math.min(count, from + batchChunk), out, VarianceOutput.zScore);
    }
  } else {
    const state = newVarianceState();
    const returns = new LogReturns(period);
    for (let from = 0; from < count; from += batchChunk) foldVolatility(state, returns, series.close, from, Math.min(count, from + batchChunk), out);
  }
}

/** Fresh NaN-free columns of the series' length (every cell is written by the fold). */
export function allocateFeatureColumns(count: number): KernelColumns {
  return {
    roc: new Float64Array(count),
    price_vs_ma: new Float64Array(count),
    price_vs_high: new Float64Array(count),
    volume_zscore: new Float64Array(count),
    volatility: new Float64Array(count),
  };
}

/**
 * The five features over the whole series into `columns`, in chunks of `batchChunk` bars (see
 * there). `afterChunk(from, to)` runs after each chunk, while its rows are still in cache: the
 * factors use it.
 */
export function foldFeatures(
  series: BarSeries,
  periods: KernelPeriods,
  columns: KernelColumns,
  afterChunk?: (from: number, to: number) => void,
): void {
  const count = series.dates.length;
  const highsHaveNaN = hasNaN(series.high, count);
  const fold = new ChunkedFold(periods, highsHaveNaN);
  if (highsHaveNaN) new PriceVsHigh(periods.price_vs_high).runBatch(series, columns.price_vs_high);
  for (let from = 0; from < count; from += batchChunk) {
    const to = Math.min(count, from + batchChunk);
    fold.fold(series, from, to, columns);
    if (afterChunk !== undefined) afterChunk(from, to);
  }
}
