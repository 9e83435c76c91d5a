import { ConfigError } from '../errors';
import type { FactorValues } from '../factors/factor-model';
import type { FeatureValues } from '../features/feature-set';
import type { Fill, Order, Side } from '../orders/order';
import type { Portfolio, Position } from '../portfolio/portfolio';
import type { Intent } from '../strategies/strategy';
import type { StatementCache } from '../storage/statement-cache';
import {
  activeOrderStatuses,
  type CycleRow,
  type CycleStatus,
  type DecisionRow,
  type JournalOrder,
  type JournalOrderStatus,
  type JournalRejection,
  type JournalTrade,
  type KernelSnapshot,
} from './journal-rows';

/**
 * Every read of the journal, one named query each: the callers say what they want (the orders of
 * a date, the fills of a date), never how to select it, so all SQL stays in the journal's files.
 */

// ------------------------------------------------------------------ meta

export function meta(statement: StatementCache, key: string): string | null {
  const row = statement('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

// ------------------------------------------------------------------ cycles

export function cycle(statement: StatementCache, date: string): CycleRow | null {
  const row = statement('SELECT date, status, equity, cash, position_value FROM cycles WHERE date = ?').get(date) as
    | { date: string; status: CycleStatus; equity: number | null; cash: number | null; position_value: number | null }
    | undefined;
  return row === undefined ? null : { date: row.date, status: row.status, equity: row.equity, cash: row.cash, positionValue: row.position_value };
}

export function lastCycle(statement: StatementCache): CycleRow | null {
  const row = statement('SELECT date FROM cycles ORDER BY date DESC LIMIT 1').get() as { date: string } | undefined;
  return row === undefined ? null : cycle(statement, row.date);
}

export function cycles(statement: StatementCache): CycleRow[] {
  const rows = statement('SELECT date FROM cycles ORDER BY date').all() as { date: string }[];
  return rows.map((row) => cycle(statement, row.date) as CycleRow);
}

// ------------------------------------------------------------------ state

/** `path` names the journal in the error of one that was never initialised. */
export function portfolio(statement: StatementCache, path: string): Portfolio {
  const account = statement('SELECT cash FROM account WHERE id = 1').get() as { cash: number } | undefined;
  if (account === undefined) throw new ConfigError(`journal ${path} has no account row: it was never initialised`);
  const rows = statement('SELECT * FROM positions ORDER BY seq').all() as {
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
export function previousEquity(statement: StatementCache, date: string): number | null {
  const row = statement("SELECT equity FROM cycles WHERE date < ? AND status IN ('decided', 'done') ORDER BY date DESC LIMIT 1").get(date) as
    | { equity: number | null }
    | undefined;
  return row?.equity ?? null;
}

export function kernelSnapshot(statement: StatementCache, path: string, date: string): KernelSnapshot {
  return {
    portfolio: portfolio(statement, path),
    pending: activeOrders(statement).map((entry) => entry.order),
    previousEquity: previousEquity(statement, date),
  };
}

// ------------------------------------------------------------------ orders

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

/** Every order ever decided, in the order they were decided. */
export function orders(statement: StatementCache): JournalOrder[] {
  return (statement('SELECT * FROM orders ORDER BY seq').all() as OrderRecord[]).map(orderFromRecord);
}

export function order(statement: StatementCache, id: string): JournalOrder | null {
  const record = statement('SELECT * FROM orders WHERE client_order_id = ?').get(id) as OrderRecord | undefined;
  return record === undefined ? null : orderFromRecord(record);
}

/** Orders the kernel still counts as pending (see activeOrderStatuses). */
export function activeOrders(statement: StatementCache): JournalOrder[] {
  const sql = `SELECT * FROM orders WHERE status IN (${activeOrderStatuses.map(() => '?').join(', ')}) ORDER BY seq`;
  return (statement(sql).all(...activeOrderStatuses) as OrderRecord[]).map(orderFromRecord);
}

/** The orders decided at the close of `date`. */
export function ordersForDate(statement: StatementCache, date: string): JournalOrder[] {
  return (statement('SELECT * FROM orders WHERE decision_date = ? ORDER BY seq').all(date) as OrderRecord[]).map(orderFromRecord);
}

/** The orders decided at the close of `date` that the broker has not confirmed yet (new or sending). */
export function ordersToSendForDate(statement: StatementCache, date: string): JournalOrder[] {
  return (statement("SELECT * FROM orders WHERE decision_date = ? AND status IN ('new', 'sending') ORDER BY seq").all(date) as OrderRecord[])
    .map(orderFromRecord);
}

// ------------------------------------------------------------------ what happened

export function decisions(statement: StatementCache): DecisionRow[] {
  const rows = statement('SELECT * FROM decisions ORDER BY seq').all() as {
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

interface FillRecord {
  client_order_id: string; symbol: string; side: Side; shares: number; price: number; commission: number; date: string; decision_date: string;
}

function fillFromRecord(row: FillRecord): Fill {
  return {
    orderId: row.client_order_id,
    symbol: row.symbol,
    side: row.side,
    shares: row.shares,
    price: row.price,
    commission: row.commission,
    date: row.date,
    decisionDate: row.decision_date,
  };
}

/** Every fill, in the order it was applied. */
export function fills(statement: StatementCache): Fill[] {
  return (statement('SELECT * FROM fills ORDER BY seq').all() as FillRecord[]).map(fillFromRecord);
}

/** The fills of the open of `date`, in the order they were applied. */
export function fillsForDate(statement: StatementCache, date: string): Fill[] {
  return (statement('SELECT * FROM fills WHERE date = ? ORDER BY seq').all(date) as FillRecord[]).map(fillFromRecord);
}

export function trades(statement: StatementCache): JournalTrade[] {
  const rows = statement('SELECT * FROM trades ORDER BY seq').all() as {
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

export function rejections(statement: StatementCache): JournalRejection[] {
  const rows = statement('SELECT * FROM rejections ORDER BY seq').all() as {
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

export function events(statement: StatementCache): { date: string | null; kind: string; message: string }[] {
  return statement('SELECT date, kind, message FROM events ORDER BY seq').all() as { date: string | null; kind: string; message: string }[];
}
