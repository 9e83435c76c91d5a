import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../errors';
import type { ParameterValues } from '../../strategies/parameters';

/**
 * The ledger of a sweep: one row per finished trial (parameters, metrics, daily returns), in
 * SQLite, written as each trial ends. A killed sweep resumes from it without redoing a finished
 * trial, and the overfitting statistics are computed from it, so a statistic is always about
 * every trial that was tried, not only the ones kept. A ledger belongs to one sweep: its
 * fingerprint (grid, strategy, run options, data hashes) must match to resume.
 */
export interface TrialRecord {
  readonly trial: number;
  readonly gridIndex: number;
  readonly parameters: ParameterValues;
  /** The backtest's metrics (the engine's names). */
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly finalEquity: number;
  /** Daily returns of the equity curve, E_i / E_{i-1} - 1 from the starting cash. */
  readonly returns: Float64Array;
}

export interface Ledger {
  readonly path: string;
  /** True when the trial is already recorded (resume skips it). */
  has(trial: number): boolean;
  record(trial: TrialRecord): void;
  count(): number;
  /** Trials in trial order, one at a time (a ledger of 100,000 trials is never all in memory). */
  trials(): IterableIterator<TrialRecord>;
  /** The equity curve's dates, shared by every trial (the same data and dates). */
  dates(): readonly string[] | null;
  setDates(dates: readonly string[]): void;
  close(): void;
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trials (
  trial INTEGER PRIMARY KEY,
  grid_index INTEGER NOT NULL,
  parameters TEXT NOT NULL,
  metrics TEXT NOT NULL,
  final_equity REAL NOT NULL,
  returns BLOB NOT NULL
);`;

const ledgerMark = 'aq-sweep-ledger-1';

function blobOf(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function returnsOf(blob: Buffer): Float64Array {
  // Copied: the driver's buffer may not be 8-byte aligned.
  const out = new Float64Array(blob.byteLength / 8);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/**
 * Opens (or creates) the ledger at `path` for the sweep with `fingerprint`. A ledger of another
 * sweep, an empty or foreign file, and a missing parent folder are errors naming the path:
 * a mistyped path must never start over silently.
 */
export function openLedger(path: string, fingerprint: string): Ledger {
  const isMemory = path === ':memory:';
  if (!isMemory) {
    if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
      throw new ConfigError(`ledger ${path}: the folder ${dirname(path)} does not exist`);
    }
    if (existsSync(path) && !statSync(path).isFile()) throw new ConfigError(`ledger ${path}: not a regular file`);
    if (existsSync(path) && statSync(path).size === 0) throw new ConfigError(`ledger ${path}: the file is empty, not a sweep ledger (remove it to start a new sweep)`);
  }
  const existed = !isMemory && existsSync(path);
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A trial lost to a power cut is recomputed on resume; NORMAL keeps the writes cheap.
    db.pragma('synchronous = NORMAL');
    if (existed) {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      const mark = tables.some((t) => t.name === 'meta') ? (db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined) : undefined;
      if (mark?.value !== ledgerMark) throw new ConfigError(`ledger ${path}: not a sweep ledger of aq (refusing to write into it)`);
    }
    db.exec(schema);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`ledger ${path}: ${(error as Error).message}`);
  }
  const get = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  const put = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  const stored = get('fingerprint');
  if (stored === undefined) {
    db.transaction(() => {
      put.run('format', ledgerMark);
      put.run('fingerprint', fingerprint);
    })();
  } else if (stored !== fingerprint) {
    db.close();
    throw new ConfigError(`ledger ${path}: it belongs to another sweep (different grid, strategy, options or data); give another --ledger path or remove it`);
  }
  const hasTrial = db.prepare('SELECT 1 FROM trials WHERE trial = ?').pluck();
  const insert = db.prepare('INSERT OR IGNORE INTO trials (trial, grid_index, parameters, metrics, final_equity, returns) VALUES (?, ?, ?, ?, ?, ?)');
  const countTrials = db.prepare('SELECT COUNT(*) FROM trials').pluck();
  const all = db.prepare('SELECT trial, grid_index, parameters, metrics, final_equity, returns FROM trials ORDER BY trial');
  return {
    path,
    has: (trial) => hasTrial.get(trial) !== undefined,
    record(trial) {
      insert.run(trial.trial, trial.gridIndex, JSON.stringify(trial.parameters), JSON.stringify(trial.metrics), trial.finalEquity, blobOf(trial.returns));
    },
    count: () => countTrials.get() as number,
    *trials() {
      for (const row of all.iterate() as IterableIterator<{ trial: number; grid_index: number; parameters: string; metrics: string; final_equity: number; returns: Buffer }>) {
        yield {
          trial: row.trial,
          gridIndex: row.grid_index,
          parameters: JSON.parse(row.parameters) as ParameterValues,
          metrics: JSON.parse(row.metrics) as Record<string, number | null>,
          finalEquity: row.final_equity,
          returns: returnsOf(row.returns),
        };
      }
    },
    dates() {
      const value = get('dates');
      return value === undefined ? null : (JSON.parse(value) as string[]);
    },
    setDates(dates) {
      put.run('dates', JSON.stringify(dates));
    },
    close: () => db.close(),
  };
}
