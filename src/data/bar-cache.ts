import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { columnFromArray, dateDay, tableFromColumns, tableFromIPC, tableToIPC, Type, type Column } from '@uwdata/flechette';
import type { BarSeries } from './bars';
import { internDate, isoDateKey } from './scan-fields';
import type { DroppedRow } from './validate-row';

/**
 * A columnar cache of loaded bar files, one Arrow IPC file (Feather v2: `pandas.read_feather`,
 * `polars.read_ipc`) per source file and loader options, with columns
 * `date` (date32, days since 1970-01-01) and `open high low close volume` (float64).
 *
 * The cache file's name comes from the source's absolute path and the loader options, so a
 * changed source overwrites its entry instead of piling up stale ones. Whether an entry still
 * matches its source is decided by the sha256 of the source's raw bytes (the `.gz` bytes for a
 * gzipped file), stored in the file's metadata with the dropped rows: a stat check (size, mtime)
 * would miss an edit that keeps both, and hashing costs a fraction of parsing (see the bench).
 * Anything wrong with an entry (short, corrupt, another format, another source) makes it a miss;
 * the bars are then parsed and the entry rewritten, atomically (a temporary file renamed in the
 * same folder), so a killed writer never leaves a half file under the final name.
 *
 * The cache does not check the float payload itself against bit rot (that would cost a hash of
 * every column on every load); it checks the structure: magic numbers, schema, lengths, metadata.
 */

/** Bump when the layout or the meaning of an entry changes: older entries become misses. */
export const BAR_CACHE_FORMAT = '1';
const SUFFIX = '.arrow';
const MAGIC = Buffer.from('ARROW1');
const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
const MS_PER_DAY = 86_400_000;

/** The loader options that change the columns or the dropped rows: part of every entry's key. */
export interface CachedLoadOptions {
  adjust: boolean;
  invalidRows: 'error' | 'drop';
}

/** The cached part of a load: everything of a `LoadedBars` except the symbol and source names. */
export interface CachedColumns {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  dropped: DroppedRow[];
}

/** `$AQ_CACHE_DIR`, else `~/.cache/aq-research`. */
export function barCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AQ_CACHE_DIR;
  return configured !== undefined && configured !== '' ? resolve(configured) : join(homedir(), '.cache', 'aq-research');
}

/** False when `AQ_CACHE=off` (the switch that overrides every caller's request for the cache). */
export function barCacheAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AQ_CACHE?.toLowerCase() !== 'off';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The entry for one source file and options: a readable name prefix, then a hash of the format,
 * the path and the options. The path as written is part of the key as well as the absolute one
 * because dropped rows name the file as the caller wrote it.
 */
