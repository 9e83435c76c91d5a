import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BarSeries } from '../data/bars';
import { loadBarsFile } from '../data/load-bars';
import { barsFileCandidates, type Universe } from '../data/universe';
import { UsageError } from './command';

/**
 * `--benchmark FILE.csv|SYMBOL`: one series instead of the universe's equal-weight buy and hold.
 * A symbol of the universe uses its loaded bars; another symbol is looked up beside the
 * universe's files (SYMBOL.csv, SYMBOL.csv.gz, ...). Nothing given: undefined (equal weight).
 */
export function resolveBenchmark(command: string, spec: string | undefined, universe: Universe, bars: readonly BarSeries[]): BarSeries | undefined {
  if (spec === undefined) return undefined;
  const looksLikeFile = /[\\/]/.test(spec) || /\.csv(\.gz)?$/i.test(spec);
  if (looksLikeFile) {
    if (!existsSync(spec) || !statSync(spec).isFile()) throw new UsageError(`aq ${command}: --benchmark file not found: ${spec}`);
    return loadBarsFile(resolve(spec), universe.options).bars;
  }
  const inUniverse = bars.find((series) => series.symbol === spec);
  if (inUniverse !== undefined) return inUniverse;
  const folders = [...new Set(Object.values(universe.files).map((file) => dirname(file)))];
  for (const folder of folders) {
    const file = barsFileCandidates(folder, spec).find((candidate) => existsSync(candidate));
    if (file !== undefined) return { ...loadBarsFile(file, universe.options).bars, symbol: spec };
  }
  throw new UsageError(`aq ${command}: --benchmark ${spec}: no bars file for it in ${folders.join(', ')} (give a file path instead)`);
}
