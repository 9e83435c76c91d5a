/**
 * Where a report's numbers came from: the exact data files (by content hash), the library
 * version and commit, and the configuration. Everything here is a pure function of its inputs
 * except the git lookup, which reads the repository the library runs from.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DataError } from '../errors';

export interface DataFileProvenance {
  readonly symbol: string;
  /** Relative to the working directory when the file is under it, else absolute. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface Provenance {
  readonly libraryVersion: string;
  /** `git rev-parse HEAD` of the library's checkout, or "unknown" (an installed package, no git). */
  readonly gitCommit: string;
  readonly nodeVersion: string;
  /** The command that produced the report, when there is one. */
  readonly command?: string;
  readonly dataFiles: readonly DataFileProvenance[];
  /** Every setting of the run (JSON-serialisable), shown verbatim. */
  readonly config: Readonly<Record<string, unknown>>;
}

export function fileSha256(path: string): { sha256: string; bytes: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DataError(`cannot read data file for its checksum: ${(error as Error).message}`, path);
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** The folder holding the library's package.json (the repository root in a checkout). */
export function libraryRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'aq-research') return dir;
      } catch {
        // An unreadable package.json is not ours: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`aq-research: package.json not found above ${__dirname}`);
    dir = parent;
  }
}

export function libraryVersion(): string {
  return (JSON.parse(readFileSync(join(libraryRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** HEAD of the git checkout at `dir`, or "unknown" when git or the repository is missing. */
export function gitCommit(dir = libraryRoot()): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString().trim();
    return /^[0-9a-f]{40}$/.test(head) ? head : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A path inside the working folder as a relative path (the same on every machine), else as given. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relativePath = relative(cwd, file);
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath.split(sep).join('/') : file;
}

export function collectProvenance(input: {
  /** Symbol -> data file (a `Universe`'s `files`). */
  readonly files: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly command?: string;
  readonly cwd?: string;
}): Provenance {
  const cwd = input.cwd ?? process.cwd();
  return {
    libraryVersion: libraryVersion(),
    gitCommit: gitCommit(),
    nodeVersion: process.version,
    command: input.command,
    dataFiles: Object.entries(input.files).map(([symbol, file]) => ({ symbol, path: displayPath(file, cwd), ...fileSha256(file) })),
    config: input.config,
  };
}
