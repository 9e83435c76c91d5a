import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { barSeriesFromRows, type Bar, type BarSeries } from '../../src/data/bars';
import { loadBarsFile } from '../../src/data/load-bars';
import { noCosts } from '../../src/orders/costs';
import { noRiskLimits } from '../../src/risk/risk-manager';
import { equalWeight } from '../../src/sizing/sizing';
import { trendBreakout } from '../../src/strategies/trend-breakout';
import type { RunnerSettings } from '../../src/runner/runner';
import type { CommandIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';

export const repositoryRoot = resolve(__dirname, '..', '..');
export const realDataDir = resolve(repositoryRoot, '..', 'shared', 'data', 'real', 'normalized');
export const universeSymbols = ['MU', 'GLD', 'GOOG'];

/** Skips the suite (visibly) when the shared real data is not next to the repository. */
export function requireRealData(context: Mocha.Context): void {
  if (!universeSymbols.every((symbol) => existsSync(join(realDataDir, `${symbol}.csv`)))) {
    console.warn(`  skipped: real data not found at ${realDataDir}`);
    context.skip();
  }
}

export function loadRealBars(): BarSeries[] {
  return universeSymbols.map((symbol) => loadBarsFile(join(realDataDir, `${symbol}.csv`)).bars);
}

/** The spec's defaults: TrendBreakout, equal weight, no costs, no limits, 100,000 cash. */
export function defaultSettings(overrides: Partial<RunnerSettings> = {}): RunnerSettings {
  return { strategy: trendBreakout(), startingCash: 100_000, sizing: equalWeight, risk: noRiskLimits, costs: noCosts, ...overrides };
}

export function temporaryDirectory(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `aq-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Bars between two dates (inclusive), as a new series. */
export function slice(series: BarSeries, from: string, to: string): BarSeries {
  const rows: Bar[] = [];
  series.dates.forEach((date, i) => {
    if (date >= from && date <= to) {
      rows.push({ date, open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i] });
    }
  });
  return barSeriesFromRows(series.symbol, rows, series.source);
}

/** Writes bars as the loader reads them, numbers in shortest round-trip form (bit-exact reload). */
export function writeBars(dir: string, series: BarSeries): string {
  const lines = ['date,open,high,low,close,volume'];
  series.dates.forEach((date, i) => lines.push(`${date},${series.open[i]},${series.high[i]},${series.low[i]},${series.close[i]},${series.volume[i]}`));
  const file = join(dir, `${series.symbol}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with captured output. */
export async function runCli(argv: readonly string[]): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, interactive: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * Everything a session's state is made of, without wall-clock timestamps: the runner's tables and
 * the paper broker's. Two runs that did the same thing have equal dumps.
 */
export function journalDump(db: import('better-sqlite3').Database): Record<string, unknown[]> {
  const tables: Record<string, string> = {
    cycles: 'SELECT date, status, equity, cash, position_value, positions FROM cycles ORDER BY date',
    decisions: 'SELECT * FROM decisions ORDER BY seq',
    orders: `SELECT seq, client_order_id, decision_date, symbol, side, shares, intent, reason, exit_reason, factors, memo, status,
      broker_order_id, broker_status, filled_shares, filled_value FROM orders ORDER BY seq`,
    fills: 'SELECT * FROM fills ORDER BY seq',
    trades: 'SELECT * FROM trades ORDER BY seq',
    rejections: 'SELECT * FROM rejections ORDER BY seq',
    positions: 'SELECT * FROM positions ORDER BY seq',
    account: 'SELECT * FROM account',
    paper_orders: 'SELECT * FROM paper_orders ORDER BY seq',
    paper_account: 'SELECT * FROM paper_account',
    paper_positions: 'SELECT * FROM paper_positions ORDER BY seq',
  };
  const dump: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(tables)) dump[name] = db.prepare(sql).all();
  return dump;
}
