/**
 * Leak (e): tomorrow's volume. `indicators` is handed the whole series, and this strategy
 * keeps it (module-level, a common shortcut) to read volume[t + 1] when deciding. Its
 * indicator columns are honest, so the prefix check passes; the perturbation check must flag
 * the decision at the first cut: with the bars after the cut replaced, tomorrow's volume
 * moves the other way and the target weight flips.
 */
import type { BarSeries, Intent, MarketState, Strategy } from '../../../src/index';

const seen = new Map<string, BarSeries>();

const strategy: Strategy = {
  name: 'leaky-next-day-volume',
  indicators(bars: BarSeries) {
    seen.set(bars.symbol, bars);
    return {};
  },
  decide(state: MarketState): Intent[] {
    const intents: Intent[] = [];
    for (const view of state.symbols) {
      const series = seen.get(view.symbol);
      if (series === undefined || view.index + 1 >= series.dates.length) continue;
      const rising = series.volume[view.index + 1] > view.bar.volume;
      intents.push({ kind: 'target', symbol: view.symbol, weight: rising ? 0.4 : 0, reason: 'volume trend', factors: view.factors });
    }
    return intents;
  },
};

export default strategy;
