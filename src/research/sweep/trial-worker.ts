/**
 * The body of a sweep worker thread (see worker-pool.ts). It builds its sweep once, from the
 * same setup function the parent used (so both hold the same bars, strategy and run options),
 * then runs the chunks of trials it is sent and returns their ledger records. Bars are loaded in
 * each worker from the files rather than shared: for the universes a sweep runs over, loading
 * costs a few tens of milliseconds once per worker, against seconds of backtests per chunk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkReply, ChunkRequest, WorkerSetup } from './worker-pool';
import { runTrial, trialRecord } from './sweep';

interface Data {
  readonly setupModule: string;
  readonly setupArgument: unknown;
}

function describe(error: unknown): ChunkReply['error'] {
  const failure = error instanceof Error ? error : new Error(String(error));
  return { name: failure.name, message: failure.message, userFacing: (failure as { userFacing?: boolean }).userFacing === true, stack: failure.stack };
}

const { setupModule, setupArgument } = workerData as Data;
let setup: ReturnType<WorkerSetup> | undefined;
let setupError: ChunkReply['error'];
try {
  const module = require(setupModule) as { sweepWorkerSetup: WorkerSetup };
  setup = module.sweepWorkerSetup(setupArgument);
} catch (error) {
  setupError = describe(error);
}

parentPort!.on('message', (request: ChunkRequest) => {
  if (setup === undefined) {
    parentPort!.postMessage({ id: request.id, error: setupError } satisfies ChunkReply);
    return;
  }
  try {
    const backtest = { ...setup.backtest, ...request.window };
    let dates: string[] | undefined;
    const records = request.points.map((point) => {
      const result = runTrial(setup!.bars, setup!.definition, point.parameters, backtest);
      if (request.wantDates && dates === undefined) dates = result.equityCurve.map((p) => p.date);
      return trialRecord(point.trial, point.gridIndex, point.parameters, result);
    });
    const reply: ChunkReply = { id: request.id, records, dates };
    parentPort!.postMessage(reply, records.map((record) => record.returns.buffer as ArrayBuffer));
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: describe(error) } satisfies ChunkReply);
  }
});
