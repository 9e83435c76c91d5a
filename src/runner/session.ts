import { splitPnl } from '../attribution/attribution';
import type { BarSeries } from '../data/bars';
import { ConfigError } from '../errors';
import { prepareSymbols, unionCalendar } from '../engine/backtest';
import { commissionFor } from '../engine/costs';
import { decideAtClose, orderFill, type KernelConfig, type Order } from '../engine/kernel';
import { symbolView, featuresAt, type SymbolData } from '../engine/market-state';
import type { FactorModel } from '../factors/factor-model';
import type { FeaturePeriods } from '../features/feature-set';
import { applyFill, positionsValue, type Fill, type Portfolio } from '../portfolio/portfolio';
import {
  DuplicateClientOrderIdError,
  isTerminal,
  OrderRejectedError,
  type Broker,
  type BrokerOrder,
  type BrokerPosition,
  type TimeInForce,
} from '../brokers/broker';
import { checkpoint } from './checkpoints';
import {
  cycleReached,
  intentRow,
  type DecisionRow,
  type Journal,
  type JournalOrder,
  type JournalOrderStatus,
  type JournalRejection,
  type JournalTrade,
  type OrderUpdate,
} from './journal';

/**
 * The daily cycle shared by paper and live: after a session's close, record the fills of the
 * orders sent the evening before (they filled at this session's open), let the strategy decide at
 * this close through the kernel's `decideAtClose`, and send the new orders to the broker. The
 * broker and the clock are the only things that differ between paper and live.
 *
 * Restart safety: each step is one journal transaction, and a step already done is not redone.
 * An order is written (status new) before the broker hears of it, marked `sending` just before the
 * call, and `submitted` after; a restart asks the broker about every new/sending order by its
 * deterministic client order id before anything is sent again.
 */
export interface RunnerContext {
  readonly journal: Journal;
  readonly broker: Broker;
  readonly config: KernelConfig;
  readonly factorModel: FactorModel;
  readonly featurePeriods: FeaturePeriods;
  /** Every symbol's bars (universe order), possibly past the cycle date: a cycle reads up to its date only. */
  readonly bars: readonly BarSeries[];
  readonly timeInForce: TimeInForce;
  readonly log: (line: string) => void;
}

