/** Shared by the `aq sweep` / `aq walk-forward` tests: in-process runs, grid files, ledger rows. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { CommandIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';

export async function aq(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), interactive: false };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

export const universe = resolve('data/universe.yaml');

/** Writes a grid file over data/sample (3 symbols) and returns its path. */
export function gridFile(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

export function smallGrid(dir: string, name = 'grid.yaml'): string {
  return gridFile(dir, name, `strategy: trend-breakout
parameters:
  roc: [10, 30]
  stop: [1.5, 3]
  momentum: 0.6
universe: ${universe}
from: 2017-01-03
to: 2019-12-31
options: { cash: 50000, sizing: fixed-risk, commission: 0.005 }
`);
}

/** Every row of a ledger file (meta and trials), read with SQLite directly. */
export function ledgerRows(path: string): { meta: unknown[]; trials: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      meta: db.prepare('SELECT key, value FROM meta ORDER BY key').all(),
      trials: db.prepare('SELECT trial, grid_index, parameters, metrics, final_equity, returns FROM trials ORDER BY trial').all(),
    };
  } finally {
    db.close();
  }
}
