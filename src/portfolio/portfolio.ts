import type { FactorValues } from '../factors/factor-model';
import type { Fill } from '../orders/order';

export interface Position {
  readonly symbol: string;
  readonly shares: number;
  /** Cash paid for the shares held, commissions included. */
  readonly costBasis: number;
  /** Average fill price of the shares held, commission excluded. */
  readonly entryPrice: number;
  readonly entryDate: string;
  readonly entrySignalDate: string;
  readonly entryFactors: FactorValues;
  readonly memo: Readonly<Record<string, number>>;
  /** PnL already realised by partial sells of this position. */
  readonly realizedPnl: number;
  readonly entryCommission: number;
}

export interface Portfolio {
  readonly cash: number;
  /** Open positions by symbol. A Map, not an object: thousands of symbols stay fast to copy and look up. */
  readonly positions: ReadonlyMap<string, Position>;
}

/** A round trip: opened from flat, closed when flat again. */
export interface ClosedTrade {
  readonly symbol: string;
  readonly signalDate: string;
  readonly entryDate: string;
  readonly entryPrice: number;
  readonly exitSignalDate: string;
  readonly exitDate: string;
  readonly exitPrice: number;
  readonly exitReason: string;
  readonly shares: number;
  readonly pnl: number;
  readonly commission: number;
  readonly entryFactors: FactorValues;
}

export interface FillOutcome {
  readonly portfolio: Portfolio;
  /** PnL realised by this fill (0 for buys). */
  readonly realized: number;
  /** Set when this fill brought the position back to flat. */
  readonly closed: ClosedTrade | null;
}

export function emptyPortfolio(cash: number): Portfolio {
  if (!Number.isFinite(cash) || cash < 0) throw new RangeError(`starting cash must be a finite number >= 0, got ${cash}`);
  return { cash, positions: new Map() };
}

/**
 * The only way positions change. Pure: returns a new portfolio. Long-only accounting with
 * average cost; selling more than is held is a bug upstream and throws.
 */
export function applyFill(portfolio: Portfolio, fill: Fill): FillOutcome {
  const positions = new Map(portfolio.positions);
  const { cash, realized, closed } = applyFillTo(portfolio.cash, positions, fill);
  return { portfolio: { cash, positions }, realized, closed };
}

/**
 * The fills of one open, applied in order with one copy of the positions instead of one per
 * fill (a large universe fills hundreds of orders a day). Pure, and equal to applying each fill
 * with `applyFill`; `cashAfter` gives the cash between fills for sizing the next one.
 */
export class FillBatch {
  private cash: number;
  private readonly positions: Map<string, Position>;

  constructor(portfolio: Portfolio) {
    this.cash = portfolio.cash;
    this.positions = new Map(portfolio.positions);
  }

  get cashAfter(): number {
    return this.cash;
  }

  held(symbol: string): number {
    return this.positions.get(symbol)?.shares ?? 0;
  }

  apply(fill: Fill): { realized: number; closed: ClosedTrade | null } {
    const outcome = applyFillTo(this.cash, this.positions, fill);
    this.cash = outcome.cash;
    return outcome;
  }

  /** The portfolio after every fill applied so far; the batch must not be used after this. */
  finish(): Portfolio {
    return { cash: this.cash, positions: this.positions };
  }
}

/** Applies one fill to `positions` in place and returns the new cash. */
function applyFillTo(cash: number, positions: Map<string, Position>, fill: Fill): { cash: number; realized: number; closed: ClosedTrade | null } {
  if (!(fill.shares > 0) || !Number.isInteger(fill.shares)) throw new RangeError(`fill ${fill.orderId}: shares must be a positive integer, got ${fill.shares}`);
  if (!(fill.price > 0)) throw new RangeError(`fill ${fill.orderId}: price must be > 0, got ${fill.price}`);
  const held = positions.get(fill.symbol);
  if (fill.side === 'buy') {
    const cost = fill.shares * fill.price + fill.commission;
    const position: Position = held === undefined
      ? {
        symbol: fill.symbol,
        shares: fill.shares,
        costBasis: cost,
        entryPrice: fill.price,
        entryDate: fill.date,
        entrySignalDate: fill.decisionDate,
        entryFactors: fill.entry?.factors ?? {},
        memo: fill.entry?.memo ?? {},
        realizedPnl: 0,
        entryCommission: fill.commission,
      }
      : {
        ...held,
        shares: held.shares + fill.shares,
        costBasis: held.costBasis + cost,
        entryPrice: (held.entryPrice * held.shares + fill.price * fill.shares) / (held.shares + fill.shares),
        entryCommission: held.entryCommission + fill.commission,
      };
    positions.set(fill.symbol, position);
    return { cash: cash - cost, realized: 0, closed: null };
  }
  if (held === undefined || held.shares < fill.shares) {
    throw new RangeError(`fill ${fill.orderId}: sells ${fill.shares} ${fill.symbol} but ${held?.shares ?? 0} are held`);
  }
  const proceeds = fill.shares * fill.price - fill.commission;
  const basisSold = held.costBasis * (fill.shares / held.shares);
  const realized = proceeds - basisSold;
  let closed: ClosedTrade | null = null;
  if (fill.shares === held.shares) {
    positions.delete(fill.symbol);
    closed = {
      symbol: fill.symbol,
      signalDate: held.entrySignalDate,
      entryDate: held.entryDate,
      entryPrice: held.entryPrice,
      exitSignalDate: fill.decisionDate,
      exitDate: fill.date,
      exitPrice: fill.price,
      exitReason: fill.exitReason ?? 'exit',
      shares: fill.shares,
      pnl: held.realizedPnl + realized,
      commission: held.entryCommission + fill.commission,
      entryFactors: held.entryFactors,
    };
  } else {
    positions.set(fill.symbol, {
      ...held,
      shares: held.shares - fill.shares,
      costBasis: held.costBasis - basisSold,
      realizedPnl: held.realizedPnl + realized,
      entryCommission: held.entryCommission + fill.commission,
    });
  }
  return { cash: cash + proceeds, realized, closed };
}

/**
 * Value of every position at its last known price (equity = cash + this). The engine, the
 * runner and the risk manager all sum in this one order, so their equities agree to the bit.
 */
export function positionsValue(portfolio: Portfolio, lastPrice: (symbol: string) => number): number {
  let value = 0;
  for (const position of portfolio.positions.values()) value += position.shares * lastPrice(position.symbol);
  return value;
}
