/**
 * An independent, deliberately naive TrendBreakout backtest, written from
 * /work/shared/trend-breakout-spec.md alone. It imports nothing from src/: features are
 * recomputed at every bar from plain slices of the symbol's own bars (two-pass mean and sd,
 * max over a slice for the prior highs), the day loop walks the union calendar with one index
 * per symbol, and cash, positions and orders are plain objects. Speed is not a goal here;
 * being obviously right is.
 *
 * Where the spec is silent this loop follows the engine's documented choices (src/engine/costs.ts,
 * kernel.ts, backtest.ts). Each one is listed here; with zero costs and no from/to none of
 * choices 1-4 and 8 can change a result, and 5-7 only decide what happens in cases the spec
 * leaves open (a symbol whose next bar never comes, a cut to zero shares, zero equity):
 *
 *  1. Slippage: a buy fills at open * (1 + bps / 10000), a sell at open * (1 - bps / 10000), and
 *     the slipped price is then clamped into the fill bar's low..high.
 *  2. Commission of an order of `shares` shares: c = shares * perShare; when c > 0 and c is below
 *     the minimum, the minimum is charged instead. (perShare = 0 means no commission at all, even
 *     with a minimum.)
 *  3. Cash cut: an entry is cut to the largest whole number of shares, at most the ordered
 *     number, whose shares * price + commission fits the cash free at that moment of the open
 *     (after the day's exits and the entries of earlier symbols in universe order). A cut to 0
 *     shares drops the order.
 *  4. PnL of a trade = (exit shares * exit price - exit commission)
 *                      - (entry shares * entry price + entry commission).
 *  5. A symbol's pending order fills at that symbol's next bar, however many calendar days
 *     later; orders still pending when the data ends are not filled (the position, if any,
 *     stays open and is valued at its last close).
 *  6. Sizing with equity <= 0 gives 0 shares; 0 shares means no order.
 *  7. Attribution when |m| + |b| = 0: the PnL is split equally. The breakout part is computed
 *     as pnl - momentum part, so the two add up to the PnL exactly.
 *  8. from/to: bars after `to` are dropped before anything else (features included); the
 *     calendar stops at `to`. Bars before `from` only warm the features up: no decisions and no
 *     equity-curve points before `from`.
 *  9. When both exit conditions hold, the exit reason is "score" (score < 0 is checked first).
 */

