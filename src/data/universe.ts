import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { ConfigError } from '../errors';
import type { BarSeries } from './bars';
import { loadBarsFile, type DroppedRow } from './load-bars';

/**
 * A universe: which symbols, in which order, and where their bars are.
 *
 * Universe file format (YAML; see data/universe.yaml):
 *
 *   # symbols in universe order
 *   symbols: [MU, GLD, GOOG]
 *   data: sample            # folder holding SYMBOL.csv or SYMBOL.csv.gz, relative to this file
 *   files:                  # optional per-symbol override, relative to this file
 *     GLD: sample/GLD.csv
 *   options:                # optional, loader options for every symbol
 *     adjust: false         # scale OHLC by Adj Close / Close (default false)
 *     invalidRows: error    # error (default) | drop
 *
 * - `symbols` (required): a non-empty list of distinct names (letters, digits and `.`, `-`, `_`, `=`, `^`,
 *   starting with a letter, digit or `^`; at most 32 characters). Duplicates are rejected case-insensitively.
 * - `data` (optional, default: the folder of the universe file): for each symbol without a `files` entry
 *   the first existing of `SYMBOL.csv`, `SYMBOL.csv.gz`, `SYMBOL_data.csv`, `SYMBOL_data.csv.gz` is used.
 * - `files` (optional): symbol -> file; every key must be one of `symbols`.
 * - `options` (optional): `adjust` (boolean), `invalidRows` (`error` | `drop`).
 * Anything else (an unknown key, a wrong type, a missing file, a YAML syntax error) is a ConfigError
 * naming the universe file, the line, the key and the value.
 */
export interface UniverseOptions {
  adjust: boolean;
  invalidRows: 'error' | 'drop';
}

export interface Universe {
  /** The universe file, or a label such as `--universe MU,GLD --data DIR` for `universeFromSymbols`. */
  path: string;
  /** Symbols in universe order. */
  symbols: string[];
  /** Symbol -> absolute path of its bars file (every symbol has one, and it existed when the universe was loaded). */
  files: Record<string, string>;
  options: UniverseOptions;
}

export const DEFAULT_UNIVERSE_OPTIONS: Readonly<UniverseOptions> = { adjust: false, invalidRows: 'error' };

const TOP_LEVEL_KEYS = ['symbols', 'data', 'files', 'options'];
const OPTION_KEYS = ['adjust', 'invalidRows'];
const SYMBOL = /^[A-Za-z0-9^][A-Za-z0-9._=^-]{0,31}$/;

/** File names tried, in order, for a symbol in a data folder. */
export function barsFileCandidates(dataDir: string, symbol: string): string[] {
  return [`${symbol}.csv`, `${symbol}.csv.gz`, `${symbol}_data.csv`, `${symbol}_data.csv.gz`].map((name) =>
    join(dataDir, name),
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return `a list ${JSON.stringify(value)}`;
  if (typeof value === 'object') return `a mapping ${JSON.stringify(value)}`;
  return `${JSON.stringify(value)} (${typeof value})`;
}

/** Checks names and duplicates; `where(i)` says where item i is for the message. */
function checkSymbols(symbols: readonly unknown[], prefix: (i: number) => string): string[] {
  if (symbols.length === 0) throw new ConfigError(`${prefix(-1)}symbols is empty: list at least one symbol`);
  const seen = new Map<string, number>();
  return symbols.map((symbol, i) => {
    if (typeof symbol !== 'string') {
      throw new ConfigError(`${prefix(i)}symbols[${i}] must be a symbol name, got ${describe(symbol)}; quote it if needed`);
    }
    if (!SYMBOL.test(symbol)) {
      throw new ConfigError(
        `${prefix(i)}symbols[${i}] "${symbol}" is not a valid symbol name `
        + '(letters, digits, . - _ = ^, starting with a letter, digit or ^, at most 32 characters)',
      );
    }
    const key = symbol.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ConfigError(`${prefix(i)}symbols[${i}] "${symbol}" duplicates symbols[${first}] "${symbols[first]}"`);
    }
    seen.set(key, i);
    return symbol;
  });
}

