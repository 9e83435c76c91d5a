/**
 * Property tests (fast-check, bounded runs) of the backtest engine on random synthetic
 * universes (the project's generator, then random late starts, early ends and missing bars)
 * and random options (sizing, costs, starting cash, --from/--to). Every invariant is checked
 * against numbers rebuilt here from the bars and the fill list, not against the engine's own
 * bookkeeping:
 *
 * - replaying the fills gives the cash and the positions of every equity-curve point, and
 *   cash + positions at the last closes = equity;
 * - every fill is at its symbol's first bar after the decision date (so strictly later), at a
 *   price inside that bar's low..high; share counts are whole; cash is never negative, not even
 *   between two fills of the same open;
 * - on each date exits fill before entries, each side in universe order;
 * - attribution adds up to each trade's PnL and, over all trades, to the realised PnL
 *   (final cash - starting cash + what the open positions cost);
 * - the engine agrees with the naive reference loop on every generated case;
 * - applyFill is pure: the input portfolio is unchanged and a deep-frozen input works.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BarSeries } from '../../src/data/bars';
import { generateBars } from '../../src/data/generator';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../src/engine/backtest';
import { type Fill } from '../../src/orders/order';
import { applyFill, emptyPortfolio, type Portfolio } from '../../src/portfolio/portfolio';
import { equalWeight, fixedRisk } from '../../src/sizing/sizing';
import { trendBreakout } from '../../src/strategies/trend-breakout';
import { close, differences, keepBars, referenceRun } from './helpers';
import { mulberry32 } from '../support/mulberry32';
import type { ReferenceOptions } from './reference-backtest';

interface Case {
  readonly seed: number;
  readonly symbols: number;
  readonly days: number;
  readonly missing: number;
  readonly ragged: boolean;
  readonly sizing: 'equal-weight' | 'fixed-risk';
  readonly risk: number;
  readonly commissionPerShare: number;
  readonly minimumCommission: number;
  readonly slippageBps: number;
  readonly startingCash: number;
  /** Window as shares of the calendar; null = no --from / --to. */
  readonly from: number | null;
  readonly to: number | null;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  symbols: fc.integer({ min: 1, max: 5 }),
  days: fc.integer({ min: 60, max: 450 }),
  missing: fc.double({ min: 0, max: 0.15, noNaN: true }),
  ragged: fc.boolean(),
  sizing: fc.constantFrom('equal-weight' as const, 'fixed-risk' as const),
  risk: fc.double({ min: 0.002, max: 0.05, noNaN: true }),
  commissionPerShare: fc.constantFrom(0, 0, 0.005, 0.02),
  minimumCommission: fc.constantFrom(0, 1, 5),
  slippageBps: fc.constantFrom(0, 0, 5, 50),
  startingCash: fc.constantFrom(2_000, 25_000, 100_000, 5_000_000),
  from: fc.option(fc.double({ min: 0, max: 0.6, noNaN: true }), { nil: null }),
  to: fc.option(fc.double({ min: 0.6, max: 1, noNaN: true }), { nil: null }),
});

function buildUniverse(c: Case): BarSeries[] {
  const random = mulberry32(c.seed);
  return Array.from({ length: c.symbols }, (_, s) => {
    const full = generateBars({
      symbol: `S${s}`,
      seed: c.seed,
      start: '2011-01-03',
      days: c.days,
      startPrice: 2 + random() * 300,
      volatility: 0.01 + random() * 0.03,
    });
    const first = c.ragged && s > 0 ? Math.floor(random() * 0.4 * c.days) : 0;
    const end = c.ragged && s > 0 ? c.days - Math.floor(random() * 0.3 * c.days) : c.days;
    const kept: number[] = [];
    for (let i = first; i < end; i++) if (random() >= c.missing) kept.push(i);
    if (kept.length === 0) kept.push(first);
    return keepBars(full, kept);
  });
}

function calendarOf(bars: readonly BarSeries[]): string[] {
  return [...new Set(bars.flatMap((series) => series.dates))].sort();
}

