/**
 * Hand-computed unit tests for the pieces the engine is built from: sizing, costs, the risk
 * manager, metrics and the kernel's rejection records. Every expected number is worked out in
 * the comment next to it.
 */
import assert from 'node:assert/strict';
import { barSeriesFromRows, type BarSeries } from '../../src/data/bars';
import { runBacktest } from '../../src/engine/backtest';
import { affordableShares, commissionFor, fillPrice, noCosts, validateCosts, type Costs } from '../../src/orders/costs';
import { ConfigError } from '../../src/errors';
import { computeMetrics } from '../../src/metrics/metrics';
import { checkOrders, noRiskLimits, validateRiskLimits, type ProposedOrder, type RiskContext } from '../../src/risk/risk-manager';
import { entryShares, equalWeight, fixedRisk, parseSizingRule } from '../../src/sizing/sizing';
import type { Intent, MarketState, Strategy } from '../../src/strategies/strategy';
import { engineRun, loadRealBars, realDataAvailable, realNormalizedDir } from './helpers';

/** |actual - expected| <= tolerance, with both numbers in the message. */
function assertClose(actual: number | null, expected: number, tolerance: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

/** `run` throws an instance of `type` whose message matches `pattern` (when given). */
function assertThrows(run: () => unknown, type: new (...args: never[]) => Error, pattern?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  });
}

