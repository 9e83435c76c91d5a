/**
 * Fault injection on the journal: a second writer, a stale lock, damaged journals, data and
 * strategy revised between cycles. Each must be a clear error with its exit code (never exit 70
 * or a raw SQLite error), and a revision must halt the next cycle with a report.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BarSeries } from '../../src/data/bars';
import { Journal } from '../../src/runner/journal';
import { explainSqliteError, JournalBusyError, StorageError } from '../../src/storage/storage-errors';
import { loadRealBars, requireRealData, runCli, slice, temporaryDirectory, writeBars, repositoryRoot } from './helpers';

describe('journal guards: one writer, damaged journals, revised inputs', function () {
  this.timeout(120_000);
  let dir: { path: string; remove: () => void };
  let dataDir: string;
  let bars: BarSeries[];
  let count = 0;
  const base = () => ['paper', '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--quiet'];
  const fresh = () => join(dir.path, `j${++count}.db`);

  before(function () {
    requireRealData(this);
    dir = temporaryDirectory('guard');
    dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    bars = loadRealBars().map((series) => slice(series, '2018-09-04', '2019-03-29'));
    for (const series of bars) writeBars(dataDir, series);
  });
  after(() => dir?.remove());
  afterEach(() => { for (const series of bars) writeBars(dataDir, series); });

  it('a second writer is refused at once with exit 4 naming the holder; the lock is released on close', async () => {
    const journal = fresh();
    assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-02'])).code, 0);
    const holder = Journal.open(journal);
    try {
      assert.throws(() => Journal.open(journal), (error: Error) => error instanceof JournalBusyError && error.message.includes(`pid ${process.pid} on ${hostname()}`));
      const second = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-03']);
      assert.equal(second.code, 4);
      assert.match(second.stderr, new RegExp(`in use by another runner: pid ${process.pid} on `));
      assert.doesNotMatch(second.stderr, /SQLITE|internal error/);
    } finally {
      holder.close();
    }
    assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-03'])).code, 0);
  });

  it('a stale lock of a dead pid on this host is taken over, with a message and an event', async () => {
    const journal = fresh();
    assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-02'])).code, 0);
    // A pid that cannot be alive: above the kernel's pid_max.
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: 99_999_999, host: hostname(), startedAt: '2019-01-02T22:00:00Z', token: 'dead' }));
    const run = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-03']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /took over the lock of journal .* left by a runner that is gone \(pid 99999999 on /);
    const reader = Journal.open(journal, { readonly: true });
    assert.deepEqual(reader.events().filter((event) => event.kind === 'lock').length, 1);
    reader.close();
    assert.throws(() => statSync(`${journal}.lock`), /ENOENT/);
    // Another host's lock is never taken over.
    writeFileSync(`${journal}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', token: 't' }));
    const refused = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-04']);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /pid 1 on elsewhere.*if that process is gone, delete/);
    unlinkSync(`${journal}.lock`);
  });

  it('damaged or foreign journals: 0-byte, text, another SQLite database, truncated, missing folder: exit 1 naming the path', async () => {
    const cases: [string, (path: string) => void, RegExp][] = [
      ['empty', (path) => writeFileSync(path, ''), /exists but is empty/],
      ['text', (path) => writeFileSync(path, 'date,open\n2019-01-02,1\n'.repeat(200)), /not a SQLite database|damaged/],
      ['foreign', (path) => { const db = new Database(path); db.exec('CREATE TABLE t (x)'); db.close(); }, /is not an aq journal/],
    ];
    for (const [name, make, expected] of cases) {
      const path = join(dir.path, `${name}.db`);
      make(path);
      const before = readFileSync(path);
      const run = await runCli([...base(), '--journal', path, '--as-of', '2019-01-02']);
      assert.equal(run.code, 1, `${name}: ${run.stderr}`);
      assert.match(run.stderr, expected);
      assert.ok(run.stderr.includes(path), run.stderr);
      assert.deepEqual(readFileSync(path), before, `${name}: the file is unchanged`);
    }
    const truncated = fresh();
    assert.equal((await runCli([...base(), '--journal', truncated, '--as-of', '2019-01-02'])).code, 0);
    truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
    const damaged = await runCli([...base(), '--journal', truncated, '--as-of', '2019-01-03']);
    assert.equal(damaged.code, 1, damaged.stderr);
    assert.match(damaged.stderr, /damaged/);
    assert.ok(damaged.stderr.includes(truncated));
    const parity = await runCli(['parity', '--journal', truncated, '--universe', 'MU,GLD,GOOG', '--data', dataDir, '--from', '2019-01-02', '--to', '2019-01-02']);
    assert.equal(parity.code, 1);
    assert.match(parity.stderr, /damaged/);
    const missing = join(dir.path, 'no-such-folder', 'x.db');
    const run = await runCli([...base(), '--journal', missing, '--as-of', '2019-01-02']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /the folder of journal .* does not exist/);
    assert.throws(() => statSync(join(dir.path, 'no-such-folder')), /ENOENT/);
  });

  it('a read-only journal is a clear error, not exit 70', async () => {
    const journal = fresh();
    assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-02'])).code, 0);
    // SQLite's own read-only error, as a write on a file without write permission raises it.
    const db = new Database(journal, { readonly: true });
    let raw: unknown;
    try {
      db.exec('DELETE FROM events');
    } catch (error) {
      raw = error;
    }
    db.close();
    const explained = explainSqliteError(raw, journal);
    assert.ok(explained instanceof StorageError && explained.message.startsWith(`${journal} is read-only`));
    if (process.getuid?.() !== 0) {
      chmodSync(journal, 0o444);
      const run = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-03']);
      chmodSync(journal, 0o644);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /read-only/);
    }
  });

  function editBar(symbol: string, edit: (lines: string[]) => string[]): void {
    const file = join(dataDir, `${symbol}.csv`);
    writeFileSync(file, edit(readFileSync(file, 'utf8').trimEnd().split('\n')).join('\n') + '\n');
  }

  it('data revised between cycles halts the next cycle (exit 3) naming symbol, date, old and new value; --accept-revisions goes on and records it', async () => {
    const revisions: [string, () => void, RegExp][] = [
      ['changed close', () => editBar('GLD', (lines) => lines.map((line) => {
        if (!line.startsWith('2018-12-14,')) return line;
        const cells = line.split(',');
        cells[4] = cells[3]; // the low: a revised close that still passes the bar checks
        return cells.join(',');
      })), /GLD 2018-12-14: close was [\d.]+, now [\d.]+/],
      ['deleted bar', () => editBar('MU', (lines) => lines.filter((line) => !line.startsWith('2018-11-01,'))), /MU 2018-11-01: the bar is gone from the data \(it was open /],
      ['swapped file', () => writeFileSync(join(dataDir, 'GOOG.csv'), readFileSync(join(dataDir, 'GLD.csv'))), /GOOG 2018-09-04: (open|high|low|close|volume) was/],
    ];
    for (const [name, revise, expected] of revisions) {
      const journal = fresh();
      assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-02'])).code, 0, name);
      revise();
      const halted = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-04']);
      assert.equal(halted.code, 3, `${name}: ${halted.stderr}`);
      assert.match(halted.stderr, expected, name);
      assert.match(halted.stderr, /--accept-revisions/);
      let reader = Journal.open(journal, { readonly: true });
      assert.equal(reader.lastCycle()?.date, '2019-01-02', `${name}: no cycle ran`);
      reader.close();
      const accepted = await runCli([...base(), '--journal', journal, '--as-of', '2019-01-04', '--accept-revisions']);
      assert.equal(accepted.code, 0, `${name}: ${accepted.stderr}`);
      reader = Journal.open(journal, { readonly: true });
      assert.equal(reader.lastCycle()?.date, '2019-01-04');
      const events = reader.events().filter((event) => event.kind === 'revision accepted');
      reader.close();
      assert.equal(events.length, 1, name);
      assert.match(events[0].message, expected);
      // Accepted once: the next cycle runs on the new data without halting.
      assert.equal((await runCli([...base(), '--journal', journal, '--as-of', '2019-01-07'])).code, 0, name);
      for (const series of bars) writeBars(dataDir, series);
    }
  });

  it('a changed strategy module under the same name halts the next cycle; --accept-revisions records it', async () => {
    const module = join(dir.path, 'my-strategy.ts');
    const source = `import { trendBreakout } from '${join(repositoryRoot, 'src', 'strategies', 'trend-breakout')}';\nexport default trendBreakout();\n`;
    writeFileSync(module, source);
    const journal = fresh();
    const args = [...base(), '--strategy', module, '--journal', journal];
    assert.equal((await runCli([...args, '--as-of', '2019-01-02'])).code, 0);
    assert.equal((await runCli([...args, '--as-of', '2019-01-03'])).code, 0, 'same file: goes on');
    writeFileSync(module, `${source}// tuned\n`);
    const halted = await runCli([...args, '--as-of', '2019-01-04']);
    assert.equal(halted.code, 3, halted.stderr);
    assert.ok(halted.stderr.includes(`the strategy changed: the journal's cycles ran ${module} (sha256 `), halted.stderr);
    assert.equal((await runCli([...args, '--as-of', '2019-01-04', '--accept-revisions'])).code, 0);
    const reader = Journal.open(journal, { readonly: true });
    assert.equal(reader.events().filter((event) => event.kind === 'revision accepted').length, 1);
    reader.close();
  });
});
