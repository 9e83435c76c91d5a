import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod } from './feature';
import { PriceVsHigh } from './price-vs-high';

/**
 * The five features in one pass over a series: each bar's close, high and volume are read once,
 * all the rolling state lives in local variables, and the five columns are written in the same
 * loop. This is the batch path of `computeFeatures` / `computeSignals`; the five feature classes
 * stay the streaming definition.
 *
 * Bit-identical to the streaming objects by construction of the same arithmetic, not by sharing
 * code with them: the three rolling windows repeat RollingWindow.fold step for step (anchor,
 * exact two-pass recomputation on every wrap and after a variance collapse, `magnitude`,
 * `equalRun`), roc divides by the same close[t-n], price_vs_high finds the same maximum (see
 * foldHigh) and volatility takes the same `Math.log(close[t] / close[t-1])`. The contract tests compare
 * every column with the streaming objects with Object.is; a change to RollingWindow must be
 * repeated here (those tests fail otherwise).
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

/** The state of the fused fold between two chunks of the same series. */
class FusedFold {
  // roc needs no ring: close[t-n] is read from the series itself.
  private readonly rocPeriod: number;
  // price_vs_high: blocks of n bars (see foldHigh).
  private readonly highPeriod: number;
  private readonly suffixMax: Float64Array;
  private blockStart = 0;
  private newerMax = -Infinity;
  /** Highs with a NaN: price_vs_high comes from PriceVsHigh itself (see foldFeatures). */
  readonly highsHaveNaN: boolean;
  // The three windows (close for price_vs_ma, volume for volume_zscore, log return for volatility).
  private readonly maBuffer: Float64Array;
  private maCount = 0;
  private maHead = 0;
  private maAnchor = 0;
  private maSum = 0;
  private maSumSquares = 0;
  private maMagnitude = 0;
  private maEqualRun = 0;
  private maLast = Number.NaN;
  private readonly vzBuffer: Float64Array;
  private vzCount = 0;
  private vzHead = 0;
  private vzAnchor = 0;
  private vzSum = 0;
  private vzSumSquares = 0;
  private vzMagnitude = 0;
  private vzEqualRun = 0;
  private vzLast = Number.NaN;
  private readonly volBuffer: Float64Array;
  private volCount = 0;
  private volHead = 0;
  private volAnchor = 0;
  private volSum = 0;
  private volSumSquares = 0;
  private volMagnitude = 0;
  private volEqualRun = 0;
  private volLast = Number.NaN;
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
    this.maBuffer = new Float64Array(periods.price_vs_ma);
    this.vzBuffer = new Float64Array(periods.volume_zscore);
    this.volBuffer = new Float64Array(periods.volatility);
    this.returns = new Float64Array(batchChunk);
  }

  /** Bars `from..to-1` (which must follow the bars already folded); writes each column at the bar's index. */
  fold(series: BarSeries, from: number, to: number, columns: KernelColumns): void {
    if (!this.highsHaveNaN) this.foldHigh(series.high, series.close, from, to, columns.price_vs_high);
    this.foldOthers(series, from, to, columns);
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

  /** roc, price_vs_ma, volume_zscore and volatility, in one loop. */
  private foldOthers(series: BarSeries, from: number, to: number, columns: KernelColumns): void {
    const close = series.close;
    const high = series.high;
    const volume = series.volume;
    const rocOut = columns.roc;
    const maOut = columns.price_vs_ma;
    const vzOut = columns.volume_zscore;
    const volOut = columns.volatility;

    const rocPeriod = this.rocPeriod;

    const maBuffer = this.maBuffer;
    const maSize = maBuffer.length;
    let maCount = this.maCount;
    let maHead = this.maHead;
    let maAnchor = this.maAnchor;
    let maSum = this.maSum;
    let maSumSquares = this.maSumSquares;
    let maMagnitude = this.maMagnitude;
    let maEqualRun = this.maEqualRun;
    let maLast = this.maLast;

    const vzBuffer = this.vzBuffer;
    const vzSize = vzBuffer.length;
    let vzCount = this.vzCount;
    let vzHead = this.vzHead;
    let vzAnchor = this.vzAnchor;
    let vzSum = this.vzSum;
    let vzSumSquares = this.vzSumSquares;
    let vzMagnitude = this.vzMagnitude;
    let vzEqualRun = this.vzEqualRun;
    let vzLast = this.vzLast;

    const volBuffer = this.volBuffer;
    const volSize = volBuffer.length;
    let volCount = this.volCount;
    let volHead = this.volHead;
    let volAnchor = this.volAnchor;
    let volSum = this.volSum;
    let volSumSquares = this.volSumSquares;
    let volMagnitude = this.volMagnitude;
    let volEqualRun = this.volEqualRun;
    let volLast = this.volLast;

    // The log returns first, in a loop of their own: Math.log is a call into C, and a call in the
    // main loop makes V8 spill the dozens of live values around it on every bar (7 ns a bar).
    const returns = this.returns;
    for (let t = from === 0 ? 1 : from; t < to; t++) returns[t - from] = Math.log(close[t] / close[t - 1]);

    for (let t = from; t < to; t++) {
      const closeNow = close[t];

      // roc: close[t] / close[t-n] - 1.
      rocOut[t] = t < rocPeriod ? Number.NaN : closeNow / close[t - rocPeriod] - 1;

      // price_vs_ma: RollingWindow.fold of the close, output ratioToMean.
      {
        const value = closeNow;
        if (maCount === maSize) {
          const removed = maBuffer[maHead] - maAnchor;
          maSum -= removed;
          maSumSquares -= removed * removed;
          maMagnitude += removed * removed;
        } else {
          maCount++;
        }
        maBuffer[maHead] = value;
        const added = value - maAnchor;
        maSum += added;
        maSumSquares += added * added;
        maMagnitude += added * added;
        maEqualRun = value === maLast ? maEqualRun + 1 : 1;
        maLast = value;
        maHead++;
        let renew = false;
        if (maHead === maSize) {
          maHead = 0;
          renew = true;
        } else if (maCount === maSize && maEqualRun < maSize) {
          const scaledSquares = maSumSquares * maSize - maSum * maSum;
          renew = !(scaledSquares * 1024 > maMagnitude * maSize);
        }
        if (renew) {
          recompute(maBuffer, maCount);
          maAnchor = exact[0];
          maSum = exact[1];
          maSumSquares = exact[2];
          maMagnitude = maSumSquares;
        }
        maOut[t] = maCount !== maSize ? Number.NaN : value / (maAnchor + maSum / maCount) - 1;
      }

      // volume_zscore: RollingWindow.fold of the volume, output zScore.
      {
        const value = volume[t];
        if (vzCount === vzSize) {
          const removed = vzBuffer[vzHead] - vzAnchor;
          vzSum -= removed;
          vzSumSquares -= removed * removed;
          vzMagnitude += removed * removed;
        } else {
          vzCount++;
        }
        vzBuffer[vzHead] = value;
        const added = value - vzAnchor;
        vzSum += added;
        vzSumSquares += added * added;
        vzMagnitude += added * added;
        vzEqualRun = value === vzLast ? vzEqualRun + 1 : 1;
        vzLast = value;
        vzHead++;
        let renew = false;
        if (vzHead === vzSize) {
          vzHead = 0;
          renew = true;
        } else if (vzCount === vzSize && vzEqualRun < vzSize) {
          const scaledSquares = vzSumSquares * vzSize - vzSum * vzSum;
          renew = !(scaledSquares * 1024 > vzMagnitude * vzSize);
        }
        if (renew) {
          recompute(vzBuffer, vzCount);
          vzAnchor = exact[0];
          vzSum = exact[1];
          vzSumSquares = exact[2];
          vzMagnitude = vzSumSquares;
        }
        if (vzCount !== vzSize) {
          vzOut[t] = Number.NaN;
        } else {
          let variance = 0;
          if (vzEqualRun < vzCount) {
            const v = (vzSumSquares - (vzSum * vzSum) / vzCount) / (vzCount - 1);
            variance = v > 0 ? v : 0;
          }
          vzOut[t] = variance === 0 ? 0 : (value - (vzAnchor + vzSum / vzCount)) / Math.sqrt(variance);
        }
      }

      // volatility: the log return of bar t (none at bar 0) through RollingWindow.fold, output sd.
      if (t === 0) {
        volOut[t] = Number.NaN;
      } else {
        const value = returns[t - from];
        if (volCount === volSize) {
          const removed = volBuffer[volHead] - volAnchor;
          volSum -= removed;
          volSumSquares -= removed * removed;
          volMagnitude += removed * removed;
        } else {
          volCount++;
        }
        volBuffer[volHead] = value;
        const added = value - volAnchor;
        volSum += added;
        volSumSquares += added * added;
        volMagnitude += added * added;
        volEqualRun = value === volLast ? volEqualRun + 1 : 1;
        volLast = value;
        volHead++;
        let renew = false;
        if (volHead === volSize) {
          volHead = 0;
          renew = true;
        } else if (volCount === volSize && volEqualRun < volSize) {
          const scaledSquares = volSumSquares * volSize - volSum * volSum;
          renew = !(scaledSquares * 1024 > volMagnitude * volSize);
        }
        if (renew) {
          recompute(volBuffer, volCount);
          volAnchor = exact[0];
          volSum = exact[1];
          volSumSquares = exact[2];
          volMagnitude = volSumSquares;
        }
        if (volCount !== volSize) {
          volOut[t] = Number.NaN;
        } else {
          let variance = 0;
          if (volEqualRun < volCount) {
            const v = (volSumSquares - (volSum * volSum) / volCount) / (volCount - 1);
            variance = v > 0 ? v : 0;
          }
          volOut[t] = Math.sqrt(variance);
        }
      }
    }

    this.maCount = maCount;
    this.maHead = maHead;
    this.maAnchor = maAnchor;
    this.maSum = maSum;
    this.maSumSquares = maSumSquares;
    this.maMagnitude = maMagnitude;
    this.maEqualRun = maEqualRun;
    this.maLast = maLast;
    this.vzCount = vzCount;
    this.vzHead = vzHead;
    this.vzAnchor = vzAnchor;
    this.vzSum = vzSum;
    this.vzSumSquares = vzSumSquares;
    this.vzMagnitude = vzMagnitude;
    this.vzEqualRun = vzEqualRun;
    this.vzLast = vzLast;
    this.volCount = volCount;
    this.volHead = volHead;
    this.volAnchor = volAnchor;
    this.volSum = volSum;
    this.volSumSquares = volSumSquares;
    this.volMagnitude = volMagnitude;
    this.volEqualRun = volEqualRun;
    this.volLast = volLast;
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
  const fold = new FusedFold(periods, highsHaveNaN);
  if (highsHaveNaN) new PriceVsHigh(periods.price_vs_high).runBatch(series, columns.price_vs_high);
  for (let from = 0; from < count; from += batchChunk) {
    const to = Math.min(count, from + batchChunk);
    fold.fold(series, from, to, columns);
    if (afterChunk !== undefined) afterChunk(from, to);
  }
}
