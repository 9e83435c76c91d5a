/**
 * Load bench: 20y x 500 generated symbols (generateUniverse, the engine bench's universe) written
 * once as CSV to a temporary folder, then loaded
 * - in process, ns per bar: parsing the CSVs (no cache), reading + sha256 of the source files
 *   (what a warm load pays to validate its entries; the target is to cost less than parsing),
 *   the first load with the cache (parse + write the entries), the warm load from the cache, and
 *   plain readFileSync of the cache files (the memory-speed yardstick of the warm load);
 * - in fresh processes, seconds from process start (as a user runs it): load only, and load +
 *   TrendBreakout backtest, each without and with a warm cache, with each process's peak RSS.
 * Ratios are measured in the same run. The cache folder is a temporary one ($AQ_CACHE_DIR).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearBarCache, loadThroughBarCache, sha256Hex, summarizeBarCache } from '../src/data/bar-cache';
import { loadBarsFile, symbolFromFileName } from '../src/data/load-bars';
import { formatBarsCsv, generateUniverse } from '../src/data/generator';
import { measure, type BenchRow, type Measurement } from './table';

export const warmLoadAndBacktestTargetSeconds = 1.5;
export const coldLoadAndBacktestTargetSeconds = 4;
export const peakRssTargetMegabytes = 500;

const years = 20;
const symbolCount = 500;
const seed = 20_240_308;

interface ProcessReport {
  loadSeconds: number;
  backtestSeconds: number;
  bars: number;
  trades: number;
  peakRssMegabytes: number;
}

function inProcessRow(name: string, bars: number, timed: Measurement, relative: string, note: string): BenchRow {
  return {
    name,
    nsPerUnit: timed.median,
    cpuNsPerUnit: timed.cpu,
    minNs: timed.min,
    maxNs: timed.max,
    unit: 'bar',
    relative,
    note: `${note}; whole ${((timed.median * bars) / 1e9).toFixed(3)} s`,
  };
}

/** Median (by wall time from spawn to exit) of `runs` fresh processes of bench/load-process.js. */
function runProcess(args: readonly string[], env: NodeJS.ProcessEnv, runs: number): { wall: number; report: ProcessReport } {
  const script = join(__dirname, 'load-process.js');
  const samples: { wall: number; report: ProcessReport }[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.status !== 0) throw new Error(`load-process ${args.join(' ')} failed: ${child.stderr}`);
    samples.push({ wall, report: JSON.parse(child.stdout) as ProcessReport });
  }
  samples.sort((a, b) => a.wall - b.wall);
  return samples[Math.floor(samples.length / 2)];
}

