/**
 * Sweeps: every trial is the ordinary backtest of its parameters, the ledger keeps one row per
 * trial, and a sweep stopped part way and started again ends with the same ledger as one run
 * straight through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateUniverse } from '../../src/data/generator';
import { runBacktest } from '../../src/engine/backtest';
import { ConfigError } from '../../src/errors';
import type { SearchSpace } from '../../src/research/sweep/grid';
import { openLedger } from '../../src/research/sweep/ledger';
import { objectiveValue, sweep, sweepFingerprint } from '../../src/research/sweep/sweep';
import { summarizeSweep } from '../../src/research/sweep/summary';
import { loadStrategy, shippedStrategies } from '../../src/strategies/registry';

const bars = generateUniverse(['AAA', 'BBB', 'CCC'], 4, 11);
const definition = shippedStrategies['trend-breakout'];
const space: SearchSpace = {
  axes: [
    { name: 'roc', values: [10, 20, 30] },
    { name: 'stop', values: [1.5, 3] },
  ],
  fixed: { price_vs_ma: 50, price_vs_high: 20, volume_zscore: 20, volatility: 20, momentum: 0.5, breakout: 0.5 },
  constraints: [],
  search: { kind: 'grid' },
};

function ledgerRows(path: string) {
  const ledger = openLedger(path, sweepFingerprint({ definition, space, bars }));
  const rows = [...ledger.trials()].map((t) => ({ ...t, returns: Array.from(t.returns) }));
  ledger.close();
  return rows;
}

describe('sweep', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'aq-sweep-'));

  it('every trial equals a single backtest with its parameters', () => {
    const path = join(dir, 'whole.db');
    const result = sweep({ bars, definition, space, ledger: path });
    assert.equal(result.total, 6);
    assert.equal(result.ran, 6);
    const rows = ledgerRows(path);
    assert.deepEqual(rows.map((r) => r.trial), [0, 1, 2, 3, 4, 5]);
    for (const row of rows) {
      const single = runBacktest(bars, loadStrategy('trend-breakout', { roc: String(row.parameters.roc), stop: String(row.parameters.stop) }));
      assert.equal(row.finalEquity, single.finalEquity);
      assert.equal(row.metrics.sharpe, single.metrics.sharpe);
      assert.equal(row.returns.length, single.equityCurve.length);
      assert.equal(row.returns[row.returns.length - 1], single.equityCurve.at(-1)!.equity / single.equityCurve.at(-2)!.equity - 1);
    }
    assert.notEqual(rows[0].finalEquity, rows[5].finalEquity);
  });

  it('stopped after three trials and resumed: the same ledger as a run straight through, nothing run twice', () => {
    const path = join(dir, 'resumed.db');
    assert.throws(() => sweep({ bars, definition, space, ledger: path, onProgress: (done) => { if (done === 3) throw new Error('killed'); } }), /killed/);
    assert.equal(ledgerRows(path).length, 3);
    const resumed = sweep({ bars, definition, space, ledger: path });
    assert.equal(resumed.ran, 3);
    assert.deepEqual(ledgerRows(path), ledgerRows(join(dir, 'whole.db')));
  });

  it('a ledger of another sweep, an empty file or a foreign database is refused', () => {
    const path = join(dir, 'whole.db');
    assert.throws(() => sweep({ bars, definition, space: { ...space, axes: [space.axes[0]] }, ledger: path }), (e: unknown) => e instanceof ConfigError && /belongs to another sweep/.test((e as Error).message));
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    assert.throws(() => openLedger(empty, 'x'), /the file is empty/);
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'not sqlite at all, just some text that is long enough to be a header');
    assert.throws(() => openLedger(text, 'x'), (e: unknown) => e instanceof ConfigError);
    assert.throws(() => openLedger(join(dir, 'missing', 'l.db'), 'x'), /does not exist/);
  });

  it('summary: best trials, the heatmap with the rest at the best, sensitivity, all against the ledger rows', () => {
    const rows = ledgerRows(join(dir, 'whole.db'));
    const ledger = openLedger(join(dir, 'whole.db'), sweepFingerprint({ definition, space, bars }));
    const summary = summarizeSweep(ledger, space, 'sharpe', 3);
    ledger.close();
    const sharpe = (row: (typeof rows)[number]) => row.metrics.sharpe ?? -Infinity;
    const ranked = [...rows].sort((a, b) => sharpe(b) - sharpe(a) || a.trial - b.trial);
    assert.deepEqual(summary.best.map((t) => t.trial), ranked.slice(0, 3).map((r) => r.trial));
    assert.equal(summary.trials, 6);
    // Two axes: one heatmap, every cell the trial with those two values.
    assert.equal(summary.heatmaps.length, 1);
    const [map] = summary.heatmaps;
    map.yValues.forEach((stop, yi) => map.xValues.forEach((roc, xi) => {
      const row = rows.find((r) => r.parameters.roc === roc && r.parameters.stop === stop)!;
      assert.equal(map.cells[yi][xi], row.metrics.sharpe);
    }));
    // Marginal of roc: mean Sharpe over the two stops.
    const roc = summary.sensitivity[0];
    roc.values.forEach((value, i) => {
      const same = rows.filter((r) => r.parameters.roc === value).map(sharpe);
      assert.ok(Math.abs((roc.marginal[i] as number) - (same[0] + same[1]) / 2) < 1e-12);
    });
    const bestStop = ranked[0].parameters.stop;
    roc.values.forEach((value, i) => assert.equal(roc.slice[i], rows.find((r) => r.parameters.roc === value && r.parameters.stop === bestStop)!.metrics.sharpe));
  });

  it('objectives: higher is better, drawdown by its negative, missing values last', () => {
    assert.equal(objectiveValue({ sharpe: 1.2 }, 'sharpe'), 1.2);
    assert.equal(objectiveValue({ maxDrawdown: 0.3 }, 'max_drawdown'), -0.3);
    assert.equal(objectiveValue({ sharpe: null }, 'sharpe'), Number.NEGATIVE_INFINITY);
  });
});