function findBarsFile(dataDir: string, symbol: string, where: string, dataLabel: string): string {
  const candidates = barsFileCandidates(dataDir, symbol);
  const found = candidates.find(isFile);
  if (found === undefined) {
    const reason = isDirectory(dataDir) ? '' : ` (the data folder ${dataLabel} does not exist)`;
    throw new ConfigError(`${where}no data file for symbol "${symbol}"${reason}: tried ${candidates.join(', ')}`);
  }
  return found;
}

/** Reads and validates a universe file (format in the module comment). */
export function loadUniverse(path: string): Universe {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read universe file ${path}: ${(error as Error).message}`);
  }
  return parseUniverse(text, path);
}

/** Validates universe YAML text; `path` names the file in errors and anchors relative paths. */
export function parseUniverse(text: string, path: string): Universe {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const at = error.linePos?.[0];
    const where = at === undefined ? path : `${path}:${at.line}:${at.col}`;
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${where}: YAML syntax error: ${message}`);
  }
  const lineOf = (node: unknown): string => {
    const range = (node as Node | null | undefined)?.range;
    return range ? `${path}:${lineCounter.linePos(range[0]).line}: ` : `${path}: `;
  };
  const root = doc.contents;
  if (!isMap(root)) {
    throw new ConfigError(`${lineOf(root)}a universe file must be a YAML mapping with keys ${TOP_LEVEL_KEYS.join(', ')}`);
  }

  const entries = new Map<string, Pair>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key !== 'string' || !TOP_LEVEL_KEYS.includes(key)) {
      throw new ConfigError(
        `${lineOf(pair.key)}unknown key ${JSON.stringify(String(key))} (allowed: ${TOP_LEVEL_KEYS.join(', ')})`,
      );
    }
    entries.set(key, pair);
  }
  const base = dirname(resolve(path));

  // symbols
  const symbolsPair = entries.get('symbols');
  if (symbolsPair === undefined) throw new ConfigError(`${path}: missing required key "symbols" (a list of symbols)`);
  const symbolsNode = symbolsPair.value;
  if (!isSeq(symbolsNode)) {
    throw new ConfigError(
      `${lineOf(symbolsNode ?? symbolsPair.key)}symbols must be a list such as [MU, GLD], got ${describe(doc.toJS().symbols)}`,
    );
  }
  const items = symbolsNode.items;
  const symbols = checkSymbols(
    items.map((item) => (isScalar(item) ? item.value : (item as Node | null)?.toJSON())),
    (i) => lineOf(i >= 0 ? items[i] : symbolsNode),
  );

  // options
  const options: UniverseOptions = { ...DEFAULT_UNIVERSE_OPTIONS };
  const optionsPair = entries.get('options');
  if (optionsPair !== undefined) {
    const node = optionsPair.value;
    if (!isMap(node)) {
      throw new ConfigError(`${lineOf(node ?? optionsPair.key)}options must be a mapping, got ${describe(doc.toJS().options)}`);
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const value = isScalar(pair.value) ? pair.value.value : (pair.value as Node | null)?.toJSON();
      const at = lineOf(pair.key);
      if (key === 'adjust') {
        if (typeof value !== 'boolean') {
          throw new ConfigError(`${at}options.adjust must be true or false, got ${describe(value)}`);
        }
        options.adjust = value;
      } else if (key === 'invalidRows') {
        if (value !== 'error' && value !== 'drop') {
          throw new ConfigError(`${at}options.invalidRows must be error or drop, got ${describe(value)}`);
        }
        options.invalidRows = value;
      } else {
        throw new ConfigError(
          `${at}unknown key options.${String(key)} (allowed: ${OPTION_KEYS.join(', ')})`,
        );
      }
    }
  }

  // data
  let dataDir = base;
  let dataLabel = JSON.stringify(base);
  const dataPair = entries.get('data');
  if (dataPair !== undefined) {
    const node = dataPair.value;
    const value = isScalar(node) ? node.value : (node as Node | null)?.toJSON();
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError(`${lineOf(node ?? dataPair.key)}data must be a folder path, got ${describe(value)}`);
    }
    dataDir = resolve(base, value);
    dataLabel = `"${value}" (${dataDir})`;
  }

  // files
  const files: Record<string, string> = {};
  const filesPair = entries.get('files');
  if (filesPair !== undefined) {
    const node = filesPair.value;
    if (!isMap(node)) {
      throw new ConfigError(`${lineOf(node ?? filesPair.key)}files must be a mapping SYMBOL: path, got ${describe(doc.toJS().files)}`);
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const value = isScalar(pair.value) ? pair.value.value : (pair.value as Node | null)?.toJSON();
      const at = lineOf(pair.key);
      if (typeof key !== 'string' || !symbols.includes(key)) {
        throw new ConfigError(`${at}files.${String(key)}: ${JSON.stringify(key)} is not one of symbols [${symbols.join(', ')}]`);
      }
      if (typeof value !== 'string' || value === '') {
        throw new ConfigError(`${at}files.${key} must be a file path, got ${describe(value)}`);
      }
      const file = resolve(base, value);
      if (!isFile(file)) {
        throw new ConfigError(`${at}files.${key}: data file "${value}" not found (tried ${file})`);
      }
      files[key] = file;
    }
  }
  for (let i = 0; i < symbols.length; i++) {
    const symbol = symbols[i];
    if (files[symbol] === undefined) files[symbol] = findBarsFile(dataDir, symbol, lineOf(items[i]), dataLabel);
  }
  return { path, symbols, files: orderFiles(symbols, files), options };
}