/** One symbol's bars: plain arrays or typed arrays, dates ascending `YYYY-MM-DD`. */
export interface ReferenceBars {
  readonly symbol: string;
  readonly dates: readonly string[];
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

export interface ReferenceOptions {
  readonly sizing: 'equal-weight' | 'fixed-risk';
  /** Fixed risk: fraction of equity risked per trade (spec: 0.01). */
  readonly risk?: number;
  readonly commissionPerShare?: number;
  readonly minimumCommission?: number;
  readonly slippageBps?: number;
  readonly startingCash?: number;
  readonly from?: string;
  readonly to?: string;
}

export interface ReferenceTrade {
  readonly symbol: string;
  readonly signalDate: string;
  readonly entryDate: string;
  readonly entryPrice: number;
  readonly exitSignalDate: string;
  readonly exitDate: string;
  readonly exitPrice: number;
  readonly exitReason: 'score' | 'stop';
  readonly shares: number;
  readonly pnl: number;
  readonly pnlByFactor: { readonly momentum: number; readonly breakout: number };
}

export interface ReferenceOrder {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly shares: number;
  readonly decisionDate: string;
}

export interface ReferenceFill {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly shares: number;
  readonly price: number;
  readonly commission: number;
  readonly date: string;
  readonly decisionDate: string;
}

export interface ReferencePoint {
  readonly date: string;
  readonly equity: number;
  readonly cash: number;
}

export interface ReferenceOpenPosition {
  readonly symbol: string;
  readonly shares: number;
  readonly entryPrice: number;
  readonly entryDate: string;
}

export interface ReferenceResult {
  readonly trades: ReferenceTrade[];
  readonly orders: ReferenceOrder[];
  readonly fills: ReferenceFill[];
  readonly unfilledOrders: ReferenceOrder[];
  readonly openPositions: ReferenceOpenPosition[];
  readonly equityCurve: ReferencePoint[];
  readonly finalEquity: number;
}

// ------------------------------------------------------------------------------------------
// Features, straight from the spec's table. null = not ready.

const ROC_N = 20;
const MA_N = 50;
const HIGH_N = 20;
const VOLUME_N = 20;
const VOLATILITY_N = 20;

function window(values: ArrayLike<number>, first: number, last: number): number[] {
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(values[i]);
  return out;
}

function mean(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

/** Sample sd (n - 1), two-pass; exactly 0 when every value is equal (then sd = 0 in exact arithmetic). */
function sampleSd(values: readonly number[]): number {
  if (values.every((value) => value === values[0])) return 0;
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) * (value - m);
  return Math.sqrt(squares / (values.length - 1));
}

interface Features {
  readonly roc: number;
  readonly priceVsMa: number;
  readonly priceVsHigh: number;
  readonly volumeZScore: number;
  readonly volatility: number;
}

/** All five features at bar t of one symbol from bars 0..t only, or null while any is not ready. */
function featuresAt(bars: ReferenceBars, t: number): Features | null {
  if (t - ROC_N < 0 || t - MA_N + 1 < 0 || t - HIGH_N < 0 || t - VOLUME_N + 1 < 0 || t - VOLATILITY_N < 0) return null;
  const close = bars.close;
  const roc = close[t] / close[t - ROC_N] - 1;
  const priceVsMa = close[t] / mean(window(close, t - MA_N + 1, t)) - 1;
  const priceVsHigh = close[t] / Math.max(...window(bars.high, t - HIGH_N, t - 1)) - 1;
  const volumes = window(bars.volume, t - VOLUME_N + 1, t);
  const volumeSd = sampleSd(volumes);
  const volumeZScore = volumeSd === 0 ? 0 : (bars.volume[t] - mean(volumes)) / volumeSd;
  const returns: number[] = [];
  for (let i = t - VOLATILITY_N + 1; i <= t; i++) returns.push(Math.log(close[i] / close[i - 1]));
  return { roc, priceVsMa, priceVsHigh, volumeZScore, volatility: sampleSd(returns) };
}

interface Signal {
  readonly features: Features;
  readonly momentum: number;
  readonly breakout: number;
  readonly score: number;
}

function signalAt(bars: ReferenceBars, t: number): Signal | null {
  const features = featuresAt(bars, t);
  if (features === null) return null;
  const clampedZ = Math.min(3, Math.max(-3, features.volumeZScore));
  const momentum = 0.5 * features.roc + 0.5 * features.priceVsMa;
  const breakout = 1.0 * features.priceVsHigh + 0.01 * clampedZ;
  return { features, momentum, breakout, score: 0.5 * momentum + 0.5 * breakout };
}

// ------------------------------------------------------------------------------------------
// The day loop.

interface Holding {
  readonly shares: number;
  readonly entryPrice: number;
  readonly entryDate: string;
  readonly signalDate: string;
  /** Cash paid at entry: shares * price + commission. */
  readonly paid: number;
  readonly stop: number;
  readonly momentumAtSignal: number;
  readonly breakoutAtSignal: number;
}

interface PendingOrder {
  readonly side: 'buy' | 'sell';
  readonly shares: number;
  readonly decisionDate: string;
  readonly exitReason?: 'score' | 'stop';
  readonly volatility?: number;
  readonly momentum?: number;
  readonly breakout?: number;
}

function truncated(bars: ReferenceBars, to: string | undefined): ReferenceBars {
  if (to === undefined) return bars;
  let count = 0;
  while (count < bars.dates.length && bars.dates[count] <= to) count++;
  const cut = (values: ArrayLike<number>) => window(values, 0, count - 1);
  return {
    symbol: bars.symbol,
    dates: bars.dates.slice(0, count),
    open: cut(bars.open),
    high: cut(bars.high),
    low: cut(bars.low),
    close: cut(bars.close),
    volume: cut(bars.volume),
  };
}

export function referenceBacktest(universe: readonly ReferenceBars[], options: ReferenceOptions): ReferenceResult {
  const risk = options.risk ?? 0.01;
  const perShare = options.commissionPerShare ?? 0;
  const minimum = options.minimumCommission ?? 0;
  const bps = options.slippageBps ?? 0;
  const from = options.from;
  const symbols = universe.map((bars) => truncated(bars, options.to));
  const count = symbols.length;

  const commission = (shares: number): number => {
    const c = shares * perShare;
    return c > 0 && c < minimum ? minimum : c;
  };
  const fillPriceOf = (side: 'buy' | 'sell', bars: ReferenceBars, t: number): number => {
    const slipped = side === 'buy' ? bars.open[t] * (1 + bps / 10_000) : bars.open[t] * (1 - bps / 10_000);
    if (bps === 0) return bars.open[t];
    return Math.min(bars.high[t], Math.max(bars.low[t], slipped));
  };

  const calendar = [...new Set(symbols.flatMap((bars) => [...bars.dates]))].sort();
  const index: number[] = symbols.map(() => -1);
  const lastClose: number[] = symbols.map(() => Number.NaN);
  const holdings: (Holding | null)[] = symbols.map(() => null);
  let pending: (PendingOrder | null)[] = symbols.map(() => null);
  let cash = options.startingCash ?? 100_000;

  const trades: ReferenceTrade[] = [];
  const orders: ReferenceOrder[] = [];
  const fills: ReferenceFill[] = [];
  const equityCurve: ReferencePoint[] = [];

  for (const date of calendar) {
    const hasBar: boolean[] = symbols.map((bars, s) => {
      const next = index[s] + 1;
      if (next < bars.dates.length && bars.dates[next] === date) {
        index[s] = next;
        return true;
      }
      return false;
    });

    // The open: every exit first, then the entries in universe order.
    for (let s = 0; s < count; s++) {
      const order = pending[s];
      const holding = holdings[s];
      if (!hasBar[s] || order === null || order.side !== 'sell' || holding === null) continue;
      const price = fillPriceOf('sell', symbols[s], index[s]);
      const fee = commission(holding.shares);
      const received = holding.shares * price - fee;
      cash += received;
      const pnl = received - holding.paid;
      const m = Math.abs(0.5 * holding.momentumAtSignal);
      const b = Math.abs(0.5 * holding.breakoutAtSignal);
      const momentumShare = m + b > 0 ? m / (m + b) : 0.5;
      const momentumPnl = pnl * momentumShare;
      trades.push({
        symbol: symbols[s].symbol,
        signalDate: holding.signalDate,
        entryDate: holding.entryDate,
        entryPrice: holding.entryPrice,
        exitSignalDate: order.decisionDate,
        exitDate: date,
        exitPrice: price,
        exitReason: order.exitReason as 'score' | 'stop',
        shares: holding.shares,
        pnl,
        pnlByFactor: { momentum: momentumPnl, breakout: pnl - momentumPnl },
      });
      fills.push({ symbol: symbols[s].symbol, side: 'sell', shares: holding.shares, price, commission: fee, date, decisionDate: order.decisionDate });
      holdings[s] = null;
    }
    for (let s = 0; s < count; s++) {
      const order = pending[s];
      if (!hasBar[s] || order === null || order.side !== 'buy') continue;
      const price = fillPriceOf('buy', symbols[s], index[s]);
      let shares = order.shares;
      while (shares > 0 && shares * price + commission(shares) > cash) shares--;
      if (shares === 0) continue;
      const fee = commission(shares);
      const paid = shares * price + fee;
      cash -= paid;
      holdings[s] = {
        shares,
        entryPrice: price,
        entryDate: date,
        signalDate: order.decisionDate,
        paid,
        stop: price - 2 * (order.volatility as number) * price,
        momentumAtSignal: order.momentum as number,
        breakoutAtSignal: order.breakout as number,
      };
      fills.push({ symbol: symbols[s].symbol, side: 'buy', shares, price, commission: fee, date, decisionDate: order.decisionDate });
    }
    pending = pending.map((order, s) => (hasBar[s] ? null : order));

    // The close.
    for (let s = 0; s < count; s++) if (hasBar[s]) lastClose[s] = symbols[s].close[index[s]];
    let equity = cash;
    for (let s = 0; s < count; s++) {
      const holding = holdings[s];
      if (holding !== null) equity += holding.shares * lastClose[s];
    }
    if (from !== undefined && date < from) continue;
    equityCurve.push({ date, equity, cash });

    for (let s = 0; s < count; s++) {
      if (!hasBar[s]) continue;
      const t = index[s];
      const signal = signalAt(symbols[s], t);
      if (signal === null) continue;
      const close = symbols[s].close[t];
      const holding = holdings[s];
      if (holding === null) {
        if (!(signal.score > 0 && signal.features.priceVsHigh > 0)) continue;
        const cap = equity > 0 ? Math.floor(equity / count / close) : 0;
        let shares = cap;
        if (options.sizing === 'fixed-risk' && signal.features.volatility > 0 && equity > 0) {
          shares = Math.min(cap, Math.floor((equity * risk) / (2 * signal.features.volatility * close)));
        }
        if (shares <= 0) continue;
        pending[s] = {
          side: 'buy',
          shares,
          decisionDate: date,
          volatility: signal.features.volatility,
          momentum: signal.momentum,
          breakout: signal.breakout,
        };
        orders.push({ symbol: symbols[s].symbol, side: 'buy', shares, decisionDate: date });
      } else {
        const exitReason = signal.score < 0 ? 'score' : close < holding.stop ? 'stop' : null;
        if (exitReason === null) continue;
        pending[s] = { side: 'sell', shares: holding.shares, decisionDate: date, exitReason };
        orders.push({ symbol: symbols[s].symbol, side: 'sell', shares: holding.shares, decisionDate: date });
      }
    }
  }

  const unfilledOrders: ReferenceOrder[] = [];
  pending.forEach((order, s) => {
    if (order !== null) unfilledOrders.push({ symbol: symbols[s].symbol, side: order.side, shares: order.shares, decisionDate: order.decisionDate });
  });
  const openPositions: ReferenceOpenPosition[] = [];
  holdings.forEach((holding, s) => {
    if (holding !== null) {
      openPositions.push({ symbol: symbols[s].symbol, shares: holding.shares, entryPrice: holding.entryPrice, entryDate: holding.entryDate });
    }
  });
  const finalEquity = equityCurve.length > 0 ? equityCurve[equityCurve.length - 1].equity : options.startingCash ?? 100_000;
  return { trades, orders, fills, unfilledOrders, openPositions, equityCurve, finalEquity };
}
