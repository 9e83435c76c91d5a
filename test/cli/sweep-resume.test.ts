/**
 * A sweep killed with SIGKILL part way (a real `aq sweep` child process) and started again ends
 * with exactly the ledger of a run straight through: nothing lost, nothing run twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { aq, gridFile, ledgerRows, universe } from './sweep-support';

function trialsIn(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT COUNT(*) FROM trials').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('aq sweep: killed and resumed', function () {
  this.timeout(300_000);

  it('SIGKILL mid-run, then a restart: the same ledger as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aq-sweep-kill-'));
    const grid = gridFile(dir, 'grid.yaml', `parameters:\n  roc: [10, 20, 30]\n  stop: [1.5, 2, 2.5, 3]\nuniverse: ${universe}\nfrom: 2016-01-04\nto: 2019-12-31\n`);
    const killed = join(dir, 'killed.db');
    const child = spawn(process.execPath, ['-r', 'ts-node/register', resolve('src/cli/main.ts'), 'sweep', '--grid', grid, '--ledger', killed, '--workers', '1'], {
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    let seen = 0;
    while (seen < 3) {
      await new Promise((wait) => setTimeout(wait, 25));
      seen = trialsIn(killed);
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const atKill = trialsIn(killed);
    assert.ok(atKill >= 3 && atKill < 12, `killed after ${atKill} of 12 trials`);

    const resumed = await aq(['sweep', '--grid', grid, '--ledger', killed, '--workers', '2']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.err, new RegExp(`^sweep: ${atKill}/12 trials`));
    const straight = join(dir, 'straight.db');
    const whole = await aq(['sweep', '--grid', grid, '--ledger', straight, '--workers', '1']);
    assert.equal(whole.code, 0, whole.err);
    assert.deepEqual(ledgerRows(killed), ledgerRows(straight));
    assert.equal(ledgerRows(straight).trials.length, 12);
  });
});
