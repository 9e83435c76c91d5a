import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Universe } from '../data/universe';
import type { BacktestOptions } from '../engine/backtest';
import type { Strategy } from '../strategies/strategy';

/** sha256 of a file's bytes: the JSON names exactly which data a run saw. */
function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Everything a backtest depended on, as `--json` records it: dates, cash, sizing, costs, risk
 * limits, the strategy and its parameters, every data file with its hash, the benchmark; and the
 * `aq backtest` command line that repeats the run from this record.
 */
export function runConfiguration(context: {
  readonly universe: Universe;
  readonly strategySpec: string;
  readonly strategy: Strategy;
  readonly options: BacktestOptions;
  readonly benchmark?: string;
}): Record<string, unknown> {
  const { universe, strategy, options } = context;
  const files = Object.fromEntries(universe.symbols.map((symbol) => {
    const file = universe.files[symbol];
    return [symbol, { path: relative(process.cwd(), file) || file, sha256: fileHash(file) }];
  }));
  const costs = { commissionPerShare: 0, minimumCommission: 0, slippageBps: 0, ...options.costs };
  const sizing = options.sizing ?? { kind: 'equal-weight' };
  const risk = options.risk ?? {};
  const parameters = strategy.parameters ?? {};
  const words = ['aq', 'backtest', '--universe', universe.symbols.join(','), '--data', '<folder of the files above>'];
  // One --data folder repeats the run when every file sits in it, as with --universe A,B --data DIR.
  const folders = new Set(Object.values(files).map((file) => file.path.replace(/\/[^/]*$/, '')));
  if (folders.size === 1) words[5] = [...folders][0];
  if (universe.options.adjust) words.push('--adjust');
  words.push('--strategy', context.strategySpec);
  for (const [name, value] of Object.entries(parameters)) words.push('--param', `${name}=${String(value)}`);
  if (options.from !== undefined) words.push('--from', options.from);
  if (options.to !== undefined) words.push('--to', options.to);
  words.push('--cash', String(options.startingCash ?? 100_000));
  if (sizing.kind === 'fixed-risk') words.push('--sizing', 'fixed-risk', '--risk', String(sizing.risk));
  if (costs.commissionPerShare !== 0) words.push('--commission', String(costs.commissionPerShare));
  if (costs.minimumCommission !== 0) words.push('--min-commission', String(costs.minimumCommission));
  if (costs.slippageBps !== 0) words.push('--slippage-bps', String(costs.slippageBps));
  const riskFlags: Record<string, string> = { maxPositionWeight: '--max-position-weight', maxGrossExposure: '--max-gross-exposure', maxOrdersPerDay: '--max-orders-per-day', dailyLossLimit: '--daily-loss-limit' };
  for (const [key, value] of Object.entries(risk)) {
    if (key === 'killSwitch') {
      if (value === true) words.push('--kill-switch');
    } else if (value !== undefined) words.push(riskFlags[key], String(value));
  }
  if (context.benchmark !== undefined) words.push('--benchmark', context.benchmark);
  return {
    strategy: context.strategySpec,
    parameters,
    from: options.from ?? null,
    to: options.to ?? null,
    starting_cash: options.startingCash ?? 100_000,
    sizing,
    costs,
    risk_limits: risk,
    universe: universe.path,
    loader: universe.options,
    data_files: files,
    benchmark: context.benchmark ?? 'equal-weight buy and hold of the universe',
    command: words.map(shellWord).join(' '),
  };
}
