import type { BarSeries } from '../data/bars';
import type { BacktestResult } from '../engine/backtest';
import { buyAndHold, isBenchmarkAvailable, type BenchmarkCurve } from '../metrics/benchmark';
import { computeMetrics } from '../metrics/metrics';
import { dailyReturns, relativeMetrics, type RelativeMetrics } from '../metrics/relative';
import { probabilisticSharpe } from './overfitting/probabilistic-sharpe';
import { returnMoments } from './overfitting/sharpe-moments';

/** The benchmark's own figures, as the strategy's metrics table shows them beside its own. */
export interface BenchmarkMetrics {
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdown: number;
}

/** What every backtest output shows beside the strategy: the buy and hold and how the strategy relates to it. */
export type BenchmarkComparison =
  | {
      readonly label: string;
      readonly startDate: string;
      readonly finalEquity: number;
      readonly metrics: BenchmarkMetrics;
      readonly relative: RelativeMetrics;
      /** The strategy's probabilistic Sharpe ratio against 0: the chance its true Sharpe is positive. */
      readonly strategyPsr: number | null;
      readonly curve: BenchmarkCurve;
    }
  | { readonly label: string; readonly unavailable: string };

/**
 * The benchmark for a finished backtest, on its equity curve's dates: the equal-weight buy and
 * hold of `bars` (the run's universe), or of one series given as the benchmark.
 */
export function compareWithBenchmark(
  result: BacktestResult,
  bars: readonly BarSeries[],
  benchmark?: BarSeries,
): BenchmarkComparison {
  const dates = result.equityCurve.map((point) => point.date);
  const curve = buyAndHold(benchmark === undefined ? bars : [benchmark], dates, result.startingCash);
  if (!isBenchmarkAvailable(curve)) return curve;
  const metrics = computeMetrics({
    startingEquity: result.startingCash,
    equity: Array.from(curve.equity),
    positionValue: Array.from(curve.equity),
    tradePnls: [],
    tradedValue: 0,
  });
  const strategyReturns = dailyReturns(result.startingCash, result.equityCurve.map((point) => point.equity));
  return {
    label: curve.label,
    startDate: curve.startDate,
    finalEquity: metrics.finalEquity,
    metrics: {
      totalReturn: metrics.totalReturn,
      cagr: metrics.cagr,
      annualVolatility: metrics.annualVolatility,
      sharpe: metrics.sharpe,
      maxDrawdown: metrics.maxDrawdown,
    },
    relative: relativeMetrics(strategyReturns, dailyReturns(result.startingCash, curve.equity)),
    strategyPsr: strategyPsr(strategyReturns),
    curve,
  };
}

/** PSR(0) of daily returns; null where it is undefined (fewer than 3 returns, no variation). */
export function strategyPsr(returns: Float64Array): number | null {
  if (returns.length < 3) return null;
  const moments = returnMoments(returns, 'strategy');
  if (!(moments.standardDeviation > 0)) return null;
  const psr = probabilisticSharpe(moments);
  return Number.isFinite(psr) ? psr : null;
}

/** The comparison as `--json` writes it: figures and the curve's dates and values, no typed arrays. */
export function benchmarkJson(comparison: BenchmarkComparison): Record<string, unknown> {
  if ('unavailable' in comparison) return { label: comparison.label, unavailable: comparison.unavailable };
  return {
    label: comparison.label,
    start_date: comparison.startDate,
    final_equity: comparison.finalEquity,
    total_return: comparison.metrics.totalReturn,
    cagr: comparison.metrics.cagr,
    annual_volatility: comparison.metrics.annualVolatility,
    sharpe: comparison.metrics.sharpe,
    max_drawdown: comparison.metrics.maxDrawdown,
    alpha: comparison.relative.alpha,
    beta: comparison.relative.beta,
    correlation: comparison.relative.correlation,
    tracking_error: comparison.relative.trackingError,
    information_ratio: comparison.relative.informationRatio,
    strategy_psr: comparison.strategyPsr,
  };
}