export async function benchLoad(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aq-bench-load-data-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'aq-bench-load-cache-'));
  const previousCacheDir = process.env.AQ_CACHE_DIR;
  const previousCache = process.env.AQ_CACHE;
  process.env.AQ_CACHE_DIR = cacheDir;
  delete process.env.AQ_CACHE;
  try {
    const symbols = Array.from({ length: symbolCount }, (_, i) => `SYM${String(i).padStart(4, '0')}`);
    const files = generateUniverse(symbols, years, seed).map((series) => {
      const file = join(dataDir, `${series.symbol}.csv`);
      writeFileSync(file, formatBarsCsv(series));
      return file;
    });
    const bars = files.reduce((sum, file) => sum + loadBarsFile(file).bars.dates.length, 0);
    const perFile = bars / files.length;

    const parse = measure(bars, () => files.map((file) => loadBarsFile(file).bars), 3, 1);
    const hash = measure(bars, () => files.map((file) => sha256Hex(readFileSync(file))), 5, 1);
    clearBarCache(cacheDir);
    const fill = measure(bars, () => files.map((file) => loadBarsFile(file, { cache: true }).bars), 1, 0);
    const cache = summarizeBarCache(cacheDir);
    const warm = measure(bars, () => files.map((file) => loadBarsFile(file, { cache: true }).bars), 5, 1);
    // A clock at 0 makes every source look just changed: no fingerprint is trusted, each entry is checked by hash.
    const options = { adjust: false, invalidRows: 'error' } as const;
    const unparsed = () => {
      throw new Error('bench: a hash-checked warm load parsed a file');
    };
    const hashed = measure(bars, () => files.map((file) =>
      loadThroughBarCache(file, symbolFromFileName(file), options, unparsed, { nowMs: () => 0 }).bars), 5, 1);
    const entries = readdirSync(cacheDir).map((name) => join(cacheDir, name));
    const readEntries = measure(bars, () => entries.map((file) => readFileSync(file)), 5, 1);

    const ratio = (a: Measurement, b: Measurement): string => `${(a.median / b.median).toFixed(2)}x`;
    const rows: BenchRow[] = [
      inProcessRow(`load ${years}y x ${symbolCount}, no cache (parse CSV)`, bars, parse, '1.00x parse', `${perFile.toFixed(0)} bars per file`),
      inProcessRow('  read + sha256 of the source files', bars, hash, `${ratio(hash, parse)} parse`,
        `target: below parse (1.00x) ${hash.median < parse.median ? 'met' : 'NOT met'}`),
      inProcessRow('  first load with cache (parse + write)', bars, fill, `${ratio(fill, parse)} parse`,
        `${cache.entries} entries, ${(cache.bytes / 1e6).toFixed(1)} MB`),
      inProcessRow('  warm load from cache (source unchanged by stat)', bars, warm, `${ratio(warm, parse)} parse`,
        `${(parse.median / warm.median).toFixed(1)}x faster than parsing; ${ratio(warm, readEntries)} of reading the entries`),
      inProcessRow('  warm load from cache (source checked by sha256)', bars, hashed, `${ratio(hashed, parse)} parse`,
        `${(parse.median / hashed.median).toFixed(1)}x faster than parsing; what a touched source costs`),
      inProcessRow('  readFileSync of the cache entries only', bars, readEntries, `${ratio(readEntries, parse)} parse`, 'memory-speed yardstick'),
    ];

    const env = { ...process.env, AQ_CACHE_DIR: cacheDir };
    const load = loadavg()[0].toFixed(1);
    for (const backtest of [false, true]) {
      const extra = backtest ? ['backtest'] : [];
      const cold = runProcess([dataDir, String(symbolCount), 'nocache', ...extra], env, 3);
      // One unmeasured run fills any entry still missing, so the measured ones are all warm.
      runProcess([dataDir, String(symbolCount), 'cache'], env, 1);
      const hot = runProcess([dataDir, String(symbolCount), 'cache', ...extra], env, 3);
      const what = backtest ? `load + TrendBreakout ${years}y x ${symbolCount}` : `load ${years}y x ${symbolCount}`;
      for (const [label, result, target] of [
        ['no cache', cold, coldLoadAndBacktestTargetSeconds],
        ['warm cache', hot, warmLoadAndBacktestTargetSeconds],
      ] as const) {
        const { report } = result;
        const targets = backtest
          ? `; target < ${target} s ${result.wall < target ? 'met' : 'NOT met'}, RSS < ${peakRssTargetMegabytes} MB ${report.peakRssMegabytes < peakRssTargetMegabytes ? 'met' : 'NOT met'}`
          : '';
        rows.push({
          name: `process: ${what}, ${label}`,
          nsPerUnit: result.wall * 1e9,
          unit: 'run',
          relative: label === 'warm cache' ? `${(cold.wall / hot.wall).toFixed(2)}x faster` : '',
          note: `start to loaded ${report.loadSeconds.toFixed(2)} s${backtest ? ` + backtest ${report.backtestSeconds.toFixed(2)} s, ${report.trades} trades` : ''}; peak RSS ${report.peakRssMegabytes.toFixed(0)} MB${targets}; median of 3; load ${load} on ${cpus().length} cores`,
        });
      }
    }
    return rows;
  } finally {
    if (previousCacheDir === undefined) delete process.env.AQ_CACHE_DIR;
    else process.env.AQ_CACHE_DIR = previousCacheDir;
    if (previousCache !== undefined) process.env.AQ_CACHE = previousCache;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