function optionsOf(c: Case, calendar: readonly string[]): ReferenceOptions {
  const at = (share: number) => calendar[Math.min(calendar.length - 1, Math.floor(share * calendar.length))];
  return {
    sizing: c.sizing,
    risk: c.risk,
    commissionPerShare: c.commissionPerShare,
    minimumCommission: c.minimumCommission,
    slippageBps: c.slippageBps,
    startingCash: c.startingCash,
    from: c.from === null ? undefined : at(c.from),
    to: c.to === null ? undefined : at(c.to),
  };
}

function engineOptions(options: ReferenceOptions): BacktestOptions {
  return {
    startingCash: options.startingCash,
    sizing: options.sizing === 'fixed-risk' ? fixedRisk(options.risk) : equalWeight,
    costs: { commissionPerShare: options.commissionPerShare ?? 0, minimumCommission: options.minimumCommission ?? 0, slippageBps: options.slippageBps ?? 0 },
    from: options.from,
    to: options.to,
  };
}

interface Run {
  readonly bars: BarSeries[];
  readonly options: ReferenceOptions;
  readonly result: BacktestResult;
}

function run(c: Case): Run {
  const bars = buildUniverse(c);
  const options = optionsOf(c, calendarOf(bars));
  return { bars, options, result: runBacktest(bars, trendBreakout(), engineOptions(options)) };
}

/** Bounded, reproducible runs: a failure prints its seed and the shrunk case. */
const settings = { numRuns: 60, seed: 20_240_308 } as const;

function dateIndex(series: BarSeries): Map<string, number> {
  return new Map(series.dates.map((date, i) => [date, i]));
}

