import { z } from 'zod';
import { redact } from '../redact';
import { accountSchema, barsPageSchema, calendarDaySchema, clockSchema, orderSchema, parseBody, positionSchema } from './schemas';

/**
 * A small typed client for Alpaca's trading API v2 and market data API v2, on Node's fetch.
 * (The official SDK was not used: the runner needs control over timeouts, retries and what an
 * ambiguous failure means for an order, and a base URL it can point at a local test server.)
 *
 * Keys travel only in the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers. They are held in a
 * closure, not in a property (so no dump of the object shows them), and every error message is
 * passed through `redact` before it leaves this module.
 *
 * Reads (GET) are retried on 429, 5xx, timeouts and network errors with exponential backoff and
 * jitter, a bounded number of times. Writes are never retried here: whether an order may be sent
 * again is the broker's decision (see alpaca-broker.ts), after looking it up by client order id.
 */
export const alpacaPaperUrl = 'https://paper-api.alpaca.markets';
export const alpacaLiveUrl = 'https://api.alpaca.markets';
export { AlpacaResponseError } from './schemas';
export const alpacaDataUrl = 'https://data.alpaca.markets';

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

export interface AlpacaClientOptions {
  readonly baseUrl?: string;
  readonly dataUrl?: string;
  readonly credentials: AlpacaCredentials;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
  /** Attempts for a retried request, the first included (default 5). */
  readonly maxAttempts?: number;
  /** First backoff (default 250 ms); doubles per attempt up to `maxBackoffMs` (default 8 s). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** The clock for Retry-After dates (default Date.now). */
  readonly now?: () => number;
  /** The longest Retry-After waited (default 60 s). */
  readonly maxRetryAfterMs?: number;
}

/** An HTTP answer with an error status. `code` is Alpaca's error code when the body has one. */
export class AlpacaHttpError extends Error {
  readonly userFacing = true;
  constructor(readonly status: number, readonly code: number | null, readonly detail: string, method: string, path: string,
    /** What Retry-After asked for, in ms (null: nothing usable). */
    readonly retryAfter: number | null = null) {
    const hint = status === 401 || status === 403 && code !== 40310000
      ? ' (check APCA_API_KEY_ID and APCA_API_SECRET_KEY, and that they belong to this host)'
      : '';
    super(`Alpaca ${method} ${path}: HTTP ${status}${code === null ? '' : ` (code ${code})`}: ${detail}${hint}`);
    this.name = 'AlpacaHttpError';
  }
}

/** No answer: a timeout, a reset connection. For a write, the server may or may not have acted on it. */
export class AlpacaTransportError extends Error {
  readonly userFacing = true;
  constructor(readonly reason: string, method: string, path: string) {
    super(`Alpaca ${method} ${path}: no answer (${reason})`);
    this.name = 'AlpacaTransportError';
  }
}

/** A 3xx answer: refused, not followed (the keys go to the configured host only). */
export class AlpacaRedirectError extends Error {
  readonly userFacing = true;
  constructor(readonly status: number, readonly target: string, method: string, path: string) {
    super(`Alpaca ${method} ${path}: HTTP ${status} redirect to ${target}, not followed (the keys are sent to the configured host only)`);
    this.name = 'AlpacaRedirectError';
  }
}

/** The host a Location header points at, for the message (never its path or query). */
function redirectTarget(location: string | null, from: string): string {
  if (location === null) return 'no Location';
  try {
    return `host ${new URL(location, from).host}`;
  } catch {
    return 'an unreadable Location';
  }
}

