import { barAt, type Bar, type BarSeries } from '../data/bars';
import { unionCalendar } from '../data/calendar';
import { splitPnl, summarizeAttribution, type AttributionSummary } from '../attribution/attribution';
import type { FactorModel } from '../factors/factor-model';
import { computeSignals } from '../factors/pipeline';
import type { FeaturePeriods } from '../features/feature-set';
import { computeMetrics, type Metrics } from '../metrics/metrics';
import { emptyPortfolio, positionsValue, type ClosedTrade, type Fill } from '../portfolio/portfolio';
import { noRiskLimits, validateRiskLimits, type RiskLimits } from '../risk/risk-manager';
import { equalWeight, type SizingRule } from '../sizing/sizing';
import { signalSettings } from '../strategies/definition';
import type { Intent, Strategy } from '../strategies/strategy';
import { noCosts, validateCosts, type Costs } from './costs';
import { decideAtClose, executeAtOpen, type KernelConfig, type KernelState, type Order, type Rejection } from './kernel';
import { symbolView, type SymbolData } from './market-state';

// The calendar is built in src/data/calendar.ts; runner and CLI code reach it through the engine as before.
export { unionCalendar };

export interface BacktestOptions {
  readonly startingCash?: number;
  readonly sizing?: SizingRule;
  readonly risk?: RiskLimits;
  readonly costs?: Partial<Costs>;
  /** First decision date; bars before it only warm the features up. */
  readonly from?: string;
  /** Last date used; later bars are not read at all. */
  readonly to?: string;
  readonly featurePeriods?: FeaturePeriods;
  readonly factorModel?: FactorModel;
  /** Called now and then with the share of dates done (0..1), for progress bars. */
  readonly onProgress?: (done: number) => void;
}

/** A closed round trip with its PnL split by factor (see src/attribution). */
export interface Trade extends ClosedTrade {
  readonly pnlByFactor: Readonly<Record<string, number>>;
}

export interface OpenPosition {
  readonly symbol: string;
  readonly shares: number;
  readonly entryDate: string;
  readonly entryPrice: number;
  readonly signalDate: string;
  readonly lastClose: number;
  readonly unrealizedPnl: number;
}

export interface EquityPoint {
  readonly date: string;
  readonly equity: number;
  readonly cash: number;
  readonly positionValue: number;
}

export interface DatedIntent {
  readonly date: string;
  readonly intent: Intent;
}

export interface BacktestResult {
  readonly strategy: string;
  /** The strategy's parameter values, as it declared them (absent for a strategy without declarations). */
  readonly parameters?: Readonly<Record<string, number | string | boolean>>;
  readonly universe: readonly string[];
  readonly startingCash: number;
  readonly finalEquity: number;
  readonly trades: Trade[];
  readonly openPositions: OpenPosition[];
  readonly intents: DatedIntent[];
  readonly orders: Order[];
  readonly fills: Fill[];
  /** Orders still waiting when the data ended (a signal on the last bar is not filled). */
  readonly unfilledOrders: Order[];
  readonly rejected: Rejection[];
  readonly equityCurve: EquityPoint[];
  readonly metrics: Metrics;
  readonly attribution: AttributionSummary;
  readonly factorModel: FactorModel;
}

/** For each date of an ascending list, its position in the (ascending) calendar that contains it. */
function calendarIndexes(calendar: readonly string[], dates: readonly string[]): Int32Array {
  const positions = new Int32Array(dates.length);
  let day = 0;
  for (let i = 0; i < dates.length; i++) {
    while (day < calendar.length && calendar[day] !== dates[i]) day++;
    if (day === calendar.length) throw new RangeError(`backtest: dates must be strictly ascending, ${dates[i]} is out of order`);
    positions[i] = day;
  }
  return positions;
}

/** Bars up to `to` (inclusive): the engine must not even hold later bars. */
function truncate(series: BarSeries, to: string | undefined): BarSeries {
  if (to === undefined) return series;
  let count = series.dates.length;
  while (count > 0 && series.dates[count - 1] > to) count--;
  if (count === series.dates.length) return series;
  return {
    ...series,
    dates: series.dates.slice(0, count),
    open: series.open.slice(0, count),
    high: series.high.slice(0, count),
    low: series.low.slice(0, count),
    close: series.close.slice(0, count),
    volume: series.volume.slice(0, count),
  };
}

export function prepareSymbols(
  bars: readonly BarSeries[],
  strategy: Strategy,
  periods: FeaturePeriods,
  model: FactorModel,
  to?: string,
): SymbolData[] {
  return bars.map((full) => {
    const series = truncate(full, to);
    const indicators = strategy.indicators?.(series) ?? {};
    for (const [name, column] of Object.entries(indicators)) {
      if (!(column instanceof Float64Array) || column.length !== series.dates.length) {
        throw new Error(`${strategy.name}: indicator "${name}" for ${series.symbol} must be a Float64Array of ${series.dates.length} values`);
      }
    }
    return { series, signals: computeSignals(series, periods, model), indicators };
  });
}

