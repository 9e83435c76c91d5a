import type { BarSeries } from '../data/bars';

/**
 * The buy and hold a strategy is measured against. Equal weight over the universe: on the first
 * run date on which every symbol has a bar, the starting cash is split into N equal parts, each
 * buying fractional shares of one symbol at that close; the shares are held to the end and valued
 * at closes (a symbol without a bar that day keeps its last close); no costs. Before that date the
 * benchmark holds its cash. With one series (an index, `--benchmark FILE|SYMBOL`) it is that
 * series bought with all the cash.
 */
export interface BenchmarkCurve {
  /** What was bought: "equal-weight buy and hold of MU, GLD, GOOG" or "buy and hold of SPX". */
  readonly label: string;
  readonly symbols: readonly string[];
  /** The first date with every symbol's close: the day it buys. */
  readonly startDate: string;
  readonly dates: readonly string[];
  /** Value at each date's close; the starting cash up to the start date. */
  readonly equity: Float64Array;
}

/** Why there is no benchmark (no common date): outputs show the reason instead of figures. */
export interface BenchmarkUnavailable {
  readonly label: string;
  readonly unavailable: string;
}

/** Index of `date` in ascending `dates`, or of the last date before it (-1 when none). */
function lastAtOrBefore(dates: readonly string[], date: string, from: number): number {
  let index = from;
  while (index + 1 < dates.length && dates[index + 1] <= date) index++;
  return index;
}

/**
 * The benchmark's value on each of `dates` (the strategy's equity-curve dates, ascending).
 * Only closes on or before each date are read.
 */
export function buyAndHold(
  series: readonly BarSeries[],
  dates: readonly string[],
  startingCash: number,
  label = series.length === 1 ? `buy and hold of ${series[0].symbol}` : `equal-weight buy and hold of ${series.map((one) => one.symbol).join(', ')}`,
): BenchmarkCurve | BenchmarkUnavailable {
  if (series.length === 0) return { label, unavailable: 'no symbols' };
  const dateSets = series.map((one) => new Set(one.dates));
  const start = dates.findIndex((date) => dateSets.every((set) => set.has(date)));
  if (start < 0) {
    return { label, unavailable: `no date between ${dates[0] ?? '-'} and ${dates[dates.length - 1] ?? '-'} on which every symbol has a bar` };
  }
  const startDate = dates[start];
  const shares = series.map((one) => startingCash / series.length / one.close[one.dates.indexOf(startDate)]);
  const cursors = series.map(() => -1);
  const equity = new Float64Array(dates.length);
  for (let day = 0; day < dates.length; day++) {
    if (day < start) {
      equity[day] = startingCash;
      continue;
    }
    let value = 0;
    for (let s = 0; s < series.length; s++) {
      cursors[s] = lastAtOrBefore(series[s].dates, dates[day], cursors[s]);
      value += shares[s] * series[s].close[cursors[s]];
    }
    equity[day] = value;
  }
  return { label, symbols: series.map((one) => one.symbol), startDate, dates, equity };
}

export function isBenchmarkAvailable(benchmark: BenchmarkCurve | BenchmarkUnavailable): benchmark is BenchmarkCurve {
  return !('unavailable' in benchmark);
}
