import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { JournalBusyError } from './storage-errors';

/**
 * A lock file beside a database (`FILE.db.lock`) held for a whole run, naming its holder (pid,
 * host, start time) so that a second runner can say who holds it. It is made whole in a temporary
 * file and hard-linked into place: `link` fails if the lock exists, so creating it is atomic and
 * a reader never sees it half written.
 *
 * A lock left by a process that died (same host, pid gone) is taken over: it is first renamed
 * away, and removed only if the renamed file is still the dead holder's (two runners taking over
 * the same stale lock at once: one of them wins, the other finds the winner's lock).
 */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly token: string;
}

export interface HeldLock {
  readonly path: string;
  /** The stale lock this one replaced, described for the user; null if there was none. */
  readonly takenOver: string | null;
  release(): void;
}

function describe(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}`;
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string' || typeof parsed.token !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt), token: parsed.token };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes the lock at `path` if it is still the one of `stale`; true when it was. */
function removeIfStill(path: string, stale: LockHolder): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = readHolder(aside);
  if (moved !== null && moved.token !== stale.token) {
    // Another runner took it over first and this rename moved its fresh lock: put it back.
    try {
      linkSync(aside, path);
    } catch {
      // A third lock appeared meanwhile; that one stands and the moved one is dropped.
    }
  }
  unlinkSync(aside);
  return moved === null || moved.token === stale.token;
}

/** Takes the lock for `what` (named in the messages) or throws JournalBusyError naming the holder. */
export function acquireLockFile(path: string, what: string): HeldLock {
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const temporary = `${path}.${process.pid}-${holder.token}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(holder)}\n`);
  let takenOver: string | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      if (current === null) {
        if (attempt < 3) continue; // released (or replaced) between link and read
        throw new JournalBusyError(`${what} is locked by ${path}, which names no holder; if no runner is running, delete ${path}`);
      }
      const stale = current.host === holder.host && !processAlive(current.pid);
      if (!stale) {
        const self = current.pid === process.pid && current.host === holder.host ? ' (this process: another runner in it holds the journal)' : '';
        throw new JournalBusyError(`${what} is in use by another runner: ${describe(current)}${self} (lock file ${path}); `
          + 'only one runner may write a journal at a time; wait for it to finish'
          + (current.host === holder.host ? '' : `, or, if that process is gone, delete ${path}`));
      }
      if (attempt >= 3) throw new JournalBusyError(`${what}: could not take over the stale lock ${path} (${describe(current)})`);
      if (removeIfStill(path, current)) takenOver = `took over the lock of ${what} left by a runner that is gone (${describe(current)})`;
    }
  } finally {
    unlinkSync(temporary);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (readHolder(path)?.token === holder.token) unlinkSync(path);
  };
  // An exit without close (an uncaught error) still frees the lock; a kill leaves it stale.
  process.on('exit', release);
  return { path, takenOver, release };
}
