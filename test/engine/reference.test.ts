/**
 * The engine (runBacktest + trendBreakout) against the independent naive loop in
 * reference-backtest.ts, trade for trade: symbol, signal date, entry date and price, exit signal
 * date, exit date and price, exit reason, shares, PnL (1e-9 relative) and its split by factor;
 * every order and fill; unfilled orders and open positions at the end; the equity curve point
 * by point and the final equity.
 *
 * On the real MU, GLD, GOOG bars (2010-2024) with both sizings, with and without costs, and
 * with --from/--to windows; and on synthetic universes from the project's generator with
 * unequal calendars (random missing bars, symbols that start late and end early).
 * Every run must trade more than 20 times, so that agreement is not vacuous.
 */
import assert from 'node:assert/strict';
import type { BarSeries } from '../../src/data/bars';
import { generateUniverse } from '../../src/data/generator';
import {
  differences,
  engineRun,
  loadRealBars,
  raggedUniverse,
  realDataAvailable,
  realNormalizedDir,
  referenceRun,
  withCosts,
  type Scenario,
} from './helpers';

function agree(bars: readonly BarSeries[], scenario: Scenario): { trades: number; cashCuts: number } {
  const engine = engineRun(bars, scenario);
  const reference = referenceRun(bars, scenario);
  const found = differences(engine, reference);
  assert.deepEqual(found, [], `${scenario.name}: engine and reference differ:\n${found.join('\n')}`);
  assert.ok(engine.trades.length > 20, `${scenario.name}: only ${engine.trades.length} trades`);
  return { trades: engine.trades.length, cashCuts: engine.rejected.filter((rejection) => rejection.stage === 'cash').length };
}

describe('engine vs the naive reference loop', () => {
  describe('real data: MU, GLD, GOOG 2010-2024', function () {
    let bars: BarSeries[];
    before(function () {
      if (!realDataAvailable()) {
        console.warn(`engine reference test: real data not found in ${realNormalizedDir}; skipping the real-data comparisons`);
        this.skip();
      }
      bars = loadRealBars();
    });

    const scenarios: Scenario[] = [
      { name: 'equal weight, no costs', sizing: 'equal-weight' },
      { name: 'fixed risk, no costs', sizing: 'fixed-risk' },
      { name: 'equal weight, commission 0.005 min 1, slippage 5 bps', sizing: 'equal-weight', ...withCosts },
      { name: 'fixed risk, commission 0.005 min 1, slippage 5 bps', sizing: 'fixed-risk', ...withCosts },
      { name: 'equal weight, --from 2015-03-02 --to 2019-06-28', sizing: 'equal-weight', from: '2015-03-02', to: '2019-06-28' },
      // Weekend boundaries: neither date is a trading day.
      { name: 'fixed risk with costs, --from 2012-06-16 --to 2021-12-25', sizing: 'fixed-risk', ...withCosts, from: '2012-06-16', to: '2021-12-25' },
      { name: 'fixed risk 2%, 30,000 starting cash, costs', sizing: 'fixed-risk', risk: 0.02, startingCash: 30_000, ...withCosts },
    ];
    for (const scenario of scenarios) {
      it(scenario.name, () => {
        agree(bars, scenario);
      });
    }

    it('exercises the cash cut (equal weight is often short of cash at the open)', () => {
      const { cashCuts } = agree(bars, { name: 'equal weight, costs', sizing: 'equal-weight', ...withCosts });
      assert.ok(cashCuts > 10, `only ${cashCuts} cash cuts`);
    });

    it('the comparison can fail: a 1 bp slippage the reference does not know about is caught', () => {
      const engine = engineRun(bars, { sizing: 'equal-weight', slippageBps: 1 });
      const reference = referenceRun(bars, { sizing: 'equal-weight' });
      assert.notDeepEqual(differences(engine, reference), []);
    });
  });

  describe('synthetic universes with unequal calendars', () => {
    const symbols = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
    // 8 years of the generator's bars, then per symbol: up to 30% of the calendar cut at the
    // start and 25% at the end, 4% of the remaining dates deleted.
    const universes = [11, 12, 13].map((seed) => ({
      seed,
      bars: raggedUniverse(generateUniverse(symbols, 8, seed), seed * 1009, { missing: 0.04, maxLateStart: 0.3, maxEarlyEnd: 0.25 }),
    }));

    it('really has unequal calendars: late starts, early ends, missing bars', () => {
      for (const { bars } of universes) {
        const firsts = new Set(bars.map((series) => series.dates[0]));
        const lasts = new Set(bars.map((series) => series.dates[series.dates.length - 1]));
        assert.ok(firsts.size >= 3 && lasts.size >= 3, 'first and last dates should differ between symbols');
        const calendar = new Set(bars.flatMap((series) => series.dates));
        for (const series of bars) {
          const inside = [...calendar].filter((date) => date >= series.dates[0] && date <= series.dates[series.dates.length - 1]);
          assert.ok(series.dates.length < inside.length, `${series.symbol} has no missing bars`);
        }
      }
    });

    for (const sizing of ['equal-weight', 'fixed-risk'] as const) {
      for (const costs of [false, true]) {
        const label = `${sizing}${costs ? ', commission 0.005 min 1, slippage 5 bps' : ', no costs'}`;
        it(`${label} on 3 seeds`, () => {
          for (const { seed, bars } of universes) agree(bars, { name: `seed ${seed}, ${label}`, sizing, ...(costs ? withCosts : {}) });
        });
      }
    }

    it('two symbols, equal weight with costs: the cash cut at gapped opens agrees too', () => {
      let cashCuts = 0;
      for (const seed of [11, 12, 13]) {
        const bars = raggedUniverse(generateUniverse(['AAA', 'BBB'], 8, seed), seed * 1009, { missing: 0.04, maxLateStart: 0.3, maxEarlyEnd: 0.25 });
        cashCuts += agree(bars, { name: `seed ${seed}, two symbols`, sizing: 'equal-weight', ...withCosts }).cashCuts;
      }
      assert.ok(cashCuts >= 10, `only ${cashCuts} cash cuts`);
    });

    it('with --from/--to inside the data and a small account', () => {
      for (const { seed, bars } of universes) {
        agree(bars, { name: `seed ${seed}, from/to`, sizing: 'fixed-risk', from: '2001-07-04', to: '2006-11-11', startingCash: 20_000, ...withCosts });
      }
    });
  });
});
