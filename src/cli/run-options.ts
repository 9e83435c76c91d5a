import type { BacktestOptions } from '../engine/backtest';
import type { Costs } from '../engine/costs';
import type { RiskLimits } from '../risk/risk-manager';
import { parseSizingRule, type SizingRule } from '../sizing/sizing';
import { loadStrategy } from '../strategies/registry';
import type { Strategy } from '../strategies/strategy';
import { parseDateOption, parseNumberOption, UsageError } from './command';

/**
 * The options that define a run of a strategy: the same names, defaults and checks for
 * `aq backtest`, `aq report`, `aq paper` and `aq live`, so a run promoted from one to the
 * next means the same thing.
 */
export const runOptions = {
  strategy: { type: 'string' },
  sizing: { type: 'string' },
  risk: { type: 'string' },
  cash: { type: 'string' },
  commission: { type: 'string' },
  'min-commission': { type: 'string' },
  'slippage-bps': { type: 'string' },
  'max-position-weight': { type: 'string' },
  'max-gross-exposure': { type: 'string' },
  'max-orders-per-day': { type: 'string' },
  'daily-loss-limit': { type: 'string' },
  'kill-switch': { type: 'boolean' },
} as const;

export type RunOptionValues = {
  [K in keyof typeof runOptions]?: (typeof runOptions)[K]['type'] extends 'boolean' ? boolean : string;
};

export interface RunSettings {
  readonly strategy: Strategy;
  readonly startingCash: number;
  readonly sizing: SizingRule;
  readonly risk: RiskLimits;
  readonly costs: Costs;
}

export function parseRunOptions(command: string, values: RunOptionValues): RunSettings {
  const optional = (name: string, value: string | undefined, check: (n: number) => boolean, expectation: string) =>
    value === undefined ? undefined : parseNumberOption(command, name, value, 0, check, expectation);
  const positive = (n: number) => n > 0;
  const nonNegative = (n: number) => n >= 0;
  const fraction = (n: number) => n > 0 && n <= 1;
  const limits: { -readonly [K in keyof RiskLimits]: RiskLimits[K] } = {
    maxPositionWeight: optional('--max-position-weight', values['max-position-weight'], fraction, 'in (0, 1]'),
    maxGrossExposure: optional('--max-gross-exposure', values['max-gross-exposure'], positive, 'a number > 0'),
    maxOrdersPerDay: optional('--max-orders-per-day', values['max-orders-per-day'], (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    dailyLossLimit: optional('--daily-loss-limit', values['daily-loss-limit'], fraction, 'in (0, 1]'),
    killSwitch: values['kill-switch'] === true ? true : undefined,
  };
  // Only the limits given: an absent limit is off, and the journal compares settings by value.
  const risk = Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)) as RiskLimits;
  const sizing = values.sizing ?? 'equal';
  if (!['equal', 'equal-weight', 'fixed-risk'].includes(sizing)) {
    throw new UsageError(`aq ${command}: --sizing must be "equal" or "fixed-risk", got "${sizing}"`);
  }
  return {
    strategy: loadStrategy(values.strategy ?? 'trend-breakout'),
    startingCash: parseNumberOption(command, '--cash', values.cash, 100_000, positive, 'a number > 0'),
    sizing: parseSizingRule(sizing, optional('--risk', values.risk, fraction, 'in (0, 1]')),
    risk,
    costs: {
      commissionPerShare: parseNumberOption(command, '--commission', values.commission, 0, nonNegative, 'a number >= 0'),
      minimumCommission: parseNumberOption(command, '--min-commission', values['min-commission'], 0, nonNegative, 'a number >= 0'),
      slippageBps: parseNumberOption(command, '--slippage-bps', values['slippage-bps'], 0, nonNegative, 'a number >= 0'),
    },
  };
}

/** The run options plus `--from`/`--to`, as `runBacktest` takes them (backtest and report). */
export function parseBacktestOptions(
  command: string,
  values: RunOptionValues & { readonly from?: string; readonly to?: string },
): { readonly strategy: Strategy; readonly options: BacktestOptions } {
  const run = parseRunOptions(command, values);
  return {
    strategy: run.strategy,
    options: {
      startingCash: run.startingCash,
      sizing: run.sizing,
      costs: run.costs,
      risk: run.risk,
      from: parseDateOption(command, '--from', values.from),
      to: parseDateOption(command, '--to', values.to),
    },
  };
}

/** `--help` text for the data options that backtest and report share. */
export const dataOptionsHelp = `Data:
  --universe SPEC         a universe YAML file (default data/universe.yaml), or a
                          comma-separated symbol list used with --data
  --data DIR              folder holding SYMBOL.csv or SYMBOL.csv.gz (overrides the
                          universe file's data folder)
  --from DATE             first decision date (YYYY-MM-DD); earlier bars only warm
                          the features up
  --to DATE               last date used; later bars are not read`;

/** `--help` text for the costs and risk limits of `runOptions`. */
export const costsAndLimitsHelp = `Costs and cash:
  --cash X                starting cash (default 100000)
  --commission X          commission per share (default 0)
  --min-commission X      minimum commission per order (default 0)
  --slippage-bps Y        slippage in basis points against the trade (default 0);
                          fills stay inside the bar's low..high

Risk limits (all off by default):
  --max-position-weight X   largest position as a fraction of equity
  --max-gross-exposure X    largest sum of positions as a fraction of equity
  --max-orders-per-day N    most new orders per decision date
  --daily-loss-limit X      halt new entries after a one-day loss beyond X
  --kill-switch             reject every new entry (exits still go through)`;
