import type { HttpOptions } from './http';

/** The sources `fetchDailyBars` can download from (see market-data.ts). */
export type MarketDataSource = 'alpaca' | 'stooq' | 'yahoo';

export interface FetchBarsRequest {
  readonly symbol: string;
  readonly from: string;
  /** Inclusive; default: today. */
  readonly to?: string;
}

export interface MarketDataOptions extends HttpOptions {
  readonly source: MarketDataSource;
  readonly baseUrl?: string;
  readonly credentials?: { keyId: string; secretKey: string };
  readonly feed?: string;
}
