/**
 * One measured process of the load bench (bench/load.ts spawns it):
 *   node dist/bench/load-process.js DATA_DIR SYMBOL_COUNT cache|nocache [backtest]
 * loads SYM0000.. SYM(N-1) from DATA_DIR through loadUniverseBars (with or without the bar cache,
 * whose folder is $AQ_CACHE_DIR), optionally runs TrendBreakout over them, and prints one JSON line:
 * seconds from process start to loaded, seconds of the backtest, bars, trades, peak RSS in MB.
 */
import { loadUniverseBars, universeFromSymbols } from '../src/data/universe';
import { runBacktest } from '../src/engine/backtest';
import { trendBreakout } from '../src/strategies/trend-breakout';

function main(argv: readonly string[]): void {
  const [dataDir, count, mode, backtest] = argv;
  const symbols = Array.from({ length: Number(count) }, (_, i) => `SYM${String(i).padStart(4, '0')}`);
  const { bars } = loadUniverseBars(universeFromSymbols(symbols, dataDir), { cache: mode === 'cache' });
  // performance.now() counts from the process's time origin, so this includes Node's start-up.
  const loaded = performance.now() / 1000;
  const trades = backtest === 'backtest' ? runBacktest(bars, trendBreakout()).trades.length : 0;
  const done = performance.now() / 1000;
  process.stdout.write(`${JSON.stringify({
    loadSeconds: loaded,
    backtestSeconds: done - loaded,
    bars: bars.reduce((sum, series) => sum + series.dates.length, 0),
    trades,
    peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
  })}\n`);
}

main(process.argv.slice(2));