function orderFiles(symbols: readonly string[], files: Record<string, string>): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const symbol of symbols) ordered[symbol] = files[symbol];
  return ordered;
}

/**
 * A universe from a symbol list and a data folder (the CLI's `--universe MU,GLD,GOOG --data DIR`).
 * Names are trimmed; errors are ConfigErrors like those of a universe file.
 */
export function universeFromSymbols(
  symbols: readonly string[],
  dataDir: string,
  options: Partial<UniverseOptions> = {},
): Universe {
  const label = `--universe ${symbols.join(',')} --data ${dataDir}`;
  const prefix = (): string => `${label}: `;
  const names = checkSymbols(symbols.map((symbol) => (typeof symbol === 'string' ? symbol.trim() : symbol)), prefix);
  const merged: UniverseOptions = { ...DEFAULT_UNIVERSE_OPTIONS, ...options };
  if (typeof merged.adjust !== 'boolean') {
    throw new ConfigError(`${prefix()}adjust must be true or false, got ${describe(merged.adjust)}`);
  }
  if (merged.invalidRows !== 'error' && merged.invalidRows !== 'drop') {
    throw new ConfigError(`${prefix()}invalidRows must be error or drop, got ${describe(merged.invalidRows)}`);
  }
  const dir = resolve(dataDir);
  const files: Record<string, string> = {};
  for (const symbol of names) files[symbol] = findBarsFile(dir, symbol, prefix(), `"${dataDir}" (${dir})`);
  return { path: label, symbols: names, files, options: merged };
}

/**
 * Loads every symbol's bars (universe order). Bad data is a DataError naming the file and line.
 * `cache: true` reads and fills the columnar bar cache (see `LoadBarsOptions.cache` for the default).
 */
export function loadUniverseBars(
  universe: Universe,
  { cache }: { cache?: boolean } = {},
): { bars: BarSeries[]; dropped: DroppedRow[] } {
  const bars: BarSeries[] = [];
  const dropped: DroppedRow[] = [];
  for (const symbol of universe.symbols) {
    const file = universe.files[symbol];
    if (file === undefined) throw new ConfigError(`${universe.path}: no data file for symbol "${symbol}"`);
    const loaded = loadBarsFile(file, {
      symbol,
      adjust: universe.options.adjust,
      invalidRows: universe.options.invalidRows,
      cache,
    });
    bars.push(loaded.bars);
    for (const row of loaded.dropped) dropped.push(row);
  }
  return { bars, dropped };
}