/** Reconciliation found something the runner must not repair by itself. */
export class HaltError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`HALT: the journal and the broker disagree; nothing was sent.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'HaltError';
  }
}

export interface CycleOutcome {
  readonly date: string;
  readonly alreadyProcessed: boolean;
  readonly fills: readonly Fill[];
  readonly orders: readonly Order[];
  readonly equity: number | null;
}

async function brokerCall<T>(label: string, call: () => Promise<T>): Promise<T> {
  checkpoint(`broker ${label}: before`);
  const result = await call();
  checkpoint(`broker ${label}: after`);
  return result;
}

/** Settings a journal is bound to: a later run with other settings would not continue the same session. */
export function checkSettings(journal: Journal, settings: Readonly<Record<string, unknown>>, startingCash: number): void {
  const stored = journal.getMeta('settings');
  if (stored === null) {
    journal.initialize(settings, startingCash);
    return;
  }
  const previous = JSON.parse(stored) as Record<string, unknown>;
  const keys = new Set([...Object.keys(previous), ...Object.keys(settings)]);
  const differences: string[] = [];
  for (const key of keys) {
    const before = JSON.stringify(previous[key]);
    const after = JSON.stringify(settings[key]);
    if (before !== after) differences.push(`${key}: journal has ${before}, this run has ${after}`);
  }
  if (differences.length > 0) {
    throw new ConfigError(`journal ${journal.path} belongs to a session with other settings; use a new journal or the same options:\n  ${differences.join('\n  ')}`);
  }
}

// ---------------------------------------------------------------------------------- reconciliation

export interface ReconcileReport {
  /** What was repaired (an order the broker has that the journal had as new or sending). */
  readonly repaired: string[];
}

/**
 * Start-up reconciliation, before anything is sent: every order the journal has as new or sending
 * is looked up by client order id (found: recorded as submitted); every submitted order must be
 * known to the broker; every open order at the broker must be one of ours; every position at the
 * broker must be the journal's position plus the fills the broker has and the journal has not
 * recorded yet. Anything else halts.
 */
export async function reconcile(context: RunnerContext): Promise<ReconcileReport> {
  const { journal, broker } = context;
  const repaired: string[] = [];
  const problems: string[] = [];
  const account = await brokerCall('account', () => broker.getAccount());
  if (account.status !== 'ACTIVE' || account.tradingBlocked) {
    problems.push(`the broker account is ${account.status}${account.tradingBlocked ? ' and trading is blocked' : ''}`);
  }
  const remoteById = new Map<string, BrokerOrder>();
  for (const entry of journal.activeOrders()) {
    const id = entry.order.id;
    const remote = await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id));
    if (remote !== null) remoteById.set(id, remote);
    if (entry.status === 'new' || entry.status === 'sending') {
      if (remote !== null) {
        journal.markSubmitted(id, remote.id, remote.status, `found at the broker on restart (journal had it as ${entry.status})`);
        repaired.push(`${id}: the journal had it as ${entry.status}, the broker has it (${remote.status}): recorded as submitted`);
      }
    } else if (remote === null) {
      problems.push(`order ${id} (${entry.order.side} ${entry.order.shares} ${entry.order.symbol}) is submitted in the journal but the broker does not know it`);
    }
  }
  const ours = new Set(journal.orders().map((entry) => entry.order.id));
  for (const remote of await brokerCall('open orders', () => broker.listOpenOrders())) {
    if (!ours.has(remote.clientOrderId)) {
      problems.push(`open order at the broker not in the journal: ${remote.side} ${remote.shares} ${remote.symbol} (client order id ${remote.clientOrderId}, status ${remote.status})`);
    }
  }
  const expected = new Map<string, number>();
  for (const position of journal.portfolio().positions.values()) expected.set(position.symbol, position.shares);
  for (const entry of journal.activeOrders()) {
    const remote = remoteById.get(entry.order.id);
    const unrecorded = (remote?.filledShares ?? 0) - entry.filledShares;
    if (unrecorded === 0) continue;
    const signed = entry.order.side === 'buy' ? unrecorded : -unrecorded;
    expected.set(entry.order.symbol, (expected.get(entry.order.symbol) ?? 0) + signed);
  }
  const positions: BrokerPosition[] = await brokerCall('positions', () => broker.listPositions());
  const atBroker = new Map(positions.map((position) => [position.symbol, position.shares]));
  for (const [symbol, shares] of atBroker) {
    const wanted = expected.get(symbol) ?? 0;
    if (wanted === 0 && shares !== 0) {
      problems.push(`position at the broker the journal does not know: ${shares} ${symbol}`);
    } else if (wanted !== shares) {
      problems.push(`position ${symbol}: the broker has ${shares} shares, the journal (with the fills not yet recorded) expects ${wanted}`);
    }
  }
  for (const [symbol, shares] of expected) {
    if (shares !== 0 && !atBroker.has(symbol)) problems.push(`position ${symbol}: the journal expects ${shares} shares, the broker has none`);
  }
  if (problems.length > 0) {
    journal.recordEvent(null, 'halt', problems.join('\n'));
    throw new HaltError(problems);
  }
  for (const line of repaired) {
    journal.recordEvent(null, 'repaired', line);
    context.log(`repaired: ${line}`);
  }
  return { repaired };
}

// ---------------------------------------------------------------------------------- the cycle

interface SymbolsAt {
  readonly data: SymbolData[];
  /** Index of each symbol's last bar on or before the date (-1: none yet). */
  readonly cursor: number[];
  readonly today: Set<string>;
}

function symbolsAt(context: RunnerContext, date: string): SymbolsAt {
  const data = prepareSymbols(context.bars, context.config.strategy, context.featurePeriods, context.factorModel, date);
  const cursor = data.map((one) => one.series.dates.length - 1);
  const today = new Set<string>();
  data.forEach((one, i) => {
    if (cursor[i] >= 0 && one.series.dates[cursor[i]] === date) today.add(one.series.symbol);
  });
  return { data, cursor, today };
}

const finalStatus: Partial<Record<string, JournalOrderStatus>> = { filled: 'filled', expired: 'expired', rejected: 'rejected' };

/** Step 1: the fills of this session's open, as the broker reports them, applied in the kernel's order. */
async function collectFills(context: RunnerContext, date: string, today: ReadonlySet<string>): Promise<void> {
  const { journal, broker, config } = context;
  const universeIndex = (symbol: string) => config.universe.indexOf(symbol);
  const seen: { entry: JournalOrder; remote: BrokerOrder }[] = [];
  for (const entry of journal.activeOrders()) {
    if (entry.status !== 'submitted' || entry.order.decisionDate >= date) continue;
    const id = entry.order.id;
    let remote = await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id));
    if (remote === null) throw new HaltError([`order ${id} is submitted in the journal but the broker does not know it`]);
    if (!isTerminal(remote.status) && today.has(entry.order.symbol)) {
      // Its open has passed: the strategy trades at the open only, so the rest must not fill later.
      const brokerOrderId = remote.id;
      await brokerCall(`cancel ${id}`, () => broker.cancelOrder(brokerOrderId));
      remote = (await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id))) ?? remote;
    }
    seen.push({ entry, remote });
  }
  // The kernel's order: exits before entries, then universe order (cash is spent in that order).
  seen.sort((a, b) => (a.entry.order.side === b.entry.order.side
    ? universeIndex(a.entry.order.symbol) - universeIndex(b.entry.order.symbol)
    : a.entry.order.side === 'sell' ? -1 : 1));
  let portfolio: Portfolio = journal.portfolio();
  const fills: Fill[] = [];
  const trades: JournalTrade[] = [];
  const orderUpdates: OrderUpdate[] = [];
  const rejections: JournalRejection[] = [];
  for (const { entry, remote } of seen) {
    const { order } = entry;
    const delta = remote.filledShares - entry.filledShares;
    let filledValue = entry.filledValue;
    if (delta < 0) throw new HaltError([`order ${order.id}: the broker reports ${remote.filledShares} shares filled, the journal already has ${entry.filledShares}`]);
    if (delta > 0) {
      if (remote.filledAveragePrice === null) throw new HaltError([`order ${order.id}: the broker reports a fill without a price`]);
      const price = entry.filledShares === 0 ? remote.filledAveragePrice : (remote.filledAveragePrice * remote.filledShares - entry.filledValue) / delta;
      const commission = entry.filledShares === 0 && remote.commission !== null ? remote.commission : commissionFor(config.costs, delta);
      const fill = orderFill(order, remote.filledDate ?? date, delta, price, commission);
      let outcome;
      try {
        outcome = applyFill(portfolio, fill);
      } catch (error) {
        throw new HaltError([`order ${order.id}: the broker's fill does not fit the journal: ${(error as Error).message}`]);
      }
      portfolio = outcome.portfolio;
      fills.push(fill);
      filledValue += delta * price;
      if (outcome.closed !== null) trades.push({ ...outcome.closed, pnlByFactor: splitPnl(context.factorModel, outcome.closed.entryFactors, outcome.closed.pnl) });
    }
    const terminal = isTerminal(remote.status);
    if (terminal && remote.filledShares < order.shares) {
      rejections.push({
        date,
        symbol: order.symbol,
        side: order.side,
        stage: 'broker',
        requestedShares: order.shares,
        shares: remote.filledShares,
        rule: null,
        reason: `the broker ${remote.status === 'filled' ? 'filled' : `left the order ${remote.status} after filling`} ${remote.filledShares} of ${order.shares} shares`,
      });
    }
    if (delta > 0 || terminal || remote.status !== entry.brokerStatus) {
      orderUpdates.push({
        id: order.id,
        status: terminal ? finalStatus[remote.status] ?? 'canceled' : 'submitted',
        brokerStatus: remote.status,
        filledShares: remote.filledShares,
        filledValue,
      });
    }
  }
  journal.recordFills(date, { fills, trades, orderUpdates, rejections, portfolio });
  for (const fill of fills) context.log(`${fill.date} filled ${fill.side} ${fill.shares} ${fill.symbol} @ ${fill.price} (${fill.orderId})`);
}

