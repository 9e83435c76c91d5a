import { crc32 } from 'node:zlib';
import { columnFromArray, dateDay, tableFromColumns, tableFromIPC, tableToIPC, Type, type Column } from '@uwdata/flechette';
import type { BarSeries } from './bars';
import { internDate, isoDateKey } from './scan-fields';
import type { DroppedRow } from './validate-row';

/**
 * One entry of the bar cache (bar-cache.ts) as bytes: an Arrow IPC file (Feather v2, readable by
 * `pandas.read_feather` and `polars.read_ipc`) with columns `date` (date32: days since 1970-01-01)
 * and `open high low close volume` (float64), and string metadata naming the format, the loader
 * options, the source's sha256, size and stat fingerprint, the row count, the dropped rows and a
 * CRC-32 of the whole file. The CRC is checked before the decoder sees the bytes: a damaged
 * flatbuffer header can make a decoder allocate without bound, and a damaged float would
 * otherwise come back as a wrong price. (CRC-32 runs at about 3 GB/s here, a few percent of a warm load.)
 * Written with flechette: it writes Arrow IPC files with custom schema metadata and reads float64
 * columns as zero-copy views of the file's bytes, which is all the cache needs.
 */

/** Bump when the layout or the meaning of an entry changes: older entries become misses. */
export const BAR_CACHE_FORMAT = '1';
const MAGIC = Buffer.from('ARROW1');
const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
const MS_PER_DAY = 86_400_000;
/**
 * The `aq.check` metadata value is `crc32:` and 8 hex digits: the CRC-32 of the file with those
 * 8 digits written as underscores, in each copy of the schema (the schema message near the start,
 * the footer near the end: the first and last `crc32:` of the file).
 */
const CHECK_PREFIX = Buffer.from('crc32:');
const CHECK_BLANK = Buffer.from('________');
const CHECK_LENGTH = CHECK_PREFIX.length + CHECK_BLANK.length;

/** The loader options that change the columns or the dropped rows. */
export interface CachedLoadOptions {
  adjust: boolean;
  invalidRows: 'error' | 'drop';
}

/** What an entry says about the source file it was made from. */
export interface CachedSource {
  /** sha256 of the source's raw bytes (the `.gz` bytes for a gzipped file). */
  sha256: string;
  bytes: number;
  /** `sourceFingerprint` of the source when it was read, or '' when it was too fresh to trust. */
  fingerprint: string;
}

/** The cached part of a load: everything of a loaded file except the symbol and source names. */
export interface CachedColumns {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  dropped: DroppedRow[];
}

