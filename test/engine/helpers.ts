/**
 * Shared by the engine tests and the golden regeneration script: where the real data is, how
 * to run the engine and the reference loop with the same options, and how to compare them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BarSeries } from '../../src/data/bars';
import { loadBarsFile } from '../../src/data/load-bars';
import { runBacktest, type BacktestResult } from '../../src/engine/backtest';
import { equalWeight, fixedRisk } from '../../src/sizing/sizing';
import { trendBreakout } from '../../src/strategies/trend-breakout';
import type { RiskLimits } from '../../src/risk/risk-manager';
import { referenceBacktest, type ReferenceOptions, type ReferenceResult } from './reference-backtest';
import { mulberry32 } from '../support/mulberry32';

/** <repo>/../shared/data: the real bars live outside the repository. */
export const sharedDataDir = resolve(__dirname, '..', '..', '..', 'shared', 'data');
export const realNormalizedDir = resolve(sharedDataDir, 'real', 'normalized');
export const realSymbols = ['MU', 'GLD', 'GOOG'] as const;

export function realDataAvailable(): boolean {
  return realSymbols.every((symbol) => existsSync(resolve(realNormalizedDir, `${symbol}.csv`)));
}

let realBarsCache: BarSeries[] | undefined;

/** MU, GLD, GOOG 2010-01-04..2024-03-08 in universe order (loaded once per process). */
export function loadRealBars(): BarSeries[] {
  realBarsCache ??= realSymbols.map((symbol) => loadBarsFile(resolve(realNormalizedDir, `${symbol}.csv`)).bars);
  return realBarsCache;
}

/** One scenario, in the reference loop's terms; `engineRun` translates it for runBacktest. */
export interface Scenario extends ReferenceOptions {
  readonly name: string;
}

export const withCosts = { commissionPerShare: 0.005, minimumCommission: 1, slippageBps: 5 } as const;

export function engineRun(bars: readonly BarSeries[], scenario: ReferenceOptions, risk?: RiskLimits): BacktestResult {
  return runBacktest(bars, trendBreakout(), {
    startingCash: scenario.startingCash,
    sizing: scenario.sizing === 'fixed-risk' ? fixedRisk(scenario.risk ?? 0.01) : equalWeight,
    costs: {
      commissionPerShare: scenario.commissionPerShare ?? 0,
      minimumCommission: scenario.minimumCommission ?? 0,
      slippageBps: scenario.slippageBps ?? 0,
    },
    from: scenario.from,
    to: scenario.to,
    risk,
  });
}

export function referenceRun(bars: readonly BarSeries[], scenario: ReferenceOptions): ReferenceResult {
  return referenceBacktest(bars, scenario);
}

/** |a - b| <= 1e-9 * max(|a|, |b|), with an absolute floor for values that should be near 0. */
export function close(a: number, b: number, relative = 1e-9, absolute = 1e-9): boolean {
  if (Object.is(a, b)) return true;
  return Math.abs(a - b) <= Math.max(relative * Math.max(Math.abs(a), Math.abs(b)), absolute);
}

/**
 * Every difference between the engine and the reference, as readable lines (empty = they
 * agree). Dates, symbols, sides and share counts must be equal; money to 1e-9 relative.
 * PnL parts get an absolute floor of 1e-9 times the trade's notional: a split of a PnL near 0
 * is only as exact as the PnL itself.
 */
