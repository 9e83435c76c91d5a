/** The fill audit on hand-made bars and fills: each rule, and the first bad fill in list order. */
import assert from 'node:assert/strict';
import { barSeriesFromRows } from '../../src/data/bars';
import { auditFills, type AuditedFill } from '../../src/lookahead';

describe('lookahead: fill audit', function () {
  // Two symbols on different calendars: BBB has no bar on 01-06.
  const aaa = barSeriesFromRows('AAA', [
    { date: '2024-01-04', open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
    { date: '2024-01-05', open: 10.6, high: 12, low: 10.2, close: 11, volume: 100 },
    { date: '2024-01-08', open: 11, high: 11.5, low: 10.8, close: 11.2, volume: 100 },
  ]);
  const bbb = barSeriesFromRows('BBB', [
    { date: '2024-01-04', open: 20, high: 21, low: 19, close: 20.5, volume: 100 },
    { date: '2024-01-08', open: 20.4, high: 20.9, low: 20.1, close: 20.8, volume: 100 },
  ]);
  const bars = [aaa, bbb];
  const good: AuditedFill[] = [
    { symbol: 'AAA', decisionDate: '2024-01-04', date: '2024-01-05', price: 10.6, side: 'buy', orderId: 'a1' },
    // BBB's next bar after 01-04 is 01-08 (it has none on 01-05): filled there, at its low.
    { symbol: 'BBB', decisionDate: '2024-01-04', date: '2024-01-08', price: 20.1, side: 'buy', orderId: 'b1' },
    { symbol: 'AAA', decisionDate: '2024-01-05', date: '2024-01-08', price: 11.5, side: 'sell', orderId: 'a2' },
  ];

  it('passes fills on the next bar inside its low..high (bounds included)', function () {
    const result = auditFills(good, bars);
    assert.equal(result.passed, true);
    assert.equal(result.finding, null);
    assert.match(result.coverage, /^3 fills:/);
  });

  it('flags a fill on its decision bar (at the signal close): the lookahead of a vectorised backtest', function () {
    const fills = [...good, { ...good[0], date: '2024-01-04', price: 10.5 }];
    const result = auditFills(fills, bars);
    assert.equal(result.passed, false);
    assert.deepEqual(
      { symbol: result.finding?.symbol, date: result.finding?.date, subject: result.finding?.subject, expected: result.finding?.expected, actual: result.finding?.actual },
      { symbol: 'AAA', date: '2024-01-04', subject: 'buy a1 fill date', expected: 'after 2024-01-04', actual: '2024-01-04' },
    );
  });

  it('flags a fill before its decision', function () {
    const result = auditFills([{ ...good[2], date: '2024-01-04' }], bars);
    assert.equal(result.finding?.subject, 'sell a2 fill date');
    assert.equal(result.finding?.actual, '2024-01-04');
  });

  it('flags a fill later than the next bar, and a fill on a date the symbol has no bar', function () {
    const late = auditFills([{ ...good[0], date: '2024-01-08', price: 11 }], bars);
    assert.equal(late.finding?.expected, '2024-01-05');
    assert.equal(late.finding?.actual, '2024-01-08');
    const noBar = auditFills([{ ...good[1], date: '2024-01-05', price: 20.5 }], bars);
    assert.equal(noBar.finding?.expected, '2024-01-08');
  });

  it('flags a price outside the fill bar\'s low..high, by the smallest step', function () {
    const above = auditFills([{ ...good[2], price: 11.500000000000002 }], bars);
    assert.equal(above.finding?.expected, '10.8..11.5');
    assert.equal(above.finding?.actual, 11.500000000000002);
    assert.equal(auditFills([{ ...good[1], price: 20.099999999999998 }], bars).passed, false);
    assert.equal(auditFills([{ ...good[1], price: Number.NaN }], bars).passed, false);
  });

  it('flags a decision date that is not a bar of the symbol, an unknown symbol, and a fill whose order says otherwise', function () {
    assert.equal(auditFills([{ ...good[1], decisionDate: '2024-01-05', date: '2024-01-08' }], bars).finding?.subject, 'buy b1 decision date');
    assert.equal(auditFills([{ ...good[0], symbol: 'ZZZ' }], bars).finding?.subject, 'buy a1 symbol');
    const order = { id: 'a1', symbol: 'AAA', side: 'buy' as const, shares: 1, decisionDate: '2024-01-03', intent: 'enter' as const, reason: '', factors: {} };
    assert.equal(auditFills([good[0]], bars, [order]).finding?.expected, '2024-01-03');
  });

  it('reports the first bad fill in list order', function () {
    const result = auditFills([good[0], { ...good[2], price: 99 }, { ...good[1], date: '2024-01-04' }], bars);
    assert.equal(result.finding?.symbol, 'AAA');
    assert.equal(result.finding?.actual, 99);
  });
});