export function barCacheFile(directory: string, sourcePath: string, options: CachedLoadOptions): string {
  const absolute = resolve(sourcePath);
  const key = sha256Hex(Buffer.from(JSON.stringify([BAR_CACHE_FORMAT, absolute, sourcePath, options.adjust, options.invalidRows])));
  const readable = basename(absolute).replace(/\.csv(\.gz)?$/i, '').replace(/[^A-Za-z0-9._=^-]/g, '_').slice(0, 40);
  return join(directory, `${readable}-${key.slice(0, 32)}${SUFFIX}`);
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
 * and bars from CSV hold the very same strings (the engine's calendar merge relies on that for speed).
 */
const datesByDay = new Map<number, string>();

function dateOfDay(days: number): string | undefined {
  let date = datesByDay.get(days);
  if (date === undefined) {
    const text = daysToIsoDate(days);
    if (text === undefined) return undefined;
    date = internDate(text, 0, text.length, isoDateKey(text, 0, text.length));
    datesByDay.set(days, date);
  }
  return date;
}

interface EntryMetadata {
  sourceSha256: string;
  sourceBytes: number;
  options: CachedLoadOptions;
}

function metadataMap(entry: EntryMetadata, rows: number, dropped: readonly DroppedRow[]): Map<string, string> {
  return new Map([
    ['aq.format', BAR_CACHE_FORMAT],
    ['aq.source.sha256', entry.sourceSha256],
    ['aq.source.bytes', String(entry.sourceBytes)],
    ['aq.options', JSON.stringify(entry.options)],
    ['aq.rows', String(rows)],
    ['aq.dropped', JSON.stringify(dropped)],
  ]);
}

/** The Arrow IPC file bytes of an entry. */
export function encodeBarCacheEntry(bars: BarSeries, dropped: readonly DroppedRow[], entry: EntryMetadata): Uint8Array {
  const n = bars.dates.length;
  const milliseconds = new Float64Array(n);
  for (let i = 0; i < n; i++) milliseconds[i] = isoDateToDays(bars.dates[i]) * MS_PER_DAY;
  const columns: [string, Column<unknown>][] = [['date', columnFromArray(milliseconds, dateDay())]];
  for (const name of PRICE_COLUMNS) columns.push([name, columnFromArray(bars[name])]);
  const table = tableFromColumns(columns);
  table.schema.metadata = metadataMap(entry, n, dropped);
  return tableToIPC(table, { format: 'file' }) as Uint8Array;
}

/**
 * The columns of an entry, or undefined when the bytes are not a complete entry of this format
 * for exactly this source hash, size and options. Never throws on bad bytes.
 */
export function decodeBarCacheEntry(bytes: Uint8Array, expected: EntryMetadata): CachedColumns | undefined {
  // The IPC file format starts and ends with ARROW1: a truncated file fails the second check
  // before the decoder reads a footer offset out of the wrong bytes.
  if (bytes.length < 2 * MAGIC.length + 4) return undefined;
  if (!MAGIC.equals(bytes.subarray(0, MAGIC.length)) || !MAGIC.equals(bytes.subarray(bytes.length - MAGIC.length))) {
    return undefined;
  }
  try {
    const table = tableFromIPC(bytes);
    const meta = table.schema.metadata;
    if (meta === null || meta === undefined) return undefined;
    if (meta.get('aq.format') !== BAR_CACHE_FORMAT
      || meta.get('aq.source.sha256') !== expected.sourceSha256
      || meta.get('aq.source.bytes') !== String(expected.sourceBytes)
      || meta.get('aq.options') !== JSON.stringify(expected.options)) return undefined;
    const rows = Number(meta.get('aq.rows'));
    if (!Number.isInteger(rows) || rows < 1 || table.numRows !== rows) return undefined;
    const names = table.names.join(',');
    if (names !== ['date', ...PRICE_COLUMNS].join(',')) return undefined;

    const dateColumn = table.getChild('date');
    if (dateColumn.type.typeId !== Type.Date || dateColumn.data.length !== 1 || dateColumn.nullCount !== 0) return undefined;
    const days = dateColumn.data[0].values;
    if (!(days instanceof Int32Array) || days.length !== rows) return undefined;
    const dates = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const date = dateOfDay(days[i]);
      if (date === undefined || (i > 0 && days[i] <= days[i - 1])) return undefined;
      dates[i] = date;
    }

    const prices: Float64Array[] = [];
    for (const name of PRICE_COLUMNS) {
      const column = table.getChild(name);
      if (column.type.typeId !== Type.Float || column.nullCount !== 0) return undefined;
      const values = column.toArray();
      if (!(values instanceof Float64Array) || values.length !== rows) return undefined;
      prices.push(values);
    }
    const dropped: unknown = JSON.parse(meta.get('aq.dropped') ?? 'null');
    if (!Array.isArray(dropped)) return undefined;
    const [open, high, low, close, volume] = prices;
    return { dates, open, high, low, close, volume, dropped: dropped as DroppedRow[] };
  } catch {
    // A decoder error on damaged bytes is a miss, like any other mismatch.
    return undefined;
  }
}

/** Reads an entry; undefined when it is missing, unreadable or does not match (see `decodeBarCacheEntry`). */
export function readBarCacheEntry(file: string, expected: EntryMetadata): CachedColumns | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return decodeBarCacheEntry(bytes, expected);
}

/**
 * Writes an entry atomically: a temporary file in the same folder, then a rename over the final
 * name. False (and no file left behind) when the folder is not writable: the cache is an
 * optimisation, a load never fails because of it.
 */
export function writeBarCacheEntry(file: string, bytes: Uint8Array): boolean {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}

export interface BarCacheSummary {
  directory: string;
  entries: number;
  bytes: number;
}

function entryNames(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => name.endsWith(SUFFIX) || (name.endsWith('.tmp') && name.includes(`${SUFFIX}.`)));
  } catch {
    return [];
  }
}

/** How many entries (and leftover temporary files) the cache folder holds, and their size. */
export function summarizeBarCache(directory: string): BarCacheSummary {
  let entries = 0;
  let bytes = 0;
  for (const name of entryNames(directory)) {
    try {
      bytes += statSync(join(directory, name)).size;
      if (name.endsWith(SUFFIX)) entries++;
    } catch {
      // Removed by another process since readdir: not part of the cache any more.
    }
  }
  return { directory, entries, bytes };
}

/** Deletes every entry and leftover temporary file (only those: the folder may be shared); returns the summary before. */
export function clearBarCache(directory: string): BarCacheSummary {
  const before = summarizeBarCache(directory);
  for (const name of entryNames(directory)) rmSync(join(directory, name), { force: true });
  return before;
}
