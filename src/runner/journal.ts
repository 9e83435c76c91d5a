import Database from 'better-sqlite3';
import { statementCache } from './statement-cache';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors';
import type { FactorValues } from '../factors/factor-model';
import type { FeatureValues } from '../features/feature-set';
import type { Order, Rejection } from '../engine/kernel';
import type { ClosedTrade, Fill, Portfolio, Position, Side } from '../portfolio/portfolio';
import type { Intent } from '../strategies/strategy';
import { checkpoint } from './checkpoints';

/**
 * The runner's journal: one SQLite file (WAL) holding everything the runner decided and everything
 * the broker reported, so a restart continues exactly where the last run stopped. Every state
 * change is one transaction; nothing is derived from memory across runs.
 *
 * Order life: new (decided, not sent) -> sending (about to call the broker: the write-ahead
 * record) -> submitted (the broker has it) -> filled | canceled | expired | rejected.
 */
export type JournalOrderStatus = 'new' | 'sending' | 'submitted' | 'filled' | 'canceled' | 'expired' | 'rejected';

/** Orders the kernel still counts as pending (waiting for their symbol's next open). */
export const activeOrderStatuses: readonly JournalOrderStatus[] = ['new', 'sending', 'submitted'];

export type CycleStatus = 'started' | 'filled' | 'decided' | 'done' | 'skipped';

const cycleOrder: Record<CycleStatus, number> = { started: 0, filled: 1, decided: 2, done: 3, skipped: 3 };

export function cycleReached(status: CycleStatus, wanted: CycleStatus): boolean {
  return cycleOrder[status] >= cycleOrder[wanted];
}

export interface JournalOrder {
  readonly order: Order;
  readonly seq: number;
  readonly status: JournalOrderStatus;
  readonly brokerOrderId: string | null;
  readonly brokerStatus: string | null;
  readonly filledShares: number;
  /** Sum of price x shares of the fills recorded so far (to turn a broker's average into the next fill's price). */
  readonly filledValue: number;
  readonly note: string | null;
}

export interface CycleRow {
  readonly date: string;
  readonly status: CycleStatus;
  readonly equity: number | null;
  readonly cash: number | null;
  readonly positionValue: number | null;
}

export interface DecisionRow {
  readonly date: string;
  readonly symbol: string;
  readonly kind: Intent['kind'];
  readonly reason: string;
  readonly exitReason: string | null;
  readonly factors: FactorValues;
  readonly features: FeatureValues | null;
}

/** An intent as the journal records it, without the feature values (the parity report compares these). */
export function intentRow(date: string, intent: Intent): Omit<DecisionRow, 'features'> {
  return {
    date,
    symbol: intent.symbol,
    kind: intent.kind,
    reason: intent.reason,
    exitReason: intent.kind === 'exit' ? intent.exitReason : null,
    factors: intent.factors,
  };
}

export interface JournalTrade extends ClosedTrade {
  readonly pnlByFactor: Readonly<Record<string, number>>;
}

export interface JournalRejection {
  readonly date: string;
  readonly symbol: string;
  readonly side: Side | null;
  /** The kernel's stages, plus 'broker' for what the broker refused or left unfilled. */
  readonly stage: Rejection['stage'] | 'broker';
  readonly requestedShares: number;
  readonly shares: number;
  readonly rule: string | null;
  readonly reason: string;
}

export interface OrderUpdate {
  readonly id: string;
  readonly status: JournalOrderStatus;
  readonly brokerStatus: string | null;
  readonly filledShares: number;
  readonly filledValue: number;
  readonly note?: string | null;
}

export interface KernelSnapshot {
  readonly portfolio: Portfolio;
  readonly pending: Order[];
  readonly previousEquity: number | null;
}

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

