import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors';

/**
 * The journal's tables, created on every open with `IF NOT EXISTS`: a new table appears in an
 * existing journal by itself. There are no migrations yet; changing a column would need one.
 */
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

export interface JournalOptions {
  /** 'full' syncs every commit to disk (live: survives a power cut); 'normal' survives a killed process. */
  readonly durability?: 'full' | 'normal';
  readonly readonly?: boolean;
}

/** Opens (and for writing, creates the folder and the tables of) a journal file, WAL mode. */
export function openJournalDatabase(path: string, options: JournalOptions = {}): Database.Database {
  if (options.readonly !== true && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  } catch (error) {
    throw new ConfigError(`cannot open journal ${path}: ${(error as Error).message}`);
  }
  if (options.readonly !== true) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
  }
  return db;
}
