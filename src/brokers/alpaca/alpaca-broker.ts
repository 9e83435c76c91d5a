import {
  BrokerUnavailableError,
  DuplicateClientOrderIdError,
  OrderRejectedError,
  type Broker,
  type BrokerAccount,
  type BrokerOrder,
  type BrokerOrderStatus,
  type BrokerPosition,
  type OrderRequest,
} from '../broker';
import { AlpacaHttpError, AlpacaRedirectError, AlpacaTransportError, type AlpacaClient, type AlpacaOrder } from './client';
import { AlpacaResponseError } from './schemas';

/**
 * The broker port over Alpaca's trading API v2. Market orders for the next open, each with the
 * runner's deterministic client order id. A submission that ends in doubt (no answer, a reset
 * connection, a 5xx or 429 after the request went out) is never simply sent again: the order is
 * first looked up by its client order id, and sent again only when Alpaca does not know it
 * (and then Alpaca would refuse a second one with the same id anyway).
 */
const newYorkDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The exchange's calendar date of a timestamp (fills and sessions are dated in New York time). */
export function newYorkDateOf(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: "${timestamp}"`);
  return newYorkDate.format(date);
}

function number(value: string | null | undefined, field: string): number {
  const parsed = Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(parsed)) {
    throw new BrokerUnavailableError(`Alpaca sent ${field} = ${JSON.stringify(value)}, not a number`);
  }
  return parsed;
}

export function brokerOrderFromAlpaca(order: AlpacaOrder): BrokerOrder {
  return {
    id: order.id,
    clientOrderId: order.client_order_id,
    symbol: order.symbol,
    side: order.side,
    shares: number(order.qty, `qty of order ${order.client_order_id}`),
    filledShares: number(order.filled_qty, `filled_qty of order ${order.client_order_id}`),
    filledAveragePrice: order.filled_avg_price === null ? null : number(order.filled_avg_price, `filled_avg_price of order ${order.client_order_id}`),
    status: order.status as BrokerOrderStatus,
    filledDate: order.filled_at === null ? null : newYorkDateOf(order.filled_at),
    commission: null,
  };
}

export interface AlpacaBrokerOptions {
  /** Submissions of one order, the first included (default 4). */
  readonly submitAttempts?: number;
  /** 'alpaca-paper' or 'alpaca-live': binds a journal to one account kind. */
  readonly name: string;
}

export class AlpacaBroker implements Broker {
  readonly name: string;

  constructor(private readonly client: AlpacaClient, private readonly options: AlpacaBrokerOptions) {
    this.name = options.name;
  }

  private async guard<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof AlpacaHttpError || error instanceof AlpacaTransportError || error instanceof AlpacaRedirectError || error instanceof AlpacaResponseError) {
        throw new BrokerUnavailableError(`${what} failed: ${error.message}`);
      }
      throw error;
    }
  }

  async submitOrder(request: OrderRequest): Promise<BrokerOrder> {
    const body = {
      symbol: request.symbol,
      qty: String(request.shares),
      side: request.side,
      type: 'market' as const,
      time_in_force: request.timeInForce,
      client_order_id: request.clientOrderId,
    };
    const attempts = this.options.submitAttempts ?? 4;
    let last: Error | null = null;
    let failure: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return brokerOrderFromAlpaca(await this.client.createOrder(body));
      } catch (error) {
        if (error instanceof AlpacaHttpError && error.status !== 429 && error.status < 500) {
          if (error.status === 422 && /client[_ ]order[_ ]id/i.test(error.detail)) {
            throw new DuplicateClientOrderIdError(request.clientOrderId, error.detail);
          }
          if (error.status === 401) throw new BrokerUnavailableError(error.message);
          throw new OrderRejectedError(request.clientOrderId, `HTTP ${error.status}${error.code === null ? '' : ` code ${error.code}`}: ${error.detail}`);
        }
        if (error instanceof AlpacaRedirectError) throw new BrokerUnavailableError(error.message);
        if (!(error instanceof AlpacaHttpError) && !(error instanceof AlpacaTransportError) && !(error instanceof AlpacaResponseError)) throw error;
        last = error;
        failure = error;
      }
      // In doubt: the order may be at Alpaca already. Look before sending it again.
      const found = await this.guard(`looking up order ${request.clientOrderId}`, () => this.client.getOrderByClientOrderId(request.clientOrderId));
      if (found !== null) return brokerOrderFromAlpaca(found);
      // A 429's Retry-After is honoured here as on reads.
      if (attempt + 1 < attempts) await this.client.backoff(attempt, failure);
    }
    throw new BrokerUnavailableError(`Alpaca: order ${request.clientOrderId} could not be sent (${last?.message}); `
      + 'the journal keeps it as "sending" and the next run looks it up before sending it again');
  }

  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const order = await this.guard(`looking up order ${clientOrderId}`, () => this.client.getOrderByClientOrderId(clientOrderId));
    return order === null ? null : brokerOrderFromAlpaca(order);
  }

  async listOpenOrders(): Promise<BrokerOrder[]> {
    return (await this.guard('listing open orders', () => this.client.listOrders('open'))).map(brokerOrderFromAlpaca);
  }

  async listPositions(): Promise<BrokerPosition[]> {
    const positions = await this.guard('listing positions', () => this.client.listPositions());
    return positions.map((position) => {
      const quantity = number(position.qty, `qty of position ${position.symbol}`);
      return {
        symbol: position.symbol.trim(),
        shares: position.side === 'short' && quantity > 0 ? -quantity : quantity,
        averageEntryPrice: number(position.avg_entry_price, `avg_entry_price of position ${position.symbol}`),
      };
    });
  }

  async getAccount(): Promise<BrokerAccount> {
    const account = await this.guard('reading the account', () => this.client.getAccount());
    return {
      cash: number(account.cash, 'account cash'),
      equity: number(account.equity, 'account equity'),
      buyingPower: number(account.buying_power, 'account buying_power'),
      status: account.status,
      tradingBlocked: account.trading_blocked === true || account.account_blocked === true,
    };
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.guard(`cancelling order ${brokerOrderId}`, () => this.client.cancelOrder(brokerOrderId));
  }
}
