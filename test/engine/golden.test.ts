/**
 * Golden backtests: the metrics, the final equity and a sha256 of the canonical trade and order
 * lists of a few fixed runs, pinned in test/engine/golden/*.json. Any change to what the engine
 * trades shows up here. The golden values were cross-checked against the naive reference loop
 * when they were written; to regenerate them after an intended change:
 *
 *   npx ts-node test/engine/regenerate-golden.ts
 *
 * (it refuses to write unless the engine still agrees with the reference loop).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { canonicalTrades, goldenCases, goldenOf, goldenPath, loadCaseData, missingData, regenerateCommand, type GoldenFile } from './golden-cases';
import { close, engineRun } from './helpers';

describe('engine golden backtests', () => {
  for (const goldenCase of goldenCases) {
    describe(goldenCase.name, function () {
      before(function () {
        const missing = missingData(goldenCase.data);
        if (missing !== null) {
          console.warn(`engine golden ${goldenCase.name}: ${missing}; skipping`);
          this.skip();
        }
      });

      it(`matches golden/${goldenCase.name}.json`, () => {
        const file = goldenPath(goldenCase.name);
        assert.ok(existsSync(file), `${file} is missing: run ${regenerateCommand}`);
        const expected = JSON.parse(readFileSync(file, 'utf8')) as GoldenFile;
        assert.deepEqual(expected.scenario, goldenCase.scenario, `${file} was written for other options: run ${regenerateCommand}`);
        const data = loadCaseData(goldenCase.data);
        assert.deepEqual(data.inputs, expected.inputs, `the input data changed since ${file} was written (not an engine change): check the data, then run ${regenerateCommand}`);
        const result = engineRun(data.bars, goldenCase.scenario);
        const actual = goldenOf(goldenCase, data, result);
        const hint = `first trade ${JSON.stringify(actual.firstTrade)}, last ${JSON.stringify(actual.lastTrade)}; if the change is intended run ${regenerateCommand}`;
        assert.equal(actual.tradeCount, expected.tradeCount, `trade count (${hint})`);
        assert.equal(actual.orderCount, expected.orderCount, `order count (${hint})`);
        assert.deepEqual([actual.firstTrade, actual.lastTrade], [expected.firstTrade, expected.lastTrade], `first/last trade (${hint})`);
        assert.equal(actual.tradesSha256, expected.tradesSha256, `sha256 of the canonical trade list (${hint})`);
        assert.equal(actual.ordersSha256, expected.ordersSha256, `sha256 of the canonical order list (${hint})`);
        assert.ok(close(actual.finalEquity, expected.finalEquity), `final equity ${actual.finalEquity}, golden ${expected.finalEquity}`);
        for (const [key, value] of Object.entries(expected.metrics)) {
          const got = actual.metrics[key as keyof typeof actual.metrics];
          const same = value === null || got === null ? value === got : close(got, value as number);
          assert.ok(same, `metric ${key}: ${got}, golden ${value}`);
        }
        assert.deepEqual(Object.keys(actual.metrics).sort(), Object.keys(expected.metrics).sort(), 'the set of metrics changed');
        assert.ok(actual.tradeCount > 20, `only ${actual.tradeCount} trades`);
      });
    });
  }

  it('the canonical trade list is sensitive to a one-share change', () => {
    const fake = (shares: number) => canonicalTrades({
      trades: [{
        symbol: 'A', signalDate: '2020-01-01', entryDate: '2020-01-02', entryPrice: 10, exitSignalDate: '2020-01-03', exitDate: '2020-01-06',
        exitPrice: 11, exitReason: 'score', shares, pnl: shares, commission: 0, entryFactors: {}, pnlByFactor: { momentum: 0.5, breakout: 0.5 },
      }],
    } as never);
    assert.notEqual(fake(100), fake(101));
  });
});