describe('engine properties (random universes and options)', () => {
  it('replaying the fills gives every point of the equity curve; cash + positions = equity; cash never negative', () => {
    fc.assert(fc.property(caseArbitrary, (c) => {
      const { bars, options, result } = run(c);
      const startingCash = options.startingCash as number;
      const indexes = bars.map(dateIndex);
      const calendar = calendarOf(bars).filter((date) => options.to === undefined || date <= options.to);
      const shares = new Map<string, number>();
      const lastClose = new Map<string, number>();
      let cash = startingCash;
      let fill = 0;
      let point = 0;
      for (const date of calendar) {
        for (; fill < result.fills.length && result.fills[fill].date === date; fill++) {
          const f = result.fills[fill];
          const held = shares.get(f.symbol) ?? 0;
          if (f.side === 'buy') {
            cash -= f.shares * f.price + f.commission;
            shares.set(f.symbol, held + f.shares);
          } else {
            cash += f.shares * f.price - f.commission;
            assert.ok(f.shares <= held, `sold ${f.shares} ${f.symbol} holding ${held}`);
            if (f.shares === held) shares.delete(f.symbol);
            else shares.set(f.symbol, held - f.shares);
          }
          assert.ok(cash >= 0, `cash ${cash} after fill ${fill} on ${date}`);
        }
        bars.forEach((series, s) => {
          const i = indexes[s].get(date);
          if (i !== undefined) lastClose.set(series.symbol, series.close[i]);
        });
        if (options.from !== undefined && date < options.from) continue;
        const p = result.equityCurve[point++];
        assert.ok(p !== undefined && p.date === date, `equity point ${point - 1} is ${p?.date}, expected ${date}`);
        let positions = 0;
        for (const [symbol, count] of shares) positions += count * (lastClose.get(symbol) as number);
        assert.ok(p.cash >= 0, `negative cash ${p.cash} on ${date}`);
        assert.ok(close(p.cash, cash, 1e-9, 1e-9 * startingCash), `cash on ${date}: engine ${p.cash}, replay ${cash}`);
        assert.ok(close(p.positionValue, positions, 1e-9, 1e-9 * startingCash), `positions on ${date}: engine ${p.positionValue}, replay ${positions}`);
        assert.ok(close(p.equity, cash + positions, 1e-9, 1e-9 * startingCash), `equity on ${date}: engine ${p.equity}, cash + positions ${cash + positions}`);
      }
      assert.equal(fill, result.fills.length, 'fills outside the calendar');
      assert.equal(point, result.equityCurve.length, 'equity points outside the calendar');
      // The open positions are exactly what the replay still holds.
      assert.deepEqual(
        result.openPositions.map((position) => [position.symbol, position.shares]).sort(),
        [...shares].sort(),
      );
    }), settings);
  });

  it("every fill is at its symbol's next bar after the decision, inside that bar's low..high, in whole shares", () => {
    fc.assert(fc.property(caseArbitrary, (c) => {
      const { bars, options, result } = run(c);
      const bySymbol = new Map(bars.map((series) => [series.symbol, series]));
      for (const f of result.fills) {
        const series = bySymbol.get(f.symbol) as BarSeries;
        assert.ok(f.date > f.decisionDate, `fill of ${f.symbol} on ${f.date} decided on ${f.decisionDate}`);
        assert.ok(options.from === undefined || f.decisionDate >= options.from, `decision ${f.decisionDate} before --from ${options.from}`);
        const i = series.dates.findIndex((date) => date > f.decisionDate);
        assert.equal(f.date, series.dates[i], `${f.symbol} decided on ${f.decisionDate} should fill at its next bar`);
        assert.ok(f.price >= series.low[i] && f.price <= series.high[i], `${f.symbol} ${f.date}: price ${f.price} outside ${series.low[i]}..${series.high[i]}`);
        assert.ok(Number.isInteger(f.shares) && f.shares > 0, `fill shares ${f.shares}`);
      }
      for (const order of result.orders) assert.ok(Number.isInteger(order.shares) && order.shares > 0, `order shares ${order.shares}`);
      for (const trade of result.trades) assert.ok(Number.isInteger(trade.shares) && trade.shares > 0, `trade shares ${trade.shares}`);
    }), settings);
  });

  it('on each date exits fill before entries, each side in universe order', () => {
    fc.assert(fc.property(caseArbitrary, (c) => {
      const { bars, result } = run(c);
      const universeIndex = new Map(bars.map((series, s) => [series.symbol, s]));
      const rank = (f: Fill) => (f.side === 'sell' ? 0 : 1) * 1000 + (universeIndex.get(f.symbol) as number);
      for (let i = 1; i < result.fills.length; i++) {
        const previous = result.fills[i - 1];
        const current = result.fills[i];
        if (previous.date !== current.date) {
          assert.ok(previous.date < current.date, 'fills out of date order');
          continue;
        }
        assert.ok(rank(previous) < rank(current), `${current.date}: ${previous.side} ${previous.symbol} before ${current.side} ${current.symbol}`);
      }
    }), settings);
  });

  it('attribution adds up to each trade and, over all trades, to the realised PnL', () => {
    fc.assert(fc.property(caseArbitrary, (c) => {
      const { options, result } = run(c);
      const startingCash = options.startingCash as number;
      let total = 0;
      for (const trade of result.trades) {
        const parts = Object.values(trade.pnlByFactor);
        assert.equal(parts.length, 2);
        const sum = parts.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - trade.pnl) <= 1e-6, `${trade.symbol} ${trade.signalDate}: parts ${sum}, pnl ${trade.pnl}`);
        total += trade.pnl;
      }
      const summary = result.attribution;
      assert.ok(Math.abs(summary.totalPnl - total) <= 1e-6, `totalPnl ${summary.totalPnl}, trades ${total}`);
      const byFactor = Object.values(summary.byFactor).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(byFactor - total) <= 1e-6, `by factor ${byFactor}, trades ${total}`);
      const bySymbol = Object.values(summary.bySymbol).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(bySymbol - total) <= 1e-6, `by symbol ${bySymbol}, trades ${total}`);
      // Realised PnL from cash alone: what came back minus what went out, not counting open positions.
      const openCost = new Map<string, number>();
      for (const f of result.fills) {
        if (f.side === 'buy') openCost.set(f.symbol, (openCost.get(f.symbol) ?? 0) + f.shares * f.price + f.commission);
        else openCost.delete(f.symbol);
      }
      const finalCash = result.equityCurve.length > 0 ? result.equityCurve[result.equityCurve.length - 1].cash : startingCash;
      let stillInvested = 0;
      for (const cost of openCost.values()) stillInvested += cost;
      const realised = finalCash - startingCash + stillInvested;
      assert.ok(Math.abs(realised - total) <= 1e-6 + 1e-12 * startingCash, `realised from cash ${realised}, trades ${total}`);
    }), settings);
  });

  it('agrees with the naive reference loop', () => {
    let trades = 0;
    fc.assert(fc.property(caseArbitrary, (c) => {
      const { bars, options, result } = run(c);
      const found = differences(result, referenceRun(bars, options));
      trades += result.trades.length;
      assert.deepEqual(found, [], found.join('\n'));
    }), { ...settings, numRuns: 40 });
    // Not vacuous: the generated cases trade (about 5 trades a case on average).
    assert.ok(trades > 40, `only ${trades} trades over all cases`);
  });

  describe('applyFill', () => {
    /** Deep freeze, Maps included (Object.freeze does not stop Map.set). */
    function deepFreeze<T>(value: T): T {
      if (value instanceof Map) {
        for (const entry of value.values()) deepFreeze(entry);
        const refuse = () => {
          throw new TypeError('frozen map');
        };
        Object.assign(value, { set: refuse, delete: refuse, clear: refuse });
        return Object.freeze(value);
      }
      if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
      }
      return value;
    }

    const step = fc.record({
      symbol: fc.constantFrom('A', 'B', 'C'),
      buy: fc.boolean(),
      shares: fc.integer({ min: 1, max: 500 }),
      price: fc.double({ min: 0.5, max: 900, noNaN: true }),
      commission: fc.constantFrom(0, 1, 2.5),
    });

    it('leaves its input unchanged, works on deep-frozen input, and keeps cash + cost basis constant', () => {
      fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        let portfolio: Portfolio = deepFreeze(emptyPortfolio(1_000_000));
        let realisedTotal = 0;
        steps.forEach((s, i) => {
          const held = portfolio.positions.get(s.symbol)?.shares ?? 0;
          const side = s.buy || held === 0 ? 'buy' : 'sell';
          const shares = side === 'sell' ? Math.min(held, s.shares) : s.shares;
          const fill: Fill = deepFreeze({
            orderId: `o${i}`,
            symbol: s.symbol,
            side,
            shares,
            price: s.price,
            commission: s.commission,
            date: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`,
            decisionDate: '2019-12-31',
            entry: side === 'buy' ? { factors: { momentum: 0.1, breakout: 0.2, score: 0.15 }, memo: { volatility: 0.02 } } : undefined,
            exitReason: side === 'sell' ? 'score' : undefined,
          });
          const before = structuredClone({ cash: portfolio.cash, positions: new Map(portfolio.positions) });
          const outcome = applyFill(portfolio, fill);
          assert.deepEqual({ cash: portfolio.cash, positions: new Map(portfolio.positions) }, before, 'applyFill changed its input');
          assert.notEqual(outcome.portfolio, portfolio);
          const after = outcome.portfolio.positions.get(s.symbol)?.shares ?? 0;
          assert.equal(after, side === 'buy' ? held + shares : held - shares);
          const flow = side === 'buy' ? -(shares * s.price + s.commission) : shares * s.price - s.commission;
          assert.ok(Math.abs(outcome.portfolio.cash - (portfolio.cash + flow)) <= 1e-6, 'cash moved by the wrong amount');
          assert.equal(outcome.closed !== null, side === 'sell' && shares === held);
          realisedTotal += outcome.realized;
          portfolio = deepFreeze(outcome.portfolio);
        });
        // Cash + cost basis of what is held changes only by realised PnL.
        let basis = 0;
        for (const position of portfolio.positions.values()) basis += position.costBasis;
        assert.ok(Math.abs(portfolio.cash + basis - (1_000_000 + realisedTotal)) <= 1e-6, 'cash + basis drifted');
      }), { numRuns: 200, seed: 7 });
    });
  });
});
