/**
 * Leak (b): a centred 5-bar moving average (bars t-2..t+2), a classic smoothing mistake.
 * The prefix check must flag it at the third bar (t = 2), the first where the whole series
 * has a value and bars 0..t alone cannot.
 */
import type { BarSeries, Intent, MarketState, Strategy } from '../../../src/index';

export const halfWidth = 2;

const strategy: Strategy = {
  name: 'leaky-centred-moving-average',
  indicators(bars: BarSeries) {
    const count = bars.dates.length;
    const centred = new Float64Array(count).fill(Number.NaN);
    for (let t = halfWidth; t + halfWidth < count; t++) {
      let sum = 0;
      for (let i = t - halfWidth; i <= t + halfWidth; i++) sum += bars.close[i];
      centred[t] = sum / (2 * halfWidth + 1);
    }
    return { centred_ma: centred };
  },
  decide(state: MarketState): Intent[] {
    const intents: Intent[] = [];
    for (const view of state.symbols) {
      const average = view.indicators.centred_ma;
      if (average === null) continue;
      if (view.position === null && !view.hasPendingOrder && view.bar.close < average) {
        intents.push({ kind: 'enter', symbol: view.symbol, reason: 'close below its centred average', factors: view.factors });
      } else if (view.position !== null && view.bar.close > average) {
        intents.push({ kind: 'exit', symbol: view.symbol, exitReason: 'average', reason: 'close above its centred average', factors: view.factors });
      }
    }
    return intents;
  },
};

export default strategy;
