import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLockFile } from '../../src/storage/lock-file';
import { JournalBusyError } from '../../src/storage/storage-errors';
import { temporaryDirectory } from '../runner/helpers';

describe('lock file', () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => { dir = temporaryDirectory('lock'); });
  afterEach(() => dir.remove());

  it('names its holder, refuses a second taker with the holder named, and is gone after release', () => {
    const path = join(dir.path, 'j.db.lock');
    const lock = acquireLockFile(path, 'journal j.db');
    const holder = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; host: string };
    assert.deepEqual([holder.pid, holder.host], [process.pid, hostname()]);
    assert.equal(lock.takenOver, null);
    assert.throws(() => acquireLockFile(path, 'journal j.db'), (error: Error) => error instanceof JournalBusyError
      && error.message.startsWith(`journal j.db is in use by another runner: pid ${process.pid} on ${hostname()}`));
    lock.release();
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(dir.path), [], 'no temporary file left');
  });

  it('a dead holder on this host is taken over once: the next taker finds the new holder', () => {
    const path = join(dir.path, 'j.db.lock');
    writeFileSync(path, JSON.stringify({ pid: 99_999_999, host: hostname(), startedAt: 'then', token: 'dead' }));
    const lock = acquireLockFile(path, 'journal j.db');
    assert.match(lock.takenOver ?? '', /left by a runner that is gone \(pid 99999999 on .*, since then\)/);
    assert.throws(() => acquireLockFile(path, 'journal j.db'), JournalBusyError);
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid, process.pid);
    lock.release();
    assert.deepEqual(readdirSync(dir.path), []);
  });

  it('a lock file that names no holder is refused with the path to delete', () => {
    const path = join(dir.path, 'j.db.lock');
    writeFileSync(path, '');
    assert.throws(() => acquireLockFile(path, 'journal j.db'), (error: Error) => error instanceof JournalBusyError && error.message.includes(`delete ${path}`));
  });
});
