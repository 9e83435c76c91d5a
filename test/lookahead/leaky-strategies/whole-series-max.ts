/**
 * Leak (c): the close normalised by the maximum close of the whole series, which is only
 * known at its end. The prefix check must flag it at the first bar whose running maximum is
 * below the series' maximum.
 */
import type { BarSeries, Intent, MarketState, Strategy } from '../../../src/index';

const strategy: Strategy = {
  name: 'leaky-whole-series-max',
  indicators(bars: BarSeries) {
    let maximum = -Infinity;
    for (const close of bars.close) if (close > maximum) maximum = close;
    return { close_vs_max: bars.close.map((close) => close / maximum) };
  },
  decide(state: MarketState): Intent[] {
    const intents: Intent[] = [];
    for (const view of state.symbols) {
      const level = view.indicators.close_vs_max;
      if (level === null) continue;
      if (view.position === null && !view.hasPendingOrder && level < 0.7) {
        intents.push({ kind: 'enter', symbol: view.symbol, reason: 'far below the all-time high (of the whole data)', factors: view.factors });
      } else if (view.position !== null && level > 0.9) {
        intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'high', reason: 'near the all-time high', factors: view.factors });
      }
    }
    return intents;
  },
};

export default strategy;
