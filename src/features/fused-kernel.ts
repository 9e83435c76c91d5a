import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod } from './feature';
import { PriceVsHigh } from './price-vs-high';

/**
 * The batch path of `computeFeatures` / `computeSignals`: the five features over a whole series,
 * chunk by chunk (`batchChunk` bars), each feature in a tight loop of its own over the chunk with
 * its rolling state in local variables. The five feature classes stay the streaming definition.
 *
 * Measured (bench/features.ts, 1M bars): one loop computing all five features per bar was
 * slower (74 vs 67 ns a bar) than one loop per feature over a chunk that stays in cache: a bar's
 * long chains of divisions and square roots fit several times into the out-of-order window of a
 * short loop, once into that of the long one. Math.log, a call into C, also gets its own loop:
 * a call inside a loop makes V8 spill the loop's live values around it on every bar.
 *
 * Bit-identical to the streaming objects by the same arithmetic in the same order, not by sharing
 * their code: the three rolling windows repeat RollingWindow.fold step for step (anchor, exact
 * two-pass recomputation on every wrap and after a variance collapse, `magnitude`, `equalRun`),
 * roc divides by the same close[t-n], price_vs_high finds the same maximum (see foldHigh) and
 * volatility takes the same `Math.log(close[t] / close[t-1])`. test/features/contract.test.ts and
 * fused-kernel.test.ts compare every column with the streaming objects with Object.is: a change
 * to RollingWindow or to a feature must be repeated here, and those tests fail until it is.
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

/** Exact sums of a full window (RollingWindow.recompute): anchor, sum, sumSquares. */
const exact = new Float64Array(3);

function recompute(buffer: Float64Array, count: number): void {
  let total = 0;
  for (let i = 0; i < count; i++) total += buffer[i];
  const anchor = total / count;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; i++) {
    const deviation = buffer[i] - anchor;
    sum += deviation;
    sumSquares += deviation * deviation;
  }
  exact[0] = anchor;
  exact[1] = sum;
  exact[2] = sumSquares;
}

/**
 * RollingWindow.recompute after a wrap, with its first pass already done: `total` is the block
 * total the fold kept while pushing (the same additions in the same order as the first pass,
 * since after a wrap the buffer order is the push order), so only the second pass runs here.
 */
function recomputeAfterWrap(buffer: Float64Array, count: number, total: number): void {
  const anchor = total / count;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; i++) {
    const deviation = buffer[i] - anchor;
    sum += deviation;
    sumSquares += deviation * deviation;
  }
  exact[0] = anchor;
  exact[1] = sum;
  exact[2] = sumSquares;
}

/** RollingWindow's fields, carried from one chunk to the next. */
class WindowState {
  readonly buffer: Float64Array;
  count = 0;
  head = 0;
  anchor = 0;
  sum = 0;
  sumSquares = 0;
  magnitude = 0;
  equalRun = 0;
  last = Number.NaN;
  /** `0 + buffer[0] + ... + buffer[head - 1]`, pushed since the last wrap. */
  blockTotal = 0;

  constructor(readonly size: number) {
    this.buffer = new Float64Array(size);
  }
}

/*
 * The three window folds below share RollingWindow.fold's push step, written out in each (a
 * shared helper would have to return five numbers); they differ in the statistic they write.
 */

/** RollingWindow.fold of `values[from..to-1]` with output ratioToMean, into `out` at the same index. */
function foldRatioToMean(window: WindowState, values: Float64Array, from: number, to: number, out: Float64Array): void {
  const size = window.size;
  const buffer = window.buffer;
  let count = window.count;
  let head = window.head;
  let anchor = window.anchor;
  let sum = window.sum;
  let sumSquares = window.sumSquares;
  let magnitude = window.magnitude;
  let equalRun = window.equalRun;
  let last = window.last;
  let blockTotal = window.blockTotal;
  for (let t = from; t < to; t++) {
    const value = values[t];
    if (count === size) {
      const removed = buffer[head] - anchor;
      sum -= removed;
      sumSquares -= removed * removed;
      magnitude += removed * removed;
    } else {
      count++;
    }
    buffer[head] = value;
    blockTotal = head === 0 ? 0 + value : blockTotal + value;
    const added = value - anchor;
    sum += added;
    sumSquares += added * added;
    magnitude += added * added;
    equalRun = value === last ? equalRun + 1 : 1;
    last = value;
    head++;
    let renew = false;
    if (head === size) {
      head = 0;
      recomputeAfterWrap(buffer, count, blockTotal);
      renew = true;
    } else if (count === size && equalRun < size) {
      const scaledSquares = sumSquares * size - sum * sum;
      if (!(scaledSquares * 1024 > magnitude * size)) {
        recompute(buffer, count);
        renew = true;
      }
    }
    if (renew) {
      anchor = exact[0];
      sum = exact[1];
      sumSquares = exact[2];
      magnitude = sumSquares;
    }
    out[t] = count !== size ? Number.NaN : value / (anchor + sum / count) - 1;
  }
  window.count = count;
  window.head = head;
  window.anchor = anchor;
  window.sum = sum;
  window.sumSquares = sumSquares;
  window.magnitude = magnitude;
  window.equalRun = equalRun;
  window.last = last;
  window.blockTotal = blockTotal;
}

