import type { Bar } from '../data/bars';
import { affordableShares, commissionFor, fillPrice, type Costs } from '../orders/costs';
import { clientOrderId, executionOrder, orderFill, type Fill, type Order, type Rejection, type Side } from '../orders/order';
import { FillBatch, positionsValue, type ClosedTrade, type Portfolio } from '../portfolio/portfolio';
import { checkOrders, type ProposedOrder, type RiskLimits } from '../risk/risk-manager';
import { entryShares, type SizingRule } from '../sizing/sizing';
import type { Intent, MarketState, Strategy } from '../strategies/strategy';

/**
 * The kernel shared by backtest, paper and live: what happens at a bar's open (pending
 * market orders fill) and at its close (the strategy decides, sizing and risk turn intents
 * into orders). Only the broker and the clock differ between the three.
 */
export interface KernelConfig {
  readonly strategy: Strategy;
  readonly universe: readonly string[];
  readonly sizing: SizingRule;
  readonly risk: RiskLimits;
  readonly costs: Costs;
}

/**
 * What filling at an open needs: the universe order (entries are served in it) and the costs.
 * A broker that simulates fills passes just these; a `KernelConfig` is one too.
 */
export interface FillRules {
  readonly universe: readonly string[];
  readonly costs: Costs;
}

export interface KernelState {
  readonly portfolio: Portfolio;
  /** Orders waiting for their symbol's next open. */
  readonly pending: readonly Order[];
  /** Equity at the previous decision close (daily loss limit). */
  readonly previousEquity: number | null;
}

const positionCache = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function universePositions(universe: readonly string[]): ReadonlyMap<string, number> {
  let positions = positionCache.get(universe);
  if (positions === undefined) {
    positions = new Map(universe.map((symbol, i) => [symbol, i]));
    positionCache.set(universe, positions);
  }
  return positions;
}

export interface OpenResult {
  readonly state: KernelState;
  readonly fills: Fill[];
  readonly trades: ClosedTrade[];
  readonly rejections: Rejection[];
}

/**
 * Fills the pending orders of the symbols that have a bar at `date`, at its open: exits
 * before entries, entries in universe order, each entry cut to the cash free at that moment.
 */
export function executeAtOpen(config: FillRules, state: KernelState, date: string, barOf: (symbol: string) => Bar | undefined): OpenResult {
  if (state.pending.length === 0) return { state, fills: [], trades: [], rejections: [] };
  const positions = universePositions(config.universe);
  const universeIndex = (symbol: string) => positions.get(symbol) ?? -1;
  const due: Order[] = [];
  const waiting: Order[] = [];
  for (const order of state.pending) (barOf(order.symbol) === undefined ? waiting : due).push(order);
  if (due.length === 0) return { state, fills: [], trades: [], rejections: [] };
  due.sort(executionOrder(universeIndex));
  const batch = new FillBatch(state.portfolio);
  const fills: Fill[] = [];
  const trades: ClosedTrade[] = [];
  const rejections: Rejection[] = [];
  for (const order of due) {
    const bar = barOf(order.symbol) as Bar;
    const price = fillPrice(config.costs, order.side, bar.open, bar.low, bar.high);
    let shares = order.shares;
    if (order.side === 'sell') {
      const held = batch.held(order.symbol);
      if (held < shares) shares = held;
    } else {
      shares = affordableShares(config.costs, order.shares, price, batch.cashAfter);
    }
    if (shares < order.shares) {
      rejections.push({
        date,
        symbol: order.symbol,
        side: order.side,
        stage: 'cash',
        requestedShares: order.shares,
        shares,
        rule: null,
        reason: order.side === 'buy'
          ? `cash ${batch.cashAfter.toFixed(2)} buys ${shares} of ${order.shares} shares at ${price}`
          : `only ${shares} shares held`,
      });
    }
    if (shares === 0) continue;
    const fill = orderFill(order, date, shares, price, commissionFor(config.costs, shares));
    const outcome = batch.apply(fill);
    fills.push(fill);
    if (outcome.closed !== null) trades.push(outcome.closed);
  }
  return { state: { ...state, portfolio: batch.finish(), pending: waiting }, fills, trades, rejections };
}

export interface CloseResult {
  readonly state: KernelState;
  readonly intents: Intent[];
  readonly orders: Order[];
  readonly rejections: Rejection[];
}

/**
 * At the close of `market.date`: the strategy decides, sizing turns intents into share
 * counts (with `market.equity`, cash plus positions at this close), the risk manager checks
 * them, and the accepted orders wait for the next open.
 */