/** Retry-After in ms: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

// ------------------------------------------------------------------ the documented JSON shapes

export interface AlpacaAccount {
  id: string;
  account_number?: string;
  status: string;
  currency?: string;
  cash: string;
  equity: string;
  buying_power: string;
  portfolio_value?: string;
  trading_blocked: boolean;
  account_blocked?: boolean;
}

export interface AlpacaOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at?: string | null;
  submitted_at?: string | null;
  filled_at: string | null;
  canceled_at?: string | null;
  expired_at?: string | null;
  failed_at?: string | null;
  symbol: string;
  asset_class?: string;
  qty: string | null;
  notional?: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  order_type?: string;
  type: string;
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price?: string | null;
  stop_price?: string | null;
  status: string;
  extended_hours?: boolean;
}

export interface AlpacaPosition {
  asset_id?: string;
  symbol: string;
  exchange?: string;
  asset_class?: string;
  avg_entry_price: string;
  qty: string;
  qty_available?: string;
  side: 'long' | 'short';
  market_value?: string;
  cost_basis?: string;
  current_price?: string;
}

export interface AlpacaClock {
  timestamp: string;
  is_open: boolean;
  next_open: string;
  next_close: string;
}

export interface AlpacaCalendarDay {
  date: string;
  open: string;
  close: string;
  session_open?: string;
  session_close?: string;
  settlement_date?: string;
}

export interface AlpacaBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export interface AlpacaBarsPage {
  bars: AlpacaBar[] | null;
  symbol: string;
  next_page_token: string | null;
}

export interface NewOrderBody {
  symbol: string;
  qty: string;
  side: 'buy' | 'sell';
  type: 'market';
  time_in_force: 'opg' | 'day';
  client_order_id: string;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface AlpacaClient {
  readonly baseUrl: string;
  readonly dataUrl: string;
  getAccount(): Promise<AlpacaAccount>;
  listPositions(): Promise<AlpacaPosition[]>;
  /** POST /v2/orders, sent once: the caller decides about resending. */
  createOrder(body: NewOrderBody): Promise<AlpacaOrder>;
  getOrder(id: string): Promise<AlpacaOrder>;
  /** null on 404. */
  getOrderByClientOrderId(clientOrderId: string): Promise<AlpacaOrder | null>;
  listOrders(status: 'open' | 'closed' | 'all'): Promise<AlpacaOrder[]>;
  cancelOrder(id: string): Promise<void>;
  getClock(): Promise<AlpacaClock>;
  getCalendar(start: string, end: string): Promise<AlpacaCalendarDay[]>;
  /** Daily bars, every page. */
  getDailyBars(symbol: string, start: string, end: string | undefined, adjustment: 'raw' | 'split' | 'all', feed?: string): Promise<AlpacaBar[]>;
  /**
   * Waits before retry number `attempt` (0-based): what the failure's Retry-After asked for
   * (up to a bound), else the backoff with jitter.
   */
  backoff(attempt: number, failure?: unknown): Promise<void>;
}

