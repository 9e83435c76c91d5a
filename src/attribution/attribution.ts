import type { FactorModel, FactorValues } from '../factors/factor-model';

/**
 * Shares of a trade's PnL per factor, from the factor values at the entry signal: factor f
 * gets |w_f * f| / sum over factors of |w_g * g| (spec: Attribution). When every contribution
 * is 0 the PnL is split equally, so the shares always sum to 1.
 */
export function factorShares(model: FactorModel, entryFactors: FactorValues): Record<string, number> {
  const names = Object.keys(model.factors);
  const magnitudes = names.map((name) => Math.abs((model.score[name] ?? 0) * (entryFactors[name] ?? 0)));
  const total = magnitudes.reduce((sum, value) => sum + value, 0);
  const shares: Record<string, number> = {};
  names.forEach((name, i) => {
    shares[name] = total > 0 ? magnitudes[i] / total : 1 / names.length;
  });
  return shares;
}

export function splitPnl(model: FactorModel, entryFactors: FactorValues, pnl: number): Record<string, number> {
  const shares = factorShares(model, entryFactors);
  const names = Object.keys(shares);
  const split: Record<string, number> = {};
  // The last factor takes the remainder so the parts add up to the PnL exactly.
  let assigned = 0;
  names.forEach((name, i) => {
    split[name] = i === names.length - 1 ? pnl - assigned : pnl * shares[name];
    assigned += split[name];
  });
  return split;
}

export interface AttributedTrade {
  readonly symbol: string;
  readonly pnl: number;
  readonly pnlByFactor: Readonly<Record<string, number>>;
}

export interface AttributionSummary {
  readonly totalPnl: number;
  readonly byFactor: Record<string, number>;
  readonly bySymbol: Record<string, number>;
  /** PnL by symbol and factor. */
  readonly bySymbolAndFactor: Record<string, Record<string, number>>;
}

export function summarizeAttribution(model: FactorModel, universe: readonly string[], trades: readonly AttributedTrade[]): AttributionSummary {
  const byFactor: Record<string, number> = {};
  for (const name of Object.keys(model.factors)) byFactor[name] = 0;
  const bySymbol: Record<string, number> = {};
  const bySymbolAndFactor: Record<string, Record<string, number>> = {};
  for (const symbol of universe) {
    bySymbol[symbol] = 0;
    bySymbolAndFactor[symbol] = { ...byFactor };
  }
  let totalPnl = 0;
  for (const trade of trades) {
    totalPnl += trade.pnl;
    bySymbol[trade.symbol] = (bySymbol[trade.symbol] ?? 0) + trade.pnl;
    bySymbolAndFactor[trade.symbol] ??= {};
    for (const [name, value] of Object.entries(trade.pnlByFactor)) {
      byFactor[name] = (byFactor[name] ?? 0) + value;
      bySymbolAndFactor[trade.symbol][name] = (bySymbolAndFactor[trade.symbol][name] ?? 0) + value;
    }
  }
  return { totalPnl, byFactor, bySymbol, bySymbolAndFactor };
}
