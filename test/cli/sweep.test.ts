/**
 * `aq sweep` end to end on data/sample: the output, JSON and returns CSV are the same for one
 * worker and two; every trial is `aq backtest --param ...` exactly; the JSON's overfitting
 * object is the in-memory statistics of the trials' returns; bad grid files exit 1 naming the
 * file and line, bad options exit 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overfittingSummary } from '../../src/research/overfitting';
import { aq, gridFile, ledgerRows, smallGrid, universe } from './sweep-support';

describe('aq sweep', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'aq-sweep-cli-'));
  const grid = smallGrid(dir);
  const runs: Record<number, { out: string; json: string; csv: string; ledger: string }> = {};

  before(async () => {
    for (const workers of [1, 2]) {
      const ledger = join(dir, `w${workers}.db`);
      const json = join(dir, `w${workers}.json`);
      const csv = join(dir, `w${workers}.csv`);
      const result = await aq(['sweep', '--grid', grid, '--workers', String(workers), '--ledger', ledger, '--json', json, '--returns-out', csv]);
      assert.equal(result.code, 0, result.err);
      runs[workers] = { out: result.out.replace(/\d+ workers?/, 'N workers').replaceAll(`w${workers}.`, 'wN.'), json: readFileSync(json, 'utf8'), csv: readFileSync(csv, 'utf8'), ledger };
    }
  });

  it('one worker and two give the same ledger, JSON, CSV and printout', () => {
    assert.deepEqual(ledgerRows(runs[2].ledger), ledgerRows(runs[1].ledger));
    assert.equal(runs[2].json, runs[1].json);
    assert.equal(runs[2].csv, runs[1].csv);
    assert.equal(runs[2].out, runs[1].out);
    assert.match(runs[1].out, /sweep trend-breakout: grid over roc \(2\) x stop \(2\) = 4 points, 4 trials, no constraints, N workers/);
    assert.match(runs[1].out, /Heatmap of sharpe: stop \(rows\) x roc \(columns\)/);
    assert.match(runs[1].out, /PBO \(CSCV\)/);
  });

  it('the JSON: trials in order, each equal to aq backtest --param; overfitting equals the in-memory statistics', async () => {
    const document = JSON.parse(runs[1].json);
    assert.deepEqual(Object.keys(document), ['grid', 'strategy', 'objective', 'trials', 'overfitting', 'best', 'heatmaps', 'sensitivity', 'benchmark']);
    assert.deepEqual(document.trials.map((t: { trial: number }) => t.trial), [0, 1, 2, 3]);
    assert.deepEqual(document.trials.map((t: { params: { roc: number; stop: number } }) => [t.params.roc, t.params.stop]), [[10, 1.5], [10, 3], [30, 1.5], [30, 3]]);
    for (const trial of document.trials) {
      const json = join(dir, `backtest-${trial.trial}.json`);
      const params = Object.entries(trial.params).flatMap(([name, value]) => ['--param', `${name}=${String(value)}`]);
      const single = await aq(['backtest', '--universe', universe, '--from', '2017-01-03', '--to', '2019-12-31', '--cash', '50000', '--sizing', 'fixed-risk', '--commission', '0.005', ...params, '--json', json, '--quiet']);
      assert.equal(single.code, 0, single.err);
      const backtest = JSON.parse(readFileSync(json, 'utf8'));
      assert.equal(trial.final_equity, backtest.final_equity);
      assert.equal(trial.metrics.trades, backtest.trades.length);
      assert.equal(trial.metrics.sharpe, backtest.metrics.sharpe);
    }
    // The CSV is the ledger's returns; the statistics over them, computed in memory here, are the JSON's.
    const lines = runs[1].csv.trim().split('\n');
    assert.equal(lines[0], 'date,trial_0,trial_1,trial_2,trial_3');
    assert.equal(lines[1].split(',')[0], '2017-01-03');
    assert.equal(lines.at(-1)!.split(',')[0], '2019-12-31');
    const columns = [1, 2, 3, 4].map((column) => Float64Array.from(lines.slice(1), (line) => Number(line.split(',')[column])));
    const expected = overfittingSummary(columns);
    const { index, ...best } = expected.best;
    // JSON has no Infinity (MinBTL of a losing best trial): it is written as null.
    assert.deepEqual(document.overfitting, JSON.parse(JSON.stringify({ ...expected, best: { trial: index, params: document.trials[index].params, ...best } })));
    assert.equal(document.best[0].trial, document.trials.reduce((a: { metrics: { sharpe: number } }, b: { metrics: { sharpe: number } }) => (b.metrics.sharpe > a.metrics.sharpe ? b : a)).trial);
    assert.equal(document.heatmaps.length, 1);
    assert.equal(document.benchmark.label.length > 0, true);
  });

  it('the default ledger sits beside the grid file; a second run resumes it and runs nothing', async () => {
    const again = await aq(['sweep', '--grid', grid, '--workers', '1']);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(ledgerRows(`${grid}.ledger.db`).trials, ledgerRows(runs[1].ledger).trials);
    const resumed = await aq(['sweep', '--grid', grid, '--workers', '1']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.equal(resumed.out, again.out);
    // The first progress line already counts every trial as done: none was run again.
    assert.match(again.err, /^sweep: 0\/4 trials/);
    assert.match(resumed.err, /^sweep: 4\/4 trials\n$/);
  });

  it('bad grid files exit 1 naming the file and line; bad options exit 2', async () => {
    const cases: [string, RegExp][] = [
      [`parameters:\n  roc: [10, 20]\n  rock: [1, 2]\nuniverse: ${universe}\n`, /bad\.yaml:3: strategy "trend-breakout" has no parameter "rock"/],
      [`parameters:\n  roc: [10, 20]\nuniverse: ${universe}\noptions:\n  sizing: equal\n  cash: -5\n`, /bad\.yaml:6: --cash must be a number > 0, got "-5"/],
      [`parameters:\n  roc: [10, 20]\nuniverse: ${universe}\noptions:\n  leverage: 3\n`, /bad\.yaml:5: .*leverage/],
      [`parameters:\n  roc: [10, 20]\nuniverse: ${universe}\nfrom: 2019-02-30\n`, /bad\.yaml:4: --from must be a date/],
      [`parameters:\n  roc: [10, 20]\nuniverse: ${join(dir, 'missing.yaml')}\n`, /bad\.yaml:3: universe file not found/],
      [`parameters:\n  roc: [10, 20\n`, /bad\.yaml:\d+: /],
    ];
    for (const [body, message] of cases) {
      const result = await aq(['sweep', '--grid', gridFile(dir, 'bad.yaml', body), '--ledger', join(dir, 'bad.db')]);
      assert.equal(result.code, 1, `${body}\n${result.err}`);
      assert.match(result.err, message);
      assert.doesNotMatch(result.err, / {4}at /);
    }
    for (const argv of [['sweep'], ['sweep', '--grid', grid, '--workers', '0'], ['sweep', '--grid', grid, '--bogus'], ['walk-forward', '--grid', grid, '--train', '3q', '--test', '6m'], ['walk-forward', '--grid', grid, '--train', '2y']]) {
      const result = await aq(argv);
      assert.equal(result.code, 2, `${argv.join(' ')}\n${result.err}`);
    }
  });
});
