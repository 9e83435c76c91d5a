import type { BarSeries } from '../data/bars';
import { batchChunk, checkPeriod, foldInChunks, type ChunkFold, type FeatureBar, type StreamingFeature } from './feature';
import { naturalLog } from './natural-log';
import { foldVariance, newVarianceState, RollingVariance, VarianceOutput } from './rolling-variance';
import { replayStart } from './rolling-window';

/**
 * Sample sd of the last n daily log returns `ln(close[i] / close[i-1])` (daily, not
 * annualised). Needs n returns, so ready from the (n+1)-th bar.
 */
export class Volatility implements StreamingFeature {
  static readonly minimumPeriod = 2;
  readonly name = 'volatility';
  readonly warmUp: number;
  private readonly window: RollingVariance;
  private hasPrevious = false;
  private previousClose = Number.NaN;

  constructor(readonly period = 20) {
    checkPeriod('volatility', period, Volatility.minimumPeriod);
    this.warmUp = period + 1;
    this.window = new RollingVariance(period);
  }

  get isReady(): boolean {
    return this.window.isFull;
  }

  update(bar: FeatureBar): number | null {
    const previous = this.previousClose;
    this.previousClose = bar.close;
    if (!this.hasPrevious) {
      this.hasPrevious = true;
      return null;
    }
    // naturalLog is Math.log, bit for bit, only faster (natural-log.ts).
    this.window.push(naturalLog(bar.close / previous));
    return this.window.isFull ? this.window.sd() : null;
  }

  /**
   * The batch kernel's volatility: the log returns `update` takes (LogReturns below), chunk by
   * chunk, then RollingVariance's batch fold over them (rolling-variance.ts).
   */
  static batchFold(period: number, series: BarSeries, out: Float64Array): ChunkFold {
    const state = newVarianceState();
    const returns = new LogReturns(period);
    const close = series.close;
    return (from, to) => foldVolatility(state, returns, close, from, to, out);
  }

  /**
   * Batch: the batch kernel's fold of this feature (the same returns, the same arithmetic as
   * `update`), then the streaming state of the whole series, rebuilt from its tail: the returns
   * are the window's pushes, return i being that of bar i + 1 (see replayStart).
   */
  runBatch(series: BarSeries, out: Float64Array): void {
    foldInChunks(Volatility.batchFold(this.period, series, out), series.dates.length);
    this.reset();
    const count = series.dates.length;
    const close = series.close;
    for (let t = count === 0 ? 0 : replayStart(count - 1, this.period); t < count; t++) {
      this.update({ high: Number.NaN, close: close[t], volume: Number.NaN });
    }
  }

  reset(): void {
    this.window.reset();
    this.hasPrevious = false;
    this.previousClose = Number.NaN;
  }
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

/** Volatility over bars `from..to-1` (a chunk): the returns, then their window; bar 0 has neither. */
function foldVolatility(state: Float64Array, returns: LogReturns, close: Float64Array, from: number, to: number, out: Float64Array): void {
  if (from >= to) return;
  returns.fill(close, from, to);
  if (from === 0) out[0] = Number.NaN;
  foldVariance(state, returns.period, returns.values, from - returns.period, 1, from === 0 ? 1 : from, to, out, VarianceOutput.sd);
  returns.shift(to - from);
}
