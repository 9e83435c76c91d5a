/**
 * Crash safety: a paper replay killed with SIGKILL at random points (including between the broker
 * accepting an order and the journal recording it) and started again ends in exactly the state
 * of an uninterrupted replay: same decisions, orders, fills, trades, positions, cash, and the
 * paper broker's books agree (no duplicate order, no lost fill).
 *
 * Kill points: the child runs the real CLI (`aq paper --replay`, compiled from the current source)
 * with AQ_CRASH_AT=N, which SIGKILLs it at its Nth checkpoint (every journal transaction and every
 * broker call has one before and one after). Chains of kills run on one journal until a child
 * finishes; N is drawn at random (seeded: AQ_KILL_SEED=... reproduces a run). A last chain kills
 * with real timers instead, at random moments.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BarSeries } from '../../src/data/bars';
import { runBacktest } from '../../src/engine/backtest';
import { setCheckpointHook } from '../../src/storage/checkpoints';
import { Journal } from '../../src/runner/journal';
import { compareJournalWithBacktest, formatParityReport } from '../../src/runner/parity';
import { openRunner, replayInProcess } from '../../src/runner/runner';
import { compileCli, type CompiledCli } from './compiled-cli';
import { defaultSettings, journalDump, loadRealBars, requireRealData, slice, temporaryDirectory, writeBars } from './helpers';
import { mulberry32 } from '../support/mulberry32';

const from = '2019-01-02';
const to = '2019-12-31';


interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function runChild(cli: CompiledCli, args: readonly string[], env: NodeJS.ProcessEnv, killAfterMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.paper, ...args], { env: { ...cli.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('paper runner: SIGKILL at random points, then restart', function () {
  // ~30-60 s on two busy cores; a slower machine gets room, the test itself has no timing assertion.
  this.timeout(600_000);
  let dir: { path: string; remove: () => void };
  let bars: BarSeries[];
  let cli: CompiledCli;
  let reference: Record<string, unknown[]>;
  let labels: string[];
  let args: (journal: string) => string[];
  const seed = Number(process.env.AQ_KILL_SEED ?? 20261130);

  before(async function () {
    requireRealData(this);
    dir = temporaryDirectory('crash');
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    // 3 symbols, one year of sessions after the 50-bar warm-up.
    bars = loadRealBars().map((series) => slice(series, '2018-09-04', to));
    for (const series of bars) writeBars(dataDir, series);
    cli = compileCli(join(dir.path, 'compiled'));
    args = (journal) => ['--universe', 'MU,GLD,GOOG', '--data', dataDir, '--journal', journal, '--replay', '--from', from, '--to', to, '--quiet'];

    // The uninterrupted run, in this process, numbering its checkpoints: a child started on an
    // empty journal goes through the very same steps, so step N has label labels[N - 1].
    labels = [];
    setCheckpointHook((_step, label) => labels.push(label));
    const runner = openRunner({ journalPath: join(dir.path, 'reference.db'), bars, settings: defaultSettings() });
    try {
      await replayInProcess(runner, from, to);
      reference = journalDump(runner.journal.db);
    } finally {
      setCheckpointHook(null);
      runner.journal.close();
    }
  });

  after(() => dir?.remove());

  it('the uninterrupted replay trades and matches the backtest (the reference is not empty)', () => {
    const journal = Journal.open(join(dir.path, 'reference.db'), { readonly: true });
    try {
      const report = compareJournalWithBacktest(journal, runBacktest(bars, defaultSettings().strategy, { from, to }));
      assert.deepEqual(report.divergences, [], formatParityReport(report));
      assert.ok(reference.fills.length >= 20, `${reference.fills.length} fills`);
      assert.ok(labels.length > 3000, `${labels.length} checkpoints`);
    } finally {
      journal.close();
    }
  });

  it('ends in the uninterrupted state after 50+ kills at random checkpoints', async function () {
    const random = mulberry32(seed);
    const total = labels.length;
    const pick = (pattern: RegExp) => {
      const steps = labels.map((label, i) => (pattern.test(label) ? i + 1 : 0)).filter((step) => step > 0);
      return steps[Math.floor(random() * steps.length)];
    };
    // The first kill of some chains is aimed (children on an empty journal number steps like the reference).
    const aimed = [
      pick(/^broker submit .*: after$/), // the broker has the order, the journal still says "sending"
      pick(/^paper broker submit .*: after$/), // inside the broker, right after it committed the order
      pick(/^journal sending .*: after$/), // written ahead, not sent yet
      pick(/^paper broker open .*: after$/), // the broker filled at the open, the journal has not heard
      pick(/^journal fills .*: before$/),
      pick(/^journal decide .*: after$/),
    ];
    const killsPerChain = 12;
    const kills: { chain: number; step: number; label: string }[] = [];
    for (let chain = 0; kills.length < 55; chain++) {
      assert.ok(chain < 15, `only ${kills.length} kills in ${chain} chains`);
      const journal = join(dir.path, `killed-${chain}.db`);
      for (let attempt = 0; ; attempt++) {
        assert.ok(attempt < 200, `chain ${chain} never finished`);
        const step = attempt === 0 && chain < aimed.length ? aimed[chain] : 1 + Math.floor(random() * ((2 * total) / killsPerChain));
        const result = await runChild(cli, args(journal), { AQ_CRASH_AT: String(step), AQ_CRASH_LOG: '1' });
        if (result.signal === 'SIGKILL') {
          kills.push({ chain, step, label: result.stderr.trim().replace(/^AQ_CRASH_AT=\d+: killed at /, '') });
          continue;
        }
        assert.equal(result.code, 0, `chain ${chain}, seed ${seed}: the restarted replay failed:\n${result.stderr}`);
        break;
      }
      const db = new Database(journal, { readonly: true });
      try {
        assert.deepEqual(journalDump(db), reference, `chain ${chain} (seed ${seed}, kills ${JSON.stringify(kills.filter((k) => k.chain === chain))})`);
      } finally {
        db.close();
      }
    }
    assert.ok(kills.length >= 50, `only ${kills.length} kills`);
    const hit = (pattern: RegExp) => kills.some((kill) => pattern.test(kill.label));
    assert.ok(hit(/^broker submit .*: after$/), 'a kill between the broker accepting an order and the journal recording it');
    assert.ok(hit(/^paper broker open .*: after$/), 'a kill after the broker filled, before the journal recorded the fill');
    assert.ok(hit(/^journal sending .*: after$/), 'a kill after the write-ahead record, before the broker call');
  });

  it('ends in the uninterrupted state after kills by real timers at random moments', async function () {
    const random = mulberry32(seed + 1);
    // How long one uninterrupted child takes here (start-up included): kills are drawn inside it.
    const started = Date.now();
    assert.equal((await runChild(cli, args(join(dir.path, 'timing.db')), {})).code, 0);
    const full = Date.now() - started;
    let kills = 0;
    for (let chain = 0; kills < 6; chain++) {
      assert.ok(chain < 10, `only ${kills} timed kills landed in ${chain} chains`);
      const journal = join(dir.path, `timed-${chain}.db`);
      for (let attempt = 0; ; attempt++) {
        assert.ok(attempt < 100, 'the timed chain never finished');
        const result = await runChild(cli, args(journal), {}, Math.floor(full * (0.15 + 0.8 * random())));
        if (result.signal === 'SIGKILL') {
          kills++;
          continue;
        }
        assert.equal(result.code, 0, result.stderr);
        break;
      }
      const db = new Database(journal, { readonly: true });
      try {
        assert.deepEqual(journalDump(db), reference, `timed chain ${chain} (seed ${seed})`);
      } finally {
        db.close();
      }
    }
  });

  it('--processes: one fresh process per day gives the journal of the in-process replay', async function () {
    const window = ['--from', '2019-03-01', '--to', '2019-03-08'];
    const base = (journal: string) => args(journal).filter((arg, i, all) => !['--from', '--to'].includes(arg) && !['--from', '--to'].includes(all[i - 1]));
    const separate = join(dir.path, 'processes.db');
    const together = join(dir.path, 'together.db');
    const viaMain = (argv: string[]) => new Promise<ChildResult>((resolve, reject) => {
      const child = spawn(process.execPath, [cli.main, 'paper', ...argv], { env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stderr: out }));
    });
    const multi = await viaMain([...base(separate), ...window, '--processes']);
    assert.equal(multi.code, 0, multi.stderr);
    // One child per trading day: each prints its own cycle line.
    assert.equal(multi.stderr.match(/^2019-03-0\d: equity /gm)?.length, 6, multi.stderr);
    const single = await runChild(cli, [...base(together), ...window], {});
    assert.equal(single.code, 0, single.stderr);
    const a = new Database(separate, { readonly: true });
    const b = new Database(together, { readonly: true });
    try {
      assert.deepEqual(journalDump(a), journalDump(b));
      assert.equal(journalDump(a).cycles.length, 6);
    } finally {
      a.close();
      b.close();
    }
  });
});
