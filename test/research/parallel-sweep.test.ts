/**
 * The worker pool: a sweep on two workers writes the same ledger rows, in the same order, as the
 * sweep in this thread; walk-forward with its training sweeps on the pool equals the plain one;
 * an error in a worker's setup reaches the caller as the same user-facing error.
 */
import assert from 'node:assert/strict';
import type { SearchSpace } from '../../src/research/sweep/grid';
import { openLedger, type TrialRecord } from '../../src/research/sweep/ledger';
import { runSweepInto, sweepIntoParallel } from '../../src/research/sweep/parallel-sweep';
import { sweepFingerprint, sweepInto } from '../../src/research/sweep/sweep';
import { TrialPool } from '../../src/research/sweep/worker-pool';
import { walkForward, walkForwardWith } from '../../src/research/walk-forward/walk-forward';
import { sweepWorkerSetup } from './sweep-worker-setup';

const setupModule = require.resolve('./sweep-worker-setup');
const { bars, definition, backtest } = sweepWorkerSetup('ok');
const space: SearchSpace = {
  axes: [{ name: 'roc', values: [10, 20, 30] }, { name: 'stop', values: [1.5, 3] }],
  fixed: {},
  constraints: ['roc < 30 or stop > 2'],
  search: { kind: 'grid' },
};

function rows(records: Iterable<TrialRecord>) {
  return [...records].map((record) => ({ ...record, returns: Array.from(record.returns) }));
}

describe('sweep worker pool', function () {
  this.timeout(300_000);
  let pool: TrialPool;
  before(() => {
    pool = new TrialPool({ setupModule, setupArgument: 'ok' }, 2);
  });
  after(() => pool.close());

  it('two workers, chunks of one: the same ledger, written in trial order, as one thread', async () => {
    const settings = { bars, definition, space, backtest };
    const serial = openLedger(':memory:', sweepFingerprint(settings));
    const parallel = openLedger(':memory:', sweepFingerprint(settings));
    const order: number[] = [];
    sweepInto(serial, settings);
    const result = await sweepIntoParallel(parallel, { ...settings, onProgress: (done) => order.push(done) }, { pool, chunkSize: 1, window: {} });
    assert.equal(result.total, 5);
    assert.equal(result.ran, 5);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(rows(parallel.trials()), rows(serial.trials()));
    assert.deepEqual(parallel.dates(), serial.dates());
    assert.equal(rows(serial.trials()).length, 5);
  });

  it('walk-forward with the training sweeps on the pool equals the plain walk-forward', async () => {
    const settings = { bars, definition, space, backtest, train: 252, test: 126 };
    const plain = walkForward(settings);
    const pooled = await walkForwardWith(settings, (ledger, sweep) => runSweepInto(ledger, sweep, pool));
    assert.deepEqual(pooled.folds.map((fold) => [fold.parameters, fold.finalEquity, fold.trainMetrics]), plain.folds.map((fold) => [fold.parameters, fold.finalEquity, fold.trainMetrics]));
    assert.deepEqual(pooled.metrics, plain.metrics);
    assert.ok(plain.folds.length >= 3);
  });

  it("a worker's setup error is the caller's, still user-facing (the CLI prints it, exit 1)", async () => {
    const broken = new TrialPool({ setupModule, setupArgument: 'broken' }, 1);
    try {
      await assert.rejects(broken.run({ points: [{ trial: 0, gridIndex: 0, parameters: {} }] }), (error: Error & { userFacing?: boolean }) => {
        assert.equal(error.message, 'setup: the data folder is gone');
        assert.equal(error.userFacing, true);
        return true;
      });
    } finally {
      await broken.close();
    }
  });
});
