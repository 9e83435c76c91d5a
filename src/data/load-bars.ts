import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { DataError } from '../errors';
import type { BarSeries } from './bars';

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
}

/** Why a row was rejected (`DroppedRow.reason`). */
export type InvalidRowReason =
  | 'field-count'
  | 'bad-date'
  | 'duplicate-date'
  | 'out-of-order-date'
  | 'empty-value'
  | 'not-a-number'
  | 'non-positive-price'
  | 'high-below-open-close'
  | 'low-above-open-close'
  | 'negative-volume';

export interface DroppedRow {
  file: string;
  /** 1-based physical line in the file (header = line 1). */
  line: number;
  /** The column as written in the file's header (`(row)` for a field-count problem). */
  column: string;
  value: string;
  reason: InvalidRowReason;
  /** The full DataError message that `invalidRows: 'error'` would have thrown. */
  message: string;
}

export interface LoadedBars {
  bars: BarSeries;
  dropped: DroppedRow[];
}

/** The symbol `loadBarsFile` uses when none is given: `data/AAPL_data.csv.gz` -> `AAPL`. */
export function symbolFromFileName(path: string): string {
  return basename(path).replace(/\.csv(\.gz)?$/i, '').replace(/_data$/i, '');
}

/** Loads a `.csv` or `.csv.gz` file of daily bars. A file that cannot be read is a DataError too. */
export function loadBarsFile(path: string, options: LoadBarsOptions = {}): LoadedBars {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read bars file: ${(error as Error).message}`, path);
  }
  if (/\.gz$/i.test(path)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new DataError(`is not a valid gzip file: ${(error as Error).message}`, path);
    }
  }
  const resolved = { ...options, symbol: options.symbol ?? symbolFromFileName(path) };
  return parseBarsCsv(bytes.toString('utf8'), path, resolved);
}

type Canonical = 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'adjclose';
const REQUIRED: readonly Canonical[] = ['date', 'open', 'high', 'low', 'close', 'volume'];

function canonicalHeader(name: string): Canonical | undefined {
  const key = name.trim().toLowerCase().replace(/^\d+\.\s*/, '').replace(/[\s_]+/g, '');
  switch (key) {
    case 'date':
    case 'open':
    case 'high':
    case 'low':
    case 'close':
    case 'volume':
    case 'adjclose':
      return key;
    default:
      return undefined;
  }
}

/**
 * One record: its fields are `src.slice(starts[i], ends[i])` for i < count (only the first
 * `starts.length` offsets are stored; `count` may be larger). `raw` is the record as text.
 */
interface RecordView {
  src: string;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  rawStart: number;
  rawEnd: number;
}

/** Receives the header's fields, then each data record with the physical line it starts on. */
interface RecordSink {
  header(fields: string[]): number;
  record(view: RecordView, line: number): void;
}

/** Quote-free text: lines and commas are split by hand, without making a string per field. Handles LF and CRLF. */
function splitPlain(text: string, length: number, sink: RecordSink): void {
  let lineStart = 0;
  let line = 1;
  let view: RecordView | undefined;
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > length) lineEnd = length;
    const next = lineEnd + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (view === undefined) {
      const slots = sink.header(text.slice(lineStart, lineEnd).split(','));
      view = { src: text, starts: new Int32Array(slots), ends: new Int32Array(slots), count: 0, rawStart: 0, rawEnd: 0 };
    } else {
      const { starts, ends } = view;
      const slots = starts.length;
      let count = 0;
      let fieldStart = lineStart;
      for (let comma = text.indexOf(',', lineStart); comma !== -1 && comma < lineEnd; comma = text.indexOf(',', comma + 1)) {
        if (count < slots) {
          starts[count] = fieldStart;
          ends[count] = comma;
        }
        count++;
        fieldStart = comma + 1;
      }
      if (count < slots) {
        starts[count] = fieldStart;
        ends[count] = lineEnd;
      }
      view.count = count + 1;
      view.rawStart = lineStart;
      view.rawEnd = lineEnd;
      sink.record(view, line);
    }
    lineStart = next;
    line++;
  }
}

/** Text with quotes: csv-parse, with the start line of each record computed from byte offsets. */
function splitQuoted(text: string, file: string, sink: RecordSink): void {
  const buffer = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(buffer, { info: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new DataError(`is not valid CSV: ${(error as Error).message}`, file, lines);
  }
  let offset = 0;
  let line = 1;
  let view: RecordView | undefined;
  for (const { record, info } of records) {
    if (view === undefined) {
      const slots = sink.header(record);
      view = { src: '', starts: new Int32Array(slots), ends: new Int32Array(slots), count: 0, rawStart: 0, rawEnd: 0 };
    } else {
      let position = 0;
      for (let i = 0; i < record.length && i < view.starts.length; i++) {
        view.starts[i] = position;
        position += record[i].length;
        view.ends[i] = position;
        position++; // the ',' of join
      }
      view.src = record.join(',');
      view.count = record.length;
      view.rawStart = 0;
      view.rawEnd = view.src.length;
      sink.record(view, line);
    }
    for (let i = offset; i < info.bytes; i++) if (buffer[i] === 10) line++;
    offset = info.bytes;
  }
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 9007199254740991;

/**
 * Parses `src.slice(start, end)` as a decimal number `[+-]digits[.digits][e[+-]digits]`; NaN when it is
 * empty, not of that form, or not finite. The result is identical to `Number(text)` (for at most
 * 15-16 significant digits the mantissa is an exact integer and one correctly rounded division by an
 * exact power of ten gives the correctly rounded value; anything else is handed to `Number`).
 */
export function parseDecimal(src: string, start = 0, end = src.length): number {
  let i = start;
  let c = src.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  while (i < end && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
    mantissa = mantissa * 10 + c;
    digits++;
    i++;
  }
  if (i < end && src.charCodeAt(i) === 46) {
    i++;
    while (i < end && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
      mantissa = mantissa * 10 + c;
      digits++;
      decimals++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    c = src.charCodeAt(i);
    if (c !== 101 && c !== 69) return NaN;
    i++;
    if (i < end && ((c = src.charCodeAt(i)) === 45 || c === 43)) i++;
    if (i === end) return NaN;
    for (; i < end; i++) {
      c = src.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
    }
    const value = Number(src.slice(start, end));
    return Number.isFinite(value) ? value : NaN;
  }
  if (mantissa > MAX_EXACT || decimals > 22) {
    const value = Number(src.slice(start, end));
    return Number.isFinite(value) ? value : NaN;
  }
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals];
  return negative ? -value : value;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when `src.slice(start, end)` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(src: string, start = 0, end = src.length): boolean {
  return isoDateKey(src, start, end) >= 0;
}

/**
 * `year * 512 + month * 32 + day` when `src.slice(start, end)` is a real calendar date written
 * `YYYY-MM-DD`, else -1.
 */
function isoDateKey(src: string, start: number, end: number): number {
  if (end - start !== 10 || src.charCodeAt(start + 4) !== 45 || src.charCodeAt(start + 7) !== 45) return -1;
  let year = 0;
  for (let i = start; i < start + 4; i++) {
    const d = src.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = src.charCodeAt(start + 5) - 48;
  const m2 = src.charCodeAt(start + 6) - 48;
  const d1 = src.charCodeAt(start + 8) - 48;
  const d2 = src.charCodeAt(start + 9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return -1;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month])) return -1;
  return year * 512 + month * 32 + day;
}

/**
 * One string per calendar date for every file loaded in the process, by date key: 500 symbols
 * over 20 years share 5,000 date strings instead of holding 2.5 million copies, which the
 * garbage collector would trace on every full collection; and the engine's calendar merges
 * then compare identical strings. At most one string per distinct date ever read.
 */
const internedDates = new Map<number, string>();

function internDate(src: string, start: number, end: number, key: number): string {
  let date = internedDates.get(key);
  if (date === undefined) {
    date = src.slice(start, end);
    internedDates.set(key, date);
  }
  return date;
}

/** A bad row, before it becomes a DataError. */
class RowProblem {
  constructor(
    readonly reason: InvalidRowReason,
    readonly column: string,
    readonly value: string,
    readonly detail: string,
  ) {}
}

/** Validates records and fills the columns. */
class BarBuilder implements RecordSink {
  columns: string[] = [];
  fieldCount = 0;
  iDate = -1;
  iOpen = -1;
  iHigh = -1;
  iLow = -1;
  iClose = -1;
  iVolume = -1;
  iAdj = -1;
  readonly dates: string[] = [];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly dropped: DroppedRow[] = [];
  kept = 0;
  rows = 0;
  lastDate = '';
  lastLine = 0;

  constructor(
    readonly file: string,
    readonly capacity: number,
    readonly adjust: boolean,
    readonly policy: 'error' | 'drop',
  ) {
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  header(fields: string[]): number {
    const { file } = this;
    const header = fields.map((name) => name.trim());
    this.columns = header;
    this.fieldCount = header.length;
    const seen = new Map<Canonical, number>();
    header.forEach((name, index) => {
      const key = canonicalHeader(name);
      if (key === undefined) return;
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new DataError(
          `is a second "${key}" column (field ${index + 1}; also "${header[previous]}", field ${previous + 1})`,
          file, 1, name,
        );
      }
      seen.set(key, index);
    });
    for (const key of REQUIRED) {
      if (!seen.has(key)) {
        throw new DataError(`required column is missing from the header "${header.join(',')}"`, file, 1, key);
      }
    }
    this.iDate = seen.get('date')!;
    this.iOpen = seen.get('open')!;
    this.iHigh = seen.get('high')!;
    this.iLow = seen.get('low')!;
    this.iClose = seen.get('close')!;
    this.iVolume = seen.get('volume')!;
    this.iAdj = seen.get('adjclose') ?? -1;
    if (this.adjust && this.iAdj === -1) {
      throw new DataError(
        `adjust was requested but the header "${header.join(',')}" has no Adj Close column`,
        file, 1, 'Adj Close',
      );
    }
    return this.fieldCount;
  }

  record(view: RecordView, line: number): void {
    this.rows++;
    const problem = this.check(view);
    if (problem === undefined) {
      this.lastLine = line;
      return;
    }
    const error = new DataError(problem.detail, this.file, line, problem.column, problem.value);
    if (this.policy === 'error') throw error;
    this.dropped.push({
      file: this.file,
      line,
      column: problem.column,
      value: problem.value,
      reason: problem.reason,
      message: error.message,
    });
  }

  private text(view: RecordView, index: number): string {
    return view.src.slice(view.starts[index], view.ends[index]);
  }

  private problem(view: RecordView, reason: InvalidRowReason, index: number, detail: string): RowProblem {
    return new RowProblem(reason, this.columns[index], this.text(view, index), detail);
  }

  /** The field's value, or the problem when it is empty or not a finite decimal number. */
  private number(view: RecordView, index: number): number | RowProblem {
    const start = view.starts[index];
    const end = view.ends[index];
    if (start === end) return this.problem(view, 'empty-value', index, 'is empty');
    const value = parseDecimal(view.src, start, end);
    if (value !== value) return this.problem(view, 'not-a-number', index, 'is not a finite decimal number');
    return value;
  }

  private price(view: RecordView, index: number): number | RowProblem {
    const value = this.number(view, index);
    if (typeof value === 'number' && value <= 0) {
      return this.problem(view, 'non-positive-price', index, 'is not a positive price');
    }
    return value;
  }

  /** Appends the row, or returns what is wrong with it. */
  private check(view: RecordView): RowProblem | undefined {
    if (view.count !== this.fieldCount) {
      const raw = view.src.slice(view.rawStart, view.rawEnd);
      return raw === ''
        ? new RowProblem('field-count', '(row)', raw, `is an empty line; expected ${this.fieldCount} fields`)
        : new RowProblem('field-count', '(row)', raw, `has ${view.count} fields; the header has ${this.fieldCount}`);
    }
    const { src, starts, ends } = view;
    const iDate = this.iDate;
    const dateKey = isoDateKey(src, starts[iDate], ends[iDate]);
    if (dateKey < 0) return this.problem(view, 'bad-date', iDate, 'is not a calendar date YYYY-MM-DD');
    const o = this.price(view, this.iOpen);
    if (typeof o !== 'number') return o;
    const h = this.price(view, this.iHigh);
    if (typeof h !== 'number') return h;
    const l = this.price(view, this.iLow);
    if (typeof l !== 'number') return l;
    const c = this.price(view, this.iClose);
    if (typeof c !== 'number') return c;
    const v = this.number(view, this.iVolume);
    if (typeof v !== 'number') return v;
    if (v < 0) return this.problem(view, 'negative-volume', this.iVolume, 'is a negative volume');
    if (h < (o > c ? o : c)) {
      return this.problem(view, 'high-below-open-close', this.iHigh,
        `is below max(open ${this.text(view, this.iOpen)}, close ${this.text(view, this.iClose)})`);
    }
    if (l > (o < c ? o : c)) {
      return this.problem(view, 'low-above-open-close', this.iLow,
        `is above min(open ${this.text(view, this.iOpen)}, close ${this.text(view, this.iClose)})`);
    }
    let factor = 1;
    if (this.adjust) {
      const adjusted = this.price(view, this.iAdj);
      if (typeof adjusted !== 'number') return adjusted;
      factor = adjusted / c;
    }
    const date = internDate(src, starts[iDate], ends[iDate], dateKey);
    const n = this.kept;
    if (n > 0 && date <= this.lastDate) {
      return date === this.lastDate
        ? this.problem(view, 'duplicate-date', iDate, `duplicates the date of line ${this.lastLine}`)
        : this.problem(view, 'out-of-order-date', iDate,
          `is before the previous date ${this.lastDate} (line ${this.lastLine}); rows must be in ascending date order`);
    }
    this.dates.push(date);
    if (factor === 1) {
      this.open[n] = o;
      this.high[n] = h;
      this.low[n] = l;
      this.close[n] = c;
    } else {
      // Every price times the same factor keeps low <= open, close <= high exactly.
      this.open[n] = o * factor;
      this.high[n] = h * factor;
      this.low[n] = l * factor;
      this.close[n] = c * factor;
    }
    this.volume[n] = v;
    this.kept = n + 1;
    this.lastDate = date;
    return undefined;
  }
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
