import { barAt, type Bar } from '../data/bars';
import { DataError } from '../errors';
import { parseBarsCsv } from '../data/load-bars';
import type { FetchBarsRequest } from './source-options';
import { getText, type HttpOptions } from './http';

/**
 * stooq: the CSV download https://stooq.com/q/d/l/?s=SYMBOL.us&i=d&d1=YYYYMMDD&d2=YYYYMMDD
 * (stooq adjusts its history itself). Its rows go through the bar loader's parser, so a bad row
 * is refused exactly as in a file: a DataError naming the line, the column and the value.
 */
const stooqHeader = 'date,open,high,low,close,volume';

/** Parses stooq's daily CSV; `where` names it in errors. An answer with only the header has no bars. */
export function parseStooqCsv(text: string, where: string): Bar[] {
  const trimmed = text.trim();
  const firstBreak = trimmed.search(/\r?\n/);
  const firstLine = firstBreak === -1 ? trimmed : trimmed.slice(0, firstBreak);
  // stooq answers its errors (a hit limit, an unknown symbol) as plain text with status 200.
  if (firstLine.trim().toLowerCase() !== stooqHeader) {
    throw new DataError(`is not stooq's daily CSV (expected the header Date,Open,High,Low,Close,Volume, got "${firstLine.slice(0, 80)}")`, where, 1);
  }
  if (firstBreak === -1) return [];
  const { bars } = parseBarsCsv(text, where);
  return bars.dates.map((_, i) => barAt(bars, i));
}

function compact(date: string): string {
  return date.replace(/-/g, '');
}

export async function fetchStooqBars(base: string, request: FetchBarsRequest, to: string, options: HttpOptions): Promise<Bar[]> {
  const ticker = request.symbol.includes('.') ? request.symbol.toLowerCase() : `${request.symbol.toLowerCase()}.us`;
  const url = `${base}/q/d/l/?s=${encodeURIComponent(ticker)}&i=d&d1=${compact(request.from)}&d2=${compact(to)}`;
  const what = `stooq ${request.symbol}`;
  const text = await getText(url, options, what, { source: 'stooq', attempts: 4, backoffMs: 500 });
  if (/^no data/i.test(text.trim())) return [];
  return parseStooqCsv(text, what).filter((bar) => bar.date >= request.from && bar.date <= to);
}
