import type { RiskLimits } from '../risk/risk-manager';
import { parseSizingRule } from '../sizing/sizing';
import { loadStrategy } from '../strategies/registry';
import { parseNumberOption, UsageError } from '../cli/command';
import type { TimeInForce } from '../brokers/broker';
import type { RunnerSettings } from './runner';

/** The session options `aq paper` and `aq live` share with `aq backtest` (same names, same defaults). */
export const sessionOptions = {
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

export const sessionOptionsHelp = `Strategy, sizing, costs and limits (as in aq backtest; the journal remembers them and
refuses a later run with different ones):
  --strategy NAME|PATH    shipped strategy (trend-breakout, the default) or a module path
  --sizing equal|fixed-risk   (default equal)
  --risk X                risk per trade for fixed-risk sizing (default 0.01)
  --cash X                starting cash of the strategy (default 100000)
  --commission X          commission per share (default 0)
  --min-commission X      minimum commission per order (default 0)
  --slippage-bps Y        slippage in basis points (default 0)
  --max-position-weight X, --max-gross-exposure X, --max-orders-per-day N,
  --daily-loss-limit X, --kill-switch     risk limits, all off by default`;

type SessionValues = { [K in keyof typeof sessionOptions]?: (typeof sessionOptions)[K]['type'] extends 'boolean' ? boolean : string };

export function settingsFromOptions(command: string, values: SessionValues, timeInForce: TimeInForce = 'opg'): RunnerSettings {
  const optional = (name: string, value: string | undefined, check: (n: number) => boolean, expectation: string) =>
    value === undefined ? undefined : parseNumberOption(command, name, value, 0, check, expectation);
  const positive = (n: number) => n > 0;
  const nonNegative = (n: number) => n >= 0;
  const risk: Record<string, number | boolean | undefined> = {
    maxPositionWeight: optional('--max-position-weight', values['max-position-weight'], (n) => n > 0 && n <= 1, 'in (0, 1]'),
    maxGrossExposure: optional('--max-gross-exposure', values['max-gross-exposure'], positive, 'a number > 0'),
    maxOrdersPerDay: optional('--max-orders-per-day', values['max-orders-per-day'], (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0'),
    dailyLossLimit: optional('--daily-loss-limit', values['daily-loss-limit'], (n) => n > 0 && n <= 1, 'in (0, 1]'),
    killSwitch: values['kill-switch'] === true ? true : undefined,
  };
  for (const key of Object.keys(risk)) if (risk[key] === undefined) delete risk[key];
  return {
    strategy: loadStrategy(values.strategy ?? 'trend-breakout'),
    startingCash: parseNumberOption(command, '--cash', values.cash, 100_000, positive, 'a number > 0'),
    sizing: parseSizingRule(values.sizing ?? 'equal', optional('--risk', values.risk, (n) => n > 0 && n <= 1, 'in (0, 1]')),
    risk: risk as RiskLimits,
    costs: {
      commissionPerShare: parseNumberOption(command, '--commission', values.commission, 0, nonNegative, 'a number >= 0'),
      minimumCommission: parseNumberOption(command, '--min-commission', values['min-commission'], 0, nonNegative, 'a number >= 0'),
      slippageBps: parseNumberOption(command, '--slippage-bps', values['slippage-bps'], 0, nonNegative, 'a number >= 0'),
    },
    timeInForce,
  };
}

/** argv without the named options (and their values), to hand the rest to a child process. */
export function withoutOptions(argv: readonly string[], flags: readonly string[], valued: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const name = token.split('=')[0];
    if (flags.includes(name)) continue;
    if (valued.includes(name)) {
      if (!token.includes('=')) i++;
      continue;
    }
    rest.push(token);
  }
  return rest;
}

export function requireDate(command: string, option: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`aq ${command}: ${option} is required (see 'aq ${command} --help')`);
  return value;
}
