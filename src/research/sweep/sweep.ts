import { createHash } from 'node:crypto';
import type { BarSeries } from '../../data/bars';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../engine/backtest';
import type { Metrics } from '../../metrics/metrics';
import { dailyReturns } from '../../metrics/relative';
import { instantiateStrategy, type StrategyDefinition } from '../../strategies/definition';
import type { ParameterValues } from '../../strategies/parameters';
import type { Objective } from './grid-file';
import { countPoints, searchPoints, type SearchSpace } from './grid';
import { openLedger, type Ledger, type TrialRecord } from './ledger';

/**
 * A parameter sweep: every accepted point of the search space is one ordinary backtest
 * (`runTrial`, the same call `aq backtest --param ...` makes), recorded in the ledger as it ends.
 * Points already in the ledger are skipped, so a killed sweep resumes where it stopped.
 */
export interface SweepSettings {
  readonly bars: readonly BarSeries[];
  readonly definition: StrategyDefinition;
  readonly space: SearchSpace;
  readonly backtest?: Omit<BacktestOptions, 'onProgress'>;
  readonly objective?: Objective;
  /** SQLite file of the ledger; ':memory:' keeps it in memory (no resume). */
  readonly ledger?: string;
  /** Anything else the results depend on (data file hashes): part of the ledger's fingerprint. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Called after each trial: trials done (resumed ones included) and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SweepResult {
  readonly ledger: string;
  readonly total: number;
  /** Trials run by this call (the rest were in the ledger already). */
  readonly ran: number;
  readonly objective: Objective;
}

/** One trial: the strategy built from `parameters`, backtested with the run's options. */
export function runTrial(
  bars: readonly BarSeries[],
  definition: StrategyDefinition,
  parameters: ParameterValues,
  backtest: Omit<BacktestOptions, 'onProgress'> = {},
): BacktestResult {
  return runBacktest(bars, instantiateStrategy(definition, parameters), backtest);
}

/** The ledger's fingerprint: a sweep resumes only into a ledger of the same sweep. */
export function sweepFingerprint(settings: Pick<SweepSettings, 'definition' | 'space' | 'backtest' | 'inputs' | 'bars'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({
    strategy: settings.definition.name,
    parameters: settings.definition.parameters,
    space: settings.space,
    backtest: settings.backtest ?? {},
    inputs: settings.inputs ?? {},
    universe: settings.bars.map((series) => [series.symbol, series.dates.length, series.dates[0], series.dates[series.dates.length - 1]]),
  }));
  return hash.digest('hex');
}

/** The metric a sweep ranks by, higher is better; a missing value ranks last. */
export function objectiveValue(metrics: Readonly<Record<string, number | null>>, objective: Objective): number {
  const key: Record<Objective, keyof Metrics> = {
    sharpe: 'sharpe',
    sortino: 'sortino',
    cagr: 'cagr',
    total_return: 'totalReturn',
    calmar: 'calmar',
    max_drawdown: 'maxDrawdown',
  };
  const value = metrics[key[objective]];
  if (value === null || value === undefined || !Number.isFinite(value)) return Number.NEGATIVE_INFINITY;
  return objective === 'max_drawdown' ? -value : value;
}

export function trialRecord(trial: number, gridIndex: number, parameters: ParameterValues, result: BacktestResult): TrialRecord {
  return {
    trial,
    gridIndex,
    parameters,
    metrics: { ...result.metrics },
    finalEquity: result.finalEquity,
    returns: dailyReturns(result.startingCash, result.equityCurve.map((point) => point.equity)),
  };
}

/** Runs the trials of `settings.space` that `ledger` does not hold yet, into it. */
export function sweepInto(ledger: Ledger, settings: Omit<SweepSettings, 'ledger'>): SweepResult {
  const total = countPoints(settings.space);
  let done = ledger.count();
  let ran = 0;
  settings.onProgress?.(done, total);
  for (const point of searchPoints(settings.space)) {
    if (ledger.has(point.trial)) continue;
    const result = runTrial(settings.bars, settings.definition, point.parameters, settings.backtest);
    if (ledger.dates() === null) ledger.setDates(result.equityCurve.map((p) => p.date));
    ledger.record(trialRecord(point.trial, point.gridIndex, point.parameters, result));
    ran++;
    done++;
    settings.onProgress?.(done, total);
  }
  return { ledger: ledger.path, total, ran, objective: settings.objective ?? 'sharpe' };
}

/** Runs (or resumes) a sweep into the ledger file `settings.ledger` (in memory without one). */
export function sweep(settings: SweepSettings): SweepResult {
  const ledger = openLedger(settings.ledger ?? ':memory:', sweepFingerprint(settings));
  try {
    return sweepInto(ledger, settings);
  } finally {
    ledger.close();
  }
}

/** The best trial by the objective; the lowest trial number among equals (so a rerun picks the same). */
export function bestTrial(ledger: Ledger, objective: Objective): TrialRecord | null {
  let best: TrialRecord | null = null;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const trial of ledger.trials()) {
    const value = objectiveValue(trial.metrics, objective);
    if (best === null || value > bestValue) {
      best = trial;
      bestValue = value;
    }
  }
  return best;
}
