import { ConfigError } from '../errors';

export type SizingRule =
  | { readonly kind: 'equal-weight' }
  /** Risk `risk` of equity on a stop `stopVolatilities` volatilities away, capped at equity / N. */
  | { readonly kind: 'fixed-risk'; readonly risk: number; readonly stopVolatilities: number };

export const equalWeight: SizingRule = Object.freeze({ kind: 'equal-weight' });

export function fixedRisk(risk = 0.01, stopVolatilities = 2): SizingRule {
  if (!Number.isFinite(risk) || risk <= 0 || risk > 1) throw new ConfigError(`fixed-risk sizing: risk must be in (0, 1], got ${risk}`);
  if (!Number.isFinite(stopVolatilities) || stopVolatilities <= 0) {
    throw new ConfigError(`fixed-risk sizing: stop distance must be > 0 volatilities, got ${stopVolatilities}`);
  }
  return { kind: 'fixed-risk', risk, stopVolatilities };
}

export function parseSizingRule(name: string, risk?: number): SizingRule {
  if (name === 'equal' || name === 'equal-weight') return equalWeight;
  if (name === 'fixed-risk') return fixedRisk(risk);
  throw new ConfigError(`--sizing must be "equal" or "fixed-risk", got "${name}"`);
}

export interface SizingInput {
  /** Cash plus positions at the decision bar's close. */
  readonly equity: number;
  readonly close: number;
  /** Daily volatility at the decision bar (fixed-risk only). */
  readonly volatility: number | null;
  readonly universeSize: number;
}

/** Whole shares to buy for an entry decided at the close (spec: Sizing). */
export function entryShares(rule: SizingRule, input: SizingInput): number {
  const { equity, close, volatility, universeSize } = input;
  if (!(close > 0)) throw new RangeError(`sizing: close must be > 0, got ${close}`);
  if (!Number.isInteger(universeSize) || universeSize < 1) throw new RangeError(`sizing: universe size must be >= 1, got ${universeSize}`);
  if (!(equity > 0)) return 0;
  const cap = Math.floor(equity / universeSize / close);
  if (rule.kind === 'equal-weight') return cap;
  if (volatility === null || !(volatility > 0)) return cap;
  const byRisk = Math.floor((equity * rule.risk) / (rule.stopVolatilities * volatility * close));
  return Math.min(byRisk, cap);
}
