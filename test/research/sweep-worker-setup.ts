/** The worker setup of test/research/parallel-sweep.test.ts: generated bars, built the same in every thread. */
import { generateUniverse } from '../../src/data/generator';
import { ConfigError } from '../../src/errors';
import type { WorkerSweep } from '../../src/research/sweep/worker-pool';
import { shippedStrategies } from '../../src/strategies/registry';

export function sweepWorkerSetup(argument: unknown): WorkerSweep {
  if (argument === 'broken') throw new ConfigError('setup: the data folder is gone');
  return { bars: generateUniverse(['AAA', 'BBB'], 3, 5), definition: shippedStrategies['trend-breakout'], backtest: { startingCash: 25_000 } };
}