/** Runs a strategy over a universe: decide at each close, fill at the next open. */
export function runBacktest(bars: readonly BarSeries[], strategy: Strategy, options: BacktestOptions = {}): BacktestResult {
  if (bars.length === 0) throw new RangeError('backtest: the universe is empty');
  const universe = bars.map((series) => series.symbol);
  if (new Set(universe).size !== universe.length) throw new RangeError(`backtest: duplicate symbols in ${universe.join(', ')}`);
  if (options.from !== undefined && options.to !== undefined && options.from > options.to) {
    throw new RangeError(`backtest: --from ${options.from} is after --to ${options.to}`);
  }
  const startingCash = options.startingCash ?? 100_000;
  const { featurePeriods, factorModel: model } = signalSettings(strategy, options);
  const config: KernelConfig = {
    strategy,
    universe,
    sizing: options.sizing ?? equalWeight,
    risk: validateRiskLimits(options.risk ?? noRiskLimits),
    costs: validateCosts({ ...noCosts, ...options.costs }),
  };
  const symbols = prepareSymbols(bars, strategy, featurePeriods, model, options.to);
  const calendar = unionCalendar(symbols.map((data) => data.series));
  const from = options.from;

  let state: KernelState = { portfolio: emptyPortfolio(startingCash), pending: [], previousEquity: null };
  const cursor = new Int32Array(symbols.length).fill(-1);
  const lastClose = new Float64Array(symbols.length).fill(Number.NaN);
  const indexOf = new Map(universe.map((symbol, i) => [symbol, i]));
  const closeOf = (symbol: string) => lastClose[indexOf.get(symbol) as number];
  // 1 when the symbol has a bar today (at cursor[s]). Bars are built only where needed: the
  // fills of pending orders, and the views' bars a strategy reads.
  const hasBar = new Uint8Array(symbols.length);
  const barOf = (symbol: string): Bar | undefined => {
    const s = indexOf.get(symbol);
    return s === undefined || hasBar[s] === 0 ? undefined : barAt(symbols[s].series, cursor[s]);
  };

  const trades: Trade[] = [];
  const intents: DatedIntent[] = [];
  const orders: Order[] = [];
  const fills: Fill[] = [];
  const rejected: Rejection[] = [];
  const equityCurve: EquityPoint[] = [];
  let tradedValue = 0;
  const progressEvery = Math.max(1, Math.floor(calendar.length / 100));

  // Each symbol's bars as positions in the calendar, so the daily loop compares integers.
  const calendarPositions = symbols.map((data) => calendarIndexes(calendar, data.series.dates));
  for (let day = 0; day < calendar.length; day++) {
    const date = calendar[day];
    for (let s = 0; s < symbols.length; s++) {
      const positions = calendarPositions[s];
      const next = cursor[s] + 1;
      if (next < positions.length && positions[next] === day) {
        cursor[s] = next;
        hasBar[s] = 1;
      } else {
        hasBar[s] = 0;
      }
    }
    const opened = executeAtOpen(config, state, date, barOf);
    state = opened.state;
    for (const fill of opened.fills) {
      fills.push(fill);
      tradedValue += fill.shares * fill.price;
    }
    rejected.push(...opened.rejections);
    for (const closed of opened.trades) trades.push({ ...closed, pnlByFactor: splitPnl(model, closed.entryFactors, closed.pnl) });

    for (let s = 0; s < symbols.length; s++) if (hasBar[s] === 1) lastClose[s] = symbols[s].series.close[cursor[s]];
    const positionValue = positionsValue(state.portfolio, closeOf);
    const equity = state.portfolio.cash + positionValue;

    if (from !== undefined && date < from) continue;
    equityCurve.push({ date, equity, cash: state.portfolio.cash, positionValue });
    const pendingSymbols = state.pending.length === 0 ? null : new Set(state.pending.map((order) => order.symbol));
    const views = [];
    for (let s = 0; s < symbols.length; s++) {
      if (hasBar[s] === 1) views.push(symbolView(symbols[s], cursor[s], state.portfolio, pendingSymbols?.has(universe[s]) ?? false));
    }
    const closed = decideAtClose(
      config,
      state,
      { date, symbols: views, universe, equity, cash: state.portfolio.cash, factorModel: model },
      closeOf,
    );
    state = closed.state;
    for (const intent of closed.intents) intents.push({ date, intent });
    orders.push(...closed.orders);
    rejected.push(...closed.rejections);
    if (options.onProgress !== undefined && day % progressEvery === 0) options.onProgress(day / calendar.length);
  }
  options.onProgress?.(1);

  const lastDate = calendar[calendar.length - 1];
  for (const order of state.pending) {
    rejected.push({
      date: lastDate,
      symbol: order.symbol,
      side: order.side,
      stage: 'no-next-bar',
      requestedShares: order.shares,
      shares: 0,
      rule: null,
      reason: `decided on ${order.decisionDate}, the symbol's last bar: no next open to fill at`,
    });
  }
  const openPositions: OpenPosition[] = [...state.portfolio.positions.values()].map((position) => {
    const close = closeOf(position.symbol);
    return {
      symbol: position.symbol,
      shares: position.shares,
      entryDate: position.entryDate,
      entryPrice: position.entryPrice,
      signalDate: position.entrySignalDate,
      lastClose: close,
      unrealizedPnl: position.shares * close - position.costBasis,
    };
  });
  const finalEquity = equityCurve.length > 0 ? equityCurve[equityCurve.length - 1].equity : startingCash;
  return {
    strategy: strategy.name,
    parameters: strategy.parameters,
    universe,
    startingCash,
    finalEquity,
    trades,
    openPositions,
    intents,
    orders,
    fills,
    unfilledOrders: [...state.pending],
    rejected,
    equityCurve,
    metrics: computeMetrics({
      startingEquity: startingCash,
      equity: equityCurve.map((point) => point.equity),
      positionValue: equityCurve.map((point) => point.positionValue),
      tradePnls: trades.map((trade) => trade.pnl),
      tradedValue,
    }),
    attribution: summarizeAttribution(model, universe, trades),
    factorModel: model,
  };
}