export interface DecodedEntry {
  source: CachedSource;
  columns: CachedColumns;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` string the loader has validated (Howard Hinnant's days_from_civil). */
export function isoDateToDays(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of `isoDateToDays` (civil_from_days), or undefined outside years 0000..9999. */
export function daysToIsoDate(days: number): string | undefined {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Date strings by day number, shared with the loader's interned dates so that bars from the cache
 * and bars from CSV hold the very same strings (the engine's calendar merge relies on that for
 * speed). Days of 1900..2099 sit in a dense array (a lookup per bar is most of decoding an entry),
 * others in a map.
 */
const DENSE_FIRST_DAY = -25_567; // 1900-01-01
const DENSE_DAYS = 73_049; // through 2099-12-31
const denseDates: (string | undefined)[] = new Array<string | undefined>(DENSE_DAYS).fill(undefined);
const otherDates = new Map<number, string>();

function internedDateOfDay(days: number): string | undefined {
  const text = daysToIsoDate(days);
  return text === undefined ? undefined : internDate(text, 0, text.length, isoDateKey(text, 0, text.length));
}

function dateOfDay(days: number): string | undefined {
  const slot = days - DENSE_FIRST_DAY;
  if (slot >= 0 && slot < DENSE_DAYS) {
    const date = denseDates[slot];
    if (date !== undefined) return date;
    return (denseDates[slot] = internedDateOfDay(days));
  }
  let date = otherDates.get(days);
  if (date === undefined) {
    date = internedDateOfDay(days);
    if (date !== undefined) otherDates.set(days, date);
  }
  return date;
}

/**
 * The calendar decoded last: the files of a universe mostly share one, so a file whose days are a
 * run of it gets its dates by a byte comparison and a copy instead of a lookup per bar.
 */
let lastDays = new Int32Array(0);
let lastDates: string[] = [];

/** First index of `day` in the strictly ascending `days`, or -1. */
function indexOfDay(days: Int32Array, day: number): number {
  let low = 0;
  let high = days.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (days[middle] < day) low = middle + 1;
    else if (days[middle] > day) high = middle - 1;
    else return middle;
  }
  return -1;
}

function bytesOf(array: Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** The date strings of strictly ascending day numbers, or undefined when they are not. */
function datesOfDays(days: Int32Array): string[] | undefined {
  const rows = days.length;
  const start = indexOfDay(lastDays, days[0]);
  if (start >= 0 && start + rows <= lastDays.length && bytesOf(lastDays.subarray(start, start + rows)).equals(bytesOf(days))) {
    return lastDates.slice(start, start + rows);
  }
  const dates = new Array<string>(rows);
  let previous = -Infinity;
  for (let i = 0; i < rows; i++) {
    const day = days[i];
    const date = dateOfDay(day);
    if (date === undefined || day <= previous) return undefined;
    dates[i] = date;
    previous = day;
  }
  lastDays = days.slice();
  lastDates = dates;
  return dates.slice();
}

/** The Arrow IPC file bytes of an entry. */
export function encodeBarCacheEntry(
  bars: BarSeries,
  dropped: readonly DroppedRow[],
  options: CachedLoadOptions,
  source: CachedSource,
): Uint8Array {
  const n = bars.dates.length;
  const milliseconds = new Float64Array(n);
  for (let i = 0; i < n; i++) milliseconds[i] = isoDateToDays(bars.dates[i]) * MS_PER_DAY;
  const columns: [string, Column<unknown>][] = [['date', columnFromArray(milliseconds, dateDay())]];
  for (const name of PRICE_COLUMNS) columns.push([name, columnFromArray(bars[name])]);
  const table = tableFromColumns(columns);
  table.schema.metadata = new Map([
    ['aq.format', BAR_CACHE_FORMAT],
    ['aq.options', JSON.stringify(options)],
    ['aq.source.sha256', source.sha256],
    ['aq.source.bytes', String(source.bytes)],
    ['aq.source.fingerprint', source.fingerprint],
    ['aq.rows', String(n)],
    ['aq.dropped', JSON.stringify(dropped)],
    ['aq.check', `${CHECK_PREFIX.toString()}${CHECK_BLANK.toString()}`],
  ]);
  const ipc = tableToIPC(table, { format: 'file' }) as Uint8Array;
  const bytes = Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength);
  const blank = Buffer.concat([CHECK_PREFIX, CHECK_BLANK]);
  const first = bytes.indexOf(blank);
  const last = bytes.lastIndexOf(blank);
  const digits = Buffer.from(crc32(bytes).toString(16).padStart(8, '0'));
  digits.copy(bytes, first + CHECK_PREFIX.length);
  digits.copy(bytes, last + CHECK_PREFIX.length);
  return bytes;
}

/** True when the file's CRC-32 (check digits blanked) equals the digits it carries. */
function checksumMatches(bytes: Buffer): boolean {
  const first = bytes.indexOf(CHECK_PREFIX);
  const last = bytes.lastIndexOf(CHECK_PREFIX);
  if (first < 0 || last + CHECK_LENGTH > bytes.length || last - first < CHECK_LENGTH && last !== first) return false;
  const digits = bytes.subarray(first + CHECK_PREFIX.length, first + CHECK_LENGTH);
  if (!/^[0-9a-f]{8}$/.test(digits.toString('latin1'))) return false;
  if (!digits.equals(bytes.subarray(last + CHECK_PREFIX.length, last + CHECK_LENGTH))) return false;
  let crc = crc32(bytes.subarray(0, first + CHECK_PREFIX.length));
  crc = crc32(CHECK_BLANK, crc);
  if (last !== first) {
    crc = crc32(bytes.subarray(first + CHECK_LENGTH, last + CHECK_PREFIX.length), crc);
    crc = crc32(CHECK_BLANK, crc);
  }
  crc = crc32(bytes.subarray(last + CHECK_LENGTH), crc);
  return crc === Number.parseInt(digits.toString('latin1'), 16);
}

/**
 * The source description and columns of an entry, or undefined when the bytes are not a complete
 * entry of this format made with these options. Whether it matches the source file is the
 * caller's decision. Never throws on bad bytes.
 */
export function decodeBarCacheEntry(bytes: Uint8Array, options: CachedLoadOptions): DecodedEntry | undefined {
  // The IPC file format starts and ends with ARROW1: a truncated file fails the second check
  // before the decoder reads a footer offset out of the wrong bytes.
  if (bytes.length < 2 * MAGIC.length + 4) return undefined;
  if (!MAGIC.equals(bytes.subarray(0, MAGIC.length)) || !MAGIC.equals(bytes.subarray(bytes.length - MAGIC.length))) {
    return undefined;
  }
  if (!checksumMatches(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) return undefined;
  try {
    const table = tableFromIPC(bytes);
    const meta = table.schema.metadata;
    if (meta === null || meta === undefined) return undefined;
    if (meta.get('aq.format') !== BAR_CACHE_FORMAT || meta.get('aq.options') !== JSON.stringify(options)) return undefined;
    const sha256 = meta.get('aq.source.sha256');
    const sourceBytes = Number(meta.get('aq.source.bytes'));
    const fingerprint = meta.get('aq.source.fingerprint');
    if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256) || !Number.isSafeInteger(sourceBytes)) return undefined;
    if (fingerprint === undefined) return undefined;
    const rows = Number(meta.get('aq.rows'));
    if (!Number.isInteger(rows) || rows < 1 || table.numRows !== rows) return undefined;
    if (table.names.join(',') !== ['date', ...PRICE_COLUMNS].join(',')) return undefined;

    const dateColumn = table.getChild('date');
    if (dateColumn.type.typeId !== Type.Date || dateColumn.data.length !== 1 || dateColumn.nullCount !== 0) return undefined;
    // The values buffer is padded to 8 bytes: an odd row count leaves one spare int32.
    const days = dateColumn.data[0].values;
    if (!(days instanceof Int32Array) || days.length < rows || days.length > rows + 1) return undefined;
    const dates = datesOfDays(days.subarray(0, rows));
    if (dates === undefined) return undefined;

    const prices: Float64Array[] = [];
    for (const name of PRICE_COLUMNS) {
      const column = table.getChild(name);
      if (column.type.typeId !== Type.Float || column.data.length !== 1 || column.nullCount !== 0) return undefined;
      const values = column.toArray();
      if (!(values instanceof Float64Array) || values.length !== rows) return undefined;
      prices.push(values);
    }
    const dropped: unknown = JSON.parse(meta.get('aq.dropped') ?? 'null');
    if (!Array.isArray(dropped)) return undefined;
    const [open, high, low, close, volume] = prices;
    return {
      source: { sha256, bytes: sourceBytes, fingerprint },
      columns: { dates, open, high, low, close, volume, dropped: dropped as DroppedRow[] },
    };
  } catch {
    // A decoder error on damaged bytes is a miss, like any other mismatch.
    return undefined;
  }
}
