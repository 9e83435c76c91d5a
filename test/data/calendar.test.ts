import assert from 'node:assert/strict';
import { barSeriesFromRows } from '../../src/data/bars';
import { unionCalendar } from '../../src/data/calendar';
import { unionCalendar as engineUnionCalendar } from '../../src/engine/backtest';
import { unionCalendar as packageUnionCalendar } from '../../src/index';

function series(symbol: string, dates: string[]) {
  return barSeriesFromRows(symbol, dates.map((date) => ({ date, open: 1, high: 1, low: 1, close: 1, volume: 0 })));
}

describe('calendar: unionCalendar', () => {
  it('merges ascending series into one ascending list without duplicates', () => {
    const a = series('A', ['2024-01-02', '2024-01-04', '2024-01-05']);
    const b = series('B', ['2024-01-03', '2024-01-04', '2024-01-08']);
    const c = series('C', []);
    assert.deepEqual(unionCalendar([a, b, c]), ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
  });

  it('sorts the distinct dates when a series built by hand is not ascending', () => {
    const a = { ...series('A', ['2024-01-02', '2024-01-03']), dates: ['2024-01-05', '2024-01-02'] };
    const b = series('B', ['2024-01-02', '2024-01-04']);
    assert.deepEqual(unionCalendar([b, a]), ['2024-01-02', '2024-01-04', '2024-01-05']);
  });

  it('is the same function through the engine and the package entry', () => {
    assert.equal(engineUnionCalendar, unionCalendar);
    assert.equal(packageUnionCalendar, unionCalendar);
  });
});
