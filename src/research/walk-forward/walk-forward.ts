import type { BarSeries } from '../../data/bars';
import { unionCalendar } from '../../data/calendar';
import { runBacktest, type BacktestOptions, type BacktestResult, type EquityPoint } from '../../engine/backtest';
import { computeMetrics, type Metrics } from '../../metrics/metrics';
import { instantiateStrategy, type StrategyDefinition } from '../../strategies/definition';
import type { ParameterValues } from '../../strategies/parameters';
import type { SearchSpace } from '../sweep/grid';
import type { Objective } from '../sweep/grid-file';
import { openLedger, type Ledger, type TrialRecord } from '../sweep/ledger';
import { bestTrial, sweepFingerprint, sweepInto, type SweepResult, type SweepSettings } from '../sweep/sweep';
import { planFolds, type Fold } from './folds';

/**
 * Walk-forward analysis: for each fold, a sweep over the training window picks the parameters
 * with the best objective; the test window is then an ordinary backtest with them, starting flat
 * with the previous fold's final equity as cash, its features warmed up on the bars before it
 * (exactly `aq backtest --from test_from --to test_to --cash <previous final equity> --param ...`).
 *
 * Figures over the stitched out-of-sample curve:
 * - walk-forward efficiency = annualised OOS return / annualised IS return, where the OOS return
 *   is the stitched curve's CAGR and the IS return the mean of the chosen trials' training CAGRs.
 *   Sign traps: with an IS return <= 0 the ratio says nothing (a loss "kept" out of sample would
 *   read as efficiency > 0), so it is null with the reason; a negative OOS return over a positive
 *   IS return is a negative efficiency, as it should read.
 * - profitable folds = share of test windows that ended above their starting cash;
 * - largest fold's share of profit = the biggest test-window profit / the sum of positive
 *   test-window profits (1 = all the profit came from one fold); null without a profitable fold.
 */
export interface WalkForwardSettings {
  readonly bars: readonly BarSeries[];
  readonly definition: StrategyDefinition;
  readonly space: SearchSpace;
  /** Run options; `from`/`to` bound the whole analysis, `startingCash` is the first fold's cash. */
  readonly backtest?: Omit<BacktestOptions, 'onProgress'>;
  readonly objective?: Objective;
  readonly train: number;
  readonly test: number;
  readonly anchored?: boolean;
  /** Folder for the folds' ledgers (resumable); in memory without one. */
  readonly ledgerFolder?: string;
  readonly onProgress?: (fold: number, folds: number, done: number, total: number) => void;
}

export interface FoldResult extends Fold {
  readonly parameters: ParameterValues;
  readonly trainMetrics: Readonly<Record<string, number | null>>;
  readonly testMetrics: Metrics;
  readonly startingCash: number;
  readonly finalEquity: number;
  readonly trials: number;
  readonly test: BacktestResult;
}

export interface WalkForwardResult {
  readonly folds: readonly FoldResult[];
  readonly equityCurve: readonly EquityPoint[];
  readonly metrics: Metrics;
  readonly efficiency: number | null;
  readonly efficiencyNote: string | null;
  readonly profitableFolds: number;
  readonly largestFoldProfitShare: number | null;
}

/** Runs one fold's training sweep into `ledger`; in this thread (`sweepInto`) or on a worker pool. */
export type FoldSweep = (ledger: Ledger, settings: Omit<SweepSettings, 'ledger'>) => SweepResult | Promise<SweepResult>;

interface Plan {
  readonly folds: readonly Fold[];
  readonly backtest: Omit<BacktestOptions, 'onProgress'>;
  readonly objective: Objective;
  readonly startingCash: number;
}

function plan(settings: WalkForwardSettings): Plan {
  const backtest = settings.backtest ?? {};
  const calendar = unionCalendar(settings.bars).filter((date) => (backtest.from === undefined || date >= backtest.from) && (backtest.to === undefined || date <= backtest.to));
  return { folds: planFolds(calendar, settings.train, settings.test, settings.anchored === true), backtest, objective: settings.objective ?? 'sharpe', startingCash: backtest.startingCash ?? 100_000 };
}

function trainingSweep(settings: WalkForwardSettings, run: Plan, fold: Fold): Omit<SweepSettings, 'ledger'> {
  return {
    bars: settings.bars,
    definition: settings.definition,
    space: settings.space,
    backtest: { ...run.backtest, from: fold.trainFrom, to: fold.trainTo },
    objective: run.objective,
    onProgress: (done: number, total: number) => settings.onProgress?.(fold.index, run.folds.length, done, total),
  };
}

