import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataError } from '../../src/errors';
import type { BarSeries } from '../../src/data/bars';
import {
  loadBarsFile,
  parseBarsCsv,
  symbolFromFileName,
  type DroppedRow,
  type LoadBarsOptions,
} from '../../src/data/load-bars';
import { isIsoDate, parseDecimal } from '../../src/data/scan-fields';

function includes(text: string, fragment: string): void {
  assert.ok(text.includes(fragment), `expected ${JSON.stringify(text)} to contain ${JSON.stringify(fragment)}`);
}

function throwsDataError(run: () => unknown, fragment: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    includes(error.message, fragment);
    return true;
  });
}

const HEADER = 'date,open,high,low,close,volume';
const GOOD = [
  '2020-01-02,10,11,9,10.5,1000',
  '2020-01-03,10.5,12,10,11,2000',
  '2020-01-06,11,11.5,10.5,11.2,1500',
];

function csv(...rows: string[]): string {
  return `${[HEADER, ...rows].join('\n')}\n`;
}

/** Asserts `text` throws a DataError under 'error' whose message contains every fragment. */
function expectDataError(text: string, fragments: string[], options: LoadBarsOptions = {}, file = 'bars.csv'): DataError {
  let caught: unknown;
  try {
    parseBarsCsv(text, file, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  const error = caught as DataError;
  for (const fragment of fragments) includes(error.message, fragment);
  return error;
}

/** The bad-row cases: each row is inserted as line 3 (after the header and one good row). */
const BAD_ROWS: { name: string; row: string; column: string; value: string; reason: DroppedRow['reason'] }[] = [
  { name: 'unparsable number', row: '2020-01-03,abc,12,10,11,2000', column: 'open', value: 'abc', reason: 'not-a-number' },
  { name: 'empty number', row: '2020-01-03,10.5,,10,11,2000', column: 'high', value: '', reason: 'empty-value' },
  { name: 'NaN', row: '2020-01-03,10.5,12,NaN,11,2000', column: 'low', value: 'NaN', reason: 'not-a-number' },
  { name: 'Infinity', row: '2020-01-03,10.5,12,10,Infinity,2000', column: 'close', value: 'Infinity', reason: 'not-a-number' },
  { name: '-Infinity volume', row: '2020-01-03,10.5,12,10,11,-Infinity', column: 'volume', value: '-Infinity', reason: 'not-a-number' },
  { name: 'hex number', row: '2020-01-03,0x10,12,10,11,2000', column: 'open', value: '0x10', reason: 'not-a-number' },
  { name: 'number with a space', row: '2020-01-03,10.5,12,10,11, 2000', column: 'volume', value: ' 2000', reason: 'not-a-number' },
  { name: 'number with a thousands separator', row: '2020-01-03,10.5,12,10,11,2000x', column: 'volume', value: '2000x', reason: 'not-a-number' },
  { name: 'overflowing number', row: '2020-01-03,10.5,1e400,10,11,2000', column: 'high', value: '1e400', reason: 'not-a-number' },
  { name: 'zero price', row: '2020-01-03,0,12,0,11,2000', column: 'open', value: '0', reason: 'non-positive-price' },
  { name: 'negative price', row: '2020-01-03,10.5,12,10,-11,2000', column: 'close', value: '-11', reason: 'non-positive-price' },
  { name: 'negative zero price', row: '2020-01-03,10.5,12,-0,11,2000', column: 'low', value: '-0', reason: 'non-positive-price' },
  { name: 'high below open', row: '2020-01-03,12.5,12,10,11,2000', column: 'high', value: '12', reason: 'high-below-open-close' },
  { name: 'high below close', row: '2020-01-03,10.5,12,10,12.01,2000', column: 'high', value: '12', reason: 'high-below-open-close' },
  { name: 'low above open', row: '2020-01-03,10.5,12,10.6,11,2000', column: 'low', value: '10.6', reason: 'low-above-open-close' },
  { name: 'low above close', row: '2020-01-03,11.5,12,11.1,11,2000', column: 'low', value: '11.1', reason: 'low-above-open-close' },
  { name: 'negative volume', row: '2020-01-03,10.5,12,10,11,-5', column: 'volume', value: '-5', reason: 'negative-volume' },
  { name: 'impossible date', row: '2020-02-30,10.5,12,10,11,2000', column: 'date', value: '2020-02-30', reason: 'bad-date' },
  { name: 'non-leap Feb 29', row: '2019-02-29,10.5,12,10,11,2000', column: 'date', value: '2019-02-29', reason: 'bad-date' },
  { name: 'month 13', row: '2020-13-01,10.5,12,10,11,2000', column: 'date', value: '2020-13-01', reason: 'bad-date' },
  { name: 'US date', row: '01/03/2020,10.5,12,10,11,2000', column: 'date', value: '01/03/2020', reason: 'bad-date' },
  { name: 'timestamp', row: '2020-01-03 00:00:00,10.5,12,10,11,2000', column: 'date', value: '2020-01-03 00:00:00', reason: 'bad-date' },
  { name: 'empty date', row: ',10.5,12,10,11,2000', column: 'date', value: '', reason: 'bad-date' },
  { name: 'duplicate date', row: '2020-01-02,10.5,12,10,11,2000', column: 'date', value: '2020-01-02', reason: 'duplicate-date' },
  { name: 'out-of-order date', row: '2019-12-31,10.5,12,10,11,2000', column: 'date', value: '2019-12-31', reason: 'out-of-order-date' },
  { name: 'too few fields', row: '2020-01-03,10.5,12,10,11', column: '(row)', value: '2020-01-03,10.5,12,10,11', reason: 'field-count' },
  { name: 'too many fields', row: '2020-01-03,10.5,12,10,11,2000,7', column: '(row)', value: '2020-01-03,10.5,12,10,11,2000,7', reason: 'field-count' },
  { name: 'empty line between rows', row: '', column: '(row)', value: '', reason: 'field-count' },
];

describe('data/load-bars: parseBarsCsv', () => {
  it('parses a well-formed file into Float64Array columns', () => {
    const { bars, dropped } = parseBarsCsv(csv(...GOOD), 'data/XYZ.csv');
    assert.deepEqual(dropped, []);
    assert.equal(bars.symbol, 'XYZ');
    assert.equal(bars.source, 'data/XYZ.csv');
    assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-03', '2020-01-06']);
    assert.ok(bars.open instanceof Float64Array);
    assert.deepEqual([...bars.open], [10, 10.5, 11]);
    assert.deepEqual([...bars.high], [11, 12, 11.5]);
    assert.deepEqual([...bars.low], [9, 10, 10.5]);
    assert.deepEqual([...bars.close], [10.5, 11, 11.2]);
    assert.deepEqual([...bars.volume], [1000, 2000, 1500]);
  });

  it('accepts a reordered, differently cased header (Date,Close,High,Low,Open,Volume) and ignores extra columns', () => {
    const text = [
      'Name,Date,Close,High,Low,Open,Volume,Comment',
      'X,2020-01-02,10.5,11,9,10,1000,a',
      'X,2020-01-03,11,12,10,10.5,2000,b',
    ].join('\n');
    const { bars } = parseBarsCsv(text, 'GLD.csv');
    assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-03']);
    assert.deepEqual([...bars.open], [10, 10.5]);
    assert.deepEqual([...bars.close], [10.5, 11]);
    assert.deepEqual([...bars.high], [11, 12]);
    assert.deepEqual([...bars.low], [9, 10]);
    assert.deepEqual([...bars.volume], [1000, 2000]);
  });

  it('accepts Alpha Vantage headers (1. open ... 5. volume) and float volumes', () => {
    const text = 'date,1. open,2. high,3. low,4. close,5. volume\n2004-11-18,44.43,44.49,44.07,44.38,5992000.0\n';
    const { bars } = parseBarsCsv(text, 'GLD_alphavantage.csv');
    assert.deepEqual([...bars.open], [44.43]);
    assert.deepEqual([...bars.volume], [5992000]);
  });

  it('accepts CRLF line ends, a BOM, trailing blank lines and zero volume', () => {
    const text = `\ufeff${HEADER}\r\n2020-01-02,10,11,9,10.5,0\r\n2020-01-03,10.5,12,10,11,2000\r\n\r\n\n`;
    const { bars } = parseBarsCsv(text, 'x.csv');
    assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-03']);
    assert.deepEqual([...bars.volume], [0, 2000]);
  });

  it('accepts a file without a final newline', () => {
    assert.deepEqual(parseBarsCsv(`${HEADER}\n${GOOD[0]}`, 'x.csv').bars.dates, ['2020-01-02']);
  });

  it('uses the symbol option, and otherwise the file name without .csv/.csv.gz and _data', () => {
    assert.equal(parseBarsCsv(csv(GOOD[0]), 'a/b.csv', { symbol: 'ZZ' }).bars.symbol, 'ZZ');
    assert.equal(symbolFromFileName('/x/AAPL_data.csv.gz'), 'AAPL');
    assert.equal(symbolFromFileName('MU.csv'), 'MU');
    assert.equal(symbolFromFileName('sp500-2000.csv'), 'sp500-2000');
    assert.equal(symbolFromFileName('GLD.CSV'), 'GLD');
  });

  describe('adjust', () => {
    const text = [
      'Date,Open,High,Low,Close,Adj Close,Volume',
      '2020-01-02,10,12,8,10,5,100',
      '2020-01-03,20,25,16,20,15,200',
    ].join('\n');

    it('scales open, high, low and close by Adj Close / Close (volume unchanged)', () => {
      const { bars } = parseBarsCsv(text, 'x.csv', { adjust: true });
      // Row 1: factor 5/10 = 0.5; row 2: factor 15/20 = 0.75.
      assert.deepEqual([...bars.open], [5, 15]);
      assert.deepEqual([...bars.high], [6, 18.75]);
      assert.deepEqual([...bars.low], [4, 12]);
      assert.deepEqual([...bars.close], [5, 15]);
      assert.deepEqual([...bars.volume], [100, 200]);
    });

    it('leaves prices alone without adjust', () => {
      assert.deepEqual([...parseBarsCsv(text, 'x.csv').bars.close], [10, 20]);
    });

    it('recognises adj_close and adjclose', () => {
      for (const name of ['adj_close', 'adjclose', 'ADJ CLOSE']) {
        const { bars } = parseBarsCsv(`date,open,high,low,close,${name},volume\n2020-01-02,10,12,8,10,2.5,1\n`, 'x.csv', { adjust: true });
        assert.deepEqual([...bars.high], [3]);
      }
    });

    it('is a DataError naming file, line 1 and the column when there is no Adj Close column', () => {
      expectDataError(csv(GOOD[0]), ['bars.csv:1:', 'column "Adj Close"', 'adjust'], { adjust: true });
    });

    it('validates Adj Close when adjusting', () => {
      const bad = 'date,open,high,low,close,Adj Close,volume\n2020-01-02,10,12,8,10,x,1\n';
      expectDataError(bad, ['bars.csv:2:', 'column "Adj Close"', 'value "x"'], { adjust: true });
      assert.equal(parseBarsCsv(bad, 'x.csv').bars.dates.length, 1); // not used, so not checked
    });
  });

  describe('bad files', () => {
    it('an empty file is a DataError', () => {
      expectDataError('', ['bars.csv:1:', 'empty']);
      expectDataError('\n\n', ['bars.csv:1:', 'empty']);
    });

    it('a header without rows is a DataError', () => {
      expectDataError(`${HEADER}\n`, ['bars.csv:1:', 'no data rows']);
    });

    for (const missing of ['date', 'open', 'high', 'low', 'close', 'volume']) {
      it(`a missing ${missing} column is a DataError naming file, line 1 and the column`, () => {
        const header = HEADER.split(',').filter((name) => name !== missing).join(',');
        expectDataError(`${header}\n1,2,3,4,5\n`, ['bars.csv:1:', `column "${missing}"`, 'missing']);
      });
    }

    it('a duplicated column is a DataError', () => {
      expectDataError('date,open,high,low,close,volume,Close\n', ['bars.csv:1:', 'column "Close"', 'second "close"']);
    });

    it('unbalanced quotes are a DataError naming the file', () => {
      expectDataError(`${HEADER}\n"2020-01-02,1,1,1,1,1\n`, ['bars.csv', 'not valid CSV']);
    });

    it('a file where every row is bad is a DataError under drop too', () => {
      expectDataError(csv('2020-01-02,x,1,1,1,1'), ['bars.csv', 'all 1 data rows were dropped'], { invalidRows: 'drop' });
    });
  });

  describe('bad rows', () => {
    for (const bad of BAD_ROWS) {
      const text = csv(GOOD[0], bad.row, '2020-01-07,11,11.5,10.5,11.2,1500');
      it(`${bad.name}: DataError naming file, line, column and value`, () => {
        const error = expectDataError(text, [
          'bars.csv:3:',
          `column "${bad.column}"`,
          `value "${bad.value}"`,
        ]);
        assert.equal(error.file, 'bars.csv');
        assert.equal(error.line, 3);
        assert.equal(error.column, bad.column);
        assert.equal(error.value, bad.value);
      });

      it(`${bad.name}: dropped and listed under invalidRows: 'drop'`, () => {
        const { bars, dropped } = parseBarsCsv(text, 'bars.csv', { invalidRows: 'drop' });
        assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-07']);
        assert.equal((dropped).length, 1);
        const [row] = dropped;
        assert.deepEqual(
          { file: row.file, line: row.line, column: row.column, value: row.value, reason: row.reason },
          { file: 'bars.csv', line: 3, column: bad.column, value: bad.value, reason: bad.reason },
        );
        includes(row.message, `bars.csv:3: column "${bad.column}" value "${bad.value}"`);
      });
    }

    it('names the header spelling of the column (GLD-style header)', () => {
      expectDataError('Date,Close,High,Low,Open,Volume\n2020-01-02,10,11,9,x,5\n', ['bars.csv:2:', 'column "Open"', 'value "x"']);
    });

    it('duplicate and out-of-order messages name the earlier line', () => {
      expectDataError(csv(GOOD[0], GOOD[1], '2020-01-03,10.5,12,10,11,2000'), ['bars.csv:4:', 'line 3']);
      expectDataError(csv(GOOD[0], GOOD[1], '2020-01-02,10.5,12,10,11,2000'), ['bars.csv:4:', 'before the previous date 2020-01-03 (line 3)']);
    });

    it('drop lists every bad row, with line numbers, and keeps the good ones', () => {
      const text = csv(
        GOOD[0], // line 2
        '2020-01-03,x,12,10,11,2000', // 3 not a number
        '2020-01-06,11,11.5,10.5,11.2,-1', // 4 negative volume
        '2020-01-07,11,11.5,10.5,11.2,1', // 5 ok
        '2020-01-07,11,11.5,10.5,11.2,1', // 6 duplicate
        '2020-01-08,11,11.5', // 7 field count
        '2020-01-09,11,11.5,10.5,11.2,1', // 8 ok
      );
      const { bars, dropped } = parseBarsCsv(text, 'f.csv', { invalidRows: 'drop' });
      assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-07', '2020-01-09']);
      assert.equal((bars.open).length, 3);
      assert.deepEqual(dropped.map((row) => [row.line, row.reason]), [
        [3, 'not-a-number'],
        [4, 'negative-volume'],
        [6, 'duplicate-date'],
        [7, 'field-count'],
      ]);
      for (const row of dropped) assert.match(row.message, new RegExp(`^f\\.csv:${row.line}: column "`));
    });

    it('a dropped row does not break the ordering check of the next rows', () => {
      // Line 3 is dropped (bad open) although its date is fine; line 4 compares with line 2, the last kept row.
      const text = csv(GOOD[0], '2020-01-10,x,12,10,11,2000', '2020-01-03,10.5,12,10,11,2000');
      const { bars, dropped } = parseBarsCsv(text, 'f.csv', { invalidRows: 'drop' });
      assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-03']);
      assert.deepEqual(dropped.map((row) => row.line), [3]);
      // An out-of-order row that is dropped does not become the reference either.
      const text2 = csv(GOOD[0], GOOD[1], '2019-06-01,10.5,12,10,11,2000', '2020-01-06,11,11.5,10.5,11.2,1500');
      const second = parseBarsCsv(text2, 'f.csv', { invalidRows: 'drop' });
      assert.deepEqual(second.bars.dates, ['2020-01-02', '2020-01-03', '2020-01-06']);
      assert.deepEqual(second.dropped.map((row) => [row.line, row.reason]), [[4, 'out-of-order-date']]);
    });

    it('under error, the first bad row is thrown', () => {
      expectDataError(csv(GOOD[0], '2020-01-03,x,12,10,11,2000', '2020-01-06,11,11.5,10.5,11.2,-1'), ['f.csv:3:'], {}, 'f.csv');
    });
  });

  describe('quoted CSV (csv-parse path)', () => {
    it('gives the same bars as the plain path', () => {
      const plain = csv(...GOOD);
      const quoted = plain.replace(/^(\d{4}-\d\d-\d\d),([^,]*)/gm, '"$1","$2"');
      includes(quoted, '"');
      const a = parseBarsCsv(plain, 'x.csv').bars;
      const b = parseBarsCsv(quoted, 'x.csv').bars;
      assert.deepEqual(b.dates, a.dates);
      assert.deepEqual([...b.open], [...a.open]);
      assert.deepEqual([...b.volume], [...a.volume]);
    });

    it('reports physical start lines, also after a quoted newline and with CRLF', () => {
      const text = [
        '"date","open","high","low","close","volume","note"',
        '2020-01-02,10,11,9,10.5,1000,"two',
        'lines"',
        '2020-01-03,10.5,12,10,11,2000,"a, b"',
        '2020-01-06,x,11.5,10.5,11.2,1500,""',
      ].join('\r\n');
      const { bars, dropped } = parseBarsCsv(text, 'q.csv', { invalidRows: 'drop' });
      assert.deepEqual(bars.dates, ['2020-01-02', '2020-01-03']);
      assert.equal((dropped).length, 1);
      assert.equal(dropped[0].line, 5);
      includes(dropped[0].message, 'q.csv:5: column "open" value "x"');
    });

    it('a field-count problem shows the record', () => {
      expectDataError(`${HEADER}\n"2020-01-02",1,1,1\n`, ['bars.csv:2:', 'column "(row)"', 'value "2020-01-02,1,1,1"', 'has 4 fields']);
    });
  });

  describe('helpers', () => {
    it('parseDecimal equals Number() on decimal strings', () => {
      const decimal = fc
        .tuple(
          fc.constantFrom('', '-', '+'),
          fc.stringMatching(/^\d{1,20}$/),
          fc.option(fc.stringMatching(/^\d{0,20}$/), { nil: undefined }),
          fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
        )
        .map(([sign, whole, fraction, exponent]) =>
          `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${exponent === undefined ? '' : `e${exponent}`}`);
      fc.assert(fc.property(decimal, (text) => Object.is(parseDecimal(text), Number(text))), { numRuns: 3000 });
      fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) =>
        Object.is(parseDecimal(String(value)), Number(String(value)))), { numRuns: 3000 });
    });

    it('parseDecimal rejects what is not a plain decimal', () => {
      for (const text of ['', ' ', '-', '.', 'e5', '1e', '1e+', '0x1F', '0b1', '1_000', 'Infinity', 'NaN', '1.2.3', ' 1', '1 ']) {
        assert.ok(Number.isNaN(parseDecimal(text)), text);
      }
      assert.equal(parseDecimal('.5'), 0.5);
      assert.equal(parseDecimal('5.'), 5);
      assert.equal(parseDecimal('109.30999755859376'), 109.30999755859376);
    });

    it('isIsoDate accepts real calendar dates only', () => {
      for (const d of ['2020-02-29', '2000-02-29', '1999-12-31', '2024-03-08']) assert.equal(isIsoDate(d), true, d);
      for (const d of ['1900-02-29', '2021-02-29', '2020-04-31', '2020-00-10', '2020-01-00', '2020-1-5', '20200105', '2020-01-05T00:00']) {
        assert.equal(isIsoDate(d), false, d);
      }
    });
  });
});

