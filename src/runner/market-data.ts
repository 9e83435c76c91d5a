import type { Bar } from '../data/bars';
import { DataError } from '../errors';
import { newYorkDateOf } from '../brokers/alpaca/alpaca-broker';
import { backoffDelay, createAlpacaClient } from '../brokers/alpaca/client';
import { BrokerUnavailableError } from '../brokers/broker';

/**
 * Daily bars from three sources, as `Bar` rows dated in exchange (New York) time:
 *
 * - alpaca: market data API v2, GET /v2/stocks/{symbol}/bars?timeframe=1Day&adjustment=split
 *   (split-adjusted, not dividend-adjusted; keys APCA_API_KEY_ID / APCA_API_SECRET_KEY), all pages;
 * - stooq: the CSV download https://stooq.com/q/d/l/?s=SYMBOL.us&i=d&d1=YYYYMMDD&d2=YYYYMMDD
 *   (stooq adjusts its history itself);
 * - yahoo: the chart API https://query1.finance.yahoo.com/v8/finance/chart/SYMBOL?period1&period2&interval=1d
 *   (open/high/low/close split-adjusted by Yahoo; days without a quote are skipped).
 */
export type MarketDataSource = 'alpaca' | 'stooq' | 'yahoo';

export const marketDataSources: readonly MarketDataSource[] = ['alpaca', 'stooq', 'yahoo'];

export const defaultSourceUrls: Readonly<Record<MarketDataSource, string>> = {
  alpaca: 'https://data.alpaca.markets',
  stooq: 'https://stooq.com',
  yahoo: 'https://query1.finance.yahoo.com',
};

export interface FetchBarsRequest {
  readonly symbol: string;
  readonly from: string;
  /** Inclusive; default: today. */
  readonly to?: string;
}

export interface MarketDataOptions {
  readonly source: MarketDataSource;
  readonly baseUrl?: string;
  readonly credentials?: { keyId: string; secretKey: string };
  readonly feed?: string;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

async function getText(url: string, options: MarketDataOptions, what: string): Promise<string> {
  const attempts = 4;
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let reason = '';
    try {
      const response = await fetch(url, { headers: { 'User-Agent': 'aq-research/0.1 (daily bars)', Accept: '*/*' }, signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
      status = response.status;
      const text = await response.text();
      if (status < 400) return text;
      reason = `HTTP ${status}: ${text.slice(0, 200)}`;
      if (status !== 429 && status < 500) throw new BrokerUnavailableError(`${what}: ${reason}`);
    } catch (error) {
      if (error instanceof BrokerUnavailableError) throw error;
      reason = (error as Error).name === 'TimeoutError' ? 'timed out' : String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    }
    if (attempt + 1 >= attempts) throw new BrokerUnavailableError(`${what}: ${reason} (after ${attempts} attempts)`);
    await (options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms))))(backoffDelay(attempt, 500, 8_000, Math.random));
  }
}

function compact(date: string): string {
  return date.replace(/-/g, '');
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function parseStooqCsv(text: string, where: string): Bar[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase();
  if (header !== 'date,open,high,low,close,volume') {
    throw new DataError(`is not stooq's daily CSV (expected the header Date,Open,High,Low,Close,Volume, got "${lines[0]?.slice(0, 80) ?? ''}")`, where, 1);
  }
  return lines.slice(1).filter((line) => line.trim() !== '').map((line, i) => {
    const [date, open, high, low, close, volume] = line.split(',');
    const bar = { date, open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume ?? 0) };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || ![bar.open, bar.high, bar.low, bar.close, bar.volume].every(Number.isFinite)) {
      throw new DataError('is not a daily bar', where, i + 2, '(row)', line);
    }
    return bar;
  });
}

interface YahooChart {
  chart: {
    result: {
      meta: { exchangeTimezoneName?: string };
      timestamp?: number[];
      indicators: { quote: { open: (number | null)[]; high: (number | null)[]; low: (number | null)[]; close: (number | null)[]; volume: (number | null)[] }[] };
    }[] | null;
    error: { code: string; description: string } | null;
  };
}

export function parseYahooChart(json: string, where: string): Bar[] {
  let chart: YahooChart;
  try {
    chart = JSON.parse(json) as YahooChart;
  } catch {
    throw new DataError(`is not JSON: "${json.slice(0, 80)}"`, where);
  }
  if (chart.chart?.error) throw new DataError(`Yahoo says ${chart.chart.error.code}: ${chart.chart.error.description}`, where);
  const result = chart.chart?.result?.[0];
  if (result === undefined) throw new DataError('has no chart result', where);
  const zone = result.meta.exchangeTimezoneName ?? 'America/New_York';
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const quote = result.indicators.quote[0];
  const bars: Bar[] = [];
  (result.timestamp ?? []).forEach((seconds, i) => {
    const open = quote.open[i];
    const high = quote.high[i];
    const low = quote.low[i];
    const close = quote.close[i];
    const volume = quote.volume[i];
    // Yahoo lists days without a quote (halts, today before the open) with nulls: not a bar.
    if (open === null || high === null || low === null || close === null) return;
    bars.push({ date: format.format(new Date(seconds * 1000)), open, high, low, close, volume: volume ?? 0 });
  });
  return bars;
}

export async function fetchDailyBars(request: FetchBarsRequest, options: MarketDataOptions): Promise<Bar[]> {
  const to = request.to ?? today();
  const base = (options.baseUrl ?? defaultSourceUrls[options.source]).replace(/\/+$/, '');
  if (options.source === 'alpaca') {
    if (options.credentials === undefined) throw new BrokerUnavailableError('alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment');
    const client = createAlpacaClient({ dataUrl: base, credentials: options.credentials, timeoutMs: options.timeoutMs, sleep: options.sleep });
    const bars = await client.getDailyBars(request.symbol, request.from, to, 'split', options.feed);
    return bars.map((bar) => ({ date: newYorkDateOf(bar.t), open: bar.o, high: bar.h, low: bar.l, close: bar.c, volume: bar.v }));
  }
  if (options.source === 'stooq') {
    const ticker = request.symbol.includes('.') ? request.symbol.toLowerCase() : `${request.symbol.toLowerCase()}.us`;
    const url = `${base}/q/d/l/?s=${encodeURIComponent(ticker)}&i=d&d1=${compact(request.from)}&d2=${compact(to)}`;
    const text = await getText(url, options, `stooq ${request.symbol}`);
    if (/^no data/i.test(text.trim())) return [];
    return parseStooqCsv(text, `stooq ${request.symbol}`).filter((bar) => bar.date >= request.from && bar.date <= to);
  }
  const period1 = Math.floor(Date.parse(`${request.from}T00:00:00Z`) / 1000);
  const period2 = Math.floor(Date.parse(`${to}T23:59:59Z`) / 1000);
  const url = `${base}/v8/finance/chart/${encodeURIComponent(request.symbol)}?period1=${period1}&period2=${period2}&interval=1d&events=split`;
  const text = await getText(url, options, `yahoo ${request.symbol}`);
  return parseYahooChart(text, `yahoo ${request.symbol}`).filter((bar) => bar.date >= request.from && bar.date <= to);
}
