import { splitPnl } from '../attribution/attribution';
import { ConfigError } from '../errors';
import { prepareSymbols } from '../engine/backtest';
import { commissionFor } from '../engine/costs';
import { decideAtClose, orderFill, type Order } from '../engine/kernel';
import { symbolView, featuresAt, type SymbolData } from '../engine/market-state';
import { applyFill, positionsValue, type Fill, type Portfolio } from '../portfolio/portfolio';
import { DuplicateClientOrderIdError, isTerminal, OrderRejectedError, type BrokerOrder } from '../brokers/broker';
import { brokerCall, HaltError, type RunnerContext } from './context';
import {
  cycleReached,
  intentRow,
  type DecisionRow,
  type JournalOrder,
  type JournalOrderStatus,
  type JournalRejection,
  type JournalTrade,
  type OrderUpdate,
} from './journal';

/**
 * Fault injection for the racing-runner tests: AQ_TEST_DELAY_AFTER_READ_MS slows a cycle between
 * reading the journal's state and writing the next step (another writer would act in that gap).
 */
async function delayAfterRead(): Promise<void> {
  const ms = Number(process.env.AQ_TEST_DELAY_AFTER_READ_MS ?? 0);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CycleOutcome {
  readonly date: string;
  readonly alreadyProcessed: boolean;
  readonly fills: readonly Fill[];
  readonly orders: readonly Order[];
  readonly equity: number | null;
}

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
  for (const entry of journal.ordersToSendForDate(date)) {
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
  await delayAfterRead();
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
    fills: journal.fillsForDate(date),
    orders: journal.ordersForDate(date).map((entry) => entry.order),
    equity: done.equity,
  };
}