/** Step 2: the close. Equity is summed exactly as the backtest sums it, so sizing matches to the share. */
function decide(context: RunnerContext, date: string, symbols: SymbolsAt): Order[] {
  const { journal, config } = context;
  const snapshot = journal.kernelSnapshot(date);
  const { portfolio } = snapshot;
  const indexOf = new Map(config.universe.map((symbol, i) => [symbol, i]));
  const closeOf = (symbol: string) => {
    const i = indexOf.get(symbol) as number;
    const t = symbols.cursor[i];
    return t >= 0 ? symbols.data[i].series.close[t] : Number.NaN;
  };
  const positionValue = positionsValue(portfolio, closeOf);
  const equity = portfolio.cash + positionValue;
  const pendingSymbols = new Set(snapshot.pending.map((order) => order.symbol));
  const views = [];
  for (let s = 0; s < symbols.data.length; s++) {
    if (!symbols.today.has(config.universe[s])) continue;
    views.push(symbolView(symbols.data[s], symbols.cursor[s], portfolio, pendingSymbols.has(config.universe[s])));
  }
  const closed = decideAtClose(
    config,
    snapshot,
    { date, symbols: views, universe: config.universe, equity, cash: portfolio.cash, factorModel: context.factorModel },
    closeOf,
  );
  const decisions: DecisionRow[] = closed.intents.map((intent) => {
    const i = indexOf.get(intent.symbol);
    return {
      ...intentRow(date, intent),
      features: i === undefined || !symbols.today.has(intent.symbol) ? null : featuresAt(symbols.data[i], symbols.cursor[i]),
    };
  });
  journal.recordDecision(date, {
    decisions,
    orders: closed.orders,
    rejections: closed.rejections,
    equity,
    cash: portfolio.cash,
    positionValue,
    portfolio,
  });
  return closed.orders;
}

