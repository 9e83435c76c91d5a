/**
 * `aq backtest` with parameters, a benchmark and several strategies: the numbers printed and
 * written equal the library's runs made here, the JSON's command line repeats the run, and bad
 * parameters are usage errors naming the parameter and its range.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import { loadUniverse, loadUniverseBars } from '../../src/data/universe';
import { runBacktest } from '../../src/engine/backtest';
import { buyAndHold, isBenchmarkAvailable } from '../../src/metrics/benchmark';
import { loadStrategy } from '../../src/strategies/registry';

function capture(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), interactive: false };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Splits the JSON's shell-quoted command line (only single quotes are used) into words. */
function words(command: string): string[] {
  return [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));
}

describe('aq backtest: parameters, benchmark, comparison', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'aq-params-'));
  const { bars } = loadUniverseBars(loadUniverse('data/universe.yaml'));

  it('--param sets the strategy; the JSON records it, the benchmark and a command that repeats the run', async () => {
    const json = join(dir, 'run.json');
    const first = await run(['backtest', '--param', 'stop=3', '--param', 'roc=10', '--from', '2014-01-02', '--cash', '50000', '--json', json, '--quiet']);
    assert.equal(first.code, 0, first.err);
    const document = JSON.parse(readFileSync(json, 'utf8'));
    const expected = runBacktest(bars, loadStrategy('trend-breakout', { stop: '3', roc: '10' }), { from: '2014-01-02', startingCash: 50_000 });
    assert.equal(document.final_equity, expected.finalEquity);
    assert.equal(document.parameters.stop, 3);
    assert.equal(document.parameters.roc, 10);
    assert.equal(document.configuration.from, '2014-01-02');
    assert.match(document.configuration.data_files.MU.sha256, /^[0-9a-f]{64}$/);
    // The benchmark: an equal-weight buy and hold on the run's dates.
    const curve = buyAndHold(bars, expected.equityCurve.map((p) => p.date), 50_000);
    assert.ok(isBenchmarkAvailable(curve));
    assert.equal(document.benchmark.final_equity, curve.equity[curve.equity.length - 1]);
    // The recorded command line repeats the run exactly.
    const again = join(dir, 'again.json');
    const argv = words(document.configuration.command).slice(1);
    const second = await run([...argv, '--json', again, '--quiet']);
    assert.equal(second.code, 0, second.err);
    const repeated = JSON.parse(readFileSync(again, 'utf8'));
    assert.equal(repeated.final_equity, document.final_equity);
    assert.deepEqual(repeated.trades, document.trades);
  });

  it('the summary shows the benchmark column and the relative figures; --benchmark SYMBOL uses one series', async () => {
    const plain = await run(['backtest']);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /benchmark: equal-weight buy and hold of MU, GLD, GOOG, bought \d{4}-\d\d-\d\d/);
    assert.match(plain.out, /metric\s+strategy\s+benchmark/);
    assert.match(plain.out, /alpha \(annualised\)/);
    assert.match(plain.out, /information ratio/);
    const one = await run(['backtest', '--benchmark', 'GLD', '--json', join(dir, 'gld.json'), '--quiet']);
    assert.equal(one.code, 0, one.err);
    const document = JSON.parse(readFileSync(join(dir, 'gld.json'), 'utf8'));
    assert.equal(document.benchmark.label, 'buy and hold of GLD');
    const gld = bars.find((series) => series.symbol === 'GLD')!;
    const result = runBacktest(bars, loadStrategy('trend-breakout'));
    const curve = buyAndHold([gld], result.equityCurve.map((p) => p.date), 100_000);
    assert.ok(isBenchmarkAvailable(curve));
    assert.equal(document.benchmark.final_equity, curve.equity[curve.equity.length - 1]);
  });

  it('two --strategy settings print one comparison table whose rows are the single runs', async () => {
    const json = join(dir, 'compare.json');
    const result = await run(['backtest', '--strategy', 'trend-breakout', '--strategy', 'trend-breakout:stop=3', '--json', json]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /Comparison over the same data/);
    assert.match(result.out, /trend-breakout \(stop=3\)/);
    const rows = JSON.parse(readFileSync(json, 'utf8')).comparison;
    assert.equal(rows.length, 3);
    assert.equal(rows[1].final_equity, runBacktest(bars, loadStrategy('trend-breakout', { stop: '3' })).finalEquity);
  });

  it('aq paper journals the parameters and refuses a later cycle with others', async () => {
    const journal = join(dir, 'paper.db');
    const first = await run(['paper', '--journal', journal, '--param', 'stop=3', '--as-of', '2023-12-28', '--quiet']);
    assert.equal(first.code, 0, first.err);
    const Database = require('better-sqlite3');
    const db = new Database(journal, { readonly: true });
    const settings = JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string }).value);
    db.close();
    assert.equal(settings.parameters.stop, 3);
    assert.equal(settings.parameters.roc, 20);
    const other = await run(['paper', '--journal', journal, '--param', 'stop=2', '--quiet']);
    assert.equal(other.code, 1);
    assert.match(other.err, /other settings[\s\S]*parameters/);
  });

  it('an unknown or out-of-range parameter, --from after --to, a missing benchmark: exit 2 with the reason', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--param', 'stopp=3'], /unknown parameter "stopp" \(known: roc, price_vs_ma/],
      [['--param', 'roc=0'], /"roc" must be an integer in 1\.\.100000, got "0"/],
      [['--param', 'stop'], /expected NAME=VALUE/],
      [['--strategy', 'trend-breakout:momentum=11'], /"momentum" must be a number in -10\.\.10/],
      [['--from', '2020-01-01', '--to', '2019-01-01'], /--from 2020-01-01 is after --to 2019-01-01/],
      [['--benchmark', 'NOPE'], /--benchmark NOPE: no bars file/],
    ];
    for (const [argv, pattern] of cases) {
      const result = await run(['backtest', ...argv]);
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.err}`);
      assert.match(result.err, pattern);
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
    }
  });
});
