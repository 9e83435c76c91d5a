/**
 * Racing runners: two `aq paper` catch-ups started together on one journal, one of them slowed
 * between reading the journal's state and writing its next step (AQ_TEST_DELAY_AFTER_READ_MS),
 * in both orders of arrival. One runs, the other is refused at once (exit 4, naming the holder)
 * or, arriving after the first finished, finds the date already processed; the journal always
 * equals the backtest afterwards.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BarSeries } from '../../src/data/bars';
import { runBacktest } from '../../src/engine/backtest';
import { Journal } from '../../src/runner/journal';
import { compareJournalWithBacktest, formatParityReport } from '../../src/runner/parity';
import { openRunner } from '../../src/runner/runner';
import { compileCli, type CompiledCli } from './compiled-cli';
import { defaultSettings, loadRealBars, requireRealData, slice, temporaryDirectory, writeBars } from './helpers';

const first = '2019-01-02';
const asOf = '2019-01-15';

function runChild(cli: CompiledCli, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.paper, ...args], { env: { ...cli.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('racing runners on one journal (processes, injected delay between read and write)', function () {
  this.timeout(600_000);
  let dir: { path: string; remove: () => void };
  let dataDir: string;
  let bars: BarSeries[];
  let cli: CompiledCli;
  let seed: string;
  const trials = Number(process.env.AQ_RACE_TRIALS ?? 50);

  before(async function () {
    requireRealData(this);
    dir = temporaryDirectory('race');
    dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    bars = loadRealBars().map((series) => slice(series, '2018-09-04', '2019-01-31'));
    for (const series of bars) writeBars(dataDir, series);
    cli = compileCli(join(dir.path, 'compiled'));
    // A journal with its first cycle done: each trial races two catch-ups of the days after it.
    seed = join(dir.path, 'seed.db');
    const runner = openRunner({ journalPath: seed, bars, settings: defaultSettings() });
    await runner.runAsOf(first);
    runner.journal.close();
  });
  after(() => dir?.remove());

  it(`${trials} trials, the slowed runner first or second: one writer, and the journal equals the backtest`, async () => {
    const backtest = runBacktest(bars, defaultSettings().strategy, { from: first, to: asOf, startingCash: 100_000, sizing: defaultSettings().sizing, risk: defaultSettings().risk, costs: defaultSettings().costs });
    const outcomes = new Map<string, number>();
    for (let trial = 0; trial < trials; trial++) {
      const journal = join(dir.path, `race-${trial}.db`);
      copyFileSync(seed, journal);
      const args = ['--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--as-of', asOf, '--quiet'];
      const slow = { AQ_TEST_DELAY_AFTER_READ_MS: '15' };
      const fast = { AQ_TEST_DELAY_AFTER_READ_MS: '0' };
      // Both orders of arrival: the slowed runner is started first in even trials, second in odd ones.
      const [a, b] = trial % 2 === 0 ? [slow, fast] : [fast, slow];
      const results = await Promise.all([runChild(cli, args, a), runChild(cli, args, b)]);
      const codes = results.map((result) => result.code).sort();
      outcomes.set(codes.join('+'), (outcomes.get(codes.join('+')) ?? 0) + 1);
      for (const result of results) {
        assert.ok(result.code === 0 || result.code === 4, `trial ${trial}: exit ${result.code}\n${result.stderr}`);
        if (result.code === 4) assert.match(result.stderr, /in use by another runner: pid \d+ on /);
        assert.doesNotMatch(result.stderr, /SQLITE_|internal error|at .*\.js:\d+/);
      }
      assert.ok(codes.includes(0), `trial ${trial}: neither runner ran`);
      const reader = Journal.open(journal, { readonly: true });
      try {
        const report = compareJournalWithBacktest(reader, backtest);
        assert.equal(report.divergences.length, 0, `trial ${trial}:\n${formatParityReport(report, 5)}`);
        assert.equal(reader.lastCycle()?.date, asOf);
        assert.equal(reader.lastCycle()?.status, 'done');
      } finally {
        reader.close();
      }
    }
    // The lock was contended for real: in most trials the second runner was refused.
    assert.ok((outcomes.get('0+4') ?? 0) > 0, `outcomes: ${JSON.stringify([...outcomes])}`);
  });
});
