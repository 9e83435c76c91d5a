/**
 * Leak (a): an indicator that shifts the close by -1, so the value "at t" is close[t+1].
 * The prefix check must flag it at the first bar: on bars 0..0 there is no next close (NaN),
 * on the whole series there is.
 */
import type { BarSeries, Intent, MarketState, Strategy } from '../../../src/index';

const strategy: Strategy = {
  name: 'leaky-next-close',
  indicators(bars: BarSeries) {
    const next = new Float64Array(bars.dates.length).fill(Number.NaN);
    for (let t = 0; t + 1 < bars.dates.length; t++) next[t] = bars.close[t + 1];
    return { next_close: next };
  },
  decide(state: MarketState): Intent[] {
    const intents: Intent[] = [];
    for (const view of state.symbols) {
      const next = view.indicators.next_close;
      if (next === null) continue;
      if (view.position === null && !view.hasPendingOrder && next > view.bar.close) {
        intents.push({ kind: 'enter', symbol: view.symbol, reason: 'tomorrow closes higher', factors: view.factors });
      } else if (view.position !== null && next < view.bar.close) {
        intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'peek', reason: 'tomorrow closes lower', factors: view.factors });
      }
    }
    return intents;
  },
};

export default strategy;
