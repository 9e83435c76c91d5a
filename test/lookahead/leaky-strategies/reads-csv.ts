/**
 * Leak (f): a strategy that reads the data file itself and looks one day ahead. Its data
 * folder is module-level configuration captured when the module loads (from AQ_DATA_DIR), and
 * the parsed closes are cached at module level, keyed by symbol only. The perturbation check
 * catches it only because it reloads the module for every run (so the folder is the perturbed
 * copy's and the cache is empty) and perturbs the files, not only the arrays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Intent, MarketState, Strategy } from '../../../src/index';

export const config = { dataDir: process.env.AQ_DATA_DIR ?? '' };

const closesByDate = new Map<string, Map<string, number[]>>();
const datesBySymbol = new Map<string, string[]>();

function load(symbol: string): void {
  if (datesBySymbol.has(symbol)) return;
  const lines = readFileSync(join(config.dataDir, `${symbol}.csv`), 'utf8').trim().split('\n').slice(1);
  const dates: string[] = [];
  const closes = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const [date, , , , close] = line.split(',');
    dates.push(date);
    closes.set(date, [i, Number(close)]);
  });
  datesBySymbol.set(symbol, dates);
  closesByDate.set(symbol, closes);
}

const strategy: Strategy = {
  name: 'leaky-reads-csv',
  decide(state: MarketState): Intent[] {
    const intents: Intent[] = [];
    for (const view of state.symbols) {
      load(view.symbol);
      const dates = datesBySymbol.get(view.symbol) as string[];
      const closes = closesByDate.get(view.symbol) as Map<string, number[]>;
      const today = closes.get(state.date);
      if (today === undefined || today[0] + 1 >= dates.length) continue;
      const tomorrow = (closes.get(dates[today[0] + 1]) as number[])[1];
      intents.push({ kind: 'target', symbol: view.symbol, weight: tomorrow > today[1] ? 0.4 : 0, reason: 'tomorrow', factors: view.factors });
    }
    return intents;
  },
};

export default strategy;
