/**
 * `aq walk-forward` end to end: the same JSON for one worker and two; each fold's test window is
 * exactly `aq backtest --from TEST_FROM --to TEST_TO --cash <previous final equity> --param ...`
 * (final equity and trades); the stitched curve chains the folds; the whole search's statistics
 * are those of `aq sweep` on the same grid file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aq, gridFile, universe } from './sweep-support';

describe('aq walk-forward', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'aq-walk-forward-'));
  const grid = gridFile(dir, 'grid.yaml', `parameters:\n  roc: [10, 30]\n  stop: [1.5, 3]\nuniverse: ${universe}\nfrom: 2017-01-03\nto: 2019-12-31\noptions: { cash: 40000, sizing: fixed-risk }\n`);

  it('folds reproduce as aq backtest runs; one worker and two agree; whole-search statistics are the sweep\'s', async () => {
    const documents: string[] = [];
    for (const workers of [1, 2]) {
      const json = join(dir, `wf${workers}.json`);
      const result = await aq(['walk-forward', '--grid', grid, '--train', '1y', '--test', '126', '--workers', String(workers), '--json', json]);
      assert.equal(result.code, 0, result.err);
      assert.match(result.out, /Walk-forward efficiency: /);
      documents.push(readFileSync(json, 'utf8'));
    }
    assert.equal(documents[1], documents[0]);
    const document = JSON.parse(documents[0]);
    assert.equal(document.train_bars, 252);
    assert.ok(document.folds.length >= 3);
    let cash = 40_000;
    for (const fold of document.folds) {
      assert.equal(fold.starting_cash, cash);
      const json = join(dir, `fold-${fold.fold}.json`);
      const params = Object.entries(fold.params).flatMap(([name, value]) => ['--param', `${name}=${String(value)}`]);
      const single = await aq(['backtest', '--universe', universe, '--from', fold.test_from, '--to', fold.test_to, '--cash', String(cash), '--sizing', 'fixed-risk', ...params, '--json', json, '--quiet']);
      assert.equal(single.code, 0, single.err);
      const backtest = JSON.parse(readFileSync(json, 'utf8'));
      assert.equal(fold.final_equity, backtest.final_equity, `fold ${fold.fold}`);
      assert.equal(fold.trades, backtest.trades.length, `fold ${fold.fold}`);
      assert.deepEqual(fold.test_metrics, backtest.metrics);
      cash = fold.final_equity;
    }
    const curve = document.out_of_sample.equity_curve;
    assert.equal(curve[0].date, document.folds[0].test_from);
    assert.equal(curve.at(-1).equity, cash);
    const profitable = document.folds.filter((fold: { final_equity: number; starting_cash: number }) => fold.final_equity > fold.starting_cash).length;
    assert.equal(document.profitable_folds, profitable / document.folds.length);
    assert.equal(document.efficiency === null, typeof document.efficiency_note === 'string');

    const sweepJson = join(dir, 'sweep.json');
    const swept = await aq(['sweep', '--grid', grid, '--workers', '1', '--json', sweepJson]);
    assert.equal(swept.code, 0, swept.err);
    const { definition, ...whole } = document.whole_search;
    assert.match(definition, /whole period/);
    assert.deepEqual(whole, JSON.parse(readFileSync(sweepJson, 'utf8')).overfitting);
  });
});
