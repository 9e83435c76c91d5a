import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBarsFile } from '../../src/data/load-bars';
import { DataSourceError } from '../../src/data-sources/data-source-error';
import { fetchDailyBars } from '../../src/data-sources/market-data';
import { parseStooqCsv } from '../../src/data-sources/stooq';
import { DataError } from '../../src/errors';

const header = 'Date,Open,High,Low,Close,Volume';
const good = '2024-03-04,90.97,93.68,90.5,92.14,20147552';

/** A server answering every GET with one status and body, counting the requests. */
async function answering(status: number, body: string): Promise<{ url: string; asked: () => number; close: () => Promise<void> }> {
  let asked = 0;
  const server: Server = createServer((_request, response) => {
    asked++;
    response.writeHead(status, { 'Content-Type': 'text/plain' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, asked: () => asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The DataError the bar loader throws for the same text read from a file. */
function fileError(text: string): DataError {
  const dir = mkdtempSync(join(tmpdir(), 'aq-stooq-'));
  try {
    const file = join(dir, 'MU.csv');
    writeFileSync(file, text);
    try {
      loadBarsFile(file);
    } catch (error) {
      assert.ok(error instanceof DataError);
      return error;
    }
    throw new Error('the file loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function stooqError(text: string): DataError {
  try {
    parseStooqCsv(text, 'stooq MU');
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  throw new Error('the stooq text parsed');
}

describe('data sources: stooq CSV through the bar loader', () => {
  it('reads the rows as the loader does', () => {
    assert.deepEqual(parseStooqCsv(`${header}\r\n${good}\r\n2024-03-05,91.69,92.6,88.12,89.02,19823366\r\n`, 'stooq MU'), [
      { date: '2024-03-04', open: 90.97, high: 93.68, low: 90.5, close: 92.14, volume: 20147552 },
      { date: '2024-03-05', open: 91.69, high: 92.6, low: 88.12, close: 89.02, volume: 19823366 },
    ]);
  });

  const badRows: { name: string; row: string; message: string }[] = [
    { name: 'a number that is not one', row: '2024-03-05,91.69,9x2.6,88.12,89.02,19823366', message: 'stooq MU:3: column "High" value "9x2.6" is not a finite decimal number' },
    // The second parser of old took these two: finite numbers, a well-formed date.
    { name: 'a high below the close', row: '2024-03-05,91.69,90,88.12,91,19823366', message: 'stooq MU:3: column "High" value "90" is below max(open 91.69, close 91)' },
    { name: 'a date that is not on the calendar', row: '2024-02-30,91.69,92.6,88.12,89.02,19823366', message: 'stooq MU:3: column "Date" value "2024-02-30" is not a calendar date YYYY-MM-DD' },
    { name: 'a repeated date', row: good, message: 'stooq MU:3: column "Date" value "2024-03-04" duplicates the date of line 2' },
    { name: 'a short row', row: '2024-03-05,91.69,92.6', message: 'stooq MU:3: column "(row)" value "2024-03-05,91.69,92.6" has 3 fields; the header has 6' },
  ];
  for (const bad of badRows) {
    it(`fails on ${bad.name} like a file does, naming the line, the column and the value`, () => {
      const text = `${header}\n${good}\n${bad.row}\n`;
      const fromStooq = stooqError(text);
      assert.equal(fromStooq.message, bad.message);
      assert.equal(fromStooq.line, 3);
      const fromFile = fileError(text);
      assert.deepEqual([fromStooq.line, fromStooq.column, fromStooq.value], [fromFile.line, fromFile.column, fromFile.value]);
      assert.equal(fromStooq.message.replace('stooq MU', 'FILE'), fromFile.message.replace(fromFile.file, 'FILE'));
    });
  }

  it('an answer with only the header has no bars; a text answer is not stooq CSV', () => {
    assert.deepEqual(parseStooqCsv(`${header}\n`, 'stooq MU'), []);
    assert.equal(stooqError('Exceeded the daily hits limit').message, 'stooq MU:1: is not stooq\'s daily CSV (expected the header Date,Open,High,Low,Close,Volume, got "Exceeded the daily hits limit")');
  });
});

describe('data sources: DataSourceError', () => {
  const noSleep = { sleeps: [] as number[] };
  const sleep = (ms: number) => {
    noSleep.sleeps.push(ms);
    return Promise.resolve();
  };

  it('an HTTP error that a retry cannot fix fails at once, naming the source and the status', async () => {
    const server = await answering(404, 'not found');
    try {
      const error = await fetchDailyBars({ symbol: 'MU', from: '2024-03-01', to: '2024-03-08' }, { source: 'stooq', baseUrl: server.url, sleep }).then(
        () => assert.fail('fetched'), (caught: unknown) => caught);
      assert.ok(error instanceof DataSourceError);
      assert.deepEqual([error.message, error.source, error.userFacing, server.asked()], ['stooq MU: HTTP 404: not found', 'stooq', true, 1]);
    } finally {
      await server.close();
    }
  });

  it('a server error is retried, then fails with the number of attempts', async () => {
    noSleep.sleeps.length = 0;
    const server = await answering(503, 'busy');
    try {
      await assert.rejects(fetchDailyBars({ symbol: 'MU', from: '2024-03-01', to: '2024-03-08' }, { source: 'yahoo', baseUrl: server.url, sleep }),
        (error: unknown) => error instanceof DataSourceError && error.message === 'yahoo MU: HTTP 503: busy (after 4 attempts)' && error.source === 'yahoo');
      assert.equal(server.asked(), 4);
      // Equal jitter from 500 ms: each wait lies in [ceiling / 2, ceiling] for ceilings 500, 1000, 2000.
      assert.equal(noSleep.sleeps.length, 3);
      noSleep.sleeps.forEach((ms, attempt) => assert.ok(ms >= 250 * 2 ** attempt && ms <= 500 * 2 ** attempt, `${attempt}: ${ms}`));
    } finally {
      await server.close();
    }
  });

  it('alpaca without keys asks for the variables, and a 401 names the variables without showing the keys', async () => {
    await assert.rejects(fetchDailyBars({ symbol: 'MU', from: '2024-03-01' }, { source: 'alpaca', baseUrl: 'http://127.0.0.1:9' }),
      (error: unknown) => error instanceof DataSourceError && error.message === 'alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment');
    const secretKey = 'sourcesTestSecret0123456789';
    const server = await answering(401, `unauthorized: ${secretKey}`);
    try {
      await assert.rejects(fetchDailyBars({ symbol: 'MU', from: '2024-03-01', to: '2024-03-08' }, { source: 'alpaca', baseUrl: server.url, credentials: { keyId: 'PKSOURCESTEST', secretKey }, sleep }),
        (error: unknown) => error instanceof DataSourceError
          && error.message === 'alpaca GET /v2/stocks/MU/bars: HTTP 401: unauthorized: [redacted] (check APCA_API_KEY_ID and APCA_API_SECRET_KEY, and that they belong to this host)');
      assert.equal(server.asked(), 1);
    } finally {
      await server.close();
    }
  });
});
