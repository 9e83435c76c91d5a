import { UsageError } from '../cli/command';
import { parseRunOptions, runOptions, type RunOptionValues } from '../cli/run-options';
import type { TimeInForce } from '../brokers/broker';
import type { RunnerSettings } from './runner';

/** The session options `aq paper` and `aq live` share with `aq backtest` (same names, same defaults). */
export const sessionOptions = runOptions;

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

export function settingsFromOptions(command: string, values: RunOptionValues, timeInForce: TimeInForce = 'opg'): RunnerSettings {
  return {
    ...parseRunOptions(command, values),
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
