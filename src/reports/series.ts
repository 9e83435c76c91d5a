/**
 * Series derived for charts: drawdown, monthly returns, and the price overlays of the
 * features (moving average, prior N-day high). Computed directly from their definitions,
 * not through the streaming features, so a chart is also an independent check of them.
 */
import type { BarSeries } from '../data/bars';
import type { DrawdownPoint, MonthlyReturnCell, SeriesPoint } from './chart-specs';

export interface EquityLike {
  readonly date: string;
  readonly equity: number;
}

/**
 * Drawdown at each point: `E_t / max(E_0..E_t) - 1`, with `E_0` the starting equity (the
 * convention of `computeMetrics`, so the lowest value is `-metrics.maxDrawdown`).
 */
export function drawdownSeries(curve: readonly EquityLike[], startingEquity: number): DrawdownPoint[] {
  if (!(startingEquity > 0)) throw new RangeError(`drawdown: starting equity must be > 0, got ${startingEquity}`);
  let peak = startingEquity;
  return curve.map((point) => {
    if (point.equity > peak) peak = point.equity;
    return { date: point.date, drawdown: point.equity / peak - 1 };
  });
}

/**
 * Return of each calendar month: the month's last equity over the previous month's last
 * equity (the starting equity for the first month), minus 1. A month without points is absent.
 */
export function monthlyReturns(curve: readonly EquityLike[], startingEquity: number): MonthlyReturnCell[] {
  if (!(startingEquity > 0)) throw new RangeError(`monthly returns: starting equity must be > 0, got ${startingEquity}`);
  const cells: MonthlyReturnCell[] = [];
  let previousEnd = startingEquity;
  for (let i = 0; i < curve.length; i++) {
    const month = curve[i].date.slice(0, 7);
    const last = i === curve.length - 1 || curve[i + 1].date.slice(0, 7) !== month;
    if (!last) continue;
    if (i > 0 && curve[i - 1].date > curve[i].date) throw new RangeError(`monthly returns: dates out of order at ${curve[i].date}`);
    const equity = curve[i].equity;
    cells.push({ year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)), return: equity / previousEnd - 1 });
    previousEnd = equity;
  }
  return cells;
}

/** Simple moving average of the last `period` values, NaN until `period` values exist. */
export function movingAverage(values: ArrayLike<number>, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`moving average: period must be an integer >= 1, got ${period}`);
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let t = period - 1; t < values.length; t++) {
    let sum = 0;
    for (let i = t - period + 1; i <= t; i++) sum += values[i];
    out[t] = sum / period;
  }
  return out;
}

/** `max(high[t-period..t-1])`: the prior `period` highs, today excluded; NaN until they exist. */
export function priorHigh(high: ArrayLike<number>, period: number): Float64Array {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`prior high: period must be an integer >= 1, got ${period}`);
  const out = new Float64Array(high.length).fill(Number.NaN);
  for (let t = period; t < high.length; t++) {
    let highest = -Infinity;
    for (let i = t - period; i < t; i++) if (high[i] > highest) highest = high[i];
    out[t] = highest;
  }
  return out;
}

/**
 * Close, its moving average and the prior N-day high of one symbol as chart series, over
 * the dates in `[from, to]` (the averages are computed on the whole series first, so the
 * first points of a window are not in warm-up).
 */
export function priceOverlay(
  series: BarSeries,
  options: { movingAveragePeriod?: number; highPeriod?: number; from?: string; to?: string } = {},
): SeriesPoint[] {
  const maPeriod = options.movingAveragePeriod ?? 50;
  const highPeriod = options.highPeriod ?? 20;
  const average = movingAverage(series.close, maPeriod);
  const high = priorHigh(series.high, highPeriod);
  const points: SeriesPoint[] = [];
  const names = { close: 'close', average: `${maPeriod}-day moving average`, high: `prior ${highPeriod}-day high` };
  for (let t = 0; t < series.dates.length; t++) {
    const date = series.dates[t];
    if ((options.from !== undefined && date < options.from) || (options.to !== undefined && date > options.to)) continue;
    points.push({ date, series: names.close, value: series.close[t] });
    points.push({ date, series: names.average, value: average[t] });
    points.push({ date, series: names.high, value: high[t] });
  }
  return points;
}
