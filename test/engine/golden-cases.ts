/**
 * The golden backtests: which data, which options, and the canonical forms of the trade and
 * order lists whose sha256 the golden files pin. Shared by golden.test.ts and
 * regenerate-golden.ts so both hash exactly the same thing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BarSeries } from '../../src/data/bars';
import { loadUniverse, loadUniverseBars } from '../../src/data/universe';
import type { BacktestResult } from '../../src/engine/backtest';
import type { Metrics } from '../../src/metrics/metrics';
import { loadRealBars, realDataAvailable, realNormalizedDir, realSymbols, withCosts, type Scenario } from './helpers';

export const regenerateCommand = 'npx ts-node test/engine/regenerate-golden.ts';
export const goldenDir = resolve(__dirname, 'golden');
export const sampleUniversePath = resolve(__dirname, '..', '..', 'data', 'universe.yaml');

export interface GoldenCase {
  readonly name: string;
  readonly description: string;
  readonly data: 'real' | 'sample';
  readonly scenario: Scenario;
}

export const goldenCases: readonly GoldenCase[] = [
  {
    name: 'real-equal-weight',
    description: 'MU, GLD, GOOG 2010-01-04..2024-03-08 (../shared/data/real/normalized), spec defaults: equal weight, no costs, 100,000 cash',
    data: 'real',
    scenario: { name: 'real equal weight', sizing: 'equal-weight' },
  },
  {
    name: 'real-fixed-risk',
    description: 'MU, GLD, GOOG 2010-01-04..2024-03-08, fixed risk 1%, no costs',
    data: 'real',
    scenario: { name: 'real fixed risk', sizing: 'fixed-risk', risk: 0.01 },
  },
  {
    name: 'real-fixed-risk-costs',
    description: 'MU, GLD, GOOG 2010-01-04..2024-03-08, fixed risk 1%, commission 0.005/share (min 1), slippage 5 bps',
    data: 'real',
    scenario: { name: 'real fixed risk with costs', sizing: 'fixed-risk', risk: 0.01, ...withCosts },
  },
  {
    name: 'sample-equal-weight',
    description: 'the bundled sample universe data/universe.yaml (synthetic MU, GLD, GOOG), spec defaults',
    data: 'sample',
    scenario: { name: 'sample equal weight', sizing: 'equal-weight' },
  },
  {
    name: 'sample-fixed-risk',
    description: 'the bundled sample universe data/universe.yaml, fixed risk 1%',
    data: 'sample',
    scenario: { name: 'sample fixed risk', sizing: 'fixed-risk', risk: 0.01 },
  },
];

export interface CaseData {
  readonly bars: BarSeries[];
  /** sha256 of every input file, so a changed input is reported as such and not as an engine change. */
  readonly inputs: Record<string, string>;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Why the case's data cannot be read here (null = it can). */
export function missingData(data: GoldenCase['data']): string | null {
  if (data === 'real') return realDataAvailable() ? null : `real data not found in ${realNormalizedDir}`;
  return existsSync(sampleUniversePath) ? null : `sample universe not found at ${sampleUniversePath}`;
}

export function loadCaseData(data: GoldenCase['data']): CaseData {
  if (data === 'real') {
    const inputs: Record<string, string> = {};
    for (const symbol of realSymbols) inputs[`real/normalized/${symbol}.csv`] = sha256(readFileSync(resolve(realNormalizedDir, `${symbol}.csv`)));
    return { bars: loadRealBars(), inputs };
  }
  const universe = loadUniverse(sampleUniversePath);
  const inputs: Record<string, string> = { 'data/universe.yaml': sha256(readFileSync(sampleUniversePath)) };
  for (const symbol of universe.symbols) inputs[`${symbol}: ${universe.files[symbol].split(/[\\/]data[\\/]/).pop()}`] = sha256(readFileSync(universe.files[symbol]));
  return { bars: loadUniverseBars(universe).bars, inputs };
}

/**
 * Money and prices to 10 significant digits: enough to catch any real change (a cent on a
 * million), and loose enough that a harmless reordering of floating-point sums (1e-16
 * relative) does not flip a digit. Dates, symbols, sides and share counts are exact.
 */
function money(value: number): number {
  return Number(value.toPrecision(10));
}

export function canonicalTrades(result: BacktestResult): string {
  return JSON.stringify(result.trades.map((trade) => [
    trade.symbol,
    trade.signalDate,
    trade.entryDate,
    money(trade.entryPrice),
    trade.exitSignalDate,
    trade.exitDate,
    money(trade.exitPrice),
    trade.exitReason,
    trade.shares,
    money(trade.pnl),
    money(trade.commission),
    ...Object.keys(trade.pnlByFactor).sort().map((name) => [name, money(trade.pnlByFactor[name])]),
  ]));
}

export function canonicalOrders(result: BacktestResult): string {
  return JSON.stringify(result.orders.map((order) => [order.id, order.symbol, order.side, order.shares, order.decisionDate, order.intent, order.exitReason ?? null]));
}

export interface GoldenFile {
  readonly name: string;
  readonly description: string;
  readonly recipe: string;
  readonly crossChecked: string;
  readonly scenario: Scenario;
  readonly inputs: Record<string, string>;
  readonly tradeCount: number;
  readonly orderCount: number;
  readonly tradesSha256: string;
  readonly ordersSha256: string;
  readonly firstTrade: unknown;
  readonly lastTrade: unknown;
  readonly finalEquity: number;
  readonly metrics: Metrics;
}

export function goldenOf(goldenCase: GoldenCase, data: CaseData, result: BacktestResult): GoldenFile {
  const trades = JSON.parse(canonicalTrades(result)) as unknown[];
  return {
    name: goldenCase.name,
    description: goldenCase.description,
    recipe: `${regenerateCommand} (from the repository root; refuses to write unless the engine agrees with test/engine/reference-backtest.ts)`,
    crossChecked: 'trades, orders, fills, equity curve and final equity equal the naive reference loop (1e-9 relative); metrics equal computeMetrics over the reference curve and trades',
    scenario: goldenCase.scenario,
    inputs: data.inputs,
    tradeCount: result.trades.length,
    orderCount: result.orders.length,
    tradesSha256: sha256(canonicalTrades(result)),
    ordersSha256: sha256(canonicalOrders(result)),
    firstTrade: trades[0] ?? null,
    lastTrade: trades[trades.length - 1] ?? null,
    finalEquity: result.finalEquity,
    metrics: result.metrics,
  };
}

export function goldenPath(name: string): string {
  return resolve(goldenDir, `${name}.json`);
}
