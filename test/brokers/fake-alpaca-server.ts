/**
 * A local stand-in for Alpaca's trading API v2 and market data API v2, on 127.0.0.1 with an
 * ephemeral port, implementing the endpoints the runner and `aq data fetch` use, with the
 * documented JSON shapes (strings for quantities and prices, as Alpaca sends them):
 *
 *   GET  /v2/account                     GET  /v2/clock
 *   GET  /v2/positions                   GET  /v2/calendar?start&end
 *   POST /v2/orders                      GET  /v2/orders?status=open|closed|all
 *   GET  /v2/orders/{id}                 DELETE /v2/orders/{id}
 *   GET  /v2/orders:by_client_order_id?client_order_id=...
 *   GET  /v2/stocks/{symbol}/bars?timeframe=1Day&start&end&adjustment&page_token   (market data)
 *
 * Faults are queued per request kind and used once each: 429, 500 (before or after acting), a
 * timeout after the order was accepted (the order exists, the answer never comes), a timeout
 * before it was accepted, a rejected order (403 insufficient buying power), and partial fills
 * at the next open. Every request is logged (method, path, body) for the tests' assertions;
 * the auth headers are checked against the keys the server was given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FaultKind =
  | 'http-429'
  | 'http-500'
  | 'http-500-after-accept'
  | 'timeout-after-accept'
  | 'timeout-before-accept'
  | 'reject-buying-power';

export interface Fault {
  readonly kind: FaultKind;
  /** Which requests: 'POST /v2/orders', 'GET /v2/account', ... (method and path without the query). */
  readonly route: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: Record<string, unknown> | null;
  readonly status: number;
}

interface FakeOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  canceled_at: string | null;
  expired_at: string | null;
  failed_at: string | null;
  replaced_at: null;
  replaced_by: null;
  replaces: null;
  asset_id: string;
  symbol: string;
  asset_class: 'us_equity';
  notional: null;
  qty: string;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: '';
  order_type: 'market';
  type: 'market';
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price: null;
  stop_price: null;
  status: string;
  extended_hours: false;
  legs: null;
  trail_percent: null;
  trail_price: null;
  hwm: null;
}

export interface FakeBar {
  readonly t: string;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  readonly n?: number;
  readonly vw?: number;
}

const fixtures = join(__dirname, '..', 'fixtures', 'alpaca');

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}

export class FakeAlpacaServer {
  readonly requests: LoggedRequest[] = [];
  readonly orders = new Map<string, FakeOrder>();
  /** symbol -> shares (long positive) and average entry price. */
  readonly positions = new Map<string, { qty: number; avgEntryPrice: number }>();
  cash = 100_000;
  clock = { timestamp: '2019-06-03T20:15:00.000000000-04:00', is_open: false, next_open: '2019-06-04T09:30:00-04:00', next_close: '2019-06-04T16:00:00-04:00' };
  /** Sessions the calendar endpoint knows: [{date, open, close, ...}]. */
  calendar: { date: string; open: string; close: string; session_open: string; session_close: string; settlement_date: string }[] = [];
  /** symbol -> daily bars for the data endpoint. */
  readonly bars = new Map<string, FakeBar[]>();
  /** Bars per page on the data endpoint (small, so that paging is exercised). */
  pageSize = 1000;
  /** Partial fills at the next open: client order id -> share of the quantity that fills. */
  readonly partialFills = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly held: ServerResponse[] = [];
  private server: Server | null = null;
  private sequence = 0;

