import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { barSeriesFromRows } from '../../src/data/bars';
import { DuplicateClientOrderIdError, OrderRejectedError } from '../../src/brokers/broker';
import { PaperBroker } from '../../src/brokers/paper-broker';

/**
 * The paper broker on hand-made bars: which open fills an order, at what price, and what the
 * cash allows. Every number below is computed by hand from the bars.
 */
describe('paper broker', () => {
  // A trades every day; B has no bar on 01-03 (its order waits for 01-04).
  const a = barSeriesFromRows('A', [
    { date: '2024-01-02', open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
    { date: '2024-01-03', open: 10.2, high: 10.8, low: 10, close: 10.4, volume: 100 },
    { date: '2024-01-04', open: 10.6, high: 10.9, low: 10.1, close: 10.3, volume: 100 },
  ]);
  const b = barSeriesFromRows('B', [
    { date: '2024-01-02', open: 50, high: 51, low: 49, close: 50, volume: 100 },
    { date: '2024-01-04', open: 52, high: 53, low: 51, close: 52.5, volume: 100 },
  ]);
  let clock: string;
  let db: Database.Database;
  const broker = (cash = 1_000, costs = { commissionPerShare: 0, minimumCommission: 0, slippageBps: 0 }) =>
    new PaperBroker(db, { universe: ['A', 'B'], costs, startingCash: cash, bars: [a, b], clock: () => clock });
  const order = (id: string, symbol: string, side: 'buy' | 'sell', shares: number) => ({ clientOrderId: id, symbol, side, shares, timeInForce: 'opg' as const });

  beforeEach(() => {
    db = new Database(':memory:');
    clock = '2024-01-02';
  });

  afterEach(() => db.close());

  it('fills a market order at the open of the next bar, not before', async () => {
    const paper = broker();
    await paper.submitOrder(order('a-buy', 'A', 'buy', 50));
    assert.equal((await paper.getOrderByClientId('a-buy'))?.status, 'accepted');
    clock = '2024-01-03';
    assert.deepEqual(await paper.getOrderByClientId('a-buy'), {
      id: 'paper-1', clientOrderId: 'a-buy', symbol: 'A', side: 'buy', shares: 50, filledShares: 50,
      filledAveragePrice: 10.2, status: 'filled', filledDate: '2024-01-03', commission: 0,
    });
    assert.deepEqual(await paper.listPositions(), [{ symbol: 'A', shares: 50, averageEntryPrice: 10.2 }]);
    assert.equal((await paper.getAccount()).cash, 1_000 - 50 * 10.2);
  });

  it('an order for a symbol without a bar waits for its next bar', async () => {
    const paper = broker();
    await paper.submitOrder(order('b-buy', 'B', 'buy', 10));
    clock = '2024-01-03';
    assert.equal((await paper.getOrderByClientId('b-buy'))?.status, 'accepted');
    assert.deepEqual((await paper.listOpenOrders()).map((o) => o.clientOrderId), ['b-buy']);
    clock = '2024-01-04';
    const filled = await paper.getOrderByClientId('b-buy');
    assert.deepEqual([filled?.status, filled?.filledAveragePrice, filled?.filledDate], ['filled', 52, '2024-01-04']);
  });

  it('cuts entries to the cash at the open, sells first, then universe order; charges commission and slippage', async () => {
    const paper = broker(600, { commissionPerShare: 0.01, minimumCommission: 1, slippageBps: 100 });
    // Day 1: buy 20 A; fills 01-03 at 10.2 * 1.01 = 10.302 (inside 10..10.8), commission max(0.2, 1) = 1.
    await paper.submitOrder(order('a1', 'A', 'buy', 20));
    clock = '2024-01-03';
    await paper.listPositions();
    const cashAfterA = 600 - (20 * 10.302 + 1);
    assert.equal((await paper.getAccount()).cash, cashAfterA);
    // Day 2: buy 15 B (waits to 01-04), sell the 20 A; on 01-04 the sale comes first:
    // A at 10.6 * 0.99 = 10.494 brings 20 * 10.494 - 1; B at 52 * 1.01 = 52.52 (inside 51..53).
    await paper.submitOrder(order('b1', 'B', 'buy', 15));
    await paper.submitOrder(order('a2', 'A', 'sell', 20));
    clock = '2024-01-04';
    const cashBeforeB = cashAfterA + (20 * 10.494 - 1);
    const affordable = Math.floor(cashBeforeB / (52.52 + 0.01));
    assert.equal(affordable, 11, `${affordable} shares affordable`);
    const b1 = await paper.getOrderByClientId('b1');
    assert.deepEqual([b1?.status, b1?.filledShares, b1?.filledAveragePrice, b1?.commission], ['canceled', affordable, 52.52, 1]);
    assert.equal((await paper.getOrderByClientId('a2'))?.filledAveragePrice, 10.494);
    assert.equal((await paper.getAccount()).cash, cashBeforeB - (affordable * 52.52 + 1));
  });

  it('refuses a second order with the same client order id, and a symbol it has no data for', async () => {
    const paper = broker();
    await paper.submitOrder(order('same', 'A', 'buy', 1));
    await assert.rejects(paper.submitOrder(order('same', 'A', 'buy', 1)), DuplicateClientOrderIdError);
    await assert.rejects(paper.submitOrder(order('zz', 'ZZ', 'buy', 1)), OrderRejectedError);
    assert.equal((await paper.listOpenOrders()).length, 1);
  });

  it('keeps its books across instances (it is journal-backed)', async () => {
    await broker().submitOrder(order('a-buy', 'A', 'buy', 5));
    clock = '2024-01-03';
    const again = broker(999_999);
    assert.deepEqual(await again.listPositions(), [{ symbol: 'A', shares: 5, averageEntryPrice: 10.2 }]);
    assert.equal((await again.getAccount()).cash, 1_000 - 51);
  });
});
