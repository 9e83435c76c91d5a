import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors';
import { writeFileAtomic } from '../../src/storage/atomic-file';
import { temporaryDirectory } from '../runner/helpers';

describe('writeFileAtomic', () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => { dir = temporaryDirectory('atomic'); });
  afterEach(() => dir.remove());

  it('writes a new file and replaces an old one whole, leaving no temporary file', () => {
    const file = join(dir.path, 'report.html');
    writeFileAtomic(file, 'first');
    assert.equal(readFileSync(file, 'utf8'), 'first');
    writeFileAtomic(file, Buffer.from('second, longer'));
    assert.equal(readFileSync(file, 'utf8'), 'second, longer');
    assert.deepEqual(readdirSync(dir.path), ['report.html']);
  });

  it('a failure in the middle of the write leaves the old file intact and removes the temporary file', () => {
    const file = join(dir.path, 'out.json');
    writeFileSync(file, '{"old":true}');
    const original = fs.writeSync;
    let calls = 0;
    // The disk fills after the first chunk: a partial write, then ENOSPC.
    (fs as { writeSync: unknown }).writeSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      calls++;
      if (calls === 1) return original(fd, buffer, offset, Math.min(length, 3));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    try {
      assert.throws(() => writeFileAtomic(file, 'x'.repeat(1000)), (error: Error) => error instanceof ConfigError && /disk is full/.test(error.message) && error.message.includes(file));
    } finally {
      (fs as { writeSync: unknown }).writeSync = original;
    }
    assert.equal(calls, 2);
    assert.equal(readFileSync(file, 'utf8'), '{"old":true}');
    assert.deepEqual(readdirSync(dir.path), ['out.json']);
  });

  it('a missing folder or a path that is a folder is a ConfigError naming it', () => {
    const missing = join(dir.path, 'nope', 'out.csv');
    assert.throws(() => writeFileAtomic(missing, 'a'), (error: Error) => error instanceof ConfigError && error.message.includes(join(dir.path, 'nope')));
    assert.equal(existsSync(join(dir.path, 'nope')), false);
    const folder = join(dir.path, 'folder');
    mkdirSync(folder);
    assert.throws(() => writeFileAtomic(folder, 'a'), (error: Error) => error instanceof ConfigError && error.message.includes(`${folder}: it is a folder`));
  });
});
