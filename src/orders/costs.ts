import { ConfigError } from '../errors';
import type { Side } from './order';

export interface Costs {
  /** Commission per share (spec default 0). */
  readonly commissionPerShare: number;
  /** Smallest commission charged on an order with a commission (0 = none). */
  readonly minimumCommission: number;
  /** Slippage in basis points against the trader: buys pay more, sells get less. */
  readonly slippageBps: number;
}

export const noCosts: Costs = Object.freeze({ commissionPerShare: 0, minimumCommission: 0, slippageBps: 0 });

export function validateCosts(costs: Costs): Costs {
  const check = (name: string, value: number) => {
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a finite number >= 0, got ${value}`);
  };
  check('commission per share', costs.commissionPerShare);
  check('minimum commission', costs.minimumCommission);
  check('slippage (bps)', costs.slippageBps);
  return costs;
}

export function commissionFor(costs: Costs, shares: number): number {
  if (shares <= 0) return 0;
  const commission = shares * costs.commissionPerShare;
  return commission > 0 && commission < costs.minimumCommission ? costs.minimumCommission : commission;
}

/**
 * The open adjusted for slippage, then held inside the bar's low..high: no fill can be at a
 * price the market never traded that day.
 */
export function fillPrice(costs: Costs, side: Side, open: number, low: number, high: number): number {
  if (costs.slippageBps === 0) return open;
  const slipped = side === 'buy' ? open * (1 + costs.slippageBps / 10_000) : open * (1 - costs.slippageBps / 10_000);
  return slipped > high ? high : slipped < low ? low : slipped;
}

/** Most whole shares, up to `wanted`, whose price plus commission fits in `cash`. */
export function affordableShares(costs: Costs, wanted: number, price: number, cash: number): number {
  if (wanted <= 0 || cash <= 0) return 0;
  const cost = (shares: number) => shares * price + commissionFor(costs, shares);
  if (cost(wanted) <= cash) return wanted;
  let shares = Math.min(wanted, Math.floor(cash / (price + costs.commissionPerShare)));
  while (shares > 0 && cost(shares) > cash) shares--;
  return shares;
}
