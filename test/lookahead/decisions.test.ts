/** How two runs' decisions are compared: bit-identical values, matched by date and symbol, only up to the cut. */
import assert from 'node:assert/strict';
import type { DatedIntent, Order } from '../../src/index';
import { firstChangedDecision } from '../../src/lookahead';
import { firstDifference, sameValue } from '../../src/lookahead/values';

const enter = (date: string, symbol: string, score: number, reason = 'score > 0'): DatedIntent => ({
  date,
  intent: { kind: 'enter', symbol, reason, factors: { momentum: 0.01, breakout: 0.02, score } },
});
const order = (decisionDate: string, symbol: string, shares: number): Order => ({
  id: `s-${symbol}-${decisionDate}-buy`,
  symbol,
  side: 'buy',
  shares,
  decisionDate,
  intent: 'enter',
  reason: 'score > 0',
  factors: {},
});

describe('lookahead: comparing decisions', function () {
  it('values: numbers bit for bit (NaN equals NaN, 0 differs from -0), objects by key in any order', function () {
    assert.equal(sameValue({ a: Number.NaN, b: [1, 2] }, { b: [1, 2], a: Number.NaN }), true);
    assert.equal(sameValue({ a: 0 }, { a: -0 }), false);
    assert.equal(sameValue({ a: 0.1 + 0.2 }, { a: 0.3 }), false);
    assert.equal(sameValue(new Float64Array([1, 2]), new Float64Array([1, 2])), true);
    assert.equal(sameValue({ a: undefined }, {}), true);
    assert.deepEqual(firstDifference({ x: { b: 1, a: [1, 2] } }, { x: { a: [1, 3], b: 2 } }), { path: 'x.a[1]', a: 2, b: 3 });
  });

  it('finds nothing when the decisions up to the cut agree, whatever happens after it', function () {
    const reference = { intents: [enter('2024-01-02', 'AAA', 0.1), enter('2024-01-05', 'AAA', 0.2)], orders: [order('2024-01-02', 'AAA', 10), order('2024-01-05', 'AAA', 5)] };
    const perturbed = { intents: [enter('2024-01-02', 'AAA', 0.1), enter('2024-01-04', 'BBB', 0.5)], orders: [order('2024-01-02', 'AAA', 10), order('2024-01-04', 'BBB', 7)] };
    assert.equal(firstChangedDecision(reference, perturbed, '2024-01-03'), null);
    assert.notEqual(firstChangedDecision(reference, perturbed, '2024-01-04'), null);
  });

  it('names the first differing field, down to the last bit of a factor value', function () {
    const reference = { intents: [enter('2024-01-02', 'AAA', 0.1), enter('2024-01-03', 'BBB', 0.3)], orders: [] };
    const perturbed = { intents: [enter('2024-01-02', 'AAA', 0.1), enter('2024-01-03', 'BBB', 0.30000000000000004)], orders: [] };
    const finding = firstChangedDecision(reference, perturbed, '2024-01-03');
    assert.deepEqual(
      { symbol: finding?.symbol, date: finding?.date, subject: finding?.subject, expected: finding?.expected, actual: finding?.actual },
      { symbol: 'BBB', date: '2024-01-03', subject: 'enter intent field "intent.factors.score"', expected: 0.3, actual: 0.30000000000000004 },
    );
    assert.match(finding?.explanation ?? '', /on or before the cut 2024-01-03/);
  });

  it('an extra decision is reported as such, without misaligning the ones after it', function () {
    const reference = { intents: [enter('2024-01-02', 'BBB', 0.1), enter('2024-01-03', 'AAA', 0.2)], orders: [] };
    const perturbed = { intents: [enter('2024-01-02', 'AAA', 0.9, 'extra'), enter('2024-01-02', 'BBB', 0.1), enter('2024-01-03', 'AAA', 0.2)], orders: [] };
    const finding = firstChangedDecision(reference, perturbed, '2024-01-09');
    assert.deepEqual(
      { symbol: finding?.symbol, date: finding?.date, subject: finding?.subject, expected: finding?.expected, actual: finding?.actual },
      { symbol: 'AAA', date: '2024-01-02', subject: 'enter intent', expected: 'no decision', actual: 'enter: extra' },
    );
    const missing = firstChangedDecision(perturbed, reference, '2024-01-09');
    assert.equal(missing?.expected, 'enter: extra');
    assert.equal(missing?.actual, 'no decision');
  });

  it('compares orders too: same intents, a different share count', function () {
    const intents = [enter('2024-01-02', 'AAA', 0.1)];
    const finding = firstChangedDecision({ intents, orders: [order('2024-01-02', 'AAA', 10)] }, { intents, orders: [order('2024-01-02', 'AAA', 11)] }, '2024-01-02');
    assert.equal(finding?.subject, 'buy order field "shares"');
    assert.equal(finding?.expected, 10);
    assert.equal(finding?.actual, 11);
  });
});
