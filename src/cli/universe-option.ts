import { existsSync } from 'node:fs';
import { loadUniverse, universeFromSymbols, type Universe } from '../data/universe';
import { UsageError } from './command';

export const defaultUniversePath = 'data/universe.yaml';

/**
 * `--universe FILE.yaml` or `--universe MU,GLD,GOOG --data DIR`; with a file, `--data`
 * overrides the file's data folder. Shared by every command that reads a universe.
 */
export function resolveUniverse(commandName: string, universe: string | undefined, dataDir: string | undefined): Universe {
  const spec = universe ?? defaultUniversePath;
  if (/\.ya?ml$/i.test(spec)) {
    if (!existsSync(spec)) throw new UsageError(`aq ${commandName}: universe file not found: ${spec}`);
    const loaded = loadUniverse(spec);
    return dataDir === undefined ? loaded : universeFromSymbols(loaded.symbols, dataDir, loaded.options);
  }
  if (dataDir === undefined) {
    throw new UsageError(`aq ${commandName}: --universe ${spec} is a symbol list, so --data DIR is required`);
  }
  return universeFromSymbols(spec.split(','), dataDir);
}