describe('data/load-bars: loadBarsFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aq-load-bars-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .csv and .csv.gz (same bars)', () => {
    const text = csv(...GOOD);
    writeFileSync(path.join(dir, 'ABC.csv'), text);
    writeFileSync(path.join(dir, 'ABC_data.csv.gz'), gzipSync(text));
    const plain = loadBarsFile(path.join(dir, 'ABC.csv'));
    const gz = loadBarsFile(path.join(dir, 'ABC_data.csv.gz'));
    assert.equal(gz.bars.symbol, 'ABC');
    assert.equal(gz.bars.source, path.join(dir, 'ABC_data.csv.gz'));
    assert.deepEqual(gz.bars.dates, plain.bars.dates);
    assert.deepEqual([...gz.bars.close], [...plain.bars.close]);
  });

  it('errors in a .csv.gz file name the .gz file and the line in the uncompressed text', () => {
    const file = path.join(dir, 'BAD.csv.gz');
    writeFileSync(file, gzipSync(csv(GOOD[0], '2020-01-03,10.5,12,10,11,-1')));
    throwsDataError(() => loadBarsFile(file), `${file}:3: column "volume" value "-1"`);
  });

  it('a missing file or a corrupt gzip is a DataError naming the file', () => {
    throwsDataError(() => loadBarsFile(path.join(dir, 'nope.csv')), 'nope.csv');
    const corrupt = path.join(dir, 'corrupt.csv.gz');
    writeFileSync(corrupt, 'not gzip');
    throwsDataError(() => loadBarsFile(corrupt), 'corrupt.csv.gz');
  });
});

