/**
 * Leak (d): filling at the signal bar's close. A strategy cannot do that through the kernel
 * (orders wait for the next open), so this module is a broken engine instead: it runs the
 * real backtest, then moves every fill to its decision bar at that bar's close, as a naive
 * vectorised backtest does. The fill audit must flag the first fill, dated its decision date.
 */
import { barAt, runBacktest, type BacktestResult, type BarSeries } from '../../../src/index';
import type { BacktestEngine } from '../../../src/lookahead';

const fillAtSignalClose: BacktestEngine = (bars, strategy, options): BacktestResult => {
  const result = runBacktest(bars, strategy, options);
  const bySymbol = new Map<string, BarSeries>(bars.map((series) => [series.symbol, series]));
  const fills = result.fills.map((fill) => {
    const series = bySymbol.get(fill.symbol) as BarSeries;
    const decisionBar = barAt(series, series.dates.indexOf(fill.decisionDate));
    return { ...fill, date: fill.decisionDate, price: decisionBar.close };
  });
  return { ...result, fills };
};

export default fillAtSignalClose;