/** RollingWindow.fold of `values[from..to-1]` with output zScore, into `out` at the same index. */
function foldZScore(window: WindowState, values: Float64Array, from: number, to: number, out: Float64Array): void {
  const size = window.size;
  const buffer = window.buffer;
  let count = window.count;
  let head = window.head;
  let anchor = window.anchor;
  let sum = window.sum;
  let sumSquares = window.sumSquares;
  let magnitude = window.magnitude;
  let equalRun = window.equalRun;
  let last = window.last;
  let blockTotal = window.blockTotal;
  for (let t = from; t < to; t++) {
    const value = values[t];
    if (count === size) {
      const removed = buffer[head] - anchor;
      sum -= removed;
      sumSquares -= removed * removed;
      magnitude += removed * removed;
    } else {
      count++;
    }
    buffer[head] = value;
    blockTotal = head === 0 ? 0 + value : blockTotal + value;
    const added = value - anchor;
    sum += added;
    sumSquares += added * added;
    magnitude += added * added;
    equalRun = value === last ? equalRun + 1 : 1;
    last = value;
    head++;
    let renew = false;
    if (head === size) {
      head = 0;
      recomputeAfterWrap(buffer, count, blockTotal);
      renew = true;
    } else if (count === size && equalRun < size) {
      const scaledSquares = sumSquares * size - sum * sum;
      if (!(scaledSquares * 1024 > magnitude * size)) {
        recompute(buffer, count);
        renew = true;
      }
    }
    if (renew) {
      anchor = exact[0];
      sum = exact[1];
      sumSquares = exact[2];
      magnitude = sumSquares;
    }
    if (count !== size) {
      out[t] = Number.NaN;
      continue;
    }
    let variance = 0;
    if (equalRun < count) {
      const v = (sumSquares - (sum * sum) / count) / (count - 1);
      variance = v > 0 ? v : 0;
    }
    out[t] = variance === 0 ? 0 : (value - (anchor + sum / count)) / Math.sqrt(variance);
  }
  window.count = count;
  window.head = head;
  window.anchor = anchor;
  window.sum = sum;
  window.sumSquares = sumSquares;
  window.magnitude = magnitude;
  window.equalRun = equalRun;
  window.last = last;
  window.blockTotal = blockTotal;
}

/**
 * RollingWindow.fold with output sd of `values[from - at..to - at - 1]`, writing the statistic
 * after `values[t - at]` into `out[t]` (the volatility's returns are a chunk-local array).
 */
function foldSd(window: WindowState, values: Float64Array, at: number, from: number, to: number, out: Float64Array): void {
  const size = window.size;
  const buffer = window.buffer;
  let count = window.count;
  let head = window.head;
  let anchor = window.anchor;
  let sum = window.sum;
  let sumSquares = window.sumSquares;
  let magnitude = window.magnitude;
  let equalRun = window.equalRun;
  let last = window.last;
  let blockTotal = window.blockTotal;
  for (let t = from; t < to; t++) {
    const value = values[t - at];
    if (count === size) {
      const removed = buffer[head] - anchor;
      sum -= removed;
      sumSquares -= removed * removed;
      magnitude += removed * removed;
    } else {
      count++;
    }
    buffer[head] = value;
    blockTotal = head === 0 ? 0 + value : blockTotal + value;
    const added = value - anchor;
    sum += added;
    sumSquares += added * added;
    magnitude += added * added;
    equalRun = value === last ? equalRun + 1 : 1;
    last = value;
    head++;
    let renew = false;
    if (head === size) {
      head = 0;
      recomputeAfterWrap(buffer, count, blockTotal);
      renew = true;
    } else if (count === size && equalRun < size) {
      const scaledSquares = sumSquares * size - sum * sum;
      if (!(scaledSquares * 1024 > magnitude * size)) {
        recompute(buffer, count);
        renew = true;
      }
    }
    if (renew) {
      anchor = exact[0];
      sum = exact[1];
      sumSquares = exact[2];
      magnitude = sumSquares;
    }
    if (count !== size) {
      out[t] = Number.NaN;
      continue;
    }
    let variance = 0;
    if (equalRun < count) {
      const v = (sumSquares - (sum * sum) / count) / (count - 1);
      variance = v > 0 ? v : 0;
    }
    out[t] = Math.sqrt(variance);
  }
  window.count = count;
  window.head = head;
  window.anchor = anchor;
  window.sum = sum;
  window.sumSquares = sumSquares;
  window.magnitude = magnitude;
  window.equalRun = equalRun;
  window.last = last;
  window.blockTotal = blockTotal;
}

/** roc over bars `from..to-1`: `close[t] / close[t-n] - 1`, read from the series (no ring needed). */
function foldRoc(close: Float64Array, period: number, from: number, to: number, out: Float64Array): void {
  for (let t = from; t < to; t++) out[t] = t < period ? Number.NaN : close[t] / close[t - period] - 1;
}