  constructor(private readonly keyId: string, private readonly secretKey: string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (address === null || address === undefined) throw new Error('fake Alpaca server is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.held.length = 0;
    await new Promise<void>((resolve) => {
      if (this.server === null) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  pendingFaults(): readonly Fault[] {
    return this.faults;
  }

  /** POSTs to /v2/orders that carried this client order id. */
  submissions(clientOrderId: string): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders' && r.body?.client_order_id === clientOrderId).length;
  }

  addPosition(symbol: string, qty: number, avgEntryPrice: number): void {
    this.positions.set(symbol, { qty, avgEntryPrice });
  }

  /** The opening auction of `date`: open orders fill at the given opens (partially where asked); opg leftovers are canceled. */
  openMarket(date: string, opens: Readonly<Record<string, number>>): void {
    const at = `${date}T13:30:00Z`;
    for (const order of this.orders.values()) {
      if (!['new', 'accepted', 'pending_new'].includes(order.status)) continue;
      const price = opens[order.symbol];
      if (price === undefined) continue;
      const qty = Number(order.qty);
      const share = this.partialFills.get(order.client_order_id) ?? 1;
      const filled = Math.floor(qty * share);
      if (filled > 0) {
        const position = this.positions.get(order.symbol) ?? { qty: 0, avgEntryPrice: 0 };
        if (order.side === 'buy') {
          const total = position.qty + filled;
          this.positions.set(order.symbol, { qty: total, avgEntryPrice: (position.avgEntryPrice * position.qty + price * filled) / total });
          this.cash -= filled * price;
        } else {
          const left = position.qty - filled;
          if (left === 0) this.positions.delete(order.symbol);
          else this.positions.set(order.symbol, { qty: left, avgEntryPrice: position.avgEntryPrice });
          this.cash += filled * price;
        }
        order.filled_qty = String(filled);
        order.filled_avg_price = String(price);
        order.filled_at = at;
      }
      if (filled === qty) {
        order.status = 'filled';
      } else if (order.time_in_force === 'opg') {
        order.status = filled > 0 ? 'canceled' : 'canceled';
        order.canceled_at = at;
      } else {
        order.status = filled > 0 ? 'partially_filled' : order.status;
      }
      order.updated_at = at;
    }
  }

  private takeFault(route: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.route === route);
    return index === -1 ? undefined : this.faults.splice(index, 1)[0];
  }

  private send(response: ServerResponse, log: Omit<LoggedRequest, 'status'>, status: number, body?: unknown): void {
    this.requests.push({ ...log, status });
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', ...(status === 429 ? { 'Retry-After': '0' } : {}) });
    response.end(text);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      const query = Object.fromEntries(url.searchParams.entries());
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
      const method = request.method ?? 'GET';
      const log = { method, path, query, body };
      if (request.headers['apca-api-key-id'] !== this.keyId || request.headers['apca-api-secret-key'] !== this.secretKey) {
        this.send(response, log, 401, { code: 40110000, message: 'request is not authorized' });
        return;
      }
      const route = `${method} ${path.startsWith('/v2/orders/') ? '/v2/orders/{id}' : path.startsWith('/v2/stocks/') ? '/v2/stocks/{symbol}/bars' : path}`;
      const fault = this.takeFault(route);
      if (fault?.kind === 'http-429') return this.send(response, log, 429, { code: 42910000, message: 'rate limit exceeded' });
      if (fault?.kind === 'http-500') return this.send(response, log, 500, { code: 50010000, message: 'internal server error' });
      if (fault?.kind === 'timeout-before-accept') {
        this.requests.push({ ...log, status: 0 });
        this.held.push(response);
        return;
      }
      try {
        this.route(route, path, query, body, fault, response, log);
      } catch (error) {
        this.send(response, log, 500, { code: 50010000, message: (error as Error).message });
      }
    });
  }

  private route(route: string, path: string, query: Record<string, string>, body: Record<string, unknown> | null, fault: Fault | undefined,
    response: ServerResponse, log: Omit<LoggedRequest, 'status'>): void {
    switch (route) {
      case 'GET /v2/account': {
        let marketValue = 0;
        for (const position of this.positions.values()) marketValue += position.qty * position.avgEntryPrice;
        return this.send(response, log, 200, {
          ...fixture<Record<string, unknown>>('account.json'),
          cash: String(this.cash),
          equity: String(this.cash + marketValue),
          portfolio_value: String(this.cash + marketValue),
          buying_power: String(Math.max(0, this.cash) * 2),
        });
      }
      case 'GET /v2/positions': {
        const template = fixture<Record<string, unknown>[]>('positions.json')[0];
        return this.send(response, log, 200, [...this.positions.entries()].map(([symbol, p]) => ({
          ...template,
          symbol,
          qty: String(p.qty),
          qty_available: String(p.qty),
          side: p.qty >= 0 ? 'long' : 'short',
          avg_entry_price: String(p.avgEntryPrice),
          cost_basis: String(p.qty * p.avgEntryPrice),
          market_value: String(p.qty * p.avgEntryPrice),
        })));
      }
      case 'GET /v2/clock':
        return this.send(response, log, 200, this.clock);
      case 'GET /v2/calendar':
        return this.send(response, log, 200, this.calendar.filter((day) => day.date >= (query.start ?? '') && day.date <= (query.end ?? '9999')));
      case 'POST /v2/orders':
        return this.createOrder(body ?? {}, fault, response, log);
      case 'GET /v2/orders': {
        const status = query.status ?? 'open';
        const open = (order: FakeOrder) => ['new', 'accepted', 'pending_new', 'partially_filled'].includes(order.status);
        const list = [...this.orders.values()].filter((order) => status === 'all' || (status === 'open') === open(order));
        return this.send(response, log, 200, list);
      }
      case 'GET /v2/orders:by_client_order_id': {
        const order = [...this.orders.values()].find((candidate) => candidate.client_order_id === query.client_order_id);
        return order === undefined
          ? this.send(response, log, 404, { code: 40410000, message: 'order not found' })
          : this.send(response, log, 200, order);
      }
      case 'GET /v2/orders/{id}': {
        const order = this.orders.get(path.slice('/v2/orders/'.length));
        return order === undefined ? this.send(response, log, 404, { code: 40410000, message: 'order not found' }) : this.send(response, log, 200, order);
      }
      case 'DELETE /v2/orders/{id}': {
        const order = this.orders.get(path.slice('/v2/orders/'.length));
        if (order === undefined) return this.send(response, log, 404, { code: 40410000, message: 'order not found' });
        if (!['new', 'accepted', 'pending_new', 'partially_filled'].includes(order.status)) {
          return this.send(response, log, 422, { code: 42210000, message: `order is already in "${order.status}" state` });
        }
        order.status = 'canceled';
        order.canceled_at = new Date().toISOString();
        return this.send(response, log, 204);
      }
      case 'GET /v2/stocks/{symbol}/bars':
        return this.serveBars(path, query, response, log);
      default:
        return this.send(response, log, 404, { code: 40410000, message: `no route ${route}` });
    }
  }

