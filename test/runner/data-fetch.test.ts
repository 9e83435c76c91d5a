import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { barSeriesFromRows } from '../../src/data/bars';
import { loadBarsFile } from '../../src/data/load-bars';
import { planAppend } from '../../src/cli/commands/data-fetch';
import { parseStooqCsv } from '../../src/data-sources/stooq';
import { parseYahooChart } from '../../src/data-sources/yahoo';
import { FakeAlpacaServer, fixture, type FakeBar } from '../brokers/fake-alpaca-server';
import { runCli, temporaryDirectory } from './helpers';

const fixtures = join(__dirname, '..', 'fixtures', 'alpaca');
const keyId = 'PKDATAFETCHKEY000111';
const secretKey = 'data/fetch+secret=abcdefghijklmnopqrstu';

/** A server answering every GET with one fixture, logging the URLs asked. */
async function staticServer(body: string, contentType: string, status = 200): Promise<{ url: string; asked: URL[]; close: () => Promise<void> }> {
  const asked: URL[] = [];
  const server: Server = createServer((request, response) => {
    asked.push(new URL(request.url ?? '/', 'http://127.0.0.1'));
    response.writeHead(status, { 'Content-Type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('aq data fetch', () => {
  let dir: { path: string; remove: () => void };
  let server: FakeAlpacaServer;
  const saved = { id: process.env.APCA_API_KEY_ID, secret: process.env.APCA_API_SECRET_KEY };
  const page1 = fixture<{ bars: FakeBar[] }>('bars-MU-page1.json').bars;
  const page2 = fixture<{ bars: FakeBar[] }>('bars-MU-page2.json').bars;

  beforeEach(async () => {
    dir = temporaryDirectory('fetch');
    server = new FakeAlpacaServer(keyId, secretKey);
    await server.start();
    server.pageSize = 2;
    server.bars.set('MU', [...page1, ...page2]);
    process.env.APCA_API_KEY_ID = keyId;
    process.env.APCA_API_SECRET_KEY = secretKey;
  });

  afterEach(async () => {
    await server.stop();
    dir.remove();
    if (saved.id === undefined) delete process.env.APCA_API_KEY_ID;
    else process.env.APCA_API_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.APCA_API_SECRET_KEY;
    else process.env.APCA_API_SECRET_KEY = saved.secret;
  });

  const alpaca = (extra: string[] = []) => runCli(['data', 'fetch', 'MU', '--source', 'alpaca', '--out', dir.path, '--base-url', server.url, '--to', '2024-03-08', ...extra]);

  it('alpaca: writes split-adjusted daily bars dated in New York time, all pages', async () => {
    const run = await alpaca(['--from', '2024-03-01']);
    assert.deepEqual(run, { code: 0, stdout: `MU: wrote 3 bars 2024-03-04..2024-03-06 to ${join(dir.path, 'MU.csv')}\n`, stderr: '' });
    assert.equal(readFileSync(join(dir.path, 'MU.csv'), 'utf8'), [
      'date,open,high,low,close,volume',
      '2024-03-04,90.97,93.68,90.5,92.14,20147552',
      '2024-03-05,91.69,92.6,88.12,89.02,19823366',
      '2024-03-06,91.43,94,90.8,93.65,22040381',
      '',
    ].join('\n'));
    const requests = server.requests.filter((r) => r.path === '/v2/stocks/MU/bars');
    assert.equal(requests.length, 2);
    assert.deepEqual([requests[0].query.adjustment, requests[0].query.timeframe, requests[0].query.start, requests[0].query.end], ['split', '1Day', '2024-03-01', '2024-03-08']);
    assert.equal(loadBarsFile(join(dir.path, 'MU.csv')).bars.dates.length, 3);
  });

  it('appends only new bars on a later run, after checking the overlap; the history is not rewritten', async () => {
    await alpaca(['--from', '2024-03-01']);
    const before = readFileSync(join(dir.path, 'MU.csv'), 'utf8');
    server.bars.set('MU', [...page1, ...page2,
      { t: '2024-03-07T05:00:00Z', o: 94.1, h: 96.2, l: 93.5, c: 95.8, v: 21000000 },
      { t: '2024-03-08T05:00:00Z', o: 95.5, h: 97, l: 92.4, c: 93.02, v: 25500000 }]);
    const run = await alpaca();
    assert.deepEqual(run, { code: 0, stdout: `MU: appended 2 bars 2024-03-07..2024-03-08 to ${join(dir.path, 'MU.csv')} (3 overlapping bars agree)\n`, stderr: '' });
    const after = readFileSync(join(dir.path, 'MU.csv'), 'utf8');
    assert.equal(after.startsWith(before), true);
    assert.equal(after.slice(before.length), '2024-03-07,94.1,96.2,93.5,95.8,21000000\n2024-03-08,95.5,97,92.4,93.02,25500000\n');
    const again = await alpaca();
    assert.match(again.stdout, /^MU: up to date \(last bar 2024-03-08; 5 overlapping bars agree\)\n$/);
  });

  it('reports a difference in the overlap (a split) and writes nothing; --replace rewrites on purpose', async () => {
    await alpaca(['--from', '2024-03-01']);
    const before = readFileSync(join(dir.path, 'MU.csv'), 'utf8');
    // A 2-for-1 split after 2024-03-06: the source's split-adjusted history halves.
    const halve = (bar: FakeBar): FakeBar => ({ ...bar, o: bar.o / 2, h: bar.h / 2, l: bar.l / 2, c: bar.c / 2, v: bar.v * 2 });
    server.bars.set('MU', [...page1, ...page2].map(halve).concat([{ t: '2024-03-07T05:00:00Z', o: 47, h: 48, l: 46.5, c: 47.9, v: 42000000 }]));
    const run = await alpaca();
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^MU: alpaca disagrees with .*MU\.csv on 15 value\(s\) of the bars already there; nothing written\.\n {4}2024-03-04 open: file 90\.97, alpaca 45\.485\n/);
    assert.match(run.stderr, /A split or a revision\? Fetch the whole history again with --replace --from 2024-03-04\.\n$/);
    assert.equal(readFileSync(join(dir.path, 'MU.csv'), 'utf8'), before);
    const replaced = await alpaca(['--replace', '--from', '2024-03-01']);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.equal(loadBarsFile(join(dir.path, 'MU.csv')).bars.close[0], 46.07);
  });

  it('stooq: reads the CSV download, asking for SYMBOL.us between the dates', async () => {
    const stooq = await staticServer(readFileSync(join(fixtures, 'stooq-MU.csv'), 'utf8'), 'text/csv');
    try {
      const run = await runCli(['data', 'fetch', 'MU', '--source', 'stooq', '--out', dir.path, '--base-url', stooq.url, '--from', '2024-03-01', '--to', '2024-03-08']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual([stooq.asked[0].pathname, stooq.asked[0].searchParams.get('s'), stooq.asked[0].searchParams.get('d1'), stooq.asked[0].searchParams.get('d2')],
        ['/q/d/l/', 'mu.us', '20240301', '20240308']);
      const bars = loadBarsFile(join(dir.path, 'MU.csv')).bars;
      assert.deepEqual(bars.dates, ['2024-03-04', '2024-03-05', '2024-03-06']);
      assert.deepEqual(Array.from(bars.high), [93.68, 92.6, 94]);
    } finally {
      await stooq.close();
    }
  });

  it('stooq: a bad row fails as in a file (exit 1, line, column and value named) and nothing is written', async () => {
    const csv = readFileSync(join(fixtures, 'stooq-MU.csv'), 'utf8').replace('2024-03-05,91.69,92.6,', '2024-03-05,91.69,9z2.6,');
    const stooq = await staticServer(csv, 'text/csv');
    try {
      const run = await runCli(['data', 'fetch', 'MU', '--source', 'stooq', '--out', dir.path, '--base-url', stooq.url, '--from', '2024-03-01', '--to', '2024-03-08']);
      assert.deepEqual(run, { code: 1, stdout: '', stderr: 'aq data: stooq MU:3: column "High" value "9z2.6" is not a finite decimal number\n' });
      assert.equal(existsSync(join(dir.path, 'MU.csv')), false);
    } finally {
      await stooq.close();
    }
  });

  it('stooq: a source that cannot deliver is a DataSourceError: exit 1 with its message, no stack trace', async () => {
    const stooq = await staticServer('no such page', 'text/plain', 404);
    try {
      const run = await runCli(['data', 'fetch', 'MU', '--source', 'stooq', '--out', dir.path, '--base-url', stooq.url, '--from', '2024-03-01', '--to', '2024-03-08']);
      assert.deepEqual(run, { code: 1, stdout: '', stderr: 'aq data: stooq MU: HTTP 404: no such page\n' });
      assert.equal(stooq.asked.length, 1);
    } finally {
      await stooq.close();
    }
  });

  it('yahoo: reads the chart API, dates in the exchange time zone, days without a quote skipped', async () => {
    const yahoo = await staticServer(readFileSync(join(fixtures, 'yahoo-MU.json'), 'utf8'), 'application/json');
    try {
      const run = await runCli(['data', 'fetch', 'MU', '--source', 'yahoo', '--out', dir.path, '--base-url', yahoo.url, '--from', '2024-03-01', '--to', '2024-03-08']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(yahoo.asked[0].pathname, '/v8/finance/chart/MU');
      assert.deepEqual([yahoo.asked[0].searchParams.get('interval'), yahoo.asked[0].searchParams.get('period1')], ['1d', String(Date.parse('2024-03-01T00:00:00Z') / 1000)]);
      const bars = loadBarsFile(join(dir.path, 'MU.csv')).bars;
      assert.deepEqual(bars.dates, ['2024-03-04', '2024-03-05', '2024-03-06']);
      assert.deepEqual(Array.from(bars.open), [90.97000122070312, 91.69000244140625, 91.43000030517578]);
    } finally {
      await yahoo.close();
    }
  });

  it('parsers reject what is not the expected format, naming the source', () => {
    assert.throws(() => parseStooqCsv('Exceeded the daily hits limit', 'stooq MU'), /stooq MU:1: is not stooq's daily CSV/);
    assert.throws(() => parseYahooChart('{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}', 'yahoo XX'),
      /yahoo XX: Yahoo says Not Found: No data found/);
  });

  it('planAppend: a bar the file has and the source lost is a difference; bars after the file are appended', () => {
    const existing = barSeriesFromRows('X', [
      { date: '2024-01-02', open: 1, high: 2, low: 1, close: 2, volume: 10 },
      { date: '2024-01-03', open: 2, high: 3, low: 2, close: 3, volume: 10 },
    ]);
    const plan = planAppend(existing, [
      { date: '2024-01-02', open: 1, high: 2, low: 1, close: 2, volume: 10 },
      { date: '2024-01-04', open: 3, high: 4, low: 3, close: 4, volume: 10 },
    ]);
    assert.deepEqual(plan.differences, [{ date: '2024-01-03', field: 'missing', file: 3, source: null }]);
    assert.deepEqual(plan.append.map((bar) => bar.date), ['2024-01-04']);
    assert.equal(plan.agreeing, 1);
  });

  it('never prints the keys, and says which variables to set when they are missing', async () => {
    server.inject({ kind: 'http-500', route: 'GET /v2/stocks/{symbol}/bars' });
    const run = await alpaca(['--from', '2024-03-01']);
    assert.equal(run.code, 0, run.stderr);
    delete process.env.APCA_API_SECRET_KEY;
    const missing = await alpaca(['--from', '2024-03-01', '--replace']);
    assert.deepEqual([missing.code, missing.stderr], [1, 'aq data: alpaca: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment\n']);
    process.env.APCA_API_SECRET_KEY = 'wrong-secret-for-this-test-0000';
    const wrong = await alpaca(['--from', '2024-03-01', '--replace']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /HTTP 401/);
    for (const text of [run.stdout, run.stderr, missing.stderr, wrong.stderr, readFileSync(join(dir.path, 'MU.csv'), 'utf8')]) {
      for (const secret of [keyId, secretKey, 'wrong-secret-for-this-test-0000']) assert.equal(text.includes(secret), false);
    }
  });
});
