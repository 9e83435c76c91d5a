import assert from 'node:assert/strict';
import type { Order } from '../../src/orders/order';
import type { Fill } from '../../src/orders/order';
import { Journal } from '../../src/runner/journal';

/**
 * The journal's named queries on an in-memory journal with hand-written orders and fills: which
 * rows each one returns, in which order, after which status changes.
 */
describe('journal: named queries', () => {
  let journal: Journal;

  const order = (id: string, symbol: string, decisionDate: string): Order => ({
    id, symbol, side: 'buy', shares: 10, decisionDate, intent: 'enter', reason: 'test', factors: { momentum: 1 },
  });
  const fill = (orderId: string, symbol: string, date: string, decisionDate: string, price: number): Fill => ({
    orderId, symbol, side: 'buy', shares: 10, price, commission: 1, date, decisionDate,
  });
  const decide = (date: string, orders: Order[]) => journal.recordDecision(date, {
    decisions: [], orders, rejections: [], equity: 1_000, cash: 1_000, positionValue: 0, portfolio: journal.portfolio(),
  });
  const ids = (entries: { order: Order }[]) => entries.map((entry) => entry.order.id);

  beforeEach(() => {
    journal = Journal.open(':memory:');
    journal.initialize({ strategy: 'test' }, 1_000);
    journal.startCycle('2024-01-02');
    decide('2024-01-02', [order('a-1', 'A', '2024-01-02'), order('b-1', 'B', '2024-01-02')]);
    journal.finishCycle('2024-01-02');
    journal.startCycle('2024-01-03');
  });

  afterEach(() => journal.close());

  it('ordersForDate and ordersToSendForDate follow the decision date and the order status', () => {
    assert.deepEqual(ids(journal.ordersForDate('2024-01-02')), ['a-1', 'b-1']);
    assert.deepEqual(ids(journal.ordersForDate('2024-01-03')), []);
    journal.markSending('a-1');
    assert.deepEqual(ids(journal.ordersToSendForDate('2024-01-02')), ['a-1', 'b-1']);
    journal.markSubmitted('a-1', 'broker-1', 'accepted');
    assert.deepEqual(ids(journal.ordersToSendForDate('2024-01-02')), ['b-1']);
    assert.deepEqual(ids(journal.activeOrders()), ['a-1', 'b-1']);
    assert.deepEqual(journal.order('a-1')?.brokerOrderId, 'broker-1');
    assert.equal(journal.order('missing'), null);
  });

  it('fillsForDate returns the fills of one open in the order they were applied; fills() all of them', () => {
    journal.markSubmitted('a-1', 'broker-1', 'accepted');
    journal.markSubmitted('b-1', 'broker-2', 'accepted');
    const portfolio = journal.portfolio();
    journal.recordFills('2024-01-03', {
      fills: [fill('b-1', 'B', '2024-01-03', '2024-01-02', 20), fill('a-1', 'A', '2024-01-04', '2024-01-02', 10)],
      trades: [],
      orderUpdates: [{ id: 'b-1', status: 'filled', brokerStatus: 'filled', filledShares: 10, filledValue: 200 }],
      rejections: [],
      portfolio,
    });
    assert.deepEqual(journal.fillsForDate('2024-01-03').map((f) => [f.orderId, f.price]), [['b-1', 20]]);
    assert.deepEqual(journal.fills().map((f) => f.orderId), ['b-1', 'a-1']);
    assert.deepEqual(ids(journal.activeOrders()), ['a-1']);
    assert.equal(journal.cycle('2024-01-03')?.status, 'filled');
    assert.equal(journal.previousEquity('2024-01-03'), 1_000);
  });
});
