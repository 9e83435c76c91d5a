import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bar, BarSeries } from '../../data/bars';
import { loadBarsFile, parseBarsCsv } from '../../data/load-bars';
import { environmentSecrets, redact } from '../../brokers/redact';
import { fetchDailyBars, marketDataSources, type MarketDataOptions, type MarketDataSource } from '../../data-sources/market-data';
import { parseDateOption, parseNumberOption, parseOptions, requireOption, UsageError, type CommandIo } from '../command';

/**
 * `aq data fetch`: daily bars from Alpaca, stooq or Yahoo into SYMBOL.csv files the loader reads.
 * A later run appends only the new bars; the last bars already in the file are fetched again and
 * compared, and any difference (a split, a revision) is reported and nothing is written for that
 * symbol: history is never rewritten silently (--replace rewrites it on purpose).
 */
export const overlapBars = 5;
const relativeTolerance = 1e-6;

export interface OverlapDifference {
  readonly date: string;
  readonly field: keyof Bar | 'missing';
  readonly file: number | null;
  readonly source: number | null;
}

export interface AppendPlan {
  /** Bars after the file's last date, to append. */
  readonly append: Bar[];
  /** Fetched bars that were already in the file and agree with it. */
  readonly agreeing: number;
  readonly differences: OverlapDifference[];
}