// ------------------------------------------------------------------ real data

const SHARED = path.resolve(__dirname, '../../../shared/data');

/** Files the provenance notes list as anomalous in sp500_5yr, with the rows the loader must reject. */
const SP500_ANOMALIES: Record<string, { date: string; reason: DroppedRow['reason'] }[]> = {
  AOS: [{ date: '2014-05-19', reason: 'high-below-open-close' }],
  BBY: [{ date: '2016-03-14', reason: 'low-above-open-close' }],
  BHF: [{ date: '2017-07-26', reason: 'empty-value' }],
  CHD: [{ date: '2014-05-19', reason: 'low-above-open-close' }],
  CHK: [{ date: '2014-06-30', reason: 'low-above-open-close' }],
  DHR: [
    { date: '2014-11-06', reason: 'low-above-open-close' },
    { date: '2015-07-17', reason: 'empty-value' },
    { date: '2016-01-12', reason: 'empty-value' },
  ],
  ES: [{ date: '2015-07-17', reason: 'empty-value' }],
  FTV: [{ date: '2016-07-01', reason: 'empty-value' }],
  IP: [{ date: '2014-07-01', reason: 'low-above-open-close' }],
  LNT: [{ date: '2016-05-19', reason: 'low-above-open-close' }],
  O: [
    { date: '2014-08-27', reason: 'low-above-open-close' },
    { date: '2014-11-06', reason: 'low-above-open-close' },
    { date: '2015-07-17', reason: 'empty-value' },
    { date: '2016-01-12', reason: 'empty-value' },
  ],
  REGN: [{ date: '2015-06-09', reason: 'empty-value' }],
  SPG: [{ date: '2014-05-28', reason: 'low-above-open-close' }],
  UA: [
    { date: '2016-04-07', reason: 'empty-value' },
    { date: '2016-06-10', reason: 'low-above-open-close' },
  ],
  VRTX: [{ date: '2015-05-12', reason: 'empty-value' }],
  WRK: [
    { date: '2015-06-26', reason: 'empty-value' },
    { date: '2016-05-13', reason: 'low-above-open-close' },
  ],
};