/** Equal jitter: half the exponential delay, plus a random share of the other half. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export function createAlpacaClient(options: AlpacaClientOptions): AlpacaClient {
  const { keyId, secretKey } = options.credentials;
  if (keyId === '' || secretKey === '') throw new Error('Alpaca credentials are empty');
  const secrets = [keyId, secretKey];
  const baseUrl = (options.baseUrl ?? alpacaPaperUrl).replace(/\/+$/, '');
  const dataUrl = (options.dataUrl ?? alpacaDataUrl).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const backoff = (attempt: number, failure?: unknown) => {
    const asked = failure instanceof AlpacaHttpError ? failure.retryAfter : null;
    if (asked !== null && asked > 0) return sleep(Math.min(asked, options.maxRetryAfterMs ?? 60_000));
    return sleep(backoffDelay(attempt, options.backoffMs ?? 250, options.maxBackoffMs ?? 8_000, random));
  };

  /** One HTTP exchange. Throws AlpacaHttpError on an error status, AlpacaTransportError on no answer. */
  async function exchange(method: string, url: string, path: string, body?: unknown): Promise<{ status: number; text: string; retryAfter: number | null }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'APCA-API-KEY-ID': keyId,
          'APCA-API-SECRET-KEY': secretKey,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect is never followed: fetch would resend the key headers and the order body to its target.
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
      throw new AlpacaTransportError(redact(String(reason), secrets), method, path);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new AlpacaTransportError(redact(`the answer was cut: ${(error as Error).message}`, secrets), method, path);
    }
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), now());
    if (response.status >= 300 && response.status < 400) {
      throw new AlpacaRedirectError(response.status, redirectTarget(response.headers.get('location'), url), method, path);
    }
    if (response.status >= 400) {
      let code: number | null = null;
      let detail = redact(text, secrets).slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { code?: number; message?: string };
        if (typeof parsed.code === 'number') code = parsed.code;
        if (typeof parsed.message === 'string') detail = redact(parsed.message, secrets).slice(0, 300);
      } catch {
        // Not JSON (a proxy's HTML page): keep the start of the text.
      }
      throw new AlpacaHttpError(response.status, code, redact(detail, secrets), method, path, retryAfter);
    }
    return { status: response.status, text, retryAfter };
  }

  function retryable(error: unknown): boolean {
    if (error instanceof AlpacaTransportError) return true;
    return error instanceof AlpacaHttpError && (error.status === 429 || error.status >= 500);
  }

  /** A read, retried on 429, 5xx and no answer. */
  async function read<T>(schema: z.ZodType, url: string, path: string, allow404 = false): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { text } = await exchange('GET', url, path);
        return parseBody(schema, text, 'GET', path, secrets) as T;
      } catch (error) {
        if (allow404 && error instanceof AlpacaHttpError && error.status === 404) return null;
        if (!retryable(error) || attempt + 1 >= maxAttempts) throw error;
        await backoff(attempt, error);
      }
    }
  }

  const trading = (path: string) => `${baseUrl}${path}`;

  return {
    baseUrl,
    dataUrl,
    backoff,
    async getAccount() {
      return (await read<AlpacaAccount>(accountSchema, trading('/v2/account'), '/v2/account')) as AlpacaAccount;
    },
    async listPositions() {
      return (await read<AlpacaPosition[]>(z.array(positionSchema), trading('/v2/positions'), '/v2/positions')) as AlpacaPosition[];
    },
    async createOrder(body) {
      const { text } = await exchange('POST', trading('/v2/orders'), '/v2/orders', body);
      return parseBody(orderSchema, text, 'POST', '/v2/orders', secrets) as AlpacaOrder;
    },
    async getOrder(id) {
      const path = `/v2/orders/${encodeURIComponent(id)}`;
      return (await read<AlpacaOrder>(orderSchema, trading(path), path)) as AlpacaOrder;
    },
    async getOrderByClientOrderId(clientOrderId) {
      const path = `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`;
      return read<AlpacaOrder>(orderSchema, trading(path), '/v2/orders:by_client_order_id', true);
    },
    async listOrders(status) {
      const path = `/v2/orders?status=${status}&limit=500&direction=asc&nested=false`;
      return (await read<AlpacaOrder[]>(z.array(orderSchema), trading(path), '/v2/orders')) as AlpacaOrder[];
    },
    async cancelOrder(id) {
      const path = `/v2/orders/${encodeURIComponent(id)}`;
      for (let attempt = 0; ; attempt++) {
        try {
          await exchange('DELETE', trading(path), path);
          return;
        } catch (error) {
          // 422: the order is no longer cancelable (filled or done): nothing to cancel.
          if (error instanceof AlpacaHttpError && (error.status === 422 || error.status === 404)) return;
          // Cancelling twice is harmless, so a cancel is retried like a read.
          if (!retryable(error) || attempt + 1 >= maxAttempts) throw error;
          await backoff(attempt, error);
        }
      }
    },
    async getClock() {
      return (await read<AlpacaClock>(clockSchema, trading('/v2/clock'), '/v2/clock')) as AlpacaClock;
    },
    async getCalendar(start, end) {
      const path = `/v2/calendar?start=${start}&end=${end}`;
      return (await read<AlpacaCalendarDay[]>(z.array(calendarDaySchema), trading(path), '/v2/calendar')) as AlpacaCalendarDay[];
    },
    async getDailyBars(symbol, start, end, adjustment, feed) {
      const bars: AlpacaBar[] = [];
      let pageToken: string | null = null;
      const path = `/v2/stocks/${encodeURIComponent(symbol)}/bars`;
      do {
        const query = new URLSearchParams({ timeframe: '1Day', start, adjustment, limit: '10000' });
        if (end !== undefined) query.set('end', end);
        if (feed !== undefined) query.set('feed', feed);
        if (pageToken !== null) query.set('page_token', pageToken);
        const page = (await read<AlpacaBarsPage>(barsPageSchema, `${dataUrl}${path}?${query.toString()}`, path)) as AlpacaBarsPage;
        for (const bar of page.bars ?? []) bars.push(bar);
        pageToken = page.next_page_token ?? null;
      } while (pageToken !== null && pageToken !== '');
      return bars;
    },
  };
}
