/**
 * Broken engines for the availability check: each runs the real backtest but rewrites every
 * market state before the strategy sees it, the way an engine bug would. A strategy cannot
 * cause these leaks itself; the availability check exists to catch them in the engine (or
 * in a paper or live runner built on the same kernel).
 */
import { barAt, computeSignals, runBacktest, type Bar, type BarHistory, type BarSeries, type MarketState, type Strategy, type SymbolView } from '../../src/index';
import type { BacktestEngine } from '../../src/lookahead';

type ViewRewrite = (view: SymbolView, series: BarSeries) => SymbolView;

function rewritingEngine(rewrite: ViewRewrite): BacktestEngine {
  return (bars, strategy, options) => {
    const bySymbol = new Map(bars.map((series) => [series.symbol, series]));
    const broken: Strategy = {
      ...strategy,
      decide: (state: MarketState) => strategy.decide({
        ...state,
        symbols: state.symbols.map((view) => rewrite(view, bySymbol.get(view.symbol) as BarSeries)),
      }),
    };
    return runBacktest(bars, broken, options);
  };
}

const hasNext = (view: SymbolView, series: BarSeries) => view.index + 1 < series.dates.length;

/** A view with some fields replaced. Field by field: the engine's views keep `history` in a getter, which a spread would drop. */
function changed(view: SymbolView, changes: Partial<SymbolView>): SymbolView {
  return {
    symbol: view.symbol,
    index: changes.index ?? view.index,
    bar: changes.bar ?? view.bar,
    features: changes.features ?? view.features,
    featuresReady: view.featuresReady,
    factors: view.factors,
    indicators: view.indicators,
    position: view.position,
    hasPendingOrder: view.hasPendingOrder,
    featureValue: (name) => (changes.features === undefined ? view.featureValue(name) : changes.features[name]),
    factorValue: (name) => view.factorValue(name),
    history: changes.history ?? view.history,
  };
}

/** Shows tomorrow's bar as today's (an off-by-one in the bar cursor). */
export const tomorrowsBarEngine = rewritingEngine((view, series) => (hasNext(view, series) ? changed(view, { bar: barAt(series, view.index + 1) }) : view));

/** Shows tomorrow's features (features computed one bar too far). */
export const tomorrowsFeaturesEngine = rewritingEngine((view, series) => {
  if (!hasNext(view, series)) return view;
  const { features } = computeSignals(series);
  const at = (column: Float64Array) => (Number.isNaN(column[view.index + 1]) ? null : column[view.index + 1]);
  return changed(view, {
    features: {
      roc: at(features.roc),
      price_vs_ma: at(features.price_vs_ma),
      price_vs_high: at(features.price_vs_high),
      volume_zscore: at(features.volume_zscore),
      volatility: at(features.volatility),
    },
  });
});

/** Points the view's index one bar past today. */
export const indexPastTodayEngine = rewritingEngine((view, series) => (hasNext(view, series) ? changed(view, { index: view.index + 1 }) : view));

/** A history without an upper bound: any bar of the series, including later ones. */
export const unboundedHistoryEngine = rewritingEngine((view, series) => {
  const history: BarHistory = {
    length: view.index + 1,
    at: (index: number): Bar => barAt(series, index),
    closes: (count: number) => view.history.closes(count),
  };
  return changed(view, { history });
});

/**
 * A history whose bound check only refuses the very next bar: bar t + 1 throws, bar t + 2
 * does not. Only a strategy that reads two bars ahead sees the leak, so only the record of
 * the bars the strategy read can catch it.
 */
export const sloppyHistoryEngine = rewritingEngine((view, series) => {
  const history: BarHistory = {
    length: view.index + 1,
    at: (index: number): Bar => {
      if (index === view.index + 1) throw new RangeError(`${series.symbol}: bar ${index} is in the future`);
      return barAt(series, index);
    },
    closes: (count: number) => view.history.closes(count),
  };
  return changed(view, { history });
});

/** Reads history.at(t + 2) when the history hands it out (it should throw), and trades on it. */
export const readsTwoAheadStrategy: Strategy = {
  name: 'reads-two-ahead',
  decide(state) {
    const intents = [];
    for (const view of state.symbols) {
      let later: Bar | null = null;
      try {
        later = view.history.at(view.index + 2);
      } catch {
        // The honest answer: that bar does not exist yet.
      }
      if (later !== null && view.position === null && !view.hasPendingOrder && later.close > view.bar.close) {
        intents.push({ kind: 'enter' as const, symbol: view.symbol, reason: 'two days ahead', factors: view.factors });
      }
    }
    return intents;
  },
};