  private createOrder(body: Record<string, unknown>, fault: Fault | undefined, response: ServerResponse, log: Omit<LoggedRequest, 'status'>): void {
    const clientOrderId = String(body.client_order_id ?? '');
    if ([...this.orders.values()].some((order) => order.client_order_id === clientOrderId)) {
      return this.send(response, log, 422, { code: 40010001, message: 'client_order_id must be unique' });
    }
    const qty = Number(body.qty);
    if (!Number.isInteger(qty) || qty <= 0 || !['buy', 'sell'].includes(String(body.side)) || body.type !== 'market'
      || !['opg', 'day', 'gtc'].includes(String(body.time_in_force))) {
      return this.send(response, log, 422, { code: 40010000, message: 'invalid order request' });
    }
    if (fault?.kind === 'reject-buying-power') return this.send(response, log, 403, { code: 40310000, message: 'insufficient buying power' });
    const now = new Date().toISOString();
    this.sequence++;
    const order: FakeOrder = {
      ...fixture<FakeOrder>('order-accepted.json'),
      id: `00000000-0000-4000-8000-${String(this.sequence).padStart(12, '0')}`,
      client_order_id: clientOrderId,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      symbol: String(body.symbol),
      qty: String(qty),
      side: body.side as 'buy' | 'sell',
      time_in_force: String(body.time_in_force),
      status: 'accepted',
    };
    this.orders.set(order.id, order);
    if (fault?.kind === 'timeout-after-accept') {
      // Accepted, and the answer never comes: the client times out not knowing.
      this.requests.push({ ...log, status: 0 });
      this.held.push(response);
      return;
    }
    if (fault?.kind === 'http-500-after-accept') return this.send(response, log, 500, { code: 50010000, message: 'internal server error' });
    return this.send(response, log, 200, order);
  }

  private serveBars(path: string, query: Record<string, string>, response: ServerResponse, log: Omit<LoggedRequest, 'status'>): void {
    const symbol = path.split('/')[3];
    if (query.timeframe !== '1Day') return this.send(response, log, 422, { code: 42210000, message: 'invalid timeframe' });
    if (!['raw', 'split', 'dividend', 'all'].includes(query.adjustment ?? 'raw')) {
      return this.send(response, log, 400, { code: 40010000, message: 'invalid adjustment' });
    }
    const all = (this.bars.get(symbol) ?? []).filter((bar) => bar.t.slice(0, 10) >= query.start.slice(0, 10)
      && (query.end === undefined || bar.t.slice(0, 10) <= query.end.slice(0, 10)));
    const offset = query.page_token === undefined ? 0 : Number(Buffer.from(query.page_token, 'base64').toString('utf8'));
    const page = all.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < all.length ? Buffer.from(String(offset + this.pageSize)).toString('base64') : null;
    return this.send(response, log, 200, { bars: page.length === 0 ? null : page, symbol, next_page_token: next });
  }
}