export function differences(engine: BacktestResult, reference: ReferenceResult, limit = 10): string[] {
  const out: string[] = [];
  const note = (message: string) => {
    if (out.length < limit) out.push(message);
  };
  if (engine.trades.length !== reference.trades.length) {
    note(`trade count: engine ${engine.trades.length}, reference ${reference.trades.length}`);
  }
  const tradeCount = Math.min(engine.trades.length, reference.trades.length);
  for (let i = 0; i < tradeCount; i++) {
    const e = engine.trades[i];
    const r = reference.trades[i];
    const where = `trade ${i} (${r.symbol} signal ${r.signalDate})`;
    const notional = r.shares * r.entryPrice;
    for (const key of ['symbol', 'signalDate', 'entryDate', 'exitSignalDate', 'exitDate', 'exitReason', 'shares'] as const) {
      if (e[key] !== r[key]) note(`${where}: ${key} engine ${e[key]}, reference ${r[key]}`);
    }
    for (const key of ['entryPrice', 'exitPrice', 'pnl'] as const) {
      if (!close(e[key], r[key], 1e-9, 1e-9 * notional)) note(`${where}: ${key} engine ${e[key]}, reference ${r[key]}`);
    }
    for (const factor of ['momentum', 'breakout'] as const) {
      const engineValue = e.pnlByFactor[factor];
      if (engineValue === undefined || !close(engineValue, r.pnlByFactor[factor], 1e-9, 1e-9 * notional)) {
        note(`${where}: pnlByFactor.${factor} engine ${engineValue}, reference ${r.pnlByFactor[factor]}`);
      }
    }
  }
  if (engine.orders.length !== reference.orders.length) {
    note(`order count: engine ${engine.orders.length}, reference ${reference.orders.length}`);
  }
  const orderCount = Math.min(engine.orders.length, reference.orders.length);
  for (let i = 0; i < orderCount; i++) {
    const e = engine.orders[i];
    const r = reference.orders[i];
    if (e.symbol !== r.symbol || e.side !== r.side || e.shares !== r.shares || e.decisionDate !== r.decisionDate) {
      note(`order ${i}: engine ${e.symbol} ${e.side} ${e.shares} on ${e.decisionDate}, reference ${r.symbol} ${r.side} ${r.shares} on ${r.decisionDate}`);
    }
  }
  if (engine.fills.length !== reference.fills.length) {
    note(`fill count: engine ${engine.fills.length}, reference ${reference.fills.length}`);
  }
  const fillCount = Math.min(engine.fills.length, reference.fills.length);
  for (let i = 0; i < fillCount; i++) {
    const e = engine.fills[i];
    const r = reference.fills[i];
    if (e.symbol !== r.symbol || e.side !== r.side || e.shares !== r.shares || e.date !== r.date || e.decisionDate !== r.decisionDate
      || !close(e.price, r.price) || !close(e.commission, r.commission)) {
      note(`fill ${i}: engine ${JSON.stringify({ ...e, entry: undefined })}, reference ${JSON.stringify(r)}`);
    }
  }
  const unfilled = (orders: readonly { symbol: string; side: string; shares: number; decisionDate: string }[]) =>
    orders.map((order) => `${order.symbol} ${order.side} ${order.shares} ${order.decisionDate}`).join('; ');
  if (unfilled(engine.unfilledOrders) !== unfilled(reference.unfilledOrders)) {
    note(`unfilled orders: engine [${unfilled(engine.unfilledOrders)}], reference [${unfilled(reference.unfilledOrders)}]`);
  }
  const open = (positions: readonly { symbol: string; shares: number; entryDate: string }[]) =>
    positions.map((position) => `${position.symbol} ${position.shares} since ${position.entryDate}`).sort().join('; ');
  if (open(engine.openPositions) !== open(reference.openPositions)) {
    note(`open positions: engine [${open(engine.openPositions)}], reference [${open(reference.openPositions)}]`);
  }
  if (engine.equityCurve.length !== reference.equityCurve.length) {
    note(`equity curve length: engine ${engine.equityCurve.length}, reference ${reference.equityCurve.length}`);
  }
  const pointCount = Math.min(engine.equityCurve.length, reference.equityCurve.length);
  for (let i = 0; i < pointCount; i++) {
    const e = engine.equityCurve[i];
    const r = reference.equityCurve[i];
    if (e.date !== r.date || !close(e.equity, r.equity) || !close(e.cash, r.cash, 1e-9, 1e-9 * r.equity)) {
      note(`equity point ${i}: engine ${e.date} equity ${e.equity} cash ${e.cash}, reference ${r.date} equity ${r.equity} cash ${r.cash}`);
    }
  }
  if (!close(engine.finalEquity, reference.finalEquity)) {
    note(`final equity: engine ${engine.finalEquity}, reference ${reference.finalEquity}`);
  }
  return out;
}

/** The bars of `series` at the kept indexes (ascending). */
export function keepBars(series: BarSeries, kept: readonly number[]): BarSeries {
  const pick = (column: Float64Array) => Float64Array.from(kept, (i) => column[i]);
  return {
    symbol: series.symbol,
    source: `${series.source} (${kept.length} of ${series.dates.length} bars kept)`,
    dates: kept.map((i) => series.dates[i]),
    open: pick(series.open),
    high: pick(series.high),
    low: pick(series.low),
    close: pick(series.close),
    volume: pick(series.volume),
  };
}

export interface RaggedOptions {
  /** Share of each symbol's dates deleted at random (missing bars). */
  readonly missing: number;
  /** Largest share of the calendar a symbol may start late by / end early by. */
  readonly maxLateStart: number;
  readonly maxEarlyEnd: number;
}

/**
 * Unequal calendars from the project's generator: each symbol starts late and ends early by a
 * random share of the calendar (symbol 0 always spans it whole, symbol 1 always starts late,
 * symbol 2 always ends early) and loses a random share of its remaining dates.
 */
export function raggedUniverse(generated: readonly BarSeries[], seed: number, options: RaggedOptions): BarSeries[] {
  const random = mulberry32(seed);
  return generated.map((series, s) => {
    const count = series.dates.length;
    let first = s === 0 ? 0 : Math.floor(random() * options.maxLateStart * count);
    let end = s === 0 ? count : count - Math.floor(random() * options.maxEarlyEnd * count);
    if (s === 1) first = Math.max(first, Math.floor(0.1 * count));
    if (s === 2) end = Math.min(end, count - Math.floor(0.1 * count));
    const kept: number[] = [];
    for (let i = first; i < end; i++) if (random() >= options.missing) kept.push(i);
    return keepBars(series, kept);
  });
}
