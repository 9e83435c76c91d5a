import { dirname } from 'node:path';
import type { BarSeries } from '../data/bars';
import type { DroppedRow } from '../data/load-bars';
import { loadUniverse, loadUniverseBars, universeFromSymbols, type Universe } from '../data/universe';
import { ConfigError } from '../errors';

export interface ResearchData {
  readonly universe: Universe;
  readonly bars: BarSeries[];
  readonly dropped: DroppedRow[];
  /** Where the bars came from, in words, for a notebook's first output. */
  readonly description: string;
}

/**
 * The data a notebook works on: the universe file's symbols and bars, or the same symbols
 * (or `symbols`) read from `dataDir` when one is given, e.g. real data through `AQ_DATA_DIR`.
 * An empty `dataDir` counts as none, so `process.env.AQ_DATA_DIR ?? ''` can be passed as is.
 */
export function loadResearchData(options: { universeFile: string; dataDir?: string; symbols?: readonly string[] }): ResearchData {
  const fromFile = loadUniverse(options.universeFile);
  const dataDir = options.dataDir?.trim() ?? '';
  const symbols = options.symbols ?? fromFile.symbols;
  if (symbols.length === 0) throw new ConfigError(`${options.universeFile}: no symbols to load`);
  const universe = dataDir === '' && options.symbols === undefined ? fromFile : universeFromSymbols(symbols, dataDir === '' ? dataDirOf(fromFile) : dataDir, fromFile.options);
  const { bars, dropped } = loadUniverseBars(universe);
  const first = bars.map((series) => series.dates[0]).sort()[0];
  const last = bars.map((series) => series.dates[series.dates.length - 1]).sort().reverse()[0];
  const count = bars.reduce((sum, series) => sum + series.dates.length, 0);
  return {
    universe,
    bars,
    dropped,
    description: `${universe.symbols.join(', ')} from ${dataDir === '' ? options.universeFile : dataDir}: ${count} bars, ${first} .. ${last}`,
  };
}

/** The folder of the universe's first data file: where `symbols` are looked up without a `dataDir`. */
function dataDirOf(universe: Universe): string {
  return dirname(universe.files[universe.symbols[0]]);
}
