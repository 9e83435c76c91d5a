import type { Bar } from '../data/bars';
import { newYorkDateOf } from '../data/calendar';
import { DataSourceError } from './data-source-error';
import { getText, type HttpOptions } from './http';
import type { FetchBarsRequest } from './source-options';

/**
 * alpaca: market data API v2, GET /v2/stocks/{symbol}/bars?timeframe=1Day&adjustment=split
 * (split-adjusted, not dividend-adjusted), all pages, dated in New York time. Only the market
 * data read lives here; trading through Alpaca is the broker's (src/brokers/alpaca). The keys
 * travel only in the APCA-API-KEY-ID / APCA-API-SECRET-KEY headers and are redacted from errors.
 */
interface AlpacaBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

interface AlpacaBarsPage {
  bars: AlpacaBar[] | null;
  next_page_token: string | null;
}

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

export async function fetchAlpacaBars(
  base: string,
  request: FetchBarsRequest,
  to: string,
  credentials: AlpacaCredentials | undefined,
  feed: string | undefined,
  options: HttpOptions,
): Promise<Bar[]> {
  if (credentials === undefined || credentials.keyId === '' || credentials.secretKey === '') {
    throw new DataSourceError('alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment', 'alpaca');
  }
  const policy = {
    source: 'alpaca',
    // The broker client's read policy: five attempts from 250 ms.
    attempts: 5,
    backoffMs: 250,
    headers: { 'APCA-API-KEY-ID': credentials.keyId, 'APCA-API-SECRET-KEY': credentials.secretKey, Accept: 'application/json' },
    secrets: [credentials.keyId, credentials.secretKey],
    unauthorizedHint: '(check APCA_API_KEY_ID and APCA_API_SECRET_KEY, and that they belong to this host)',
  };
  const path = `/v2/stocks/${encodeURIComponent(request.symbol)}/bars`;
  const what = `alpaca GET ${path}`;
  const bars: Bar[] = [];
  let pageToken: string | null = null;
  do {
    const query = new URLSearchParams({ timeframe: '1Day', start: request.from, adjustment: 'split', limit: '10000', end: to });
    if (feed !== undefined) query.set('feed', feed);
    if (pageToken !== null) query.set('page_token', pageToken);
    const text = await getText(`${base}${path}?${query.toString()}`, options, what, policy);
    let page: AlpacaBarsPage;
    try {
      page = JSON.parse(text) as AlpacaBarsPage;
    } catch {
      throw new DataSourceError(`${what}: the answer is not JSON: "${text.slice(0, 80)}"`, 'alpaca');
    }
    for (const bar of page.bars ?? []) {
      bars.push({ date: newYorkDateOf(bar.t), open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v });
    }
    pageToken = page.next_page_token;
  } while (pageToken !== null && pageToken !== '');
  return bars;
}
