import type { TimeInForce } from '../../brokers/broker';
import type { BacktestOptions } from '../../engine/backtest';
import type { Costs } from '../../engine/costs';
import type { RiskLimits } from '../../risk/risk-manager';
import type { RunnerSettings } from '../../runner/runner';
import { parseSizingRule, type SizingRule } from '../../sizing/sizing';
import { loadStrategy } from '../../strategies/registry';
import type { Strategy } from '../../strategies/strategy';
import type { Parsed } from './option';
import type { costOptions, dateOptions, riskOptions, sizingOptions, strategyOptions } from './groups';

/** The parsed values of the run groups (`runGroups`). */
export type RunValues = Parsed<typeof strategyOptions.options> & Parsed<typeof sizingOptions.options>
  & Parsed<typeof costOptions.options> & Parsed<typeof riskOptions.options>;

export interface RunSettings {
  readonly strategy: Strategy;
  readonly startingCash: number;
  readonly sizing: SizingRule;
  readonly risk: RiskLimits;
  readonly costs: Costs;
}

/** The risk limits given; an absent limit is off (and left out: the journal compares settings by value). */
function riskLimits(values: RunValues): RiskLimits {
  const limits: { -readonly [K in keyof RiskLimits]: RiskLimits[K] } = {
    maxPositionWeight: values['max-position-weight'],
    maxGrossExposure: values['max-gross-exposure'],
    maxOrdersPerDay: values['max-orders-per-day'],
    dailyLossLimit: values['daily-loss-limit'],
    killSwitch: values['kill-switch'] ? true : undefined,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as RiskLimits;
}

/** A run of a strategy as `aq backtest`, `aq report`, `aq paper`, `aq live` and `aq parity` take it. */
export function runSettings(values: RunValues): RunSettings {
  return {
    strategy: loadStrategy(values.strategy),
    startingCash: values.cash,
    sizing: parseSizingRule(values.sizing, values.risk),
    risk: riskLimits(values),
    costs: { commissionPerShare: values.commission, minimumCommission: values['min-commission'], slippageBps: values['slippage-bps'] },
  };
}

/** The run plus `--from`/`--to`, as `runBacktest` takes them (backtest and report). */
export function backtestSettings(values: RunValues & Parsed<typeof dateOptions.options>): { readonly strategy: Strategy; readonly options: BacktestOptions } {
  const run = runSettings(values);
  return {
    strategy: run.strategy,
    options: { startingCash: run.startingCash, sizing: run.sizing, costs: run.costs, risk: run.risk, from: values.from, to: values.to },
  };
}

/** The run of a paper or live session (and of the backtest parity compares it with). */
export function sessionSettings(values: RunValues, timeInForce: TimeInForce = 'opg'): RunnerSettings {
  return { ...runSettings(values), timeInForce };
}
