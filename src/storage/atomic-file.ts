import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors';

/**
 * Writes a whole file or nothing: the data goes to a temporary file in the same folder (a rename
 * is atomic only within one file system), which is fsynced, renamed over `path`, and the folder
 * fsynced so the rename itself survives a power cut. A killed process or a full disk leaves the
 * old file as it was (and at worst a `.tmp` file beside it), never a cut one.
 *
 * Not the write-file-atomic package: it fsyncs the file but not the folder, and cannot stream.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFileAtomicStreamed(path, (write) => write(data));
}

/**
 * `writeFileAtomic` for output produced in pieces (every trial of a sweep): `produce` calls
 * `write` as often as it likes, and text is buffered in blocks, so a large output is never
 * built whole in memory.
 */
export function writeFileAtomicStreamed(path: string, produce: (write: (data: string | Uint8Array) => void) => void): void {
  const folder = dirname(path);
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (folderStat === undefined) throw new ConfigError(`cannot write ${path}: the folder ${folder} does not exist`);
  if (!folderStat.isDirectory()) throw new ConfigError(`cannot write ${path}: ${folder} is not a folder`);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) throw new ConfigError(`cannot write ${path}: it is a folder`);
  const temporary = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let descriptor: number | null = null;
  try {
    descriptor = openSync(temporary, 'wx', 0o644);
    const fd = descriptor;
    const writeBytes = (bytes: Uint8Array) => {
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    };
    let pending = '';
    const flush = () => {
      if (pending !== '') writeBytes(Buffer.from(pending, 'utf8'));
      pending = '';
    };
    produce((data) => {
      if (typeof data === 'string') {
        pending += data;
        if (pending.length > 1 << 16) flush();
      } else {
        flush();
        writeBytes(data);
      }
    });
    flush();
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = null;
    renameSync(temporary, path);
  } catch (error) {
    if (descriptor !== null) closeSync(descriptor);
    try {
      unlinkSync(temporary);
    } catch {
      // Never created, or already renamed.
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new ConfigError(`cannot write ${path}: the disk is full; the old file is unchanged`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new ConfigError(`cannot write ${path}: no permission to write in ${folder}`);
    throw error;
  }
  const folderDescriptor = openSync(folder, 'r');
  try {
    fsyncSync(folderDescriptor);
  } finally {
    closeSync(folderDescriptor);
  }
}
