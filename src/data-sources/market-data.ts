import type { Bar } from '../data/bars';
import { fetchAlpacaBars } from './alpaca';
import type { FetchBarsRequest, MarketDataOptions, MarketDataSource } from './source-options';
import { fetchStooqBars } from './stooq';
import { fetchYahooBars } from './yahoo';

/**
 * Daily bars from three sources (alpaca.ts, stooq.ts, yahoo.ts), as `Bar` rows dated in exchange
 * (New York) time. A source that cannot deliver is a DataSourceError; a bad row it delivers is a
 * DataError naming the row.
 */
export type { FetchBarsRequest, MarketDataOptions, MarketDataSource } from './source-options';

export const marketDataSources: readonly MarketDataSource[] = ['alpaca', 'stooq', 'yahoo'];

export const defaultSourceUrls: Readonly<Record<MarketDataSource, string>> = {
  alpaca: 'https://data.alpaca.markets',
  stooq: 'https://stooq.com',
  yahoo: 'https://query1.finance.yahoo.com',
};

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function fetchDailyBars(request: FetchBarsRequest, options: MarketDataOptions): Promise<Bar[]> {
  const to = request.to ?? today();
  const base = (options.baseUrl ?? defaultSourceUrls[options.source]).replace(/\/+$/, '');
  if (options.source === 'alpaca') return fetchAlpacaBars(base, request, to, options.credentials, options.feed, options);
  if (options.source === 'stooq') return fetchStooqBars(base, request, to, options);
  return fetchYahooBars(base, request, to, options);
}
