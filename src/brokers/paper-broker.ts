import type Database from 'better-sqlite3';
import { statementCache, type StatementCache } from '../storage/statement-cache';
import { checkpointedTransactions, type CheckpointedTransaction } from '../storage/checkpointed-transaction';
import type { BarSeries, Bar } from '../data/bars';
import { barAt } from '../data/bars';
import { type Order, type Side } from '../orders/order';
import { executeAtOpen, type FillRules } from '../engine/kernel';
import type { Costs } from '../orders/costs';
import type { Portfolio, Position } from '../portfolio/portfolio';
import {
  DuplicateClientOrderIdError,
  OrderRejectedError,
  type Broker,
  type BrokerAccount,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerPosition,
  type OrderRequest,
} from './broker';

/**
 * A simulated broker kept in SQLite tables (`paper_*`, in the runner's journal file or any other).
 * Market orders fill at the open of the symbol's first bar after the session they were sent in,
 * through the kernel's `executeAtOpen`: the same prices, the same commission, the same cash cuts
 * (exits first, entries in universe order, each cut to the cash free) as the backtest, so a paper
 * session reproduces a backtest trade for trade.
 *
 * The broker's own clock is the session date it is told (`clock()`): any call first settles the
 * opens up to that date. Its tables are written in their own transactions, independent of the
 * runner's, like a real broker's books.
 */
export interface PaperBrokerOptions {
  readonly universe: readonly string[];
  readonly costs: Costs;
  readonly startingCash: number;
  /** The data the opens come from; bars after the clock are never read. */
  readonly bars: readonly BarSeries[];
  /** The current session date (YYYY-MM-DD): orders sent now fill at a later open. */
  readonly clock: () => string;
}

const schema = `
CREATE TABLE IF NOT EXISTS paper_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS paper_orders (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, client_order_id TEXT NOT NULL UNIQUE, symbol TEXT NOT NULL, side TEXT NOT NULL,
  shares INTEGER NOT NULL, time_in_force TEXT NOT NULL, status TEXT NOT NULL, filled_shares INTEGER NOT NULL DEFAULT 0,
  filled_average_price REAL, filled_date TEXT, commission REAL, submitted_date TEXT NOT NULL, note TEXT);
CREATE TABLE IF NOT EXISTS paper_account (id INTEGER PRIMARY KEY CHECK (id = 1), cash REAL NOT NULL);
CREATE TABLE IF NOT EXISTS paper_positions (
  symbol TEXT PRIMARY KEY, seq INTEGER NOT NULL, shares INTEGER NOT NULL, cost_basis REAL NOT NULL, entry_price REAL NOT NULL);
`;

interface PaperOrderRecord {
  seq: number;
  id: string;
  client_order_id: string;
  symbol: string;
  side: Side;
  shares: number;
  status: BrokerOrderStatus;
  filled_shares: number;
  filled_average_price: number | null;
  filled_date: string | null;
  commission: number | null;
  submitted_date: string;
}

const openStatuses = "('new', 'accepted')";

function toBrokerOrder(record: PaperOrderRecord): BrokerOrder {
  return {
    id: record.id,
    clientOrderId: record.client_order_id,
    symbol: record.symbol,
    side: record.side,
    shares: record.shares,
    filledShares: record.filled_shares,
    filledAveragePrice: record.filled_average_price,
    status: record.status,
    filledDate: record.filled_date,
    commission: record.commission,
  };
}

export class PaperBroker implements Broker {
  readonly name = 'paper';
  private readonly config: FillRules;
  private readonly barIndex: Map<string, Map<string, number>>;
  private readonly calendar: string[];

