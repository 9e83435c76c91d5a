import type { Fill, Order } from '../orders/order';
import type { Portfolio } from '../portfolio/portfolio';
import type { CheckpointedTransaction } from '../storage/checkpointed-transaction';
import type { StatementCache } from '../storage/statement-cache';
import type { DecisionRow, JournalRejection, JournalTrade, OrderUpdate } from './journal-rows';

/**
 * Every change to the journal, each one whole transaction (so each is one checkpointed step the
 * crash tests can stop on either side of); the label says which step it was.
 */
export interface JournalWriter {
  readonly statement: StatementCache;
  readonly transaction: CheckpointedTransaction;
}

function now(): string {
  return new Date().toISOString();
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

// ------------------------------------------------------------------ meta

/** Writes the settings and starting cash of a new journal. */
export function initialize(writer: JournalWriter, settings: Readonly<Record<string, unknown>>, startingCash: number): void {
  const { statement } = writer;
  writer.transaction('initialize', () => {
    const insert = statement('INSERT INTO meta (key, value) VALUES (?, ?)');
    insert.run('settings', json(settings));
    insert.run('created_at', now());
    statement('INSERT INTO account (id, cash) VALUES (1, ?)').run(startingCash);
  });
}

// ------------------------------------------------------------------ cycles

export function startCycle(writer: JournalWriter, date: string): void {
  writer.transaction(`start cycle ${date}`, () => {
    writer.statement("INSERT INTO cycles (date, status, started_at) VALUES (?, 'started', ?)").run(date, now());
  });
}

export function skipCycle(writer: JournalWriter, date: string, reason: string): void {
  writer.transaction(`skip cycle ${date}`, () => {
    writer.statement("INSERT INTO cycles (date, status, started_at, finished_at) VALUES (?, 'skipped', ?, ?)").run(date, now(), now());
    insertEvent(writer.statement, date, 'skipped', reason);
  });
}

export function finishCycle(writer: JournalWriter, date: string): void {
  writer.transaction(`finish cycle ${date}`, () => {
    writer.statement("UPDATE cycles SET status = 'done', finished_at = ? WHERE date = ?").run(now(), date);
  });
}

// ------------------------------------------------------------------ parts of a transaction

function writePortfolio(statement: StatementCache, portfolio: Portfolio): void {
  statement('UPDATE account SET cash = ? WHERE id = 1').run(portfolio.cash);
  statement('DELETE FROM positions').run();
  const insert = statement(`INSERT INTO positions (symbol, seq, shares, cost_basis, entry_price, entry_date, entry_signal_date,
      entry_factors, memo, realized_pnl, entry_commission) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  [...portfolio.positions.values()].forEach((position, seq) => {
    insert.run(position.symbol, seq, position.shares, position.costBasis, position.entryPrice, position.entryDate,
      position.entrySignalDate, json(position.entryFactors), json(position.memo), position.realizedPnl, position.entryCommission);
  });
}

function insertRejections(statement: StatementCache, rejections: readonly JournalRejection[]): void {
  const insert = statement('INSERT INTO rejections (date, symbol, side, stage, requested_shares, shares, rule, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rejections) insert.run(r.date, r.symbol, r.side, r.stage, r.requestedShares, r.shares, r.rule, r.reason);
}

function updateOrders(statement: StatementCache, updates: readonly OrderUpdate[]): void {
  const update = statement(`UPDATE orders SET status = ?, broker_status = ?, filled_shares = ?, filled_value = ?,
      note = COALESCE(?, note), updated_at = ? WHERE client_order_id = ?`);
  for (const u of updates) update.run(u.status, u.brokerStatus, u.filledShares, u.filledValue, u.note ?? null, now(), u.id);
}

function insertEvent(statement: StatementCache, date: string | null, kind: string, message: string): void {
  statement('INSERT INTO events (at, date, kind, message) VALUES (?, ?, ?, ?)').run(now(), date, kind, message);
}

// ------------------------------------------------------------------ the steps of a cycle

export interface FillsChange {
  readonly fills: readonly Fill[];
  readonly trades: readonly JournalTrade[];
  readonly orderUpdates: readonly OrderUpdate[];
  readonly rejections: readonly JournalRejection[];
  readonly portfolio: Portfolio;
}

/** The open's fills of one cycle, in the order they were applied, with everything they changed. */
export function recordFills(writer: JournalWriter, date: string, change: FillsChange): void {
  const { statement } = writer;
  writer.transaction(`fills ${date}`, () => {
    const insertFill = statement(`INSERT INTO fills (client_order_id, symbol, side, shares, price, commission, date, decision_date)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const f of change.fills) insertFill.run(f.orderId, f.symbol, f.side, f.shares, f.price, f.commission, f.date, f.decisionDate);
    const insertTrade = statement(`INSERT INTO trades (symbol, signal_date, entry_date, entry_price, exit_signal_date, exit_date,
        exit_price, exit_reason, shares, pnl, commission, entry_factors, pnl_by_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const t of change.trades) {
      insertTrade.run(t.symbol, t.signalDate, t.entryDate, t.entryPrice, t.exitSignalDate, t.exitDate, t.exitPrice, t.exitReason,
        t.shares, t.pnl, t.commission, json(t.entryFactors), json(t.pnlByFactor));
    }
    updateOrders(statement, change.orderUpdates);
    insertRejections(statement, change.rejections);
    writePortfolio(statement, change.portfolio);
    statement("UPDATE cycles SET status = 'filled' WHERE date = ? AND status = 'started'").run(date);
  });
}

export interface DecisionChange {
  readonly decisions: readonly DecisionRow[];
  readonly orders: readonly Order[];
  readonly rejections: readonly JournalRejection[];
  readonly equity: number;
  readonly cash: number;
  readonly positionValue: number;
  readonly portfolio: Portfolio;
}

/** The close's decisions of one cycle: intents with their factor values, the new orders (status new), the equity. */
export function recordDecision(writer: JournalWriter, date: string, change: DecisionChange): void {
  const { statement } = writer;
  writer.transaction(`decide ${date}`, () => {
    const insertDecision = statement('INSERT INTO decisions (date, symbol, kind, reason, exit_reason, factors, features) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const d of change.decisions) {
      insertDecision.run(d.date, d.symbol, d.kind, d.reason, d.exitReason, json(d.factors), d.features === null ? null : json(d.features));
    }
    const insertOrder = statement(`INSERT INTO orders (client_order_id, decision_date, symbol, side, shares, intent, reason, exit_reason,
        factors, memo, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)`);
    for (const o of change.orders) {
      insertOrder.run(o.id, o.decisionDate, o.symbol, o.side, o.shares, o.intent, o.reason, o.exitReason ?? null, json(o.factors),
        o.memo === undefined ? null : json(o.memo), now());
    }
    insertRejections(statement, change.rejections);
    const positions = [...change.portfolio.positions.values()].map((p) => ({ symbol: p.symbol, shares: p.shares, entryPrice: p.entryPrice }));
    statement("UPDATE cycles SET status = 'decided', equity = ?, cash = ?, position_value = ?, positions = ? WHERE date = ?")
      .run(change.equity, change.cash, change.positionValue, json(positions), date);
  });
}

// ------------------------------------------------------------------ an order's way to the broker

export function markSending(writer: JournalWriter, id: string): void {
  writer.transaction(`sending ${id}`, () => {
    writer.statement("UPDATE orders SET status = 'sending', updated_at = ? WHERE client_order_id = ? AND status = 'new'").run(now(), id);
  });
}

export function markSubmitted(writer: JournalWriter, id: string, brokerOrderId: string, brokerStatus: string, note: string | null): void {
  writer.transaction(`submitted ${id}`, () => {
    writer.statement(`UPDATE orders SET status = 'submitted', broker_order_id = ?, broker_status = ?, note = COALESCE(?, note), updated_at = ?
        WHERE client_order_id = ? AND status IN ('new', 'sending')`).run(brokerOrderId, brokerStatus, note, now(), id);
  });
}

export function markRejected(writer: JournalWriter, id: string, rejection: JournalRejection): void {
  writer.transaction(`rejected ${id}`, () => {
    writer.statement("UPDATE orders SET status = 'rejected', broker_status = 'rejected', note = ?, updated_at = ? WHERE client_order_id = ?")
      .run(rejection.reason, now(), id);
    insertRejections(writer.statement, [rejection]);
  });
}

/** An order that was never sent and never will be (its open is over). */
export function markUnsent(writer: JournalWriter, id: string, rejection: JournalRejection): void {
  writer.transaction(`unsent ${id}`, () => {
    writer.statement("UPDATE orders SET status = 'expired', note = ?, updated_at = ? WHERE client_order_id = ? AND status IN ('new', 'sending')")
      .run(rejection.reason, now(), id);
    insertRejections(writer.statement, [rejection]);
  });
}

export function recordEvent(writer: JournalWriter, date: string | null, kind: string, message: string): void {
  writer.transaction(`event ${kind}`, () => insertEvent(writer.statement, date, kind, message));
}
