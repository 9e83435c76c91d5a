import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AlpacaBroker, brokerOrderFromAlpaca, newYorkDateOf } from '../../src/brokers/alpaca/alpaca-broker';
import { backoffDelay, createAlpacaClient, type AlpacaClient, type AlpacaOrder } from '../../src/brokers/alpaca/client';
import { BrokerUnavailableError, DuplicateClientOrderIdError, OrderRejectedError } from '../../src/brokers/broker';
import { redact } from '../../src/brokers/redact';
import { FakeAlpacaServer, fixture } from './fake-alpaca-server';

const keyId = 'PKTESTKEYID0123456789';
const secretKey = 'sEcReT/KeY+0123456789abcdefABCDEF0123456';

describe('Alpaca client and broker (local fake server)', () => {
  let server: FakeAlpacaServer;
  let sleeps: number[];
  let client: AlpacaClient;
  let broker: AlpacaBroker;

  beforeEach(async () => {
    server = new FakeAlpacaServer(keyId, secretKey);
    await server.start();
    sleeps = [];
    client = createAlpacaClient({
      baseUrl: server.url,
      dataUrl: server.url,
      credentials: { keyId, secretKey },
      timeoutMs: 300,
      sleep: async (ms) => { sleeps.push(ms); },
      random: () => 0.5,
    });
    broker = new AlpacaBroker(client, { name: 'alpaca-paper' });
  });

  afterEach(() => server.stop());

  const request = { clientOrderId: 'trend-breakout-MU-2019-06-03-buy', symbol: 'MU', side: 'buy' as const, shares: 865, timeInForce: 'opg' as const };

  it('parses the documented order, position and account shapes', async () => {
    const filled = brokerOrderFromAlpaca(fixture<AlpacaOrder>('order-filled.json'));
    assert.deepEqual(filled, {
      id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
      clientOrderId: 'trend-breakout-MU-2019-06-03-buy',
      symbol: 'MU',
      side: 'buy',
      shares: 865,
      filledShares: 865,
      filledAveragePrice: 38.52,
      status: 'filled',
      filledDate: '2019-06-04',
      commission: null,
    });
    const partial = brokerOrderFromAlpaca(fixture<AlpacaOrder>('order-partially-filled-canceled.json'));
    assert.deepEqual([partial.status, partial.shares, partial.filledShares, partial.filledAveragePrice], ['canceled', 100, 40, 124.31]);
    server.addPosition('MU', 865, 38.52);
    assert.deepEqual(await broker.listPositions(), [{ symbol: 'MU', shares: 865, averageEntryPrice: 38.52 }]);
    assert.deepEqual(await broker.getAccount(), { cash: 100000, equity: 100000 + 865 * 38.52, buyingPower: 200000, status: 'ACTIVE', tradingBlocked: false });
  });

  it('dates a fill in New York time (an evening fill in UTC is still the same session)', () => {
    assert.equal(newYorkDateOf('2019-06-04T13:30:00.507913Z'), '2019-06-04');
    assert.equal(newYorkDateOf('2019-06-04T23:59:00Z'), '2019-06-04');
    assert.equal(newYorkDateOf('2019-06-05T03:59:00Z'), '2019-06-04');
    assert.equal(newYorkDateOf('2019-12-05T04:59:00Z'), '2019-12-04');
  });

  it('sends a market order with the client order id, and finds it again by that id', async () => {
    const sent = await broker.submitOrder(request);
    assert.equal(sent.status, 'accepted');
    const post = server.requests.find((r) => r.method === 'POST');
    assert.deepEqual(post?.body, { symbol: 'MU', qty: '865', side: 'buy', type: 'market', time_in_force: 'opg', client_order_id: request.clientOrderId });
    assert.deepEqual(await broker.getOrderByClientId(request.clientOrderId), sent);
    assert.equal(await broker.getOrderByClientId('nobody'), null);
    assert.deepEqual((await broker.listOpenOrders()).map((order) => order.clientOrderId), [request.clientOrderId]);
  });

  it('an order accepted but not acknowledged (timeout) is looked up, not sent twice', async () => {
    server.inject({ kind: 'timeout-after-accept', route: 'POST /v2/orders' });
    const sent = await broker.submitOrder(request);
    assert.equal(sent.clientOrderId, request.clientOrderId);
    assert.equal(server.submissions(request.clientOrderId), 1);
    assert.equal(server.orders.size, 1);
    const lookups = server.requests.filter((r) => r.path === '/v2/orders:by_client_order_id');
    assert.equal(lookups.length, 1);
  });

  it('a 500 after the order was accepted: looked up, not sent twice', async () => {
    server.inject({ kind: 'http-500-after-accept', route: 'POST /v2/orders' });
    await broker.submitOrder(request);
    assert.equal(server.submissions(request.clientOrderId), 1);
    assert.equal(server.orders.size, 1);
  });

  it('a timeout before the order was accepted: looked up (unknown), then sent again once, after a backoff', async () => {
    server.inject({ kind: 'timeout-before-accept', route: 'POST /v2/orders' });
    const sent = await broker.submitOrder(request);
    assert.equal(sent.status, 'accepted');
    assert.equal(server.submissions(request.clientOrderId), 2);
    assert.equal(server.orders.size, 1);
    assert.deepEqual(sleeps, [backoffDelay(0, 250, 8000, () => 0.5)]);
  });

  it('429 on the order: looked up, then sent again; the order exists once', async () => {
    server.inject({ kind: 'http-429', route: 'POST /v2/orders' });
    server.inject({ kind: 'http-429', route: 'POST /v2/orders' });
    await broker.submitOrder(request);
    assert.equal(server.submissions(request.clientOrderId), 3);
    assert.equal(server.orders.size, 1);
    assert.equal(sleeps.length, 2);
  });

  it('gives up after the bounded attempts with an error that tells the next run to look the order up', async () => {
    for (let i = 0; i < 4; i++) server.inject({ kind: 'http-500', route: 'POST /v2/orders' });
    await assert.rejects(broker.submitOrder(request), (error: Error) => error instanceof BrokerUnavailableError
      && /order trend-breakout-MU-2019-06-03-buy could not be sent .*the next run looks it up before sending it again/.test(error.message));
    assert.equal(server.submissions(request.clientOrderId), 4);
    assert.equal(server.orders.size, 0);
  });

  it('a second order with the same client order id is a duplicate, a refused order is rejected', async () => {
    await broker.submitOrder(request);
    await assert.rejects(broker.submitOrder(request), DuplicateClientOrderIdError);
    server.inject({ kind: 'reject-buying-power', route: 'POST /v2/orders' });
    await assert.rejects(broker.submitOrder({ ...request, clientOrderId: 'other' }), (error: Error) => error instanceof OrderRejectedError
      && error.message === 'the broker rejected order other: HTTP 403 code 40310000: insufficient buying power');
  });

  it('retries reads on 429 and 5xx with exponential backoff and jitter, bounded', async () => {
    server.inject({ kind: 'http-429', route: 'GET /v2/account' });
    server.inject({ kind: 'http-500', route: 'GET /v2/account' });
    server.inject({ kind: 'http-500', route: 'GET /v2/account' });
    assert.equal((await broker.getAccount()).status, 'ACTIVE');
    // 429 carries Retry-After: 0 here, so it falls back to the backoff; with random() = 0.5: 3/4 of min(8000, 250 * 2^n).
    assert.deepEqual(sleeps, [187.5, 375, 750]);
    for (let i = 0; i < 5; i++) server.inject({ kind: 'http-500', route: 'GET /v2/positions' });
    await assert.rejects(broker.listPositions(), (error: Error) => error instanceof BrokerUnavailableError && /HTTP 500/.test(error.message));
    assert.equal(server.requests.filter((r) => r.path === '/v2/positions').length, 5);
  });

  it('the backoff doubles up to its cap and its jitter stays within [half, full]', () => {
    assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 250, 8000, () => 0)), [125, 250, 500, 1000, 4000]);
    assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 250, 8000, () => 1)), [250, 500, 1000, 2000, 8000]);
  });

  it('pages through daily bars (adjustment=split)', async () => {
    server.bars.set('MU', [...fixture<{ bars: never[] }>('bars-MU-page1.json').bars, ...fixture<{ bars: never[] }>('bars-MU-page2.json').bars]);
    server.pageSize = 2;
    const bars = await client.getDailyBars('MU', '2024-03-01', '2024-03-08', 'split');
    assert.deepEqual(bars.map((bar) => [bar.t, bar.o, bar.c]), [
      ['2024-03-04T05:00:00Z', 90.97, 92.14], ['2024-03-05T05:00:00Z', 91.69, 89.02], ['2024-03-06T05:00:00Z', 91.43, 93.65],
    ]);
    const requests = server.requests.filter((r) => r.path === '/v2/stocks/MU/bars');
    assert.equal(requests.length, 2);
    assert.equal(requests[0].query.adjustment, 'split');
    assert.equal(requests[1].query.page_token !== undefined, true);
  });

  it('never shows the keys: not in errors for wrong keys, not in a dump of the client or the broker', async () => {
    const wrong = createAlpacaClient({ baseUrl: server.url, credentials: { keyId: 'PKWRONGKEY000111', secretKey: 'wrong-secret-value-xyz' }, timeoutMs: 300 });
    const error = await new AlpacaBroker(wrong, { name: 'x' }).getAccount().then(() => null, (caught: Error) => caught);
    assert.ok(error instanceof BrokerUnavailableError);
    assert.match(error.message, /HTTP 401 .*request is not authorized/);
    for (const text of [error.message, String(error.stack), inspect(error, { depth: 5 }), inspect(wrong, { depth: 5, showHidden: true }), inspect(broker, { depth: 5, showHidden: true })]) {
      for (const secret of ['PKWRONGKEY000111', 'wrong-secret-value-xyz', keyId, secretKey]) assert.equal(text.includes(secret), false, `${secret} in ${text.slice(0, 200)}`);
    }
    assert.equal(redact(`a ${secretKey} b ${keyId}`, [keyId, secretKey]), 'a [redacted] b [redacted]');
  });
});
