import { Worker } from 'node:worker_threads';
import type { BarSeries } from '../../data/bars';
import type { BacktestOptions } from '../../engine/backtest';
import type { StrategyDefinition } from '../../strategies/definition';
import type { SearchPoint } from './grid';
import type { TrialRecord } from './ledger';

/**
 * A pool of worker threads that run chunks of sweep trials. worker_threads directly rather than
 * Piscina: the pool needs nothing but "send a chunk to an idle worker, get its records back",
 * and each worker must be set up once with the sweep's bars, which Piscina's stateless task
 * model would have to emulate. The parent keeps the ledger (one writer); workers only compute.
 *
 * A worker is set up by `require(setupModule).sweepWorkerSetup(setupArgument)`, the same call
 * the parent makes for itself, so every thread runs exactly the same sweep.
 */
export interface WorkerSweep {
  readonly bars: readonly BarSeries[];
  readonly definition: StrategyDefinition;
  readonly backtest: Omit<BacktestOptions, 'onProgress'>;
}

export type WorkerSetup = (argument: unknown) => WorkerSweep;

export interface WorkerSource {
  /** Absolute path of a module exporting `sweepWorkerSetup` (a .ts path works under ts-node). */
  readonly setupModule: string;
  /** Structured-cloneable argument of the setup, e.g. the grid file's path. */
  readonly setupArgument: unknown;
}

export interface ChunkRequest {
  readonly id: number;
  readonly points: readonly SearchPoint[];
  /** Overrides the setup's dates (a walk-forward training window). */
  readonly window?: { readonly from?: string; readonly to?: string };
  readonly wantDates?: boolean;
}

export interface ChunkReply {
  readonly id: number;
  readonly records?: TrialRecord[];
  readonly dates?: string[];
  readonly error?: { readonly name: string; readonly message: string; readonly userFacing: boolean; readonly stack?: string };
}

/** An error thrown in a worker, rethrown in the parent with its message (and user-facing mark). */
export class WorkerError extends Error {
  readonly userFacing: boolean;
  constructor(error: NonNullable<ChunkReply['error']>) {
    super(error.message);
    this.name = error.name;
    this.userFacing = error.userFacing;
    if (!error.userFacing && error.stack !== undefined) this.stack = error.stack;
  }
}

/** The worker entry: the compiled .js beside this file, or the .ts source through ts-node (mocha). */
function startWorker(source: WorkerSource): Worker {
  const entry = require.resolve('./trial-worker');
  const workerData = { setupModule: source.setupModule, setupArgument: source.setupArgument };
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData });
  // Type-checking is the parent's job (tsc, mocha's ts-node); the worker only needs the code.
  const code = `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true, workerData });
}

export class TrialPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly waiting: { request: Omit<ChunkRequest, 'id'>; resolve: (reply: ChunkReply) => void; reject: (error: Error) => void }[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (reply: ChunkReply) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(source: WorkerSource, readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker pool: size must be an integer >= 1, got ${size}`);
    this.workers = Array.from({ length: size }, () => startWorker(source));
    this.idle = [...this.workers];
    for (const worker of this.workers) {
      worker.on('message', (reply: ChunkReply) => this.settle(worker, reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`sweep worker exited with code ${code}`));
      });
    }
  }

  /** Runs one chunk on the next idle worker; resolves to its records in the order of `points`. */
  run(request: Omit<ChunkRequest, 'id'>): Promise<{ records: TrialRecord[]; dates?: string[] }> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<ChunkReply>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.dispatch();
    }).then((reply) => {
      if (reply.error !== undefined) throw new WorkerError(reply.error);
      return { records: reply.records ?? [], dates: reply.dates };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.shift()!;
      const { request, resolve, reject } = this.waiting.shift()!;
      const id = this.nextId++;
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ ...request, id } satisfies ChunkRequest);
    }
  }

  private settle(worker: Worker, reply: ChunkReply): void {
    const entry = this.pending.get(reply.id);
    if (entry === undefined) return;
    this.pending.delete(reply.id);
    this.idle.push(worker);
    entry.resolve(reply);
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const entry of this.pending.values()) entry.reject(error);
    for (const entry of this.waiting) entry.reject(error);
    this.pending.clear();
    this.waiting.length = 0;
  }
}
