import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../errors';
import type { BarSeries } from './bars';
import {
  BAR_CACHE_FORMAT,
  decodeBarCacheEntry,
  encodeBarCacheEntry,
  type CachedLoadOptions,
  type CachedSource,
  type DecodedEntry,
} from './bar-cache-entry';
import type { DroppedRow } from './validate-row';

export { BAR_CACHE_FORMAT, type CachedLoadOptions } from './bar-cache-entry';

/**
 * A columnar cache of loaded bar files: one Arrow IPC entry (bar-cache-entry.ts) per source file
 * and loader options, in `$AQ_CACHE_DIR` or `~/.cache/aq-research`.
 *
 * An entry's name comes from the source's path and the loader options, so a changed source
 * overwrites its entry instead of piling up stale ones. Whether an entry still matches its source:
 * - the sha256 of the source's raw bytes and their length, stored in the entry, decide;
 * - a stat fingerprint (device, inode, size, mtime and ctime in ns) lets a warm load skip reading
 *   and hashing the source when nothing about the file changed. Any write to a file moves its
 *   ctime, which no tool can set back, so an edit that keeps size and mtime is still hashed. The
 *   fingerprint is only recorded for a file last changed more than `FRESH_MS` before it was read:
 *   a write in the same clock tick as the read could otherwise leave the ctime unchanged.
 * Anything wrong with an entry (short, corrupt, another format, another source) makes it a miss;
 * the bars are parsed and the entry rewritten, atomically (a temporary file renamed in the same
 * folder), so a killed writer never leaves a half file under the final name. An entry is checked
 * whole (a CRC-32 of the file, then magic numbers, schema, lengths, metadata) before it is used.
 */

const SUFFIX = '.arrow';
/** Files changed more recently than this before being read get no trusted fingerprint. */
export const FRESH_MS = 2000;

/** `$AQ_CACHE_DIR`, else `~/.cache/aq-research`. */
export function barCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AQ_CACHE_DIR;
  return configured !== undefined && configured !== '' ? resolve(configured) : join(homedir(), '.cache', 'aq-research');
}

/**
 * Whether a load uses the cache: `AQ_CACHE=off` turns it off for every caller, `AQ_CACHE=on` turns
 * it on for callers that did not choose (`requested` undefined); otherwise the caller's choice, default off.
 */
export function barCacheWanted(requested: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.AQ_CACHE?.toLowerCase();
  if (setting === 'off') return false;
  return requested ?? setting === 'on';
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

/** The stat fingerprint of a file, or '' when it changed less than `FRESH_MS` before `nowMs`. */
export function sourceFingerprint(stat: BigIntStats, nowMs: number): string {
  const changedMs = Number(stat.ctimeNs / 1_000_000n);
  const modifiedMs = Number(stat.mtimeNs / 1_000_000n);
  if (nowMs - Math.max(changedMs, modifiedMs) < FRESH_MS) return '';
  return [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
}

/** Reads and decodes an entry; undefined when it is missing or unusable. */
export function readBarCacheEntry(file: string, options: CachedLoadOptions): DecodedEntry | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return decodeBarCacheEntry(bytes, options);
}

/**
 * Writes an entry atomically: a temporary file in the same folder, then a rename over the final
 * name. False (and no file left behind) when that fails, e.g. a read-only folder: the cache is an
 * optimisation, a load never fails because of it.
 */
export function writeBarCacheEntry(file: string, bytes: Uint8Array): boolean {
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The folder itself is unusable (e.g. a file in its place): there is no temporary file to remove.
    }
    return false;
  }
}

export interface LoadedFile {
  bars: BarSeries;
  dropped: DroppedRow[];
}

/** How a load through the cache was served: entry trusted by stat, entry checked by hash, or parsed (and written). */
export type CacheOutcome = 'stat' | 'hash' | 'parsed';

export interface BarCacheSettings {
  directory?: string;
  /** Wall clock in ms (tests move it to exercise the stat fingerprint). */
  nowMs?: () => number;
}

/**
 * Loads `path` through the cache: `parse(raw bytes)` is only called on a miss, and its result is
 * then written as the entry. The bars have `symbol` and `path` as their symbol and source.
 */
export function loadThroughBarCache(
  path: string,
  symbol: string,
  options: CachedLoadOptions,
  parse: (raw: Buffer) => LoadedFile,
  settings: BarCacheSettings = {},
): LoadedFile & { outcome: CacheOutcome } {
  const cacheFile = barCacheFile(settings.directory ?? barCacheDirectory(), path, options);
  const nowMs = (settings.nowMs ?? Date.now)();
  let fingerprint: string;
  try {
    fingerprint = sourceFingerprint(statSync(path, { bigint: true }), nowMs);
  } catch (error) {
    throw new DataError(`cannot read bars file: ${(error as Error).message}`, path);
  }
  const entry = readBarCacheEntry(cacheFile, options);
  const served = (found: DecodedEntry, outcome: CacheOutcome) => {
    const { dropped, ...columns } = found.columns;
    return { bars: { symbol, source: path, ...columns }, dropped, outcome };
  };
  if (entry !== undefined && fingerprint !== '' && entry.source.fingerprint === fingerprint) return served(entry, 'stat');

  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read bars file: ${(error as Error).message}`, path);
  }
  const source: CachedSource = { sha256: sha256Hex(raw), bytes: raw.length, fingerprint };
  if (entry !== undefined && entry.source.sha256 === source.sha256 && entry.source.bytes === source.bytes) {
    // Same bytes, new stat (a touch, a checkout): record the fingerprint so the next load skips the hash.
    if (fingerprint !== '' && entry.source.fingerprint !== fingerprint) {
      const { dropped, ...columns } = entry.columns;
      writeBarCacheEntry(cacheFile, encodeBarCacheEntry({ symbol, source: path, ...columns }, dropped, options, source));
    }
    return served(entry, 'hash');
  }
  const loaded = parse(raw);
  writeBarCacheEntry(cacheFile, encodeBarCacheEntry(loaded.bars, loaded.dropped, options, source));
  return { ...loaded, outcome: 'parsed' };
}

export interface BarCacheSummary {
  directory: string;
  entries: number;
  bytes: number;
}

function cacheFileNames(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => name.endsWith(SUFFIX) || (name.endsWith('.tmp') && name.includes(`${SUFFIX}.`)));
  } catch {
    return [];
  }
}

/** How many entries the cache folder holds, and the size of its files (leftover temporary files included). */
export function summarizeBarCache(directory: string): BarCacheSummary {
  let entries = 0;
  let bytes = 0;
  for (const name of cacheFileNames(directory)) {
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
  for (const name of cacheFileNames(directory)) rmSync(join(directory, name), { force: true });
  return before;
}
