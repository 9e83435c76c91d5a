import type { Bar } from '../data/bars';
import { DataError } from '../errors';
import type { FetchBarsRequest } from './source-options';
import { getText, type HttpOptions } from './http';

/**
 * yahoo: the chart API https://query1.finance.yahoo.com/v8/finance/chart/SYMBOL?period1&period2&interval=1d
 * (open/high/low/close split-adjusted by Yahoo; days without a quote are skipped).
 */
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

export async function fetchYahooBars(base: string, request: FetchBarsRequest, to: string, options: HttpOptions): Promise<Bar[]> {
  const period1 = Math.floor(Date.parse(`${request.from}T00:00:00Z`) / 1000);
  const period2 = Math.floor(Date.parse(`${to}T23:59:59Z`) / 1000);
  const url = `${base}/v8/finance/chart/${encodeURIComponent(request.symbol)}?period1=${period1}&period2=${period2}&interval=1d&events=split`;
  const what = `yahoo ${request.symbol}`;
  const text = await getText(url, options, what, { source: 'yahoo', attempts: 4, backoffMs: 500 });
  return parseYahooChart(text, what).filter((bar) => bar.date >= request.from && bar.date <= to);
}