export function decideAtClose(
  config: KernelConfig,
  state: KernelState,
  market: MarketState,
  lastClose: (symbol: string) => number,
): CloseResult {
  const intents = config.strategy.decide(market);
  if (intents.length === 0) {
    return { state: { ...state, previousEquity: market.equity }, intents, orders: [], rejections: [] };
  }
  const rejections: Rejection[] = [];
  const proposals: { order: Order; proposed: ProposedOrder }[] = [];
  const date = market.date;
  // Views come in universe order; with every symbol trading today a view sits at its symbol's
  // universe position, so most look-ups need no search.
  const positions = universePositions(config.universe);
  const viewOf = (symbol: string) => {
    const position = positions.get(symbol);
    if (position === undefined) return undefined;
    const guess = market.symbols[position];
    return guess !== undefined && guess.symbol === symbol ? guess : market.symbols.find((view) => view.symbol === symbol);
  };
  const pendingSymbols = new Set(state.pending.map((order) => order.symbol));
  for (const intent of intents) {
    const view = viewOf(intent.symbol);
    const reject = (stage: Rejection['stage'], side: Side | null, requestedShares: number, reason: string) =>
      rejections.push({ date, symbol: intent.symbol, side, stage, requestedShares, shares: 0, rule: null, reason });
    if (view === undefined) {
      reject('sizing', null, 0, `${config.strategy.name} asked to trade ${intent.symbol}, which has no bar on ${date}`);
      continue;
    }
    if (pendingSymbols.has(intent.symbol)) {
      reject('pending', null, 0, `an order for ${intent.symbol} is already waiting for the next open`);
      continue;
    }
    const held = state.portfolio.positions.get(intent.symbol)?.shares ?? 0;
    const close = view.bar.close;
    let side: Side;
    let shares: number;
    if (intent.kind === 'exit') {
      if (held === 0) {
        reject('sizing', 'sell', 0, `exit for ${intent.symbol} while flat`);
        continue;
      }
      side = 'sell';
      shares = held;
    } else {
      const wanted = intent.kind === 'enter'
        ? entryShares(config.sizing, { equity: market.equity, close, volatility: view.features.volatility, universeSize: config.universe.length })
        : Math.max(0, Math.floor((intent.weight * market.equity) / close)) - held;
      if (intent.kind === 'target' && wanted < 0) {
        side = 'sell';
        shares = -wanted;
      } else {
        side = 'buy';
        shares = wanted;
        if (shares <= 0) {
          if (intent.kind === 'enter') reject('sizing', 'buy', 0, `equity ${market.equity.toFixed(2)} sizes 0 shares at ${close}`);
          continue;
        }
      }
    }
    pendingSymbols.add(intent.symbol);
    const order: Order = {
      id: clientOrderId(config.strategy.name, intent.symbol, date, side),
      symbol: intent.symbol,
      side,
      shares,
      decisionDate: date,
      intent: intent.kind,
      reason: intent.reason,
      exitReason: intent.kind === 'exit' ? intent.exitReason : undefined,
      factors: intent.factors,
      memo: intent.kind === 'enter' ? intent.memo : undefined,
    };
    proposals.push({ order, proposed: { symbol: intent.symbol, side, shares, price: close, increasesRisk: side === 'buy' } });
  }
  const orders: Order[] = [];
  if (proposals.length > 0) {
    const decisions = checkOrders(
      config.risk,
      {
        date,
        equity: market.equity,
        previousEquity: state.previousEquity,
        grossExposure: positionsValue(state.portfolio, lastClose),
        positionValue: (symbol) => (state.portfolio.positions.get(symbol)?.shares ?? 0) * lastClose(symbol),
      },
      proposals.map((proposal) => proposal.proposed),
    );
    const byProposal = new Map(decisions.map((decision) => [decision.order, decision]));
    for (const { order, proposed } of proposals) {
      const decision = byProposal.get(proposed);
      if (decision === undefined) throw new Error(`risk manager lost the order for ${order.symbol}`);
      if (decision.shares < order.shares) {
        rejections.push({
          date,
          symbol: order.symbol,
          side: order.side,
          stage: 'risk',
          requestedShares: order.shares,
          shares: decision.shares,
          rule: decision.rule,
          reason: decision.reason ?? 'cut by the risk manager',
        });
      }
      if (decision.shares > 0) orders.push(decision.shares === order.shares ? order : { ...order, shares: decision.shares });
    }
  }
  return {
    state: { portfolio: state.portfolio, pending: [...state.pending, ...orders], previousEquity: market.equity },
    intents,
    orders,
    rejections,
  };
}