function foldLedger(settings: WalkForwardSettings, fold: Fold, sweep: Omit<SweepSettings, 'ledger'>): Ledger {
  const path = settings.ledgerFolder === undefined ? ':memory:' : `${settings.ledgerFolder}/fold-${String(fold.index + 1).padStart(3, '0')}.db`;
  return openLedger(path, sweepFingerprint(sweep));
}

/** The test window with the chosen parameters: `aq backtest --from --to --cash <previous final equity> --param ...`. */
function testFold(settings: WalkForwardSettings, run: Plan, fold: Fold, chosen: TrialRecord | null, trials: number, cash: number): FoldResult {
  if (chosen === null) throw new RangeError(`walk-forward: fold ${fold.index + 1} has no trial`);
  const test = runBacktest(settings.bars, instantiateStrategy(settings.definition, chosen.parameters), {
    ...run.backtest,
    from: fold.testFrom,
    to: fold.testTo,
    startingCash: cash,
  });
  return {
    ...fold,
    parameters: chosen.parameters,
    trainMetrics: chosen.metrics,
    testMetrics: test.metrics,
    startingCash: cash,
    finalEquity: test.finalEquity,
    trials,
    test,
  };
}

export function walkForward(settings: WalkForwardSettings): WalkForwardResult {
  const run = plan(settings);
  let cash = run.startingCash;
  const results: FoldResult[] = [];
  for (const fold of run.folds) {
    const sweep = trainingSweep(settings, run, fold);
    const ledger = foldLedger(settings, fold, sweep);
    try {
      const trials = sweepInto(ledger, sweep).total;
      results.push(testFold(settings, run, fold, bestTrial(ledger, run.objective), trials, cash));
    } finally {
      ledger.close();
    }
    cash = results[results.length - 1].finalEquity;
  }
  return stitch(results, run.startingCash);
}

/** `walkForward` with each training sweep run by `runSweep` (e.g. on a worker pool); the same result. */
export async function walkForwardWith(settings: WalkForwardSettings, runSweep: FoldSweep): Promise<WalkForwardResult> {
  const run = plan(settings);
  let cash = run.startingCash;
  const results: FoldResult[] = [];
  for (const fold of run.folds) {
    const sweep = trainingSweep(settings, run, fold);
    const ledger = foldLedger(settings, fold, sweep);
    try {
      const trials = (await runSweep(ledger, sweep)).total;
      results.push(testFold(settings, run, fold, bestTrial(ledger, run.objective), trials, cash));
    } finally {
      ledger.close();
    }
    cash = results[results.length - 1].finalEquity;
  }
  return stitch(results, run.startingCash);
}

function stitch(results: readonly FoldResult[], startingCash: number): WalkForwardResult {
  const equityCurve = results.flatMap((fold) => fold.test.equityCurve);
  const metrics = computeMetrics({
    startingEquity: startingCash,
    equity: equityCurve.map((point) => point.equity),
    positionValue: equityCurve.map((point) => point.positionValue),
    tradePnls: results.flatMap((fold) => fold.test.trades.map((trade) => trade.pnl)),
    tradedValue: results.reduce((sum, fold) => sum + fold.test.fills.reduce((s, fill) => s + fill.shares * fill.price, 0), 0),
  });
  const inSample = results.map((fold) => fold.trainMetrics.cagr).filter((value): value is number => typeof value === 'number');
  const inSampleReturn = inSample.length === results.length && inSample.length > 0 ? inSample.reduce((a, b) => a + b, 0) / inSample.length : null;
  let efficiency: number | null = null;
  let efficiencyNote: string | null = null;
  if (inSampleReturn === null || metrics.cagr === null) efficiencyNote = 'undefined: a fold has no annualised return';
  else if (inSampleReturn <= 0) efficiencyNote = `undefined: the in-sample annualised return ${inSampleReturn} is not positive`;
  else efficiency = metrics.cagr / inSampleReturn;
  const profits = results.map((fold) => fold.finalEquity - fold.startingCash);
  const positive = profits.filter((profit) => profit > 0);
  const positiveSum = positive.reduce((a, b) => a + b, 0);
  return {
    folds: results,
    equityCurve,
    metrics,
    efficiency,
    efficiencyNote,
    profitableFolds: profits.filter((profit) => profit > 0).length / results.length,
    largestFoldProfitShare: positive.length === 0 ? null : Math.max(...positive) / positiveSum,
  };
}
