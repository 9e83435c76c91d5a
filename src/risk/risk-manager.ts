import { ConfigError } from '../errors';
import type { Side } from '../orders/order';

/** Limits between intents and orders. Every limit is off by default, so the spec's results stand. */
export interface RiskLimits {
  /** Largest position value at the decision close, as a fraction of equity. */
  readonly maxPositionWeight?: number;
  /** Largest sum of position values (existing plus new) as a fraction of equity. */
  readonly maxGrossExposure?: number;
  /** Most new orders on one decision date; exits are counted first. */
  readonly maxOrdersPerDay?: number;
  /** A one-day equity drop (close to close) beyond this fraction halts new entries that day. */
  readonly dailyLossLimit?: number;
  /** Rejects every new entry; exits still go through so risk can only shrink. */
  readonly killSwitch?: boolean;
}

export const noRiskLimits: RiskLimits = Object.freeze({});

export function validateRiskLimits(limits: RiskLimits, where = 'risk limits'): RiskLimits {
  const fraction = (key: keyof RiskLimits, value: unknown, maximum: number) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maximum) {
      throw new ConfigError(`${where}: ${key} must be a number in (0, ${maximum}], got ${JSON.stringify(value)}`);
    }
  };
  for (const key of Object.keys(limits)) {
    if (!['maxPositionWeight', 'maxGrossExposure', 'maxOrdersPerDay', 'dailyLossLimit', 'killSwitch'].includes(key)) {
      throw new ConfigError(`${where}: unknown limit "${key}"`);
    }
  }
  fraction('maxPositionWeight', limits.maxPositionWeight, 1);
  fraction('maxGrossExposure', limits.maxGrossExposure, 10);
  fraction('dailyLossLimit', limits.dailyLossLimit, 1);
  if (limits.maxOrdersPerDay !== undefined && (!Number.isInteger(limits.maxOrdersPerDay) || limits.maxOrdersPerDay < 0)) {
    throw new ConfigError(`${where}: maxOrdersPerDay must be an integer >= 0, got ${JSON.stringify(limits.maxOrdersPerDay)}`);
  }
  if (limits.killSwitch !== undefined && typeof limits.killSwitch !== 'boolean') {
    throw new ConfigError(`${where}: killSwitch must be true or false, got ${JSON.stringify(limits.killSwitch)}`);
  }
  return limits;
}

export interface ProposedOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly shares: number;
  /** Close of the decision bar: the price the limits value the order at. */
  readonly price: number;
  /** True when the order opens or adds to a position. */
  readonly increasesRisk: boolean;
}

export interface RiskContext {
  readonly date: string;
  readonly equity: number;
  /** Equity at the previous decision close, for the daily loss limit; null on the first day. */
  readonly previousEquity: number | null;
  /** Sum of the values of the positions held, at their last closes. */
  readonly grossExposure: number;
  /** Value of the position already held in each symbol. */
  readonly positionValue: (symbol: string) => number;
}

export interface RiskDecision {
  readonly order: ProposedOrder;
  /** Shares allowed: equal to the order's when accepted, fewer when cut, 0 when rejected. */
  readonly shares: number;
  /** Why the order was cut or rejected; null when it passed untouched. */
  readonly reason: string | null;
  readonly rule: keyof RiskLimits | null;
}

/**
 * Checks one decision date's orders, exits first. Pure: the same inputs give the same
 * decisions, and every cut or rejection says which limit and why.
 */
export function checkOrders(limits: RiskLimits, context: RiskContext, orders: readonly ProposedOrder[]): RiskDecision[] {
  const ordered = [...orders.filter((order) => !order.increasesRisk), ...orders.filter((order) => order.increasesRisk)];
  const decisions: RiskDecision[] = [];
  let accepted = 0;
  let gross = context.grossExposure;
  const dailyReturn = context.previousEquity !== null && context.previousEquity > 0 ? context.equity / context.previousEquity - 1 : 0;
  for (const order of ordered) {
    const reject = (rule: keyof RiskLimits, reason: string) => decisions.push({ order, shares: 0, reason, rule });
    if (limits.maxOrdersPerDay !== undefined && accepted >= limits.maxOrdersPerDay) {
      reject('maxOrdersPerDay', `${accepted} orders already on ${context.date} (limit ${limits.maxOrdersPerDay})`);
      continue;
    }
    if (!order.increasesRisk) {
      accepted++;
      gross -= order.shares * order.price;
      decisions.push({ order, shares: order.shares, reason: null, rule: null });
      continue;
    }
    if (limits.killSwitch) {
      reject('killSwitch', 'kill switch is on: no new entries');
      continue;
    }
    if (limits.dailyLossLimit !== undefined && dailyReturn < -limits.dailyLossLimit) {
      reject('dailyLossLimit', `equity fell ${(-dailyReturn * 100).toFixed(2)}% on ${context.date} (limit ${(limits.dailyLossLimit * 100).toFixed(2)}%)`);
      continue;
    }
    let shares = order.shares;
    let rule: keyof RiskLimits | null = null;
    let reason: string | null = null;
    if (limits.maxPositionWeight !== undefined) {
      const room = limits.maxPositionWeight * context.equity - context.positionValue(order.symbol);
      const allowed = Math.max(0, Math.floor(room / order.price));
      if (allowed < shares) {
        shares = allowed;
        rule = 'maxPositionWeight';
        reason = `position would exceed ${(limits.maxPositionWeight * 100).toFixed(1)}% of equity`;
      }
    }
    if (limits.maxGrossExposure !== undefined) {
      const room = limits.maxGrossExposure * context.equity - gross;
      const allowed = Math.max(0, Math.floor(room / order.price));
      if (allowed < shares) {
        shares = allowed;
        rule = 'maxGrossExposure';
        reason = `gross exposure would exceed ${(limits.maxGrossExposure * 100).toFixed(1)}% of equity`;
      }
    }
    if (shares > 0) {
      accepted++;
      gross += shares * order.price;
    }
    decisions.push({ order, shares, reason, rule });
  }
  return decisions;
}
