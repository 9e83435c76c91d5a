import type { Side } from '../orders/order';

/**
 * The broker port: what the runner needs from a broker, and nothing more. The paper broker
 * (simulated fills at the next open from the data) and the Alpaca broker implement it, so the
 * runner's code is the same for paper and live.
 *
 * Every order carries the runner's deterministic client order id: the broker refuses a second
 * order with the same id, and an order whose submission ended in doubt is found again by it.
 */

/** Order states, as Alpaca names them (the paper broker uses the same words). */
export type BrokerOrderStatus =
  | 'new'
  | 'accepted'
  | 'pending_new'
  | 'accepted_for_bidding'
  | 'partially_filled'
  | 'filled'
  | 'done_for_day'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'pending_cancel'
  | 'pending_replace'
  | 'stopped'
  | 'rejected'
  | 'suspended'
  | 'calculated';

/**
 * No more fills will come for an order in one of these states. Alpaca's `stopped` (a trade is
 * guaranteed but has not happened yet) and `suspended` (not eligible for trading for now) are
 * not final: treating them as final would lose a fill that arrives later.
 */
export const terminalOrderStatuses: ReadonlySet<BrokerOrderStatus> = new Set<BrokerOrderStatus>([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
]);

export function isTerminal(status: BrokerOrderStatus): boolean {
  return terminalOrderStatuses.has(status);
}

export type TimeInForce = 'opg' | 'day';

export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly shares: number;
  /** Market orders only: the strategy trades at the next open. */
  readonly timeInForce: TimeInForce;
}

export interface BrokerOrder {
  /** The broker's own id. */
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly shares: number;
  readonly filledShares: number;
  /** Average fill price; null until something filled. */
  readonly filledAveragePrice: number | null;
  readonly status: BrokerOrderStatus;
  /** Session date (YYYY-MM-DD, exchange time) of the last fill; null until something filled. */
  readonly filledDate: string | null;
  /** Commission charged on the fills, when the broker reports one. */
  readonly commission: number | null;
}

export interface BrokerPosition {
  readonly symbol: string;
  /** Signed: long positive. */
  readonly shares: number;
  readonly averageEntryPrice: number;
}

export interface BrokerAccount {
  readonly cash: number;
  readonly equity: number;
  readonly buyingPower: number;
  /** 'ACTIVE' when the account may trade. */
  readonly status: string;
  readonly tradingBlocked: boolean;
}

export interface Broker {
  /** 'paper' or 'alpaca-paper' / 'alpaca-live', for the journal and reports. */
  readonly name: string;
  /**
   * Sends a market order. Throws `DuplicateClientOrderIdError` when the broker already has an order
   * with this client order id, `OrderRejectedError` when it refuses the order for good, and
   * `BrokerUnavailableError` when it could not settle whether the order arrived (the runner then
   * keeps it as "sending" and looks it up by client order id on the next start).
   */
  submitOrder(request: OrderRequest): Promise<BrokerOrder>;
  /** The order with this client order id, or null when the broker has none. */
  getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  listOpenOrders(): Promise<BrokerOrder[]>;
  listPositions(): Promise<BrokerPosition[]>;
  getAccount(): Promise<BrokerAccount>;
  /** Asks to cancel an open order (by the broker's id); a no-op for an order already done. */
  cancelOrder(brokerOrderId: string): Promise<void>;
}

/** The broker already has an order with this client order id: it was sent before. */
export class DuplicateClientOrderIdError extends Error {
  constructor(readonly clientOrderId: string, detail: string) {
    super(`the broker already has an order with client order id ${clientOrderId}: ${detail}`);
    this.name = 'DuplicateClientOrderIdError';
  }
}

/** The broker refused the order for good (buying power, unknown symbol, ...). */
export class OrderRejectedError extends Error {
  constructor(readonly clientOrderId: string, readonly reason: string) {
    super(`the broker rejected order ${clientOrderId}: ${reason}`);
    this.name = 'OrderRejectedError';
  }
}

/** The broker could not be reached or answered with an error that says nothing about the order. */
export class BrokerUnavailableError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}