/** The date at the start of a physical line of a (possibly gzipped) file. */
function dateOnLine(file: string, line: number): string {
  const bytes = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n')[line - 1].split(',')[0];
}

describe('data/load-bars: real data in shared/data', function () {
  const folders = ['real', 'real/normalized', 'real/vega-datasets', 'sp100_2000_2024', 'sp500_5yr'];
  const files: string[] = [];

  before(function () {
    if (!existsSync(SHARED)) {
      console.warn(`    skipping the real-data tests: ${SHARED} is missing`);
      this.skip();
    }
    for (const folder of folders) {
      for (const name of readdirSync(path.join(SHARED, folder)).sort()) {
        if (/\.csv(\.gz)?$/.test(name) && name !== 'MANIFEST.csv') files.push(path.join(SHARED, folder, name));
      }
    }
  });

  it('finds every data file (9 in real/, 101 in sp100_2000_2024, 505 in sp500_5yr)', () => {
    assert.equal((files).length, 9 + 101 + 505);
  });

  /** Every file loaded once with the error policy: its bars, or the error it threw. */
  const loaded = new Map<string, { bars?: BarSeries; error?: unknown }>();
  function loadAll(): void {
    if (loaded.size > 0) return;
    for (const file of files) {
      try {
        const { bars, dropped } = loadBarsFile(file);
        assert.deepEqual(dropped, []);
        loaded.set(file, { bars });
      } catch (error) {
        loaded.set(file, { error });
      }
    }
  }

  it('loads every clean file with the error policy; the anomalous ones are exactly those in PROVENANCE.md', () => {
    loadAll();
    const failed: string[] = [];
    let rows = 0;
    for (const [file, { bars, error }] of loaded) {
      if (bars !== undefined) {
        assert.ok(bars.dates.length > 40, file);
        rows += bars.dates.length;
      } else {
        assert.ok(error instanceof DataError, `${file}: ${String(error)}`);
        includes(error.message, `${file}:`);
        failed.push(`${path.basename(path.dirname(file))}/${path.basename(file)}`);
      }
    }
    assert.deepEqual(failed, Object.keys(SP500_ANOMALIES).sort().map((symbol) => `sp500_5yr/${symbol}_data.csv.gz`));
    assert.ok(rows > 1_100_000);
  });

  it('MANIFEST row counts and date ranges match the loaded clean files', () => {
    loadAll();
    for (const folder of ['sp100_2000_2024', 'sp500_5yr']) {
      const manifest = readFileSync(path.join(SHARED, folder, 'MANIFEST.csv'), 'utf8').trim().split('\n').slice(1);
      assert.equal(manifest.length, folder === 'sp500_5yr' ? 505 : 101);
      for (const line of manifest) {
        const [name, , , , rows, first, last] = line.split(',');
        const { bars } = loaded.get(path.join(SHARED, folder, name))!;
        if (bars === undefined) continue; // an anomalous file, checked below
        assert.equal(bars.dates.length, Number(rows), name);
        assert.deepEqual([bars.dates[0], bars.dates[bars.dates.length - 1]], [first, last], name);
      }
    }
  });

  for (const [symbol, expected] of Object.entries(SP500_ANOMALIES)) {
    it(`sp500_5yr/${symbol}: DataError under error, and drop lists ${expected.map((row) => row.date).join(', ')}`, () => {
      const file = path.join(SHARED, 'sp500_5yr', `${symbol}_data.csv.gz`);
      throwsDataError(() => loadBarsFile(file), `${file}:`);
      const { bars, dropped } = loadBarsFile(file, { invalidRows: 'drop' });
      assert.equal(bars.symbol, symbol);
      assert.deepEqual(dropped.map((row) => ({ date: dateOnLine(file, row.line), reason: row.reason })), expected);
      for (const row of dropped) {
        assert.equal(row.file, file);
        includes(row.message, `${file}:${row.line}: column "${row.column}" value "${row.value}"`);
        assert.ok(!bars.dates.includes(dateOnLine(file, row.line)));
      }
    });
  }

  it('DHR: the exact messages for 2015-07-17 (line 600) and 2016-01-12 (line 723)', () => {
    const file = path.join(SHARED, 'sp500_5yr', 'DHR_data.csv.gz');
    const { dropped } = loadBarsFile(file, { invalidRows: 'drop' });
    assert.deepEqual(dropped.map((row) => row.message), [
      `${file}:437: column "low" value "80.49" is above min(open 78.47, close 81.26)`,
      `${file}:600: column "open" value "" is empty`,
      `${file}:723: column "open" value "" is empty`,
    ]);
  });

  it('zero volume is valid (sp100 CHTR has 18 zero-volume days in 2010)', () => {
    const { bars } = loadBarsFile(path.join(SHARED, 'sp100_2000_2024', 'CHTR.csv.gz'));
    assert.equal(([...bars.volume].filter((v) => v === 0)).length, 18);
  });

  it('real/MU.csv with adjust: Adj Close / Close is 0.983076 before 2021 and 1 at the end', () => {
    const raw = loadBarsFile(path.join(SHARED, 'real', 'MU.csv')).bars;
    const adjusted = loadBarsFile(path.join(SHARED, 'real', 'MU.csv'), { adjust: true }).bars;
    assert.deepEqual(adjusted.dates, raw.dates);
    assert.ok(Math.abs(adjusted.close[0] / raw.close[0] - 0.983076) < 1e-6);
    assert.ok(Math.abs(adjusted.open[0] / raw.open[0] - 0.983076) < 1e-6);
    const last = raw.dates.length - 1;
    assert.equal(adjusted.close[last], raw.close[last]);
    for (let i = 0; i <= last; i++) {
      if (!(adjusted.low[i] <= Math.min(adjusted.open[i], adjusted.close[i]) && adjusted.high[i] >= Math.max(adjusted.open[i], adjusted.close[i]))) {
        throw new Error(`adjusted OHLC inconsistent on ${adjusted.dates[i]}`);
      }
    }
  });

  it('GLD (Date,Close,High,Low,Open,Volume) and its Alpha Vantage copy agree on the common dates', () => {
    const yahoo = loadBarsFile(path.join(SHARED, 'real', 'GLD.csv')).bars;
    const av = loadBarsFile(path.join(SHARED, 'real', 'GLD_alphavantage.csv')).bars;
    assert.equal(yahoo.symbol, 'GLD');
    assert.equal(av.symbol, 'GLD_alphavantage');
    const index = new Map(yahoo.dates.map((d, i) => [d, i]));
    let common = 0;
    let far = 0;
    av.dates.forEach((date, i) => {
      const j = index.get(date);
      if (j === undefined) return;
      common++;
      if (Math.abs(av.close[i] / yahoo.close[j] - 1) > 0.01) far++;
    });
    assert.equal(common, 5028);
    assert.equal(far, 1); // 2006-06-09, per PROVENANCE.md
  });
});