  constructor(db: Database.Database, private readonly options: PaperBrokerOptions) {
    this.statement = statementCache(db);
    this.transaction = checkpointedTransactions(db, 'paper broker');
    this.config = { universe: options.universe, costs: options.costs };
    this.barIndex = new Map(options.bars.map((series) => [series.symbol, new Map(series.dates.map((date, i) => [date, i]))]));
    const dates = new Set<string>();
    for (const series of options.bars) for (const date of series.dates) dates.add(date);
    this.calendar = [...dates].sort();
    db.exec(schema);
    const account = db.prepare('SELECT cash FROM paper_account WHERE id = 1').get();
    if (account === undefined) {
      this.transaction('open account', () => {
        db.prepare('INSERT INTO paper_account (id, cash) VALUES (1, ?)').run(options.startingCash);
      });
    }
  }

  /** Prepared statements of this database (statement-cache.ts). */
  private readonly statement: StatementCache;

  /** This broker's transactions, each between two checkpoints (checkpointed-transaction.ts). */
  private readonly transaction: CheckpointedTransaction;

  private barOf(symbol: string, date: string): Bar | undefined {
    const index = this.barIndex.get(symbol)?.get(date);
    if (index === undefined) return undefined;
    return barAt(this.options.bars.find((series) => series.symbol === symbol) as BarSeries, index);
  }

  private portfolio(): Portfolio {
    const { cash } = this.statement('SELECT cash FROM paper_account WHERE id = 1').get() as { cash: number };
    const rows = this.statement('SELECT * FROM paper_positions ORDER BY seq').all() as
      { symbol: string; shares: number; cost_basis: number; entry_price: number }[];
    const positions = new Map<string, Position>();
    for (const row of rows) {
      positions.set(row.symbol, {
        symbol: row.symbol, shares: row.shares, costBasis: row.cost_basis, entryPrice: row.entry_price,
        entryDate: '', entrySignalDate: '', entryFactors: {}, memo: {}, realizedPnl: 0, entryCommission: 0,
      });
    }
    return { cash, positions };
  }

  private writePortfolio(portfolio: Portfolio): void {
    this.statement('UPDATE paper_account SET cash = ? WHERE id = 1').run(portfolio.cash);
    this.statement('DELETE FROM paper_positions').run();
    const insert = this.statement('INSERT INTO paper_positions (symbol, seq, shares, cost_basis, entry_price) VALUES (?, ?, ?, ?, ?)');
    [...portfolio.positions.values()].forEach((p, seq) => insert.run(p.symbol, seq, p.shares, p.costBasis, p.entryPrice));
  }

  private settledThrough(): string {
    const row = this.statement("SELECT value FROM paper_meta WHERE key = 'settled_through'").get() as { value: string } | undefined;
    return row?.value ?? '';
  }

  /** Fills every open order whose open has come, date by date up to the clock: one transaction per session. */
  private settle(): void {
    const clock = this.options.clock();
    const from = this.settledThrough();
    if (from >= clock) return;
    const open = this.statement(`SELECT * FROM paper_orders WHERE status IN ${openStatuses} ORDER BY seq`).all() as PaperOrderRecord[];
    if (open.length === 0) {
      this.statement("INSERT OR REPLACE INTO paper_meta (key, value) VALUES ('settled_through', ?)").run(clock);
      return;
    }
    for (const date of this.calendar) {
      if (date <= from || date > clock) continue;
      const due = (this.statement(`SELECT * FROM paper_orders WHERE status IN ${openStatuses} AND submitted_date < ? ORDER BY seq`)
        .all(date) as PaperOrderRecord[]).filter((record) => this.barOf(record.symbol, date) !== undefined);
      if (due.length === 0) continue;
      this.fillAt(date, due);
    }
    this.statement("INSERT OR REPLACE INTO paper_meta (key, value) VALUES ('settled_through', ?)").run(clock);
  }

