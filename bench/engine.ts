/**
 * Engine bench: TrendBreakout through runBacktest on synthetic universes from the project's
 * generator (generateUniverse: one shared calendar, per-symbol price, volatility and volume).
 *
 * - throughput in symbol-bars per second (every symbol's bars / seconds of runBacktest, which
 *   includes computing the features and factors) for 1y x 3, 10y x 100 and 20y x 500 symbols;
 * - for 20y x 500 also the whole in-process time from files: the CSVs are written once to a
 *   temporary folder with formatBarsCsv, then loadBarsFile of all 500 + runBacktest is timed
 *   (and, for comparison, generateUniverse + runBacktest);
 * - peak RSS of the process so far (process.resourceUsage().maxRSS, the kernel's high-water
 *   mark), after each row. Run `node dist/bench/run.js --only engine` for numbers not inflated
 *   by other sections.
 *
 * Each row gives wall time (what the targets are about) and CPU time of the process: on a shared
 * machine the wall time also counts the waits for a core, and the load average is in the note.
 * A case stops repeating once its measured runs have taken 20 s, so a slow engine cannot make
 * the bench run for many minutes.
 *
 * Targets: >= 2,000,000 bars/s in the engine; 20y x 500 loaded and backtested in < 5 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarSeries } from '../src/data/bars';
import { formatBarsCsv, generateUniverse } from '../src/data/generator';
import { loadBarsFile } from '../src/data/load-bars';
import { runBacktest, type BacktestResult } from '../src/engine/backtest';
import { trendBreakout } from '../src/strategies/trend-breakout';
import type { BenchRow } from './table';

export const engineTargetBarsPerSecond = 2_000_000;
export const loadAndBacktestTargetSeconds = 5;
export const cliBacktestTargetSeconds = 0.5;

interface EngineCase {
  readonly years: number;
  readonly symbols: number;
  /** Measured runs (median reported) after `warmups` unmeasured ones. */
  readonly repeats: number;
  readonly warmups: number;
}

const cases: readonly EngineCase[] = [
  { years: 1, symbols: 3, repeats: 21, warmups: 5 },
  { years: 10, symbols: 100, repeats: 5, warmups: 1 },
  // The JIT is warm from the smaller cases by now; each run here is the biggest cost of the bench.
  { years: 20, symbols: 500, repeats: 3, warmups: 0 },
];

const seed = 20_240_308;

function symbolNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `SYM${String(i).padStart(4, '0')}`);
}

function barTotal(universe: readonly BarSeries[]): number {
  return universe.reduce((sum, series) => sum + series.dates.length, 0);
}

function peakRssMegabytes(): number {
  // maxRSS is in kilobytes (getrusage's ru_maxrss).
  return process.resourceUsage().maxRSS / 1024;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface Timed<T> {
  readonly runs: number;
  /** Wall seconds. */
  readonly median: number;
  /** CPU seconds of this process (all threads, so GC helpers count) for the run with the median wall time. */
  readonly cpu: number;
  readonly min: number;
  readonly max: number;
  readonly last: T;
}

/** Measuring stops after this many seconds of measured runs (at least one run), so a slow engine does not make the bench take many minutes. */
const budgetSeconds = 20;

/** Wall seconds of `body`: median, min and max over up to `repeats` runs after `warmups`. */
function time<T>(body: () => T, repeats: number, warmups: number): Timed<T> {
  let last = undefined as T;
  for (let i = 0; i < warmups; i++) last = body();
  const samples: { wall: number; cpu: number }[] = [];
  let spent = 0;
  while (samples.length < repeats && (samples.length === 0 || spent < budgetSeconds)) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    last = body();
    const wall = seconds(start);
    const cpu = process.cpuUsage(cpuStart);
    samples.push({ wall, cpu: (cpu.user + cpu.system) / 1e6 });
    spent += wall;
  }
  samples.sort((a, b) => a.wall - b.wall);
  const median = samples[Math.floor(samples.length / 2)];
  return { runs: samples.length, median: median.wall, cpu: median.cpu, min: samples[0].wall, max: samples[samples.length - 1].wall, last };
}

function rate(barsPerSecond: number): string {
  return barsPerSecond >= 1e6 ? `${(barsPerSecond / 1e6).toFixed(2)}M bars/s` : `${Math.round(barsPerSecond / 1e3)}k bars/s`;
}

