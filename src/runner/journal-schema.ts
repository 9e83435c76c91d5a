import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors';
import { explainSqliteError, StorageError } from '../storage/storage-errors';

/**
 * The journal's tables. \`PRAGMA user_version\` is the schema version: 0 is the first schema
 * (journals made before versions), each later version is a migration run once, in one
 * transaction, on open. \`application_id\` marks a journal made by aq.
 */
export const schemaVersion = 1;
const applicationId = 0x61713031; // "aq01"

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cycles (
  date TEXT PRIMARY KEY, status TEXT NOT NULL,
  equity REAL, cash REAL, position_value REAL, positions TEXT,
  started_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY, date TEXT NOT NULL, symbol TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
  exit_reason TEXT, factors TEXT NOT NULL, features TEXT);
CREATE TABLE IF NOT EXISTS orders (
  seq INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL UNIQUE, decision_date TEXT NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, shares INTEGER NOT NULL, intent TEXT NOT NULL, reason TEXT NOT NULL, exit_reason TEXT,
  factors TEXT NOT NULL, memo TEXT, status TEXT NOT NULL, broker_order_id TEXT, broker_status TEXT,
  filled_shares INTEGER NOT NULL DEFAULT 0, filled_value REAL NOT NULL DEFAULT 0, note TEXT, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orders_status ON orders (status);
CREATE TABLE IF NOT EXISTS fills (
  seq INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL, shares INTEGER NOT NULL,
  price REAL NOT NULL, commission REAL NOT NULL, date TEXT NOT NULL, decision_date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trades (
  seq INTEGER PRIMARY KEY, symbol TEXT NOT NULL, signal_date TEXT NOT NULL, entry_date TEXT NOT NULL, entry_price REAL NOT NULL,
  exit_signal_date TEXT NOT NULL, exit_date TEXT NOT NULL, exit_price REAL NOT NULL, exit_reason TEXT NOT NULL,
  shares INTEGER NOT NULL, pnl REAL NOT NULL, commission REAL NOT NULL, entry_factors TEXT NOT NULL, pnl_by_factor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejections (
  seq INTEGER PRIMARY KEY, date TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT, stage TEXT NOT NULL,
  requested_shares INTEGER NOT NULL, shares INTEGER NOT NULL, rule TEXT, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS positions (
  symbol TEXT PRIMARY KEY, seq INTEGER NOT NULL, shares INTEGER NOT NULL, cost_basis REAL NOT NULL, entry_price REAL NOT NULL,
  entry_date TEXT NOT NULL, entry_signal_date TEXT NOT NULL, entry_factors TEXT NOT NULL, memo TEXT NOT NULL,
  realized_pnl REAL NOT NULL, entry_commission REAL NOT NULL);
CREATE TABLE IF NOT EXISTS account (id INTEGER PRIMARY KEY CHECK (id = 1), cash REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, date TEXT, kind TEXT NOT NULL, message TEXT NOT NULL);
`;

/**
 * Version 1: the inputs a cycle decided on (journal-inputs.ts). Every bar seen, with a hash chain
 * over the symbol's bars up to it, and per cycle the strategy's fingerprint and each symbol's
 * chain at the cycle date. A journal of version 0 gets the tables empty and starts recording.
 */
const migrations: readonly string[] = [`
CREATE TABLE IF NOT EXISTS input_bars (
  symbol TEXT NOT NULL, date TEXT NOT NULL, open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
  volume REAL NOT NULL, chain TEXT NOT NULL, PRIMARY KEY (symbol, date)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cycle_inputs (date TEXT PRIMARY KEY, strategy TEXT NOT NULL, bars TEXT NOT NULL, recorded_at TEXT NOT NULL);
`];

export interface JournalOptions {
  /** 'full' syncs every commit to disk (live: survives a power cut); 'normal' survives a killed process. */
  readonly durability?: 'full' | 'normal';
  readonly readonly?: boolean;
}

/**
 * Where a journal may be opened: an existing regular file, or (for writing) a path that does not
 * exist yet in a folder that does (no folder is made: a mistyped path is an error). True when the
 * journal is new.
 */
export function checkJournalPath(path: string, writing: boolean): boolean {
  if (path === ':memory:') return true;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    if (!writing) throw new ConfigError(`journal not found: ${path}`);
    const folder = dirname(path);
    const folderStat = statSync(folder, { throwIfNoEntry: false });
    if (folderStat === undefined) throw new ConfigError(`the folder of journal ${path} does not exist: ${folder} (create it first; a new journal is made only in an existing folder)`);
    if (!folderStat.isDirectory()) throw new ConfigError(`the folder of journal ${path} is not a folder: ${folder}`);
    return true;
  }
  if (!stat.isFile()) throw new ConfigError(`journal ${path} is not a regular file`);
  const wal = statSync(`${path}-wal`, { throwIfNoEntry: false });
  if (stat.size === 0 && (wal === undefined || wal.size === 0)) {
    throw new ConfigError(`journal ${path} exists but is empty: it is not a journal (a new session starts only on a path that does not exist)`);
  }
  return false;
}

/** Refuses a file that is not a journal of ours or is damaged (PRAGMA quick_check). */
function checkExisting(db: Database.Database, path: string): void {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id !== applicationId && !(id === 0 && tables.has('meta') && tables.has('cycles'))) {
    throw new ConfigError(`${path} is not an aq journal (a SQLite database without the journal's tables); a new session starts only on a path that does not exist`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) throw new ConfigError(`journal ${path} has schema version ${version}, newer than this aq's ${schemaVersion}: update aq`);
  const problems = db.prepare('PRAGMA quick_check').pluck().all() as string[];
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StorageError(`journal ${path} is damaged (SQLite quick_check: ${problems.slice(0, 5).join('; ')})`);
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(schema);
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let next = version; next < migrations.length; next++) db.exec(migrations[next]);
    db.pragma(`user_version = ${schemaVersion}`);
    db.pragma(`application_id = ${applicationId}`);
  }).immediate();
}

/** Opens (and for a new journal, creates the tables of) a journal file, WAL mode; an older journal is migrated. */
export function openJournalDatabase(path: string, options: JournalOptions = {}): Database.Database {
  const writing = options.readonly !== true;
  const isNew = checkJournalPath(path, writing);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: !writing, fileMustExist: !isNew });
  } catch (error) {
    const explained = explainSqliteError(error, `journal ${path}`);
    throw explained === error ? new ConfigError(`cannot open journal ${path}: ${(error as Error).message}`) : explained;
  }
  try {
    if (!isNew) checkExisting(db, path);
    if (writing) {
      if (db.readonly) throw new StorageError(`journal ${path} is read-only: give write permission to it and its folder`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('busy_timeout = 5000');
      migrate(db);
    }
  } catch (error) {
    db.close();
    throw explainSqliteError(error, `journal ${path}`);
  }
  return db;
}
