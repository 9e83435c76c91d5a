/**
 * Fault injection on the Alpaca client with real loopback servers: a redirect is never followed
 * (the target sees no request), malformed 200 bodies are clear errors, Retry-After is honoured
 * on orders, secrets are redacted as fragments; and the host rules of origin.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlpacaBroker } from '../../src/brokers/alpaca/alpaca-broker';
import { createAlpacaClient, retryAfterMs, AlpacaRedirectError, AlpacaResponseError } from '../../src/brokers/alpaca/client';
import { parseTradingOrigin, tradingMode, recordedOrigin } from '../../src/brokers/alpaca/origin';
import { BrokerUnavailableError } from '../../src/brokers/broker';
import { redact } from '../../src/brokers/redact';

const keyId = 'PKFAULTKEY0123456789';
const secretKey = 'fault/Secret+Key=abcdefghijklmnopqrstuvwxyz0123';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const order = {
  id: 'o-1', client_order_id: 'c-1', created_at: '2019-06-03T20:15:00Z', filled_at: null, symbol: 'MU', qty: '10', filled_qty: '0',
  filled_avg_price: null, type: 'market', side: 'buy', time_in_force: 'opg', status: 'accepted',
};
const request = { clientOrderId: 'c-1', symbol: 'MU', side: 'buy' as const, shares: 10, timeInForce: 'opg' as const };

describe('Alpaca client faults (loopback servers)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await close(server);
  });

  function client(url: string, sleeps: number[] = []) {
    return createAlpacaClient({ baseUrl: url, dataUrl: url, credentials: { keyId, secretKey }, timeoutMs: 500, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5, now: () => Date.parse('2026-01-01T00:00:00Z') });
  }

  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} redirect is refused, naming the status and target host; the target receives nothing (reads and orders)`, async () => {
      const target = await listen((_request, response) => response.end('{}'));
      const redirecting = await listen((incoming, response) => {
        response.writeHead(status, { Location: `http://localhost:${new URL(target.url).port}${incoming.url}` });
        response.end();
      });
      servers.push(target.server, redirecting.server);
      const alpaca = client(redirecting.url);
      await assert.rejects(alpaca.getAccount(), (error: Error) => error instanceof AlpacaRedirectError
        && error.message === `Alpaca GET /v2/account: HTTP ${status} redirect to host localhost:${new URL(target.url).port}, not followed (the keys are sent to the configured host only)`);
      const broker = new AlpacaBroker(alpaca, { name: 'alpaca-paper' });
      await assert.rejects(broker.submitOrder(request), (error: Error) => error instanceof BrokerUnavailableError && new RegExp(`POST /v2/orders: HTTP ${status} redirect`).test(error.message));
      await assert.rejects(broker.listPositions(), BrokerUnavailableError);
      assert.equal(redirecting.requests.length, 3, 'one request each, none repeated');
      assert.equal(target.requests.length, 0);
    });
  }

  const malformed: [string, string, RegExp][] = [
    ['not JSON', '<html>proxy error</html>', /GET \/v2\/account: the answer is not the documented shape \(not JSON: 24 characters starting "<html>proxy error<\/h/],
    ['a cut answer', '{"id":"a","cash":"10', /not JSON: 20 characters/],
    ['a missing field', '{"id":"a","status":"ACTIVE","equity":"1","buying_power":"1","trading_blocked":false}', /\(cash: Invalid input: expected string, received undefined\)/],
    ['a wrong type', '{"id":"a","status":"ACTIVE","cash":100,"equity":"1","buying_power":"1","trading_blocked":false}', /\(cash: Invalid input: expected string, received number\)/],
    ['null', 'null', /\(the body: Invalid input: expected object, received null\)/],
  ];
  for (const [what, body, message] of malformed) {
    it(`a 200 with ${what} is a clear BrokerUnavailableError`, async () => {
      const bad = await listen((_request, response) => response.end(body));
      servers.push(bad.server);
      const alpaca = client(bad.url);
      await assert.rejects(alpaca.getAccount(), (error: Error) => error instanceof AlpacaResponseError && message.test(error.message));
      await assert.rejects(new AlpacaBroker(alpaca, { name: 'x' }).getAccount(), (error: Error) => error instanceof BrokerUnavailableError && message.test(error.message));
    });
  }

  it('a malformed clock or order answer does not reach the code that reads it', async () => {
    const bad = await listen((incoming, response) => response.end(incoming.url === '/v2/clock' ? '{"timestamp":"soon","is_open":false,"next_open":"","next_close":""}' : '{"id":"o-1"}'));
    servers.push(bad.server);
    const alpaca = client(bad.url);
    await assert.rejects(alpaca.getClock(), /GET \/v2\/clock: the answer is not the documented shape \(timestamp: not a timestamp\)/);
    // An order whose acknowledgement is unreadable may exist: looked up before anything else.
    await assert.rejects(new AlpacaBroker(alpaca, { name: 'x' }).submitOrder(request), (error: Error) => error instanceof BrokerUnavailableError
      && /looking up order c-1 failed: .*orders:by_client_order_id: the answer is not the documented shape/.test(error.message));
    assert.deepEqual(bad.requests.map((r) => `${r.method} ${r.url?.split('?')[0]}`), ['GET /v2/clock', 'POST /v2/orders', 'GET /v2/orders:by_client_order_id']);
  });

  it('a 429 on an order with Retry-After: 2 waits 2 s (not the 0.25 s backoff) before the lookup and the resend', async () => {
    let posts = 0;
    const limited = await listen((incoming, response) => {
      if (incoming.method === 'POST' && ++posts === 1) {
        response.writeHead(429, { 'Retry-After': '2' });
        return response.end('{"code":42910000,"message":"rate limit exceeded"}');
      }
      if (incoming.url?.startsWith('/v2/orders:by_client_order_id')) {
        response.writeHead(404);
        return response.end('{"code":40410000,"message":"order not found"}');
      }
      response.end(JSON.stringify(order));
    });
    servers.push(limited.server);
    const sleeps: number[] = [];
    const sent = await new AlpacaBroker(client(limited.url, sleeps), { name: 'x' }).submitOrder(request);
    assert.equal(sent.clientOrderId, 'c-1');
    assert.equal(posts, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  it('Retry-After: seconds, an HTTP date, or nothing usable', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs('2', now), 2000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(retryAfterMs(null, now), null);
    assert.equal(retryAfterMs('soon', now), null);
    assert.equal(retryAfterMs('0x10', now), null);
  });

  it('an error body echoing the key id, whole or cut, shows none of it', async () => {
    const echo = await listen((_request, response) => {
      response.writeHead(403);
      // 290 characters of padding, so the 300-character cut falls inside the key.
      response.end(`${'x'.repeat(290)}${keyId} and ${secretKey}`);
    });
    servers.push(echo.server);
    const error = await client(echo.url).getAccount().then(() => null, (caught: Error) => caught);
    assert.ok(error !== null);
    assert.equal(error.message.includes(keyId.slice(0, 8)), false, error.message);
    assert.match(error.message, /x\[redacted\]/);
  });
});

describe('redact', () => {
  it('replaces whole secrets and every fragment of 8+ characters, and cut pieces of 4+ at the ends', () => {
    assert.equal(redact(`a ${secretKey} b ${keyId}`, [keyId, secretKey]), 'a [redacted] b [redacted]');
    assert.equal(redact(`key ${keyId.slice(0, 10)}`, [keyId]), 'key [redacted]');
    assert.equal(redact(`${keyId.slice(-5)} and more`, [keyId]), '[redacted] and more');
    assert.equal(redact(`mid ${keyId.slice(3, 13)} mid`, [keyId]), 'mid [redacted] mid');
    assert.equal(redact(`short ${keyId.slice(0, 6)} inside`, [keyId]), `short ${keyId.slice(0, 6)} inside`);
    assert.equal(redact('nothing secret here', [keyId, secretKey, 'ab']), 'nothing secret here');
    assert.equal(redact(`${keyId}${keyId}`, [keyId]), '[redacted]');
  });

  it('no prefix of 8 or more characters of a secret survives, wherever it sits (property over all cuts)', () => {
    for (const secret of [keyId, secretKey]) {
      for (let length = 8; length <= secret.length; length++) {
        for (const text of [`x${secret.slice(0, length)}`, `${secret.slice(0, length)} y`, `p ${secret.slice(0, length)} q`]) {
          const result = redact(text, [keyId, secretKey]);
          assert.equal(result.includes(secret.slice(0, 8)), false, `${text} -> ${result}`);
        }
      }
    }
  });
});

describe('trading origins', () => {
  it('normalises scheme, case, default port and path; names the kind', () => {
    for (const url of ['https://api.alpaca.markets', 'https://api.alpaca.markets/', 'https://api.alpaca.markets:443', 'https://api.alpaca.markets/v2',
      'https://API.ALPACA.MARKETS', 'HTTPS://API.ALPACA.MARKETS:443/v2/']) {
      assert.deepEqual(parseTradingOrigin(url), { origin: 'https://api.alpaca.markets', kind: 'real-money' }, url);
      assert.throws(() => tradingMode(parseTradingOrigin(url), false), /is https:\/\/api\.alpaca\.markets, a real-money host: it needs --live/);
      assert.equal(tradingMode(parseTradingOrigin(url), true), 'alpaca-live');
    }
    assert.deepEqual(parseTradingOrigin('https://api.alpaca.markets:8443'), { origin: 'https://api.alpaca.markets:8443', kind: 'real-money' });
    assert.deepEqual(parseTradingOrigin('https://Paper-API.alpaca.markets:443/v2/'), { origin: 'https://paper-api.alpaca.markets', kind: 'paper' });
    for (const [url, origin] of [['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'], ['http://[::1]:80', 'http://[::1]'], ['http://LOCALHOST:9', 'http://localhost:9'], ['http://2130706433:5', 'http://127.0.0.1:5']]) {
      assert.deepEqual(parseTradingOrigin(url), { origin, kind: 'loopback' }, url);
    }
    for (const url of ['https://127.0.0.2', 'https://0.0.0.0', 'https://paper-api.alpaca.markets.evil.com', 'https://localhost.evil.com', 'https://paper-api.alpaca.markets.']) {
      assert.equal(parseTradingOrigin(url).kind, 'real-money', url);
    }
    assert.throws(() => parseTradingOrigin('ftp://api.alpaca.markets'), /must be an http\(s\) URL/);
    assert.throws(() => parseTradingOrigin('api.alpaca.markets'), /must be an http\(s\) URL/);
    assert.throws(() => parseTradingOrigin('https://user:pw@paper-api.alpaca.markets'), /must not carry a user name or password/);
    assert.throws(() => parseTradingOrigin('http://api.alpaca.markets'), /must be https/);
  });

  it('reads the origin of recorded broker names, old and new', () => {
    assert.deepEqual(recordedOrigin('alpaca-paper'), { mode: 'alpaca-paper', origin: 'https://paper-api.alpaca.markets' });
    assert.deepEqual(recordedOrigin('alpaca-live'), { mode: 'alpaca-live', origin: 'https://api.alpaca.markets' });
    assert.deepEqual(recordedOrigin('alpaca-paper http://127.0.0.1:80/'), { mode: 'alpaca-paper', origin: 'http://127.0.0.1' });
  });
});