function row(name: string, bars: number, timed: Timed<BacktestResult>, note: string): BenchRow {
  return {
    name,
    nsPerUnit: (timed.median * 1e9) / bars,
    cpuNsPerUnit: (timed.cpu * 1e9) / bars,
    minNs: (timed.min * 1e9) / bars,
    maxNs: (timed.max * 1e9) / bars,
    unit: 'bar',
    relative: rate(bars / timed.median),
    // On a shared machine the wall time includes waiting for a core; the CPU time does not.
    note: `${note}; by cpu time ${rate(bars / timed.cpu)}; ${timed.last.trades.length} trades; peak RSS ${peakRssMegabytes().toFixed(0)} MB; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
  };
}

export async function benchEngine(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const strategy = trendBreakout();
  let biggest: BarSeries[] = [];
  for (const { years, symbols, repeats, warmups } of cases) {
    const universe = generateUniverse(symbolNames(symbols), years, seed);
    const bars = barTotal(universe);
    const timed = time(() => runBacktest(universe, strategy), repeats, warmups);
    const met = bars / timed.median >= engineTargetBarsPerSecond ? 'met' : 'NOT met';
    rows.push(row(`runBacktest ${years}y x ${symbols} (${bars.toLocaleString('en-US')} bars)`, bars, timed,
      `median of ${timed.runs}, ${timed.median.toFixed(3)} s; target ${rate(engineTargetBarsPerSecond)} ${met}`));
    if (symbols === 500) biggest = universe;
  }

  // 20y x 500 from files, in process: load every CSV, then backtest.
  const folder = mkdtempSync(join(tmpdir(), 'aq-bench-engine-'));
  try {
    const files = biggest.map((series) => {
      const file = join(folder, `${series.symbol}.csv`);
      writeFileSync(file, formatBarsCsv(series));
      return file;
    });
    const bars = barTotal(biggest);
    biggest = [];
    let split = '';
    const loaded = time(() => {
      const start = process.hrtime.bigint();
      const series = files.map((file) => loadBarsFile(file).bars);
      const loading = seconds(start);
      const result = runBacktest(series, strategy);
      split = `last run: load ${loading.toFixed(2)} s + backtest ${(seconds(start) - loading).toFixed(2)} s`;
      return result;
    }, 3, 0);
    const met = loaded.median < loadAndBacktestTargetSeconds ? 'met' : 'NOT met';
    rows.push(row('loadBarsFile x 500 + runBacktest (20y)', bars, loaded,
      `whole ${loaded.median.toFixed(2)} s (median of ${loaded.runs}; ${split}); target < ${loadAndBacktestTargetSeconds} s ${met}`));
    const generated = time(() => runBacktest(generateUniverse(symbolNames(500), 20, seed), strategy), 3, 0);
    rows.push(row('generateUniverse 500 + runBacktest (20y)', bars, generated, `whole ${generated.median.toFixed(2)} s (median of ${generated.runs})`));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  rows.push(cliBacktestRow());
  return rows;
}

/** `aq backtest` on 1y x 3 as a user runs it: a fresh process, from start to exit. */
function cliBacktestRow(): BenchRow {
  const folder = mkdtempSync(join(tmpdir(), 'aq-bench-cli-'));
  try {
    const universe = generateUniverse(['MU', 'GLD', 'GOOG'], 1, seed);
    for (const series of universe) writeFileSync(join(folder, `${series.symbol}.csv`), formatBarsCsv(series));
    const main = join(__dirname, '..', 'src', 'cli', 'main.js');
    const args = [main, 'backtest', '--universe', 'MU,GLD,GOOG', '--data', folder, '--quiet'];
    const samples: number[] = [];
    for (let i = 0; i < 8; i++) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const elapsed = Number(process.hrtime.bigint() - start);
      if (child.status !== 0) throw new Error(`aq backtest failed: ${child.stderr}`);
      if (i > 0) samples.push(elapsed); // the first run warms the disk cache
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)];
    const met = median / 1e9 < cliBacktestTargetSeconds ? 'met' : 'NOT met';
    return {
      name: 'aq backtest 1y x 3, process start to exit',
      nsPerUnit: median,
      minNs: samples[0],
      maxNs: samples[samples.length - 1],
      unit: 'run',
      note: `median of ${samples.length} runs; target < ${cliBacktestTargetSeconds * 1000} ms ${met}`,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