describe('engine units', () => {
  describe('sizing', () => {
    const input = { equity: 100_000, close: 50, volatility: 0.02, universeSize: 3 };

    it('equal weight: floor(equity / N / close)', () => {
      // 100000 / 3 / 50 = 666.67 -> 666
      assert.equal(entryShares(equalWeight, input), 666);
      // 100000 / 1 / 30 = 3333.33 -> 3333
      assert.equal(entryShares(equalWeight, { ...input, universeSize: 1, close: 30 }), 3333);
    });

    it('fixed risk: floor(equity * risk / (2 * volatility * close)) below the cap', () => {
      // 100000 * 0.01 / (2 * 0.02 * 50) = 1000 / 2 = 500 < cap 666
      assert.equal(entryShares(fixedRisk(0.01), input), 500);
      // 100000 * 0.01 / (2 * 0.03 * 50) = 1000 / 3 = 333.3 -> 333
      assert.equal(entryShares(fixedRisk(0.01), { ...input, volatility: 0.03 }), 333);
    });

    it('fixed risk is capped at equity / N', () => {
      // 1000 / (2 * 0.005 * 50) = 2000 > cap 666
      assert.equal(entryShares(fixedRisk(0.01), { ...input, volatility: 0.005 }), 666);
    });

    it('fixed risk with zero or missing volatility: the cap alone sizes it', () => {
      assert.equal(entryShares(fixedRisk(0.01), { ...input, volatility: 0 }), 666);
      assert.equal(entryShares(fixedRisk(0.01), { ...input, volatility: null }), 666);
    });

    it('no equity, no shares; a bad close or universe size throws', () => {
      assert.equal(entryShares(equalWeight, { ...input, equity: 0 }), 0);
      assert.equal(entryShares(fixedRisk(), { ...input, equity: -5 }), 0);
      assertThrows(() => entryShares(equalWeight, { ...input, close: 0 }), RangeError, /close must be > 0/);
      assertThrows(() => entryShares(equalWeight, { ...input, universeSize: 0 }), RangeError, /universe size/);
    });

    it('rules are validated and parsed by name', () => {
      assertThrows(() => fixedRisk(0), ConfigError, /risk must be in \(0, 1\]/);
      assertThrows(() => fixedRisk(1.5), ConfigError);
      assertThrows(() => fixedRisk(0.01, 0), ConfigError, /stop distance/);
      assert.equal(parseSizingRule('equal'), equalWeight);
      assert.deepEqual(parseSizingRule('fixed-risk', 0.02), { kind: 'fixed-risk', risk: 0.02, stopVolatilities: 2 });
      assertThrows(() => parseSizingRule('kelly'), ConfigError, /"kelly"/);
    });
  });

  describe('costs', () => {
    const costs: Costs = { commissionPerShare: 0.005, minimumCommission: 1, slippageBps: 10 };

    it('commission: per share, with a minimum per order', () => {
      assert.equal(commissionFor(costs, 100), 1); // 100 * 0.005 = 0.5 < 1 -> 1
      assert.equal(commissionFor(costs, 200), 1); // exactly 1
      assert.equal(commissionFor(costs, 1000), 5); // 5 > 1
      assert.equal(commissionFor(costs, 0), 0); // no order, no commission
      // The minimum applies only to orders that have a commission at all.
      assert.equal(commissionFor({ ...costs, commissionPerShare: 0 }, 100), 0);
      assert.equal(commissionFor(noCosts, 100), 0);
    });

    it('fill price: slippage against the trader, clamped into low..high', () => {
      // buy: 100 * (1 + 10 / 10000) = 100.1, inside 99..101
      assertClose(fillPrice(costs, 'buy', 100, 99, 101), 100.1, 1e-12);
      // sell: 100 * (1 - 0.001) = 99.9, inside
      assertClose(fillPrice(costs, 'sell', 100, 99, 101), 99.9, 1e-12);
      // 100.1 > high 100.05: the high
      assert.equal(fillPrice(costs, 'buy', 100, 99, 100.05), 100.05);
      // 99.9 < low 99.95: the low
      assert.equal(fillPrice(costs, 'sell', 100, 99.95, 101), 99.95);
      // no slippage: the open itself, bit for bit
      assert.equal(fillPrice(noCosts, 'buy', 123.456, 120, 125), 123.456);
    });

    it('affordableShares: the most whole shares whose price plus commission fit the cash', () => {
      // 100 * 10 + max(0.5, 1) = 1001 fits exactly
      assert.equal(affordableShares(costs, 100, 10, 1001), 100);
      // 1000.99: 100 shares cost 1001 (too much); 99 cost 990 + 1 = 991
      assert.equal(affordableShares(costs, 100, 10, 1000.99), 99);
      // 2000: 199 * 10 + 1 = 1991 fits, 200 * 10 + 1 = 2001 does not
      assert.equal(affordableShares(costs, 500, 10, 2000), 199);
      // minimum 10 at price 1 and cash 105: 95 + 10 = 105 fits, 96 + 10 = 106 does not
      assert.equal(affordableShares({ ...costs, minimumCommission: 10 }, 1000, 1, 105), 95);
      // per-share commission large enough to matter: 0.5 a share at price 9.5, cash 1000 -> 1000 / 10 = 100
      assert.equal(affordableShares({ commissionPerShare: 0.5, minimumCommission: 0, slippageBps: 0 }, 500, 9.5, 1000), 100);
      assert.equal(affordableShares(costs, 0, 10, 1000), 0);
      assert.equal(affordableShares(costs, 10, 10, 0), 0);
      assert.equal(affordableShares(costs, 10, 10, -5), 0);
    });

    it('negative or non-finite costs are a ConfigError naming the cost', () => {
      assertThrows(() => validateCosts({ ...noCosts, commissionPerShare: -0.01 }), ConfigError, /commission per share/);
      assertThrows(() => validateCosts({ ...noCosts, slippageBps: Number.NaN }), ConfigError, /slippage/);
      assertThrows(() => validateCosts({ ...noCosts, minimumCommission: Infinity }), ConfigError, /minimum commission/);
    });
  });

  describe('risk manager', () => {
    // Equity 100000; A already held for 10000; 30000 of positions in all.
    const context: RiskContext = {
      date: '2020-06-01',
      equity: 100_000,
      previousEquity: 100_000,
      grossExposure: 30_000,
      positionValue: (symbol) => (symbol === 'A' ? 10_000 : 0),
    };
    const buy = (symbol: string, shares: number, price = 100): ProposedOrder => ({ symbol, side: 'buy', shares, price, increasesRisk: true });
    const sell = (symbol: string, shares: number, price = 100): ProposedOrder => ({ symbol, side: 'sell', shares, price, increasesRisk: false });

    it('no limits: every order passes untouched', () => {
      const orders = [buy('A', 200), sell('B', 50), buy('C', 10_000)];
      const decisions = checkOrders(noRiskLimits, context, orders);
      assert.deepEqual(decisions.map((decision) => [decision.order.symbol, decision.shares, decision.rule, decision.reason]), [
        ['B', 50, null, null], // exits first
        ['A', 200, null, null],
        ['C', 10_000, null, null],
      ]);
    });

    it('maxPositionWeight cuts to the room left in the symbol', () => {
      // room = 0.2 * 100000 - 10000 = 10000 -> 100 shares at 100
      const [decision] = checkOrders({ maxPositionWeight: 0.2 }, context, [buy('A', 200)]);
      assert.equal(decision.shares, 100);
      assert.equal(decision.rule, 'maxPositionWeight');
      assert.equal(decision.reason, 'position would exceed 20.0% of equity');
      // a symbol not held gets the whole 20000: 150 shares pass untouched
      const untouched = checkOrders({ maxPositionWeight: 0.2 }, context, [buy('B', 150)])[0];
      assert.deepEqual([untouched.shares, untouched.rule], [150, null]);
    });

    it('maxGrossExposure cuts, then rejects once the room is used; exits free room first', () => {
      // room = 0.5 * 100000 - 30000 = 20000 -> B cut to 200; then C finds 0 room
      const decisions = checkOrders({ maxGrossExposure: 0.5 }, context, [buy('B', 300), buy('C', 100)]);
      assert.deepEqual(decisions.map((decision) => [decision.order.symbol, decision.shares, decision.rule]), [
        ['B', 200, 'maxGrossExposure'],
        ['C', 0, 'maxGrossExposure'],
      ]);
      assert.equal(decisions[1].reason, 'gross exposure would exceed 50.0% of equity');
      // selling A (100 * 100 = 10000) first leaves 30000 of room: B's 300 shares pass
      const withExit = checkOrders({ maxGrossExposure: 0.5 }, context, [buy('B', 300), sell('A', 100)]);
      assert.deepEqual(withExit.map((decision) => [decision.order.symbol, decision.shares]), [['A', 100], ['B', 300]]);
    });

    it('maxOrdersPerDay counts exits first and rejects the rest', () => {
      const decisions = checkOrders({ maxOrdersPerDay: 1 }, context, [buy('B', 10), sell('A', 100)]);
      assert.deepEqual(decisions.map((decision) => [decision.order.symbol, decision.shares, decision.rule]), [
        ['A', 100, null],
        ['B', 0, 'maxOrdersPerDay'],
      ]);
      assert.equal(decisions[1].reason, '1 orders already on 2020-06-01 (limit 1)');
    });

    it('dailyLossLimit halts entries after a drop beyond the limit, never exits', () => {
      // 94000 / 100000 - 1 = -6% < -5%: entries rejected
      const down = checkOrders({ dailyLossLimit: 0.05 }, { ...context, equity: 94_000 }, [buy('B', 10), sell('A', 100)]);
      assert.deepEqual(down.map((decision) => [decision.order.symbol, decision.shares, decision.rule]), [
        ['A', 100, null],
        ['B', 0, 'dailyLossLimit'],
      ]);
      assert.equal(down[1].reason, 'equity fell 6.00% on 2020-06-01 (limit 5.00%)');
      // -4% is within the limit; and the first day (no previous equity) never halts
      assert.equal(checkOrders({ dailyLossLimit: 0.05 }, { ...context, equity: 96_000 }, [buy('B', 10)])[0].shares, 10);
      assert.equal(checkOrders({ dailyLossLimit: 0.05 }, { ...context, equity: 1, previousEquity: null }, [buy('B', 10)])[0].shares, 10);
    });

    it('killSwitch rejects every entry and lets exits through', () => {
      const decisions = checkOrders({ killSwitch: true }, context, [buy('B', 10), sell('A', 100)]);
      assert.deepEqual(decisions.map((decision) => [decision.order.symbol, decision.shares, decision.rule, decision.reason]), [
        ['A', 100, null, null],
        ['B', 0, 'killSwitch', 'kill switch is on: no new entries'],
      ]);
    });

    it('bad limits are a ConfigError naming the limit and the value', () => {
      assertThrows(() => validateRiskLimits({ maxPositionWeight: 0 }), ConfigError, /maxPositionWeight .* got 0/);
      assertThrows(() => validateRiskLimits({ maxGrossExposure: 11 }), ConfigError, /maxGrossExposure/);
      assertThrows(() => validateRiskLimits({ maxOrdersPerDay: 1.5 }), ConfigError, /maxOrdersPerDay/);
      assertThrows(() => validateRiskLimits({ killSwitch: 'yes' } as never), ConfigError, /killSwitch/);
      assertThrows(() => validateRiskLimits({ maxLeverage: 2 } as never), ConfigError, /unknown limit "maxLeverage"/);
    });

    describe('in a real-data backtest', function () {
      before(function () {
        if (!realDataAvailable()) {
          console.warn(`engine units: real data not found in ${realNormalizedDir}; skipping the risk backtests`);
          this.skip();
        }
      });

      it('limits that never bind change nothing; a binding limit cuts with its reason', () => {
        const bars = loadRealBars();
        const plain = engineRun(bars, { sizing: 'equal-weight' });
        // A new position is at most equity / 3 at the decision close, so 0.5 never binds; gross
        // is at most equity (cash >= 0) plus three new positions of equity / 3, so 2 never binds;
        // one order per symbol a day is at most 3; a one-day fall of more than 100% cannot happen.
        const loose = engineRun(bars, { sizing: 'equal-weight' }, { maxPositionWeight: 0.5, maxGrossExposure: 2, maxOrdersPerDay: 3, dailyLossLimit: 1 });
        assert.ok(loose.trades.length > 20, `only ${loose.trades.length} trades`);
        assert.deepEqual(loose.trades, plain.trades);
        assert.deepEqual(loose.orders, plain.orders);
        assert.deepEqual(loose.equityCurve, plain.equityCurve);
        assert.deepEqual(loose.rejected.filter((rejection) => rejection.stage === 'risk'), []);

        const tight = engineRun(bars, { sizing: 'equal-weight' }, { maxPositionWeight: 0.2 });
        const cuts = tight.rejected.filter((rejection) => rejection.stage === 'risk');
        // Equal weight asks for equity / 3 = 33% per position: every entry is cut to 20%.
        const entries = tight.orders.filter((order) => order.side === 'buy');
        assert.equal(cuts.length, entries.length);
        assert.equal(cuts.every((cut) => cut.rule === 'maxPositionWeight' && cut.shares < cut.requestedShares), true);
        const kill = engineRun(bars, { sizing: 'equal-weight' }, { killSwitch: true });
        assert.deepEqual(kill.trades, []);
        assert.equal(kill.finalEquity, 100_000);
        assert.ok(kill.rejected.length > 20, `only ${kill.rejected.length} rejections`);
        assert.equal(kill.rejected.every((rejection) => rejection.rule === 'killSwitch'), true);
      });
    });
  });

  describe('metrics', () => {
    // E0 = 100, curve 110, 104.5, 104.5, 114.95, 103.455:
    // returns r = 0.1, -0.05, 0, 0.1, -0.1 (n = 5)
    const metrics = computeMetrics({
      startingEquity: 100,
      equity: [110, 104.5, 104.5, 114.95, 103.455],
      positionValue: [0, 52.25, 52.25, 0, 103.455],
      tradePnls: [10, -5, 20, 0, -15],
      tradedValue: 209,
    });

    it('returns, volatility, Sharpe and Sortino', () => {
      assert.equal(metrics.startingEquity, 100);
      assert.equal(metrics.finalEquity, 103.455);
      // 103.455 / 100 - 1
      assertClose(metrics.totalReturn, 0.03455, 1e-12);
      // 1.03455^(252 / 5) - 1 = exp(50.4 * 0.0339665495...) - 1 = exp(1.71191409...) - 1 = 4.5395545866
      assertClose(metrics.cagr, 4.539554586559374, 1e-9);
      // mean r = 0.05 / 5 = 0.01; deviations 0.09, -0.06, -0.01, 0.09, -0.11;
      // squares sum 0.0081 + 0.0036 + 0.0001 + 0.0081 + 0.0121 = 0.032; / 4 = 0.008; sd = 0.0894427191
      // annual volatility = 0.0894427191 * sqrt(252) = 0.0894427191 * 15.8745078664 = 1.4198591479
      assertClose(metrics.annualVolatility, 1.419859147943908, 1e-9);
      // Sharpe = 0.01 / 0.0894427191 * 15.8745078664 = 1.7748239349
      assertClose(metrics.sharpe, 1.7748239349298855, 1e-9);
      // downside: (0.05^2 + 0.1^2) / 5 = 0.0125 / 5 = 0.0025, sqrt = 0.05; 0.01 / 0.05 * 15.8745078664 = 3.1749015733
      assertClose(metrics.sortino, 3.17490157327751, 1e-9);
    });

    it('drawdown, its length and Calmar', () => {
      // peaks 110 then 114.95; troughs 104.5 (1 - 104.5 / 110 = 0.05) and 103.455 (1 - 103.455 / 114.95 = 0.1)
      assertClose(metrics.maxDrawdown, 0.1, 1e-12);
      // underwater on 104.5, 104.5 (2 bars), then on 103.455 (1 bar, to the end)
      assert.equal(metrics.maxDrawdownDays, 2);
      // 4.5395545866 / 0.1
      assertClose(metrics.calmar, 45.39554586559374, 1e-8);
    });

    it('trade statistics: a zero PnL is neither a win nor a loss', () => {
      assert.equal(metrics.trades, 5);
      // wins 10, 20; losses -5, -15
      assert.equal(metrics.winRate, 0.4); // 2 / 5
      assert.equal(metrics.profitFactor, 1.5); // 30 / 20
      assert.equal(metrics.averageWin, 15); // 30 / 2
      assert.equal(metrics.averageLoss, -10); // -20 / 2
    });

    it('exposure and turnover', () => {
      // position / equity = 0, 0.5, 0.5, 0, 1 -> mean 0.4
      assertClose(metrics.exposure, 0.4, 1e-12);
      // mean equity = 537.405 / 5 = 107.481; years = 5 / 252; 209 / 107.481 / (5 / 252) = 98.0042984341
      assertClose(metrics.turnover, 98.00429843414186, 1e-9);
    });

    it('undefined metrics are null: no trades, a flat curve', () => {
      const flat = computeMetrics({ startingEquity: 100, equity: [100, 100, 100], positionValue: [0, 0, 0], tradePnls: [], tradedValue: 0 });
      assert.deepEqual(flat, {
        startingEquity: 100,
        finalEquity: 100,
        totalReturn: 0,
        cagr: 0,
        annualVolatility: 0,
        sharpe: null,
        sortino: null,
        maxDrawdown: 0,
        maxDrawdownDays: 0,
        calmar: null,
        trades: 0,
        winRate: null,
        profitFactor: null,
        averageWin: null,
        averageLoss: null,
        exposure: 0,
        turnover: 0,
      });
      assertThrows(() => computeMetrics({ startingEquity: 0, equity: [], positionValue: [], tradePnls: [], tradedValue: 0 }), RangeError);
      assertThrows(() => computeMetrics({ startingEquity: 1, equity: [1], positionValue: [], tradePnls: [], tradedValue: 0 }), RangeError);
    });
  });

  describe('kernel rejection records', () => {
    // Two symbols over four days. A: opens 100, 100, 101, 102; B: 100, 110, 111, 112.
    const dates = ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06'];
    const bar = (date: string, open: number, high: number, low: number, close: number) => ({ date, open, high, low, close, volume: 1000 });
    const a = barSeriesFromRows('A', [
      bar(dates[0], 100, 101, 99, 100),
      bar(dates[1], 100, 102, 99, 101),
      bar(dates[2], 101, 103, 100, 102),
      bar(dates[3], 102, 104, 101, 103),
    ]);
    const b = barSeriesFromRows('B', [
      bar(dates[0], 100, 101, 99, 100),
      bar(dates[1], 110, 111, 109, 110),
      bar(dates[2], 111, 112, 110, 111),
      bar(dates[3], 112, 113, 111, 112),
    ]);
    // The strategy's factors at entry: m = 0.5 * 0.02 = 0.01, b = 0.5 * 0.06 = 0.03 -> momentum gets 25%.
    const factors = { momentum: 0.02, breakout: 0.06, score: 0.04 };

    /** A strategy that says what the script says on each date (decisions are otherwise pure). */
    function scripted(script: Record<string, readonly (readonly [Intent['kind'], string])[]>): Strategy {
      return {
        name: 'scripted',
        decide(state: MarketState): Intent[] {
          return (script[state.date] ?? []).map(([kind, symbol]): Intent => (kind === 'exit'
            ? { kind, symbol, reason: 'script', exitReason: 'script', factors }
            : kind === 'enter'
              ? { kind, symbol, reason: 'script', factors }
              : { kind, symbol, reason: 'script', factors, weight: 0 }));
        },
      };
    }

    const script = {
      [dates[0]]: [['enter', 'A'], ['enter', 'B']],
      [dates[2]]: [['exit', 'A'], ['exit', 'A'], ['enter', 'C'], ['exit', 'B'], ['enter', 'B']],
      [dates[3]]: [['exit', 'B']],
    } as const;
    // Day 1 close: equity 10000, N = 2 -> floor(10000 / 2 / 100) = 50 shares of A and of B.
    // Day 2 open: A 50 @ 100 = 5000 -> cash 5000; B 50 @ 110 = 5500 > 5000 -> cut to floor(5000 / 110) = 45
    //   (4950) -> cash 50. Close: 50 + 50 * 101 + 45 * 110 = 10050.
    // Day 3 close: exit A (the duplicate is rejected: pending), C has no bar, B exit + enter: the
    //   enter is a duplicate of the exit's pending order.
    // Day 4 open: A sells 50 @ 102 = 5100, pnl 5100 - 5000 = 100; B sells 45 @ 112 = 5040,
    //   pnl 5040 - 4950 = 90. Cash 50 + 5100 + 5040 = 10190.
    // Day 4 close: exit B while flat -> sizing rejection.
    const result = runBacktest([a, b], scripted(script), { startingCash: 10_000 });

    it('cuts an entry to the cash free at the open, in universe order', () => {
      assert.deepEqual(result.fills.map((fill) => [fill.date, fill.symbol, fill.side, fill.shares, fill.price]), [
        [dates[1], 'A', 'buy', 50, 100],
        [dates[1], 'B', 'buy', 45, 110],
        [dates[3], 'A', 'sell', 50, 102],
        [dates[3], 'B', 'sell', 45, 112],
      ]);
      assert.deepEqual(result.rejected.filter((rejection) => rejection.stage === 'cash'), [{
        date: dates[1], symbol: 'B', side: 'buy', stage: 'cash', requestedShares: 50, shares: 45, rule: null,
        reason: 'cash 5000.00 buys 45 of 50 shares at 110',
      }]);
      assert.deepEqual(result.equityCurve.map((point) => [point.date, point.equity, point.cash]), [
        [dates[0], 10_000, 10_000],
        [dates[1], 10_050, 50],
        [dates[2], 50 + 50 * 102 + 45 * 111, 50], // 10245
        [dates[3], 10_190, 10_190],
      ]);
    });

    it('records a duplicate order for a symbol as "pending" and a symbol without a bar as "sizing"', () => {
      const atDay3 = result.rejected.filter((rejection) => rejection.date === dates[2]);
      assert.deepEqual(atDay3.map((rejection) => [rejection.symbol, rejection.stage, rejection.side, rejection.shares]), [
        ['A', 'pending', null, 0],
        ['C', 'sizing', null, 0],
        ['B', 'pending', null, 0],
      ]);
      assert.equal(atDay3[0].reason, 'an order for A is already waiting for the next open');
      assert.equal(atDay3[1].reason, 'scripted asked to trade C, which has no bar on 2020-01-03');
      const atDay4 = result.rejected.filter((rejection) => rejection.date === dates[3]);
      assert.deepEqual(atDay4, [{
        date: dates[3], symbol: 'B', side: 'sell', stage: 'sizing', requestedShares: 0, shares: 0, rule: null, reason: 'exit for B while flat',
      }]);
    });

    it('closes trades with their PnL split 25% / 75% by |m| / (|m| + |b|)', () => {
      assert.deepEqual(result.trades.map((trade) => [trade.symbol, trade.signalDate, trade.entryDate, trade.exitSignalDate, trade.exitDate, trade.shares, trade.pnl]), [
          ['A', dates[0], dates[1], dates[2], dates[3], 50, 100],
          ['B', dates[0], dates[1], dates[2], dates[3], 45, 90],
        ]);
      assert.deepEqual(result.trades[0].pnlByFactor, { momentum: 25, breakout: 75 });
      assert.deepEqual(result.trades[1].pnlByFactor, { momentum: 22.5, breakout: 67.5 });
      assert.deepEqual(result.attribution.byFactor, { momentum: 47.5, breakout: 142.5 });
      assert.equal(result.finalEquity, 10_190);
    });

    it('rejects an entry that sizes to 0 shares at "sizing"', () => {
      // 150 / 2 / 100 = 0.75 -> 0 shares
      const poor = runBacktest([a, b], scripted({ [dates[0]]: [['enter', 'A']] }), { startingCash: 150 });
      assert.deepEqual(poor.orders, []);
      assert.deepEqual(poor.rejected, [{
        date: dates[0], symbol: 'A', side: 'buy', stage: 'sizing', requestedShares: 0, shares: 0, rule: null, reason: 'equity 150.00 sizes 0 shares at 100',
      }]);
    });

    it('leaves a signal on the last bar unfilled and records it as "no-next-bar"', () => {
      // B ends on day 3; an entry for B decided on day 3 has no next open, nor does A's on day 4.
      const shortB: BarSeries = { ...b, dates: b.dates.slice(0, 3), open: b.open.slice(0, 3), high: b.high.slice(0, 3), low: b.low.slice(0, 3), close: b.close.slice(0, 3), volume: b.volume.slice(0, 3) };
      const run = runBacktest([a, shortB], scripted({ [dates[2]]: [['enter', 'B']], [dates[3]]: [['enter', 'A']] }), { startingCash: 10_000 });
      assert.deepEqual(run.fills, []);
      assert.deepEqual(run.unfilledOrders.map((order) => [order.symbol, order.side, order.shares, order.decisionDate]), [
        ['B', 'buy', 45, dates[2]], // floor(10000 / 2 / 111) = 45
        ['A', 'buy', 48, dates[3]], // floor(10000 / 2 / 103) = 48
      ]);
      assert.deepEqual(run.rejected.map((rejection) => [rejection.date, rejection.symbol, rejection.stage, rejection.requestedShares, rejection.shares]), [
        [dates[3], 'B', 'no-next-bar', 45, 0],
        [dates[3], 'A', 'no-next-bar', 48, 0],
      ]);
      assert.equal(run.rejected[0].reason, "decided on 2020-01-03, the symbol's last bar: no next open to fill at");
      assert.equal(run.finalEquity, 10_000);
    });

    it('with costs: slipped fill prices and minimum commissions, to the cent', () => {
      // commission 0.005 a share, minimum 1; slippage 10 bps.
      // Day 2: A buys at 100 * 1.001 = 100.1 (high 102): 50 * 100.1 + 1 = 5006 -> cash 4994.
      //   B at 110 * 1.001 = 110.11 (high 111): 50 shares cost 5506.5 + 1 > 4994; 45 cost 4954.95 + 1 = 4955.95
      //   -> cash 38.05.
      // Day 4: A sells at 102 * 0.999 = 101.898 (low 101): 5094.9 - 1; pnl 5093.9 - 5006 = 87.9.
      //   B sells at 112 * 0.999 = 111.888 (low 111): 45 * 111.888 = 5034.96 - 1; pnl 5033.96 - 4955.95 = 78.01.
      const run = runBacktest([a, b], scripted(script), {
        startingCash: 10_000,
        costs: { commissionPerShare: 0.005, minimumCommission: 1, slippageBps: 10 },
      });
      const rounded = (value: number) => Math.round(value * 1e6) / 1e6;
      assert.deepEqual(run.fills.map((fill) => [fill.symbol, fill.shares, rounded(fill.price), fill.commission]), [
        ['A', 50, 100.1, 1],
        ['B', 45, 110.11, 1],
        ['A', 50, 101.898, 1],
        ['B', 45, 111.888, 1],
      ]);
      assert.deepEqual(run.trades.map((trade) => rounded(trade.pnl)), [87.9, 78.01]);
      assert.deepEqual(run.trades.map((trade) => trade.commission), [2, 2]);
      assertClose(run.equityCurve[1].cash, 38.05, 1e-9);
      assertClose(run.finalEquity, 10_000 + 87.9 + 78.01, 1e-9);
    });
  });

  describe('a real-data signal on the last bar of a --to window', function () {
    before(function () {
      if (!realDataAvailable()) {
        console.warn(`engine units: real data not found in ${realNormalizedDir}; skipping`);
        this.skip();
      }
    });

    it('is not filled and is recorded as "no-next-bar"', () => {
      const bars = loadRealBars();
      const full = engineRun(bars, { sizing: 'equal-weight' });
      // Cut the data at a date on which TrendBreakout decided to enter: that order has no next bar.
      const decided = full.orders.find((order) => order.side === 'buy' && order.decisionDate >= '2015-01-01');
      if (decided === undefined) throw new Error('no entry after 2015 in the full run');
      const cut = engineRun(bars, { sizing: 'equal-weight', to: decided.decisionDate });
      assert.ok(cut.unfilledOrders.some((order) => order.symbol === decided.symbol && order.side === 'buy' && order.decisionDate === decided.decisionDate));
      const noNext = cut.rejected.filter((rejection) => rejection.stage === 'no-next-bar');
      assert.ok(noNext.some((rejection) => rejection.symbol === decided.symbol));
      assert.equal(noNext.every((rejection) => rejection.date === decided.decisionDate && rejection.shares === 0), true);
      assert.equal(cut.equityCurve[cut.equityCurve.length - 1].date, decided.decisionDate);
    });
  });
});
