import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barCacheDirectory, clearBarCache, summarizeBarCache } from '../../data/bar-cache';
import { tradingDaysBetween } from '../../data/calendar';
import { formatBarsCsv, generateBars, type GenerateBarsOptions } from '../../data/generator';
import { UsageError, type Command, type CommandIo } from '../command';
import { flag, number, requiredText } from '../options/option';
import { commandOptions, group, groupHelp } from '../options/option-set';
import { fetchSubcommand } from './data-fetch';

/** One `aq data <name>` subcommand. Add new ones (e.g. `fetch`) to `subcommands` below. */
interface DataSubcommand {
  readonly name: string;
  /** One line for the subcommand list in `aq data --help`. */
  readonly summary: string;
  /** The subcommand's section of `aq data --help` (usage line and options). */
  readonly help: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export const SAMPLE_START = '2012-01-03';
export const SAMPLE_DEFAULT_YEARS = 12;
/**
 * Default seed. Picked (from seeds 1..300) because its paths look like the real names over 2012-2023:
 * MU x8.2 with a 75% drawdown, GLD x1.3, GOOG x4.9 (daily volatility 3.0%, 1.0%, 1.9%).
 * Any other seed is just as valid.
 */
export const SAMPLE_DEFAULT_SEED = 93;

/** The three sample symbols: synthetic look-alikes of a volatile semiconductor, a gold ETF and a large-cap tech stock. */
export const SAMPLE_SYMBOLS: readonly Omit<GenerateBarsOptions, 'seed' | 'start' | 'days'>[] = [
  { symbol: 'MU', startPrice: 7.5, drift: 0.0006, volatility: 0.03, baseVolume: 30_000_000 },
  { symbol: 'GLD', startPrice: 155, drift: 0.0001, volatility: 0.01, baseVolume: 9_000_000 },
  { symbol: 'GOOG', startPrice: 16.5, drift: 0.0006, volatility: 0.018, baseVolume: 30_000_000 },
];

/** The sample files as `{ file name: CSV text }` (what `aq data sample` writes). */
export function sampleFiles(years = SAMPLE_DEFAULT_YEARS, seed = SAMPLE_DEFAULT_SEED): Record<string, string> {
  const startYear = Number(SAMPLE_START.slice(0, 4));
  const days = tradingDaysBetween(SAMPLE_START, `${startYear + years}-01-01`).length;
  const files: Record<string, string> = {};
  for (const spec of SAMPLE_SYMBOLS) {
    const series = generateBars({ ...spec, seed, start: SAMPLE_START, days, source: `aq data sample (seed ${seed})` });
    files[`${spec.symbol}.csv`] = formatBarsCsv(series);
  }
  return files;
}

const sampleOptions = group('Options', {
  out: requiredText({ value: 'DIR', help: 'folder to write into (created if missing; existing files are overwritten)' }),
  years: number({ value: 'N', default: SAMPLE_DEFAULT_YEARS, check: (n) => Number.isInteger(n) && n >= 1 && n <= 100, expectation: 'an integer from 1 to 100', help: `whole calendar years from ${SAMPLE_START}, 1..100` }),
  seed: number({ value: 'S', default: SAMPLE_DEFAULT_SEED, check: Number.isSafeInteger, expectation: 'an integer', help: 'integer seed' }),
});

/** A help section nested under its subcommand's usage line. */
const indent = (text: string) => text.split('\n').map((line) => `  ${line}`).join('\n');

const sample: DataSubcommand = {
  name: 'sample',
  summary: 'write synthetic sample bars MU.csv, GLD.csv, GOOG.csv',
  help: `aq data sample --out DIR [--years N] [--seed S]

  Writes DIR/MU.csv, DIR/GLD.csv and DIR/GOOG.csv: synthetic daily bars (regime-switching random
  walk, US trading days) from ${SAMPLE_START}, resembling a volatile semiconductor stock (MU, about 3%
  daily volatility), a gold ETF (GLD, about 1%) and a large-cap tech stock (GOOG, about 1.8%).
  Columns date,open,high,low,close,volume; prices with 4 decimals, integer volume, LF line ends.
  The output depends only on --years and --seed: the same options give byte-identical files.
  The committed data/sample/ files are 'aq data sample --out data/sample' with the defaults.

${indent(groupHelp(sampleOptions))}`,
  async run(argv, io) {
    const { values } = commandOptions('data sample', [sampleOptions]).parse(argv);
    const { out, years, seed } = values;
    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(sampleFiles(years, seed))) {
      const path = join(out, name);
      writeFileSync(path, text);
      io.stdout(`wrote ${path} (${text.split('\n').length - 2} bars)\n`);
    }
    return 0;
  },
};

const cacheOptions = group('Options', {
  clear: flag({ help: 'delete every cache entry (the bars are parsed again on their next load)' }),
});

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const cache: DataSubcommand = {
  name: 'cache',
  summary: 'show or clear the columnar bar cache',
  help: `aq data cache [--clear]

  Loaded bar files are cached as Arrow IPC files (Feather v2: pandas.read_feather, polars.read_ipc),
  one per source file and loader options, checked against the source's sha256 (or an unchanged
  stat) before use. Folder: $AQ_CACHE_DIR, else ~/.cache/aq-research; AQ_CACHE=off disables the
  cache, AQ_CACHE=on enables it for loads that do not choose. Prints the folder, the number of
  entries and their size.

${indent(groupHelp(cacheOptions))}`,
  async run(argv, io) {
    const { values } = commandOptions('data cache', [cacheOptions]).parse(argv);
    const directory = barCacheDirectory();
    if (values.clear) {
      const removed = clearBarCache(directory);
      io.stdout(`cleared ${directory}: removed ${removed.entries} entries (${megabytes(removed.bytes)})\n`);
    } else {
      const summary = summarizeBarCache(directory);
      io.stdout(`bar cache ${directory}: ${summary.entries} entries, ${megabytes(summary.bytes)}\n`);
    }
    return 0;
  },
};

/** Every `aq data` subcommand, in help order. */
const subcommands: readonly DataSubcommand[] = [sample, fetchSubcommand, cache];

const help = `Usage: aq data <subcommand> [options]

Manages bar data files.

Subcommands:
${subcommands.map((sub) => `  ${sub.name.padEnd(8)}  ${sub.summary}`).join('\n')}

${subcommands.map((sub) => sub.help).join('\n\n')}

  -h, --help      show this help
`;

export const dataCommand: Command = {
  name: 'data',
  summary: 'manage bar data files (sample: write synthetic sample bars)',
  help,
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (name === undefined || name.startsWith('-')) {
      throw new UsageError(
        `aq data: expected a subcommand (${subcommands.map((sub) => sub.name).join(', ')}) (see 'aq data --help')`,
      );
    }
    const sub = subcommands.find((candidate) => candidate.name === name);
    if (sub === undefined) {
      throw new UsageError(
        `aq data: unknown subcommand "${name}" (expected ${subcommands.map((s) => s.name).join(', ')}; see 'aq data --help')`,
      );
    }
    return sub.run(rest, io);
  },
};
