import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../../errors';

/**
 * Writes `path` through a temporary file in the same folder, renamed over it when complete:
 * a reader (or a crash) never sees half a file. `produce` gets a `write` that may be called
 * many times, so a large output (every trial of a sweep) is streamed, never built in memory.
 */
export function writeAtomically(path: string, produce: (write: (text: string) => void) => void): void {
  const folder = statSync(dirname(path), { throwIfNoEntry: false });
  if (folder === undefined || !folder.isDirectory()) throw new ConfigError(`cannot write ${path}: the folder ${dirname(path)} does not exist`);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w');
  let pending = '';
  const flush = () => {
    if (pending !== '') writeSync(descriptor, pending);
    pending = '';
  };
  try {
    produce((text) => {
      pending += text;
      if (pending.length > 1 << 16) flush();
    });
    flush();
    fsyncSync(descriptor);
    closeSync(descriptor);
    renameSync(temporary, path);
  } catch (error) {
    try {
      closeSync(descriptor);
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}
