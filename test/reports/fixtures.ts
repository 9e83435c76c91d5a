import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadUniverse, loadUniverseBars, type Universe } from '../../src/data/universe';
import type { BarSeries } from '../../src/data/bars';

export const repositoryRoot = resolve(__dirname, '../..');
/** The bundled sample universe (synthetic MU/GLD/GOOG-like bars), part of the repository. */
export const sampleUniversePath = resolve(repositoryRoot, 'data/universe.yaml');
/** <repo>/../shared/data: real bars, present on the CI machine and the lead's, absent in a user's clone. */
export const sharedDataDir = resolve(repositoryRoot, '../shared/data');

let cached: { universe: Universe; bars: BarSeries[] } | undefined;

export function sampleData(): { universe: Universe; bars: BarSeries[] } {
  if (cached === undefined) {
    if (!existsSync(sampleUniversePath)) throw new Error(`the bundled sample universe is missing: ${sampleUniversePath}`);
    const universe = loadUniverse(sampleUniversePath);
    cached = { universe, bars: loadUniverseBars(universe).bars };
  }
  return cached;
}
