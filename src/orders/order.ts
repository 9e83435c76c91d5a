import type { FactorValues } from '../factors/factor-model';
import type { Intent } from '../strategies/strategy';

/*
 * The orders room: what the kernel decides at a close and what a broker fills at an open, in
 * terms every stage shares (risk checks proposed orders, costs price fills, the portfolio applies
 * them, brokers send them). Nothing here knows about portfolios, sizing, engines or brokers.
 */

export type Side = 'buy' | 'sell';

export interface Fill {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly shares: number;
  readonly price: number;
  readonly commission: number;
  /** Date of the bar whose open filled the order. */
  readonly date: string;
  /** Date of the close at which the order was decided. */
  readonly decisionDate: string;
  /** For buys that open a position: the factors and memo of the entry decision. */
  readonly entry?: { readonly factors: FactorValues; readonly memo: Readonly<Record<string, number>> };
  /** For sells: the strategy's short exit cause ("stop", "score", ...). */
  readonly exitReason?: string;
}

export interface Order {
  /** Deterministic client order id: strategy, symbol, decision date and side. */
  readonly id: string;
  readonly symbol: string;
  readonly side: Side;
  readonly shares: number;
  readonly decisionDate: string;
  readonly intent: Intent['kind'];
  readonly reason: string;
  readonly exitReason?: string;
  readonly factors: FactorValues;
  readonly memo?: Readonly<Record<string, number>>;
}

/** An intent or order that did not go through whole. Nothing is dropped silently. */
export interface Rejection {
  readonly date: string;
  readonly symbol: string;
  readonly side: Side | null;
  readonly stage: 'sizing' | 'risk' | 'cash' | 'pending' | 'no-next-bar';
  readonly requestedShares: number;
  /** Shares that went through (0 = rejected, fewer than requested = cut). */
  readonly shares: number;
  readonly rule: string | null;
  readonly reason: string;
}

export function clientOrderId(strategy: string, symbol: string, decisionDate: string, side: Side): string {
  return `${strategy}-${symbol}-${decisionDate}-${side}`;
}

/**
 * The fill of `shares` of `order` at `price` on `date`, carrying the decision's factors to the
 * position (buys) and its exit cause (sells). Shared with the paper and live runners, which get
 * shares and price from a broker, so their fills are built exactly like the backtest's.
 */
export function orderFill(order: Order, date: string, shares: number, price: number, commission: number): Fill {
  return {
    orderId: order.id,
    symbol: order.symbol,
    side: order.side,
    shares,
    price,
    commission,
    date,
    decisionDate: order.decisionDate,
    entry: order.side === 'buy' ? { factors: order.factors, memo: order.memo ?? {} } : undefined,
    exitReason: order.side === 'sell' ? order.exitReason ?? order.intent : undefined,
  };
}

/**
 * The order in which due orders execute at an open: exits (sells) before entries, then
 * universe order. One rule for the backtest kernel and the paper/live session, so both spend
 * the cash the same way.
 */
export function executionOrder(universeIndex: (symbol: string) => number): (a: { readonly side: Side; readonly symbol: string }, b: { readonly side: Side; readonly symbol: string }) => number {
  return (a, b) => (a.side === b.side ? universeIndex(a.symbol) - universeIndex(b.symbol) : a.side === 'sell' ? -1 : 1);
}