/**
 * Step 3: send the orders decided at this close; each one written ahead as `sending`. With
 * `send` false (a live cycle resumed after its next open has passed) an order not already at the
 * broker expires instead: it was meant for an open that is over.
 */
async function submitOrders(context: RunnerContext, date: string, send: boolean): Promise<void> {
  const { journal, broker } = context;
  for (const entry of journal.orders("decision_date = ? AND status IN ('new', 'sending')", date)) {
    const { order } = entry;
    const id = order.id;
    if (entry.status === 'sending' || !send) {
      // The last run may have reached the broker before it stopped: ask before sending again.
      const known = await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id));
      if (known !== null) {
        journal.markSubmitted(id, known.id, known.status, 'found at the broker before resending');
        continue;
      }
    }
    if (!send) {
      journal.markUnsent(id, {
        date, symbol: order.symbol, side: order.side, stage: 'broker', requestedShares: order.shares, shares: 0, rule: null,
        reason: `decided at the close of ${date} and not sent before the next open: expired unsent`,
      });
      context.log(`${date} EXPIRED unsent: ${order.side} ${order.shares} ${order.symbol} (${id})`);
      continue;
    }
    if (entry.status === 'new') journal.markSending(id);
    let sent: BrokerOrder;
    try {
      sent = await brokerCall(`submit ${id}`, () => broker.submitOrder({
        clientOrderId: id,
        symbol: order.symbol,
        side: order.side,
        shares: order.shares,
        timeInForce: context.timeInForce,
      }));
    } catch (error) {
      if (error instanceof DuplicateClientOrderIdError) {
        const known = await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id));
        if (known === null) throw new HaltError([`order ${id}: the broker calls it a duplicate but cannot find it`]);
        journal.markSubmitted(id, known.id, known.status, 'the broker already had it');
        continue;
      }
      if (error instanceof OrderRejectedError) {
        journal.markRejected(id, {
          date, symbol: order.symbol, side: order.side, stage: 'broker', requestedShares: order.shares, shares: 0, rule: null, reason: error.reason,
        });
        context.log(`${date} REJECTED by the broker: ${order.side} ${order.shares} ${order.symbol} (${id}): ${error.reason}`);
        continue;
      }
      throw error;
    }
    journal.markSubmitted(id, sent.id, sent.status);
    context.log(`${date} sent ${order.side} ${order.shares} ${order.symbol} for the next open (${id})`);
  }
}

