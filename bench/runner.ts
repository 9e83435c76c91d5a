/**
 * Runner bench: the time from process start to orders placed for one `aq paper` daily cycle of
 * 3 symbols with 14 years of history (../shared/data/real/normalized, 2010-01-04..2024-03-08; a
 * generated 14-year universe when that folder is absent). Target: < 1 s.
 *
 * Each repeat starts `node dist/src/cli/main.js paper ... --as-of <last date>` on a copy of a
 * journal that already holds the session up to the day before (prepared once, untimed), so the
 * timed cycle does everything a daily cron run does: start node, load every command, read the
 * CSVs, open the journal, reconcile with the paper broker, record the open's fills, compute the
 * features over 14 years, decide, and place the orders.
 *
 * For comparison: the same cycle in-process (Runner.runAsOf on a journal copy, data already in
 * memory), and the start of node plus `aq --help` (the dispatcher loading every command).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BarSeries } from '../src/data/bars';
import { formatBarsCsv, generateUniverse } from '../src/data/generator';
import { loadBarsFile } from '../src/data/load-bars';
import { noCosts } from '../src/orders/costs';
import { unionCalendar } from '../src/engine/backtest';
import { noRiskLimits } from '../src/risk/risk-manager';
import { openRunner, replayInProcess } from '../src/runner/runner';
import { equalWeight } from '../src/sizing/sizing';
import { trendBreakout } from '../src/strategies/trend-breakout';
import type { BenchRow } from './table';

export const runnerCycleTargetMs = 1000;

const symbols = ['MU', 'GLD', 'GOOG'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function settings() {
  return { strategy: trendBreakout(), startingCash: 100_000, sizing: equalWeight, risk: noRiskLimits, costs: noCosts };
}

export async function benchRunner(repeats = 7): Promise<BenchRow[]> {
  const root = resolve(__dirname, '..', '..');
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`runner bench: ${main} not found: run npm run build first`);
  const work = mkdtempSync(join(tmpdir(), 'aq-bench-runner-'));
  try {
    const real = resolve(root, '..', 'shared', 'data', 'real', 'normalized');
    let dataDir = real;
    let source = 'real MU, GLD, GOOG 2010-2024';
    if (!symbols.every((symbol) => existsSync(join(real, `${symbol}.csv`)))) {
      dataDir = join(work, 'data');
      require('node:fs').mkdirSync(dataDir);
      for (const series of generateUniverse(symbols, 14, 7)) writeFileSync(join(dataDir, `${series.symbol}.csv`), formatBarsCsv(series));
      source = `generated 14y (${real} absent)`;
    }
    const bars: BarSeries[] = symbols.map((symbol) => loadBarsFile(join(dataDir, `${symbol}.csv`)).bars);
    const calendar = unionCalendar(bars);
    const last = calendar[calendar.length - 1];
    const previous = calendar[calendar.length - 2];
    // The session up to the day before, with positions and pending orders (untimed).
    const prepared = join(work, 'prepared.db');
    const preparing = openRunner({ journalPath: prepared, bars, settings: settings() });
    await replayInProcess(preparing, calendar[calendar.length - 60], previous);
    preparing.journal.close();

    const args = (journal: string) => [main, 'paper', '--universe', symbols.join(','), '--data', dataDir, '--journal', journal, '--as-of', last, '--quiet'];
    const spawned: number[] = [];
    for (let i = 0; i < repeats + 1; i++) {
      const journal = join(work, `cycle-${i}.db`);
      copyFileSync(prepared, journal);
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args(journal), { encoding: 'utf8' });
      const elapsed = Number(process.hrtime.bigint() - start);
      if (child.status !== 0 || !child.stdout.startsWith(`${last}: equity`)) throw new Error(`runner bench: aq paper failed: ${child.stderr}${child.stdout}`);
      if (i > 0) spawned.push(elapsed); // the first run warms the disk cache
    }

    const inProcess: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const journal = join(work, `in-process-${i}.db`);
      copyFileSync(prepared, journal);
      const runner = openRunner({ journalPath: journal, bars, settings: settings() });
      const start = process.hrtime.bigint();
      await runner.runAsOf(last);
      const elapsed = Number(process.hrtime.bigint() - start);
      runner.journal.close();
      if (i > 1) inProcess.push(elapsed);
    }

    const help: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
      help.push(Number(process.hrtime.bigint() - start));
    }

    const row = (name: string, samples: number[], note: string): BenchRow => ({
      name, nsPerUnit: median(samples), minNs: Math.min(...samples), maxNs: Math.max(...samples), unit: 'run', note,
    });
    const spawnedMedian = median(spawned);
    return [
      row('aq paper: one cycle, process start to orders placed', spawned,
        `${source}; target < ${runnerCycleTargetMs} ms: ${spawnedMedian / 1e6 < runnerCycleTargetMs ? 'met' : 'NOT met'}`),
      row('the same cycle in-process (Runner.runAsOf)', inProcess, '14 years of features recomputed, journal and paper broker in SQLite'),
      row('node + aq --help', help, 'process start-up alone (commands load on demand)'),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
