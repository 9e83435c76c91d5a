import { from, type ColumnTable } from 'arquero';
import type { BarSeries } from '../data/bars';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../engine/backtest';
import type { Strategy } from '../strategies/strategy';
import { compareWithBenchmark, type BenchmarkComparison } from './benchmark';

/** One contender: a strategy (or one parameter setting of it) with the run options it is judged on. */
export interface Contender {
  /** The row's name in the table and the curve's name in the chart; defaults to the strategy's name and parameters. */
  readonly label?: string;
  readonly strategy: Strategy;
  readonly options?: BacktestOptions;
}

export interface Comparison {
  /** One row a contender plus the benchmark's row last: the figures a trader compares first. */
  readonly table: ColumnTable;
  readonly results: readonly { readonly label: string; readonly result: BacktestResult }[];
  readonly benchmark: BenchmarkComparison;
}

/** "trend-breakout (stop=3, roc=10)": the parameters that differ from the first contender's are the ones that tell rows apart. */
export function contenderLabel(strategy: Strategy, reference?: Strategy): string {
  const values = strategy.parameters ?? {};
  const base = reference?.parameters ?? {};
  const differing = Object.entries(values).filter(([name, value]) => reference === undefined ? false : base[name] !== value);
  return differing.length === 0 ? strategy.name : `${strategy.name} (${differing.map(([name, value]) => `${name}=${String(value)}`).join(', ')})`;
}

/** Labels made unique by a counter: two identical settings still get two rows. */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} #${count}`;
  });
}

/**
 * Several strategies or settings over the same bars, one row each, with the universe's buy and
 * hold as the last row (measured on the first contender's dates). Every run is an ordinary
 * `runBacktest`.
 */
export function compareStrategies(bars: readonly BarSeries[], contenders: readonly Contender[], benchmark?: BarSeries): Comparison {
  if (contenders.length === 0) throw new RangeError('compareStrategies: give at least one strategy');
  const labels = uniqueLabels(contenders.map((one) => one.label ?? contenderLabel(one.strategy, contenders[0].strategy)));
  const results = contenders.map((one, i) => ({ label: labels[i], result: runBacktest(bars, one.strategy, one.options) }));
  const comparison = compareWithBenchmark(results[0].result, bars, benchmark);
  const rows = results.map(({ label, result }) => ({
    name: label,
    total_return: result.metrics.totalReturn,
    cagr: result.metrics.cagr,
    volatility: result.metrics.annualVolatility,
    sharpe: result.metrics.sharpe,
    max_drawdown: result.metrics.maxDrawdown,
    trades: result.metrics.trades,
    final_equity: result.finalEquity,
  }));
  if (!('unavailable' in comparison)) {
    rows.push({
      name: `benchmark: ${comparison.label}`,
      total_return: comparison.metrics.totalReturn,
      cagr: comparison.metrics.cagr,
      volatility: comparison.metrics.annualVolatility,
      sharpe: comparison.metrics.sharpe,
      max_drawdown: comparison.metrics.maxDrawdown,
      trades: 0,
      final_equity: comparison.finalEquity,
    });
  }
  return { table: from(rows), results, benchmark: comparison };
}