  private fillAt(date: string, due: readonly PaperOrderRecord[]): void {
    this.transaction(`open ${date}`, () => {
      const pending: Order[] = due.map((record) => ({
        id: record.client_order_id,
        symbol: record.symbol,
        side: record.side,
        shares: record.shares,
        decisionDate: record.submitted_date,
        intent: record.side === 'buy' ? 'enter' : 'exit',
        reason: 'paper order',
        factors: {},
      }));
      const opened = executeAtOpen(this.config, { portfolio: this.portfolio(), pending, previousEquity: null }, date, (symbol) => this.barOf(symbol, date));
      const filled = new Map(opened.fills.map((fill) => [fill.orderId, fill]));
      this.writePortfolio(opened.state.portfolio);
      const update = this.statement(`UPDATE paper_orders SET status = ?, filled_shares = ?, filled_average_price = ?, filled_date = ?,
        commission = ?, note = ? WHERE client_order_id = ?`);
      for (const record of due) {
        const fill = filled.get(record.client_order_id);
        if (fill === undefined) {
          update.run('canceled', 0, null, null, null, 'no cash or shares to fill it at the open', record.client_order_id);
        } else if (fill.shares < record.shares) {
          update.run('canceled', fill.shares, fill.price, date, fill.commission, `cut to ${fill.shares} of ${record.shares} shares at the open`, record.client_order_id);
        } else {
          update.run('filled', fill.shares, fill.price, date, fill.commission, null, record.client_order_id);
        }
      }
    });
  }

  private record(clientOrderId: string): PaperOrderRecord | undefined {
    return this.statement('SELECT * FROM paper_orders WHERE client_order_id = ?').get(clientOrderId) as PaperOrderRecord | undefined;
  }

  async submitOrder(request: OrderRequest): Promise<BrokerOrder> {
    this.settle();
    if (this.record(request.clientOrderId) !== undefined) {
      throw new DuplicateClientOrderIdError(request.clientOrderId, 'client order id must be unique');
    }
    if (!this.options.universe.includes(request.symbol)) {
      throw new OrderRejectedError(request.clientOrderId, `no data for symbol ${request.symbol}`);
    }
    if (!Number.isInteger(request.shares) || request.shares <= 0) {
      throw new OrderRejectedError(request.clientOrderId, `quantity must be a positive whole number, got ${request.shares}`);
    }
    const clock = this.options.clock();
    return this.transaction(`submit ${request.clientOrderId}`, () => {
      const { seq } = this.statement('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM paper_orders').get() as { seq: number };
      this.statement(`INSERT INTO paper_orders (seq, id, client_order_id, symbol, side, shares, time_in_force, status, submitted_date)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', ?)`)
        .run(seq, `paper-${seq}`, request.clientOrderId, request.symbol, request.side, request.shares, request.timeInForce, clock);
      return toBrokerOrder(this.record(request.clientOrderId) as PaperOrderRecord);
    });
  }

  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    this.settle();
    const record = this.record(clientOrderId);
    return record === undefined ? null : toBrokerOrder(record);
  }

  async listOpenOrders(): Promise<BrokerOrder[]> {
    this.settle();
    return (this.statement(`SELECT * FROM paper_orders WHERE status IN ${openStatuses} ORDER BY seq`).all() as PaperOrderRecord[]).map(toBrokerOrder);
  }

  async listPositions(): Promise<BrokerPosition[]> {
    this.settle();
    return [...this.portfolio().positions.values()].map((p) => ({ symbol: p.symbol, shares: p.shares, averageEntryPrice: p.entryPrice }));
  }

  async getAccount(): Promise<BrokerAccount> {
    this.settle();
    const portfolio = this.portfolio();
    let equity = portfolio.cash;
    for (const position of portfolio.positions.values()) equity += position.costBasis;
    return { cash: portfolio.cash, equity, buyingPower: portfolio.cash, status: 'ACTIVE', tradingBlocked: false };
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    this.settle();
    this.transaction(`cancel ${brokerOrderId}`, () => {
      this.statement(`UPDATE paper_orders SET status = 'canceled', note = 'canceled on request' WHERE id = ? AND status IN ${openStatuses}`).run(brokerOrderId);
    });
  }
}
