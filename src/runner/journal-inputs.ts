import type { StatementCache } from '../storage/statement-cache';
import type { InputBar } from './journal-rows';
import type { JournalWriter } from './journal-writes';

/** The SQL of the inputs tables (schema version 1): reads and the one write of a cycle's inputs. */
export interface InputsChange {
  readonly strategy: string;
  readonly bars: readonly { symbol: string; replaceFrom: string | null; rows: readonly InputBar[]; chain: string | null }[];
  /** Revisions accepted by this cycle (recorded as an event). */
  readonly accepted: readonly string[];
}

export function lastInputBar(statement: StatementCache, symbol: string): { date: string; chain: string } | null {
  return (statement('SELECT date, chain FROM input_bars WHERE symbol = ? ORDER BY date DESC LIMIT 1').get(symbol) as { date: string; chain: string } | undefined) ?? null;
}

export function inputBars(statement: StatementCache, symbol: string): InputBar[] {
  return statement('SELECT date, open, high, low, close, volume, chain FROM input_bars WHERE symbol = ? ORDER BY date').all(symbol) as InputBar[];
}

export function lastStrategyFingerprint(statement: StatementCache): string | null {
  return (statement('SELECT strategy FROM cycle_inputs ORDER BY date DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
}

export function recordInputs(writer: JournalWriter, date: string, change: InputsChange): void {
  const { statement } = writer;
  writer.transaction(`inputs ${date}`, () => {
    const insert = statement('INSERT OR REPLACE INTO input_bars (symbol, date, open, high, low, close, volume, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const chains: Record<string, string | null> = {};
    for (const one of change.bars) {
      if (one.replaceFrom !== null) statement('DELETE FROM input_bars WHERE symbol = ? AND date >= ?').run(one.symbol, one.replaceFrom);
      for (const bar of one.rows) insert.run(one.symbol, bar.date, bar.open, bar.high, bar.low, bar.close, bar.volume, bar.chain);
      chains[one.symbol] = one.chain;
    }
    statement('INSERT OR REPLACE INTO cycle_inputs (date, strategy, bars, recorded_at) VALUES (?, ?, ?, ?)')
      .run(date, change.strategy, JSON.stringify(chains), new Date().toISOString());
    if (change.accepted.length > 0) {
      statement('INSERT INTO events (at, date, kind, message) VALUES (?, ?, ?, ?)')
        .run(new Date().toISOString(), date, 'revision accepted', change.accepted.join('\n'));
    }
  });
}
