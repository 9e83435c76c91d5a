import { ConfigError } from '../../errors';

/**
 * Walk-forward folds over a calendar of bars. Lengths are in bars, or with a unit: `d` (bars),
 * `w` (5 bars), `m` (21 bars), `y` (252 bars): trading days, so a fold is the same length in
 * every year and the folds never depend on holidays. Rolling: the training window slides by the
 * test length; anchored: it always starts at the first bar. Each test window follows its training
 * window directly; the last fold's test window may be shorter (the data ends), never empty.
 */
export interface Fold {
  readonly index: number;
  readonly trainFrom: string;
  readonly trainTo: string;
  readonly testFrom: string;
  readonly testTo: string;
}

const unitBars: Record<string, number> = { d: 1, w: 5, m: 21, y: 252 };

/** `252`, `3y`, `6m`, `10w`, `30d` as a number of bars; anything else names the option. */
export function parseBarLength(text: string, option: string): number {
  const match = /^(\d+)([dwmy]?)$/.exec(text.trim());
  if (match === null) throw new ConfigError(`${option}: expected a number of bars or a length such as 3y, 6m, 10w, got "${text}"`);
  const bars = Number(match[1]) * unitBars[match[2] === '' ? 'd' : match[2]];
  if (!Number.isSafeInteger(bars) || bars < 1) throw new ConfigError(`${option}: must be at least one bar, got "${text}"`);
  return bars;
}

export function planFolds(calendar: readonly string[], train: number, test: number, anchored: boolean): Fold[] {
  if (train + 1 > calendar.length) {
    throw new ConfigError(`walk-forward: ${calendar.length} bars from ${calendar[0] ?? '-'} to ${calendar.at(-1) ?? '-'} are not enough for a training window of ${train} bars and a test window`);
  }
  const folds: Fold[] = [];
  for (let testStart = train; testStart < calendar.length; testStart += test) {
    const trainStart = anchored ? 0 : testStart - train;
    const testEnd = Math.min(calendar.length, testStart + test) - 1;
    folds.push({
      index: folds.length,
      trainFrom: calendar[trainStart],
      trainTo: calendar[testStart - 1],
      testFrom: calendar[testStart],
      testTo: calendar[testEnd],
    });
  }
  return folds;
}
