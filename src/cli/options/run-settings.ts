import type { TimeInForce } from '../../brokers/broker';
import type { BacktestOptions } from '../../engine/backtest';
import type { Costs } from '../../engine/costs';
import type { RiskLimits } from '../../risk/risk-manager';
import type { RunnerSettings } from '../../runner/runner';
import { parseSizingRule, type SizingRule } from '../../sizing/sizing';
import { parseParameterAssignments } from '../../strategies/parameters';
import { loadStrategy } from '../../strategies/registry';
import type { Strategy } from '../../strategies/strategy';
import { UsageError } from '../command';
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

/**
 * `NAME|PATH` with optional inline parameters `:NAME=VALUE,NAME=VALUE` (they win over `--param`).
 * Only a tail with an "=" and no path separator is parameters, so `C:/x.ts` or `a:b.ts` stay paths.
 */
export function parseStrategySpec(spec: string): { readonly nameOrPath: string; readonly inline: Record<string, string> } {
  const colon = spec.lastIndexOf(':');
  const tail = colon < 0 ? '' : spec.slice(colon + 1);
  if (colon <= 0 || !tail.includes('=') || /[\\/]/.test(tail)) return { nameOrPath: spec, inline: {} };
  return { nameOrPath: spec.slice(0, colon), inline: parseParameterAssignments(tail.split(','), `--strategy ${spec}`) };
}

/** The strategy of `--strategy SPEC` with `--param` values (a bad one is a usage error, exit 2). */
export function strategyFromOptions(spec: string, assignments: readonly string[], command = 'backtest'): Strategy {
  const { nameOrPath, inline } = parseStrategySpec(spec);
  try {
    return loadStrategy(nameOrPath, { ...parseParameterAssignments(assignments), ...inline });
  } catch (error) {
    if ((error as Error).name === 'ParameterError') throw new UsageError(`aq ${command}: ${(error as Error).message}`);
    throw error;
  }
}

/** A run of a strategy as `aq backtest`, `aq report`, `aq paper`, `aq live` and `aq parity` take it. */
export function runSettings(values: RunValues, command = 'backtest'): RunSettings {
  return {
    strategy: strategyFromOptions(values.strategy, values.param, command),
    startingCash: values.cash,
    sizing: parseSizingRule(values.sizing, values.risk),
    risk: riskLimits(values),
    costs: { commissionPerShare: values.commission, minimumCommission: values['min-commission'], slippageBps: values['slippage-bps'] },
  };
}

type DatedRunValues = Omit<RunValues, 'strategy'> & { readonly strategy: string | readonly string[] } & Parsed<typeof dateOptions.options>;

/** The run plus `--from`/`--to`, as `runBacktest` takes them (backtest and report). */
export function backtestSettings(values: DatedRunValues, command = 'backtest'): { readonly strategy: Strategy; readonly strategies: readonly Strategy[]; readonly options: BacktestOptions } {
  const specs = typeof values.strategy === 'string' ? [values.strategy] : values.strategy.length === 0 ? ['trend-breakout'] : values.strategy;
  const strategies = specs.map((spec) => strategyFromOptions(spec, values.param, command));
  const run = runSettings({ ...values, strategy: specs[0] }, command);
  if (values.from !== undefined && values.to !== undefined && values.from > values.to) {
    throw new UsageError(`aq ${command}: --from ${values.from} is after --to ${values.to}`);
  }
  return {
    strategy: strategies[0],
    strategies,
    options: { startingCash: run.startingCash, sizing: run.sizing, costs: run.costs, risk: run.risk, from: values.from, to: values.to },
  };
}

/** The run of a paper or live session (and of the backtest parity compares it with). */
export function sessionSettings(values: RunValues, timeInForce: TimeInForce = 'opg', command = 'paper'): RunnerSettings {
  return { ...runSettings(values, command), timeInForce };
}
