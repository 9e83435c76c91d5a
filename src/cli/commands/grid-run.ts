import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BarSeries } from '../../data/bars';
import type { DroppedRow } from '../../data/load-bars';
import { loadUniverseBars, type Universe } from '../../data/universe';
import type { BacktestOptions } from '../../engine/backtest';
import { ConfigError } from '../../errors';
import type { SearchSpace } from '../../research/sweep/grid';
import { readGridFile, searchSpace, type GridFile } from '../../research/sweep/grid-file';
import type { WorkerSweep } from '../../research/sweep/worker-pool';
import type { StrategyDefinition } from '../../strategies/definition';
import { loadStrategyDefinition } from '../../strategies/registry';
import { UsageError } from '../command';
import { benchmarkOptions, dateOptions, runGroups } from '../options/groups';
import { commandOptions } from '../options/option-set';
import { backtestSettings } from '../options/run-settings';
import { resolveUniverse } from '../universe-option';

/**
 * A grid file turned into the sweep it describes: its `options` map holds run options by their
 * `aq backtest` names, parsed by the same option rows (so `cash: -1` fails as `--cash -1` does,
 * but as a configuration error naming the grid file's line, exit 1). The sweep's parent and
 * every worker thread build their run with this one function (`sweepWorkerSetup`).
 */
export interface GridRun extends WorkerSweep {
  readonly grid: GridFile;
  readonly definition: StrategyDefinition;
  readonly space: SearchSpace;
  readonly universe: Universe;
  readonly bars: readonly BarSeries[];
  readonly dropped: readonly DroppedRow[];
  readonly backtest: Omit<BacktestOptions, 'onProgress'>;
  /** `options.benchmark` of the grid file: one series to compare with (else the universe's buy and hold). */
  readonly benchmark: string | undefined;
  /** Content hashes of the bar files: part of the ledger's fingerprint (changed data never resumes). */
  readonly inputs: Readonly<Record<string, string>>;
}

const runOptions = commandOptions('sweep', [dateOptions, ...runGroups, benchmarkOptions]);
const flagNames = new Set([dateOptions, ...runGroups].flatMap((group) => Object.entries(group.options).filter(([, row]) => row.type === 'boolean').map(([name]) => name)));
/** Given by the grid file's own keys, not inside `options`. */
const ownKeys = ['strategy', 'param', 'from', 'to', 'universe', 'data'];

function parseRunOptions(grid: GridFile): { backtest: Omit<BacktestOptions, 'onProgress'>; benchmark: string | undefined } {
  const argv = ['--strategy', grid.strategy];
  if (grid.from !== undefined) argv.push('--from', grid.from);
  if (grid.to !== undefined) argv.push('--to', grid.to);
  for (const [name, value] of Object.entries(grid.options)) {
    if (ownKeys.includes(name)) throw new ConfigError(`${grid.where(`options.${name}`)}: "${name}" is a key of the grid file itself, not a run option`);
    if (flagNames.has(name)) {
      if (value !== 'true' && value !== 'false') throw new ConfigError(`${grid.where(`options.${name}`)}: option "${name}" is true or false, got "${value}"`);
      if (value === 'true') argv.push(`--${name}`);
    } else {
      argv.push(`--${name}=${value}`);
    }
  }
  try {
    const { values } = runOptions.parse(argv);
    return { backtest: backtestSettings(values, 'sweep').options, benchmark: values.benchmark };
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    const name = /--([a-z][\w-]*)/.exec(error.message)?.[1];
    const key = name === 'from' || name === 'to' ? name : `options.${name}`;
    const message = error.message.replace(/^aq sweep: /, '').replace(/ \(see 'aq sweep --help'\)$/, '');
    throw new ConfigError(`${grid.where(key)}: ${message}`);
  }
}

function universeOf(grid: GridFile): Universe {
  try {
    return resolveUniverse('sweep', grid.universe, grid.data);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new ConfigError(`${grid.where(grid.universe === undefined ? 'data' : 'universe')}: ${error.message.replace(/^aq sweep: /, '')}`);
  }
}

export function loadGridRun(path: string): GridRun {
  const grid = readGridFile(path);
  const definition = loadStrategyDefinition(grid.strategy);
  const space = searchSpace(grid, definition);
  const { backtest, benchmark } = parseRunOptions(grid);
  const universe = universeOf(grid);
  const { bars, dropped } = loadUniverseBars(universe);
  const inputs: Record<string, string> = {};
  for (const symbol of universe.symbols) inputs[symbol] = createHash('sha256').update(readFileSync(universe.files[symbol])).digest('hex');
  return { grid, definition, space, universe, bars, dropped, backtest, benchmark, inputs };
}

/** The worker threads' setup (worker-pool.ts): the same run from the same grid file. */
export function sweepWorkerSetup(path: unknown): WorkerSweep {
  return loadGridRun(String(path));
}