/** The state of the batch fold between two chunks of the same series. */
class ChunkedFold {
  private readonly rocPeriod: number;
  // price_vs_high: blocks of n bars (see foldHigh).
  private readonly highPeriod: number;
  private readonly suffixMax: Float64Array;
  private blockStart = 0;
  private newerMax = -Infinity;
  /** Highs with a NaN: price_vs_high comes from PriceVsHigh itself (see foldFeatures). */
  private readonly highsHaveNaN: boolean;
  private readonly movingAverage: WindowState;
  private readonly volumes: WindowState;
  private readonly logReturns: WindowState;
  /** The chunk's log returns `ln(close[t] / close[t-1])`, at t - from. */
  private readonly returns: Float64Array;

  constructor(periods: KernelPeriods, highsHaveNaN: boolean) {
    // The same checks (and errors) as the feature classes' constructors.
    checkPeriod('roc', periods.roc, 1);
    checkPeriod('price_vs_ma', periods.price_vs_ma, 1);
    checkPeriod('price_vs_high', periods.price_vs_high, 1);
    checkPeriod('volume_zscore', periods.volume_zscore, 2);
    checkPeriod('volatility', periods.volatility, 2);
    this.rocPeriod = periods.roc;
    this.highPeriod = periods.price_vs_high;
    this.suffixMax = new Float64Array(periods.price_vs_high);
    this.highsHaveNaN = highsHaveNaN;
    this.movingAverage = new WindowState(periods.price_vs_ma);
    this.volumes = new WindowState(periods.volume_zscore);
    this.logReturns = new WindowState(periods.volatility);
    this.returns = new Float64Array(batchChunk);
  }

  /** Bars `from..to-1` (at most batchChunk, following the bars already folded); each column at the bar's index. */
  fold(series: BarSeries, from: number, to: number, columns: KernelColumns): void {
    const close = series.close;
    foldRoc(close, this.rocPeriod, from, to, columns.roc);
    foldRatioToMean(this.movingAverage, close, from, to, columns.price_vs_ma);
    if (!this.highsHaveNaN) this.foldHigh(series.high, close, from, to, columns.price_vs_high);
    foldZScore(this.volumes, series.volume, from, to, columns.volume_zscore);
    // Volatility: bar 0 has no return (and no value); the window folds the returns of bars 1...
    const first = from === 0 ? 1 : from;
    const returns = this.returns;
    for (let t = first; t < to; t++) returns[t - from] = Math.log(close[t] / close[t - 1]);
    if (from === 0 && to > 0) columns.volatility[0] = Number.NaN;
    foldSd(this.logReturns, returns, from, first, to, columns.volatility);
  }

  /**
   * price_vs_high: `close[t] / max(high[t-n..t-1]) - 1` by blocks of n bars instead of
   * PriceVsHigh's deque (whose data-dependent pops cost a branch miss almost every bar). Every n
   * bars, at bar b, `suffixMax[j]` gets the maximum of `high[b-n+j..b-1]`; until b + n the window
   * `high[t-n..t-1]` is then `high[t-n..b-1]` (that suffix) plus `high[b..t-1]` (`newerMax`, a
   * running maximum). Both comparisons rarely change outcome, so they predict well.
   *
   * Same value as the deque, bit for bit: the maximum is unique except for ties, and on a tie
   * both keep the newer bar (the deque pops a back that is <= the new high; here the newer side
   * wins every tie), which decides the sign of a zero maximum. NaN is where the two differ (the
   * deque lets a NaN evict the older highs), so NaN highs go to PriceVsHigh itself.
   */
  private foldHigh(high: Float64Array, close: Float64Array, from: number, to: number, out: Float64Array): void {
    const period = this.highPeriod;
    const suffixMax = this.suffixMax;
    let blockStart = this.blockStart;
    let newerMax = this.newerMax;
    for (let t = from; t < to; t++) {
      if (t < period) {
        out[t] = Number.NaN;
        continue;
      }
      const oldest = t - period;
      if (oldest >= blockStart) {
        // The window has left the previous block: a new one starts at t.
        blockStart = t;
        newerMax = -Infinity;
        let maximum = -Infinity;
        for (let j = period - 1; j >= 0; j--) {
          const value = high[oldest + j];
          if (value > maximum) maximum = value;
          suffixMax[j] = maximum;
        }
      }
      const older = suffixMax[oldest - (blockStart - period)];
      out[t] = close[t] / (older > newerMax ? older : newerMax) - 1;
      const barHigh = high[t];
      if (barHigh >= newerMax) newerMax = barHigh;
    }
    this.blockStart = blockStart;
    this.newerMax = newerMax;
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
  const high = series.high;
  let highsHaveNaN = false;
  for (let i = 0; i < count; i++) if (high[i] !== high[i]) highsHaveNaN = true;
  const fold = new ChunkedFold(periods, highsHaveNaN);
  if (highsHaveNaN) new PriceVsHigh(periods.price_vs_high).runBatch(series, columns.price_vs_high);
  for (let from = 0; from < count; from += batchChunk) {
    const to = Math.min(count, from + batchChunk);
    fold.fold(series, from, to, columns);
    if (afterChunk !== undefined) afterChunk(from, to);
  }
}
