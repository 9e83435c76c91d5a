import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors';
import { barCacheWanted, loadThroughBarCache } from './bar-cache';
import type { BarSeries } from './bars';
import { splitPlain, splitQuoted } from './csv-records';
import { BarBuilder, type DroppedRow } from './validate-row';

export type { DroppedRow, InvalidRowReason } from './validate-row';

/**
 * Daily bar CSV loader.
 *
 * Accepted files: a header line, then one row per day, ascending by date. The header may be in any
 * order and any case; these columns are recognised (everything else, e.g. `Name`, is ignored):
 *
 *   date | open | high | low | close | volume          required
 *   Adj Close | adj_close | adjclose                   optional (used by `adjust`)
 *
 * Alpha Vantage style headers (`1. open`, `5. volume`) are accepted too: a leading `N. ` is stripped.
 *
 * Every row is validated. A bad row is a `DataError` whose message names the file, the 1-based
 * physical line (the header is line 1), the column and the offending value:
 *   - wrong number of fields (or an empty line between rows),
 *   - a date that is not a real calendar date `YYYY-MM-DD` (timestamps are rejected),
 *   - a date equal to (duplicate) or before (out of order) the last kept row's date,
 *   - an empty or unparsable number, NaN, Infinity,
 *   - a price <= 0, high < max(open, close), low > min(open, close), a negative volume
 *     (zero volume is valid: thin or halted days exist in real data).
 * With `invalidRows: 'error'` (default) the first bad row is thrown. With `'drop'` every bad row is
 * dropped and listed in `dropped` (one entry per row, for its first problem); ordering checks then
 * compare with the last *kept* date, so one dropped row does not condemn the next ones.
 * Blank lines at the very end of the file are not rows and are ignored; a blank line between rows is an error.
 *
 * Parsing: a file without any `"` character (the usual case) is split by hand, which is about
 * ten times faster than csv-parse; a file with quotes goes through csv-parse. Both paths give
 * the same records, line numbers and errors.
 */

export interface LoadBarsOptions {
  /** Symbol of the series. Default: the file name without `.csv` / `.csv.gz` and without a `_data` suffix. */
  symbol?: string;
  /**
   * Scale open, high, low and close by `Adj Close / Close` (close becomes Adj Close; volume is unchanged).
   * A DataError if the file has no Adj Close column.
   */
  adjust?: boolean;
  /** What to do with a bad row: throw (default) or drop it and list it in `dropped`. */
  invalidRows?: 'error' | 'drop';
  /**
   * Read the bars from the columnar cache when it holds this file's bytes with these options, and
   * fill it otherwise (see bar-cache.ts; folder `$AQ_CACHE_DIR` or `~/.cache/aq-research`).
   * Default: off, unless `AQ_CACHE=on` in the environment; `AQ_CACHE=off` turns it off even when asked.
   */
  cache?: boolean;
}

export interface LoadedBars {
  bars: BarSeries;
  dropped: DroppedRow[];
}

/** The symbol `loadBarsFile` uses when none is given: `data/AAPL_data.csv.gz` -> `AAPL`. */
export function symbolFromFileName(path: string): string {
  return basename(path).replace(/\.csv(\.gz)?$/i, '').replace(/_data$/i, '');
}

/**
 * Loads a `.csv` or `.csv.gz` file of daily bars. A file that cannot be read is a DataError too.
 * With `cache: true` the result is the same, value for value (and the same dropped rows), from the
 * cache when it holds an entry for these exact bytes and options.
 */
export function loadBarsFile(path: string, options: LoadBarsOptions = {}): LoadedBars {
  const resolved = { ...options, symbol: options.symbol ?? symbolFromFileName(path) };
  const policy = options.invalidRows ?? 'error';
  // An unknown policy goes straight to the parser, which names it in its error.
  if (barCacheWanted(options.cache) && (policy === 'error' || policy === 'drop')) {
    const loaderOptions = { adjust: options.adjust === true, invalidRows: policy };
    const { bars, dropped } = loadThroughBarCache(path, resolved.symbol, loaderOptions, (raw) => parseBarsBytes(raw, path, resolved));
    return { bars, dropped };
  }
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read bars file: ${(error as Error).message}`, path);
  }
  return parseBarsBytes(raw, path, resolved);
}

function parseBarsBytes(raw: Buffer, path: string, options: LoadBarsOptions): LoadedBars {
  let bytes = raw;
  if (/\.gz$/i.test(path)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DataError(`is not a valid gzip file: ${(error as Error).message}`, path);
    }
  }
  return parseBarsCsv(bytes.toString('utf8'), path, options);
}

/**
 * Parses CSV text of daily bars. `file` is used in error messages and as the series' source.
 * See the module comment for the format and the checks.
 */
export function parseBarsCsv(text: string, file: string, options: LoadBarsOptions = {}): LoadedBars {
  const policy = options.invalidRows ?? 'error';
  if (policy !== 'error' && policy !== 'drop') {
    throw new DataError(`invalidRows must be 'error' or 'drop', got "${String(policy)}"`, file);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Blank lines (and trailing spaces) at the very end are not rows.
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c === 10 || c === 13 || c === 32 || c === 9) end--;
    else break;
  }
  if (end === 0) {
    throw new DataError('is empty: expected a header line such as date,open,high,low,close,volume', file, 1);
  }

  // The number of line breaks bounds the number of data rows from above.
  let capacity = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) capacity++;
  const builder = new BarBuilder(file, capacity, options.adjust === true, policy);
  if (text.indexOf('"') === -1) splitPlain(text, end, builder);
  else splitQuoted(text.slice(0, end), file, builder);

  const { kept, rows, dropped } = builder;
  if (rows === 0) throw new DataError('has a header but no data rows', file, 1);
  if (kept === 0) {
    throw new DataError(`has no valid rows: all ${rows} data rows were dropped; the first: ${dropped[0].message}`, file);
  }
  const cut = (column: Float64Array): Float64Array => (kept === capacity ? column : column.slice(0, kept));
  return {
    bars: {
      symbol: options.symbol ?? symbolFromFileName(file),
      source: file,
      dates: builder.dates,
      open: cut(builder.open),
      high: cut(builder.high),
      low: cut(builder.low),
      close: cut(builder.close),
      volume: cut(builder.volume),
    },
    dropped,
  };
}
