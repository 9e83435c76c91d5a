import type { BarSeries } from '../data/bars';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../engine/backtest';
import { defaultFactorModel, dropFactor } from '../factors/factor-model';
import type { Strategy } from '../strategies/strategy';

/** One leave-one-factor-out run beside the full run. */
export interface LeaveOneFactorOut {
  readonly dropped: string;
  /** PnL the full run attributes to the dropped factor (what attribution says it earned). */
  readonly attributedPnl: number;
  /** Realised PnL of the run without it; `fullRealizedPnl - realizedPnl` is what it really added. */
  readonly realizedPnl: number;
  readonly fullRealizedPnl: number;
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly sharpe: number | null;
  readonly maxDrawdown: number;
  readonly trades: number;
}

/**
 * Reruns the backtest once per factor with that factor's score weight at 0 (`dropFactor`),
 * everything else equal. Attribution splits PnL by the factors' shares at entry; this shows
 * what happens without the factor at all (other trades are taken, others skipped).
 */
export function leaveOneFactorOut(
  bars: readonly BarSeries[],
  strategy: Strategy,
  full: BacktestResult,
  options: BacktestOptions = {},
  factors: readonly string[] = Object.keys((options.factorModel ?? defaultFactorModel).factors),
  onRun?: (index: number, factor: string) => void,
): LeaveOneFactorOut[] {
  const model = options.factorModel ?? defaultFactorModel;
  return factors.map((factor, index) => {
    onRun?.(index, factor);
    const result = runBacktest(bars, strategy, { ...options, onProgress: undefined, factorModel: dropFactor(model, factor) });
    return {
      dropped: factor,
      attributedPnl: full.attribution.byFactor[factor] ?? 0,
      realizedPnl: result.attribution.totalPnl,
      fullRealizedPnl: full.attribution.totalPnl,
      finalEquity: result.finalEquity,
      totalReturn: result.metrics.totalReturn,
      sharpe: result.metrics.sharpe,
      maxDrawdown: result.metrics.maxDrawdown,
      trades: result.trades.length,
    };
  });
}