/**
 * One full cycle for `date`, resuming whatever step an interrupted run left. `sendOrders` false:
 * the orders of this close are not sent any more (see submitOrders).
 */
export async function runCycle(context: RunnerContext, date: string, sendOrders = true): Promise<CycleOutcome> {
  const { journal } = context;
  let cycle = journal.cycle(date);
  if (cycle !== null && cycleReached(cycle.status, 'done')) {
    return { date, alreadyProcessed: true, fills: [], orders: [], equity: cycle.equity };
  }
  const symbols = symbolsAt(context, date);
  if (symbols.today.size === 0) throw new ConfigError(`no symbol of the universe has a bar on ${date}`);
  if (cycle === null) {
    journal.startCycle(date);
    cycle = journal.cycle(date);
  }
  if (!cycleReached(cycle!.status, 'filled')) await collectFills(context, date, symbols.today);
  if (!cycleReached(journal.cycle(date)!.status, 'decided')) decide(context, date, symbols);
  await submitOrders(context, date, sendOrders);
  journal.finishCycle(date);
  const done = journal.cycle(date)!;
  return {
    date,
    alreadyProcessed: false,
    fills: journal.fills('date = ?', date),
    orders: journal.orders('decision_date = ?', date).map((entry) => entry.order),
    equity: done.equity,
  };
}

// ---------------------------------------------------------------------------------- sessions

export interface SessionPlan {
  /** Dates to run, in order (an interrupted cycle first). */
  readonly dates: string[];
  /** Trading days between the last cycle and the as-of date that the plan skips (live). */
  readonly missed: string[];
  readonly alreadyProcessed: boolean;
}

/**
 * Which cycles a run for `asOf` must run. Cycles go in date order: an earlier date than the
 * journal's last cycle is refused, and the trading days missed since the last cycle are caught up
 * one by one (`gaps: 'catch-up'`, paper) or refused (`'refuse'`), or skipped (`'skip'`, live with
 * --skip-missed: orders decided on a past close cannot be filled at a past open).
 */
export function planSession(journal: Journal, calendar: readonly string[], asOf: string, gaps: 'catch-up' | 'refuse' | 'skip'): SessionPlan {
  if (!calendar.includes(asOf)) throw new ConfigError(`${asOf} is not a trading day in the data (no symbol has a bar on it)`);
  const last = journal.lastCycle();
  if (last === null) return { dates: [asOf], missed: [], alreadyProcessed: false };
  if (asOf < last.date || (asOf === last.date && cycleReached(last.status, 'done'))) {
    const existing = journal.cycle(asOf);
    if (existing !== null && cycleReached(existing.status, 'done')) return { dates: [], missed: [], alreadyProcessed: true };
    throw new ConfigError(`cycles run in date order: the journal is at ${last.date}, so ${asOf} cannot be processed now`);
  }
  const dates: string[] = [];
  if (!cycleReached(last.status, 'done')) dates.push(last.date);
  const between = calendar.filter((date) => date > last.date && date < asOf);
  if (between.length > 0 && gaps === 'refuse') {
    throw new ConfigError(`the journal's last cycle is ${last.date} and ${asOf} is ${between.length + 1} trading days later; `
      + `missed: ${between.join(', ')}. Orders decided on a past close cannot reach a past open: run with --skip-missed to skip them`);
  }
  if (gaps === 'catch-up') dates.push(...between);
  if (!dates.includes(asOf)) dates.push(asOf);
  return { dates, missed: gaps === 'skip' ? between : [], alreadyProcessed: false };
}

export function sessionCalendar(bars: readonly BarSeries[]): string[] {
  return unionCalendar(bars);
}