function now(): string {
  return new Date().toISOString();
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

interface OrderRecord {
  seq: number;
  client_order_id: string;
  decision_date: string;
  symbol: string;
  side: Side;
  shares: number;
  intent: Intent['kind'];
  reason: string;
  exit_reason: string | null;
  factors: string;
  memo: string | null;
  status: JournalOrderStatus;
  broker_order_id: string | null;
  broker_status: string | null;
  filled_shares: number;
  filled_value: number;
  note: string | null;
}

function orderFromRecord(record: OrderRecord): JournalOrder {
  const order: Order = {
    id: record.client_order_id,
    symbol: record.symbol,
    side: record.side,
    shares: record.shares,
    decisionDate: record.decision_date,
    intent: record.intent,
    reason: record.reason,
    exitReason: record.exit_reason ?? undefined,
    factors: JSON.parse(record.factors) as FactorValues,
    memo: record.memo === null ? undefined : (JSON.parse(record.memo) as Record<string, number>),
  };
  return {
    order,
    seq: record.seq,
    status: record.status,
    brokerOrderId: record.broker_order_id,
    brokerStatus: record.broker_status,
    filledShares: record.filled_shares,
    filledValue: record.filled_value,
    note: record.note,
  };
}

export interface JournalOptions {
  /** 'full' syncs every commit to disk (live: survives a power cut); 'normal' survives a killed process. */
  readonly durability?: 'full' | 'normal';
  readonly readonly?: boolean;
}

export class Journal {
  readonly db: Database.Database;

  private constructor(readonly path: string, db: Database.Database) {
    this.db = db;
    this.statement = statementCache(db);
  }

  static open(path: string, options: JournalOptions = {}): Journal {
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
    return new Journal(path, db);
  }

  /** Prepared statements of this database (statement-cache.ts). */
  private readonly statement: (sql: string) => Database.Statement;

  close(): void {
    this.db.close();
  }

  /** One transaction, with a checkpoint before and after it (see checkpoints.ts). */
  transaction<T>(label: string, body: () => T): T {
    checkpoint(`journal ${label}: before`);
    const result = this.db.transaction(body)();
    checkpoint(`journal ${label}: after`);
    return result;
  }

  // ------------------------------------------------------------------ meta

  getMeta(key: string): string | null {
    const row = this.statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Writes the settings and starting cash of a new journal. */
  initialize(settings: Readonly<Record<string, unknown>>, startingCash: number): void {
    this.transaction('initialize', () => {
      const insert = this.statement('INSERT INTO meta (key, value) VALUES (?, ?)');
      insert.run('settings', json(settings));
      insert.run('created_at', now());
      this.statement('INSERT INTO account (id, cash) VALUES (1, ?)').run(startingCash);
    });
  }

  // ------------------------------------------------------------------ cycles

  cycle(date: string): CycleRow | null {
    const row = this.statement('SELECT date, status, equity, cash, position_value FROM cycles WHERE date = ?').get(date) as
      | { date: string; status: CycleStatus; equity: number | null; cash: number | null; position_value: number | null }
      | undefined;
    return row === undefined ? null : { date: row.date, status: row.status, equity: row.equity, cash: row.cash, positionValue: row.position_value };
  }

  lastCycle(): CycleRow | null {
    const row = this.statement('SELECT date FROM cycles ORDER BY date DESC LIMIT 1').get() as { date: string } | undefined;
    return row === undefined ? null : this.cycle(row.date);
  }

  cycles(): CycleRow[] {
    const rows = this.statement('SELECT date FROM cycles ORDER BY date').all() as { date: string }[];
    return rows.map((row) => this.cycle(row.date) as CycleRow);
  }

  startCycle(date: string): void {
    this.transaction(`start cycle ${date}`, () => {
      this.statement("INSERT INTO cycles (date, status, started_at) VALUES (?, 'started', ?)").run(date, now());
    });
  }

  skipCycle(date: string, reason: string): void {
    this.transaction(`skip cycle ${date}`, () => {
      this.statement("INSERT INTO cycles (date, status, started_at, finished_at) VALUES (?, 'skipped', ?, ?)").run(date, now(), now());
      this.insertEvent(date, 'skipped', reason);
    });
  }

  finishCycle(date: string): void {
    this.transaction(`finish cycle ${date}`, () => {
      this.statement("UPDATE cycles SET status = 'done', finished_at = ? WHERE date = ?").run(now(), date);
    });
  }

  // ------------------------------------------------------------------ state

  portfolio(): Portfolio {
    const account = this.statement('SELECT cash FROM account WHERE id = 1').get() as { cash: number } | undefined;
    if (account === undefined) throw new ConfigError(`journal ${this.path} has no account row: it was never initialised`);
    const rows = this.statement('SELECT * FROM positions ORDER BY seq').all() as {
      symbol: string; shares: number; cost_basis: number; entry_price: number; entry_date: string; entry_signal_date: string;
      entry_factors: string; memo: string; realized_pnl: number; entry_commission: number;
    }[];
    // Key order matters: equity sums positions in this order, exactly as the backtest does.
    const positions = new Map<string, Position>();
    for (const row of rows) {
      positions.set(row.symbol, {
        symbol: row.symbol,
        shares: row.shares,
        costBasis: row.cost_basis,
        entryPrice: row.entry_price,
        entryDate: row.entry_date,
        entrySignalDate: row.entry_signal_date,
        entryFactors: JSON.parse(row.entry_factors) as FactorValues,
        memo: JSON.parse(row.memo) as Record<string, number>,
        realizedPnl: row.realized_pnl,
        entryCommission: row.entry_commission,
      });
    }
    return { cash: account.cash, positions };
  }

  /** Equity at the last decided close before `date`: the kernel's previousEquity. */
  previousEquity(date: string): number | null {
    const row = this.statement("SELECT equity FROM cycles WHERE date < ? AND status IN ('decided', 'done') ORDER BY date DESC LIMIT 1").get(date) as
      | { equity: number | null }
      | undefined;
    return row?.equity ?? null;
  }

  orders(where = '1 = 1', ...parameters: unknown[]): JournalOrder[] {
    const rows = this.statement(`SELECT * FROM orders WHERE ${where} ORDER BY seq`).all(...parameters) as OrderRecord[];
    return rows.map(orderFromRecord);
  }

  order(id: string): JournalOrder | null {
    return this.orders('client_order_id = ?', id)[0] ?? null;
  }

  activeOrders(): JournalOrder[] {
    return this.orders(`status IN (${activeOrderStatuses.map(() => '?').join(', ')})`, ...activeOrderStatuses);
  }

  kernelSnapshot(date: string): KernelSnapshot {
    return {
      portfolio: this.portfolio(),
      pending: this.activeOrders().map((entry) => entry.order),
      previousEquity: this.previousEquity(date),
    };
  }

  private writePortfolio(portfolio: Portfolio): void {
    this.statement('UPDATE account SET cash = ? WHERE id = 1').run(portfolio.cash);
    this.statement('DELETE FROM positions').run();
    const insert = this.statement(`INSERT INTO positions (symbol, seq, shares, cost_basis, entry_price, entry_date, entry_signal_date,
      entry_factors, memo, realized_pnl, entry_commission) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    [...portfolio.positions.values()].forEach((position, seq) => {
      insert.run(position.symbol, seq, position.shares, position.costBasis, position.entryPrice, position.entryDate,
        position.entrySignalDate, json(position.entryFactors), json(position.memo), position.realizedPnl, position.entryCommission);
    });
  }

  private insertRejections(rejections: readonly JournalRejection[]): void {
    const insert = this.statement('INSERT INTO rejections (date, symbol, side, stage, requested_shares, shares, rule, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rejections) insert.run(r.date, r.symbol, r.side, r.stage, r.requestedShares, r.shares, r.rule, r.reason);
  }

  private updateOrders(updates: readonly OrderUpdate[]): void {
    const update = this.statement(`UPDATE orders SET status = ?, broker_status = ?, filled_shares = ?, filled_value = ?,
      note = COALESCE(?, note), updated_at = ? WHERE client_order_id = ?`);
    for (const u of updates) update.run(u.status, u.brokerStatus, u.filledShares, u.filledValue, u.note ?? null, now(), u.id);
  }

  private insertEvent(date: string | null, kind: string, message: string): void {
    this.statement('INSERT INTO events (at, date, kind, message) VALUES (?, ?, ?, ?)').run(now(), date, kind, message);
  }

  /** The open's fills of one cycle, in the order they were applied, with everything they changed. */
  recordFills(date: string, change: {
    fills: readonly Fill[];
    trades: readonly JournalTrade[];
    orderUpdates: readonly OrderUpdate[];
    rejections: readonly JournalRejection[];
    portfolio: Portfolio;
  }): void {
    this.transaction(`fills ${date}`, () => {
      const insertFill = this.statement(`INSERT INTO fills (client_order_id, symbol, side, shares, price, commission, date, decision_date)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const f of change.fills) insertFill.run(f.orderId, f.symbol, f.side, f.shares, f.price, f.commission, f.date, f.decisionDate);
      const insertTrade = this.statement(`INSERT INTO trades (symbol, signal_date, entry_date, entry_price, exit_signal_date, exit_date,
        exit_price, exit_reason, shares, pnl, commission, entry_factors, pnl_by_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const t of change.trades) {
        insertTrade.run(t.symbol, t.signalDate, t.entryDate, t.entryPrice, t.exitSignalDate, t.exitDate, t.exitPrice, t.exitReason,
          t.shares, t.pnl, t.commission, json(t.entryFactors), json(t.pnlByFactor));
      }
      this.updateOrders(change.orderUpdates);
      this.insertRejections(change.rejections);
      this.writePortfolio(change.portfolio);
      this.statement("UPDATE cycles SET status = 'filled' WHERE date = ? AND status = 'started'").run(date);
    });
  }

  /** The close's decisions of one cycle: intents with their factor values, the new orders (status new), the equity. */
  recordDecision(date: string, change: {
    decisions: readonly DecisionRow[];
    orders: readonly Order[];
    rejections: readonly JournalRejection[];
    equity: number;
    cash: number;
    positionValue: number;
    portfolio: Portfolio;
  }): void {
    this.transaction(`decide ${date}`, () => {
      const insertDecision = this.statement('INSERT INTO decisions (date, symbol, kind, reason, exit_reason, factors, features) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const d of change.decisions) {
        insertDecision.run(d.date, d.symbol, d.kind, d.reason, d.exitReason, json(d.factors), d.features === null ? null : json(d.features));
      }
      const insertOrder = this.statement(`INSERT INTO orders (client_order_id, decision_date, symbol, side, shares, intent, reason, exit_reason,
        factors, memo, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)`);
      for (const o of change.orders) {
        insertOrder.run(o.id, o.decisionDate, o.symbol, o.side, o.shares, o.intent, o.reason, o.exitReason ?? null, json(o.factors),
          o.memo === undefined ? null : json(o.memo), now());
      }
      this.insertRejections(change.rejections);
      const positions = [...change.portfolio.positions.values()].map((p) => ({ symbol: p.symbol, shares: p.shares, entryPrice: p.entryPrice }));
      this.statement("UPDATE cycles SET status = 'decided', equity = ?, cash = ?, position_value = ?, positions = ? WHERE date = ?")
        .run(change.equity, change.cash, change.positionValue, json(positions), date);
    });
  }

  markSending(id: string): void {
    this.transaction(`sending ${id}`, () => {
      this.statement("UPDATE orders SET status = 'sending', updated_at = ? WHERE client_order_id = ? AND status = 'new'").run(now(), id);
    });
  }

  markSubmitted(id: string, brokerOrderId: string, brokerStatus: string, note: string | null = null): void {
    this.transaction(`submitted ${id}`, () => {
      this.statement(`UPDATE orders SET status = 'submitted', broker_order_id = ?, broker_status = ?, note = COALESCE(?, note), updated_at = ?
        WHERE client_order_id = ? AND status IN ('new', 'sending')`).run(brokerOrderId, brokerStatus, note, now(), id);
    });
  }

  markRejected(id: string, rejection: JournalRejection): void {
    this.transaction(`rejected ${id}`, () => {
      this.statement("UPDATE orders SET status = 'rejected', broker_status = 'rejected', note = ?, updated_at = ? WHERE client_order_id = ?")
        .run(rejection.reason, now(), id);
      this.insertRejections([rejection]);
    });
  }

  /** An order that was never sent and never will be (its open is over). */
  markUnsent(id: string, rejection: JournalRejection): void {
    this.transaction(`unsent ${id}`, () => {
      this.statement("UPDATE orders SET status = 'expired', note = ?, updated_at = ? WHERE client_order_id = ? AND status IN ('new', 'sending')")
        .run(rejection.reason, now(), id);
      this.insertRejections([rejection]);
    });
  }

  recordEvent(date: string | null, kind: string, message: string): void {
    this.transaction(`event ${kind}`, () => this.insertEvent(date, kind, message));
  }

  // ------------------------------------------------------------------ reading back

  decisions(): DecisionRow[] {
    const rows = this.statement('SELECT * FROM decisions ORDER BY seq').all() as {
      date: string; symbol: string; kind: Intent['kind']; reason: string; exit_reason: string | null; factors: string; features: string | null;
    }[];
    return rows.map((row) => ({
      date: row.date,
      symbol: row.symbol,
      kind: row.kind,
      reason: row.reason,
      exitReason: row.exit_reason,
      factors: JSON.parse(row.factors) as FactorValues,
      features: row.features === null ? null : (JSON.parse(row.features) as FeatureValues),
    }));
  }

  fills(where = '1 = 1', ...parameters: unknown[]): Fill[] {
    const rows = this.statement(`SELECT * FROM fills WHERE ${where} ORDER BY seq`).all(...parameters) as {
      client_order_id: string; symbol: string; side: Side; shares: number; price: number; commission: number; date: string; decision_date: string;
    }[];
    return rows.map((row) => ({
      orderId: row.client_order_id,
      symbol: row.symbol,
      side: row.side,
      shares: row.shares,
      price: row.price,
      commission: row.commission,
      date: row.date,
      decisionDate: row.decision_date,
    }));
  }

  trades(): JournalTrade[] {
    const rows = this.statement('SELECT * FROM trades ORDER BY seq').all() as {
      symbol: string; signal_date: string; entry_date: string; entry_price: number; exit_signal_date: string; exit_date: string;
      exit_price: number; exit_reason: string; shares: number; pnl: number; commission: number; entry_factors: string; pnl_by_factor: string;
    }[];
    return rows.map((row) => ({
      symbol: row.symbol,
      signalDate: row.signal_date,
      entryDate: row.entry_date,
      entryPrice: row.entry_price,
      exitSignalDate: row.exit_signal_date,
      exitDate: row.exit_date,
      exitPrice: row.exit_price,
      exitReason: row.exit_reason,
      shares: row.shares,
      pnl: row.pnl,
      commission: row.commission,
      entryFactors: JSON.parse(row.entry_factors) as FactorValues,
      pnlByFactor: JSON.parse(row.pnl_by_factor) as Record<string, number>,
    }));
  }

  rejections(): JournalRejection[] {
    const rows = this.statement('SELECT * FROM rejections ORDER BY seq').all() as {
      date: string; symbol: string; side: Side | null; stage: JournalRejection['stage']; requested_shares: number; shares: number; rule: string | null; reason: string;
    }[];
    return rows.map((row) => ({
      date: row.date,
      symbol: row.symbol,
      side: row.side,
      stage: row.stage,
      requestedShares: row.requested_shares,
      shares: row.shares,
      rule: row.rule,
      reason: row.reason,
    }));
  }

  events(): { date: string | null; kind: string; message: string }[] {
    return this.statement('SELECT date, kind, message FROM events ORDER BY seq').all() as { date: string | null; kind: string; message: string }[];
  }
}
