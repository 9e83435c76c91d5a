import { countPoints, searchPoints, type SearchPoint } from './grid';
import type { Ledger, TrialRecord } from './ledger';
import { sweepInto, type SweepResult, type SweepSettings } from './sweep';
import type { TrialPool } from './worker-pool';

/**
 * `sweepInto` on a worker pool: the parent enumerates the points (lazily), sends chunks of the
 * ones the ledger lacks, and writes the records back in trial order, whatever order the chunks
 * finish in. The ledger therefore receives the same rows in the same order for any number of
 * workers, and a run killed at any moment has recorded a prefix of the missing trials (plus
 * what was there), which a resume completes. At most two chunks per worker are in flight, so
 * memory does not grow with the grid.
 */
export interface ParallelOptions {
  readonly pool: TrialPool;
  /** Trials per chunk: large enough to amortise a message, small enough to balance the load. */
  readonly chunkSize?: number;
  /** The training window of a walk-forward fold (the workers' setup has the whole run's dates). */
  readonly window?: { readonly from?: string; readonly to?: string };
}

type Settings = Omit<SweepSettings, 'ledger' | 'bars'> & Partial<Pick<SweepSettings, 'bars'>>;

export async function sweepIntoParallel(ledger: Ledger, settings: Settings, parallel: ParallelOptions): Promise<SweepResult> {
  const total = countPoints(settings.space);
  const chunkSize = parallel.chunkSize ?? 4;
  const inFlight = parallel.pool.size * 2;
  let done = ledger.count();
  let ran = 0;
  settings.onProgress?.(done, total);

  // Chunks sent and not yet written, oldest first: the oldest is awaited (and written) first.
  const chunks: Promise<{ records: TrialRecord[]; dates?: string[] }>[] = [];
  const writeFinished = async (all: boolean) => {
    while (chunks.length > 0 && (all || chunks.length >= inFlight)) {
      const { records, dates } = await chunks[0];
      void chunks.shift();
      if (dates !== undefined && ledger.dates() === null) ledger.setDates(dates);
      for (const record of records) {
        ledger.record(record);
        ran++;
        done++;
        settings.onProgress?.(done, total);
      }
    }
  };
  let batch: SearchPoint[] = [];
  let askedDates = ledger.dates() !== null;
  const send = async () => {
    const request = { points: batch, window: parallel.window, wantDates: !askedDates };
    askedDates = true;
    const chunk = parallel.pool.run(request);
    // A failure is raised when its turn to be written comes; until then it must not go unhandled.
    chunk.catch(() => undefined);
    chunks.push(chunk);
    batch = [];
    await writeFinished(false);
  };
  try {
    for (const point of searchPoints(settings.space)) {
      if (ledger.has(point.trial)) continue;
      batch.push(point);
      if (batch.length === chunkSize) await send();
    }
    if (batch.length > 0) await send();
    await writeFinished(true);
  } finally {
    // Let chunks still running settle before the caller closes the pool or the ledger.
    await Promise.allSettled(chunks);
  }
  return { ledger: ledger.path, total, ran, objective: settings.objective ?? 'sharpe' };
}

/**
 * One entry point for the CLI and walk-forward: in this thread without a pool, else on the pool
 * (whose workers take the dates of `settings.backtest`; their setup supplies everything else).
 */
export async function runSweepInto(ledger: Ledger, settings: Omit<SweepSettings, 'ledger'>, pool: TrialPool | undefined): Promise<SweepResult> {
  if (pool === undefined) return sweepInto(ledger, settings);
  return sweepIntoParallel(ledger, settings, { pool, window: { from: settings.backtest?.from, to: settings.backtest?.to } });
}