function differs(a: number, b: number): boolean {
  return Math.abs(a - b) > relativeTolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** What a fetch adds to a file: new bars after its last date, and how the overlap compares. */
export function planAppend(existing: BarSeries, fetched: readonly Bar[]): AppendPlan {
  const last = existing.dates[existing.dates.length - 1];
  const index = new Map(existing.dates.map((date, i) => [date, i]));
  const first = fetched.length === 0 ? null : fetched[0].date;
  const differences: OverlapDifference[] = [];
  let agreeing = 0;
  for (const bar of fetched) {
    if (bar.date > last) continue;
    const i = index.get(bar.date);
    if (i === undefined) {
      differences.push({ date: bar.date, field: 'missing', file: null, source: bar.close });
      continue;
    }
    const fields: [keyof Bar, number][] = [['open', existing.open[i]], ['high', existing.high[i]], ['low', existing.low[i]], ['close', existing.close[i]], ['volume', existing.volume[i]]];
    const before = differences.length;
    for (const [field, value] of fields) {
      if (differs(value, bar[field] as number)) differences.push({ date: bar.date, field, file: value, source: bar[field] as number });
    }
    if (differences.length === before) agreeing++;
  }
  // A bar in the file that the source no longer has, inside the fetched window, is a difference too.
  if (first !== null) {
    const fetchedDates = new Set(fetched.map((bar) => bar.date));
    for (const date of existing.dates) {
      if (date >= first && date <= last && !fetchedDates.has(date)) differences.push({ date, field: 'missing', file: existing.close[index.get(date) as number], source: null });
    }
  }
  differences.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { append: fetched.filter((bar) => bar.date > last), agreeing, differences };
}

export function formatBarLines(bars: readonly Bar[]): string {
  return bars.map((bar) => `${bar.date},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}\n`).join('');
}

const header = 'date,open,high,low,close,volume\n';

export const fetchHelp = `aq data fetch SYMBOLS --source alpaca|stooq|yahoo --out DIR [--from DATE] [--to DATE] [--replace]

  Downloads daily bars and writes DIR/SYMBOL.csv (date,open,high,low,close,volume), which
  --universe ... --data DIR reads. SYMBOLS: comma-separated (MU,GLD,GOOG).
    alpaca  market data API v2, adjustment=split; keys from APCA_API_KEY_ID and
            APCA_API_SECRET_KEY (never printed); --feed iex|sip picks the feed
    stooq   stooq's CSV download (stooq's own adjustment)
    yahoo   Yahoo's chart API (open/high/low/close split-adjusted by Yahoo)
  A new file needs --from. An existing file gets only the bars after its last date; its last
  ${overlapBars} bars are fetched again and compared: if any differs (a split, a revision), the
  differences are listed and nothing is written for that symbol (exit 1). --replace fetches
  from --from and rewrites the whole file.
  Options: --from DATE, --to DATE (default today), --replace, --feed NAME,
           --base-url URL (another host for the source, e.g. a local test server),
           --timeout-ms N (per request, default 20000)`;

export const fetchSubcommand = {
  name: 'fetch',
  summary: 'download daily bars (alpaca, stooq, yahoo) into SYMBOL.csv files, appending new bars',
  help: fetchHelp,
  async run(argv: readonly string[], outerIo: CommandIo): Promise<number> {
    const secrets = environmentSecrets();
    const io: CommandIo = { stdout: (t) => outerIo.stdout(redact(t, secrets)), stderr: (t) => outerIo.stderr(redact(t, secrets)), interactive: outerIo.interactive };
    try {
      return await runFetch(argv, io);
    } catch (error) {
      // A DataSourceError (the source cannot deliver) and a DataError (a bad row) are userFacing:
      // main prints the message and exits 1, like any data problem.
      if (error instanceof Error) error.message = redact(error.message, secrets);
      throw error;
    }
  },
};

async function runFetch(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseOptions('data fetch', argv, {
    source: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    replace: { type: 'boolean' },
    feed: { type: 'string' },
    'base-url': { type: 'string' },
    'timeout-ms': { type: 'string' },
  }, true);
  const symbols = positionals.flatMap((item) => item.split(',')).map((symbol) => symbol.trim()).filter((symbol) => symbol !== '');
  if (symbols.length === 0) throw new UsageError("aq data fetch: name the symbols, e.g. 'aq data fetch MU,GLD,GOOG --source stooq --from 2010-01-04 --out data/real'");
  const source = requireOption('data fetch', values.source, '--source') as MarketDataSource;
  if (!marketDataSources.includes(source)) throw new UsageError(`aq data fetch: --source must be one of ${marketDataSources.join(', ')}, got "${source}"`);
  const out = requireOption('data fetch', values.out, '--out');
  const from = parseDateOption('data fetch', '--from', values.from);
  const to = parseDateOption('data fetch', '--to', values.to);
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`aq data fetch: --from ${from} is after --to ${to}`);
  if (values.replace && from === undefined) throw new UsageError('aq data fetch: --replace needs --from (the whole history is fetched again)');
  const keyId = process.env.APCA_API_KEY_ID ?? '';
  const secretKey = process.env.APCA_API_SECRET_KEY ?? '';
  const options: MarketDataOptions = {
    source,
    baseUrl: values['base-url'],
    credentials: keyId !== '' && secretKey !== '' ? { keyId, secretKey } : undefined,
    feed: values.feed,
    timeoutMs: parseNumberOption('data fetch', '--timeout-ms', values['timeout-ms'], 20_000, (n) => Number.isInteger(n) && n > 0, 'an integer > 0'),
  };
  mkdirSync(out, { recursive: true });
  let failures = 0;
  for (const symbol of symbols) {
    const file = join(out, `${symbol}.csv`);
    const exists = existsSync(file) && !values.replace;
    if (!exists) {
      if (from === undefined) throw new UsageError(`aq data fetch: ${file} does not exist yet, so --from is required`);
      const bars = await fetchDailyBars({ symbol, from, to }, options);
      if (bars.length === 0) {
        io.stderr(`${symbol}: ${source} has no bars between ${from} and ${to ?? 'today'}; nothing written\n`);
        failures++;
        continue;
      }
      const text = header + formatBarLines(bars);
      parseBarsCsv(text, `${source} ${symbol}`);
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      io.stdout(`${symbol}: wrote ${bars.length} bars ${bars[0].date}..${bars[bars.length - 1].date} to ${file}\n`);
      continue;
    }
    const existing = loadBarsFile(file).bars;
    const count = existing.dates.length;
    const overlapStart = existing.dates[Math.max(0, count - overlapBars)];
    const fetchFrom = from !== undefined && from < overlapStart ? from : overlapStart;
    const fetched = await fetchDailyBars({ symbol, from: fetchFrom, to }, options);
    const plan = planAppend(existing, fetched);
    if (plan.differences.length > 0) {
      failures++;
      const shown = plan.differences.slice(0, 10).map((d) => d.field === 'missing'
        ? `    ${d.date}: ${d.file === null ? `${source} has a bar the file lacks` : `the file has a bar ${source} lacks`}`
        : `    ${d.date} ${d.field}: file ${d.file}, ${source} ${d.source}`);
      io.stderr(`${symbol}: ${source} disagrees with ${file} on ${plan.differences.length} value(s) of the bars already there; nothing written.\n`
        + `${shown.join('\n')}\n`
        + `  A split or a revision? Fetch the whole history again with --replace --from ${existing.dates[0]}.\n`);
      continue;
    }
    if (plan.append.length === 0) {
      io.stdout(`${symbol}: up to date (last bar ${existing.dates[count - 1]}; ${plan.agreeing} overlapping bars agree)\n`);
      continue;
    }
    const lines = formatBarLines(plan.append);
    // Validate the whole file as it will be before touching it.
    const current = readFileSync(file, 'utf8');
    parseBarsCsv(`${current.endsWith('\n') ? current : `${current}\n`}${lines}`, file);
    appendFileSync(file, current.endsWith('\n') ? lines : `\n${lines}`);
    io.stdout(`${symbol}: appended ${plan.append.length} bars ${plan.append[0].date}..${plan.append[plan.append.length - 1].date} to ${file} (${plan.agreeing} overlapping bars agree)\n`);
  }
  return failures === 0 ? 0 : 1;
}
