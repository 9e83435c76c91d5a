import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, DataError } from '../../src/errors';
import { loadUniverse, loadUniverseBars, universeFromSymbols } from '../../src/data/universe';

const REPO = path.resolve(__dirname, '../..');
const SHARED = path.resolve(__dirname, '../../../shared/data');

function bars(rows: number, start = 0): string {
  const lines = ['date,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) lines.push(`2020-01-${String(start + i + 2).padStart(2, '0')},10,11,9,10.5,100`);
  return `${lines.join('\n')}\n`;
}

/** Asserts `run` throws a ConfigError whose message contains every fragment. */
function throwsConfig(run: () => unknown, fragments: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `expected ${JSON.stringify(error.message)} to contain ${JSON.stringify(fragment)}`);
    }
    return true;
  });
}

describe('data/universe', () => {
  let dir: string;
  let file: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aq-universe-'));
    mkdirSync(path.join(dir, 'bars'));
    mkdirSync(path.join(dir, 'other'));
    writeFileSync(path.join(dir, 'bars', 'AAA.csv'), bars(3));
    writeFileSync(path.join(dir, 'bars', 'BBB.csv.gz'), gzipSync(bars(4)));
    writeFileSync(path.join(dir, 'bars', 'CCC_data.csv'), bars(5));
    writeFileSync(path.join(dir, 'other', 'special.csv'), bars(6));
    writeFileSync(path.join(dir, 'bars', 'BAD.csv'), `${bars(2)}2020-01-09,10,11,9,10.5,-1\n`);
    file = path.join(dir, 'u.yaml');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function universe(yaml: string) {
    writeFileSync(file, yaml);
    return loadUniverse(file);
  }

  describe('loadUniverse', () => {
    it('reads symbols in order, resolves .csv, .csv.gz and _data files in the data folder, and file overrides', () => {
      const u = universe(
        [
          '# test universe',
          'symbols: [CCC, AAA, BBB, SPC]',
          'data: bars',
          'files:',
          '  SPC: other/special.csv',
          'options:',
          '  adjust: false',
          '  invalidRows: drop',
          '',
        ].join('\n'),
      );
      assert.equal(u.path, file);
      assert.deepEqual(u.symbols, ['CCC', 'AAA', 'BBB', 'SPC']);
      assert.deepEqual(u.files, {
        CCC: path.join(dir, 'bars', 'CCC_data.csv'),
        AAA: path.join(dir, 'bars', 'AAA.csv'),
        BBB: path.join(dir, 'bars', 'BBB.csv.gz'),
        SPC: path.join(dir, 'other', 'special.csv'),
      });
      assert.deepEqual(u.options, { adjust: false, invalidRows: 'drop' });
      const loaded = loadUniverseBars(u);
      assert.deepEqual(loaded.bars.map((b) => [b.symbol, b.dates.length]), [['CCC', 5], ['AAA', 3], ['BBB', 4], ['SPC', 6]]);
      assert.deepEqual(loaded.dropped, []);
    });

    it('defaults: data is the file\'s folder, options adjust false and invalidRows error; block lists work', () => {
      writeFileSync(path.join(dir, 'TOP.csv'), bars(2));
      const u = universe('symbols:\n  - TOP\n');
      assert.deepEqual(u.files, { TOP: path.join(dir, 'TOP.csv') });
      assert.deepEqual(u.options, { adjust: false, invalidRows: 'error' });
    });

    it('loadUniverseBars applies the options: drop lists the bad rows of every symbol, error throws a DataError', () => {
      const dropping = universe('symbols: [AAA, BAD]\ndata: bars\noptions: {invalidRows: drop}\n');
      const { bars: series, dropped } = loadUniverseBars(dropping);
      assert.deepEqual(series.map((b) => b.dates.length), [3, 2]);
      assert.equal(dropped.length, 1);
      assert.ok(dropped[0].message.includes(`${path.join(dir, 'bars', 'BAD.csv')}:4: column "volume" value "-1"`));
      const strict = universe('symbols: [AAA, BAD]\ndata: bars\n');
      assert.throws(() => loadUniverseBars(strict), (error: unknown) => error instanceof DataError && error.message.includes('BAD.csv:4:'));
    });

    it('the repository universe data/universe.yaml loads MU, GLD, GOOG from data/sample', () => {
      const u = loadUniverse(path.join(REPO, 'data', 'universe.yaml'));
      assert.deepEqual(u.symbols, ['MU', 'GLD', 'GOOG']);
      for (const symbol of u.symbols) assert.equal(u.files[symbol], path.join(REPO, 'data', 'sample', `${symbol}.csv`));
      const { bars: series } = loadUniverseBars(u);
      assert.deepEqual(series.map((b) => b.symbol), ['MU', 'GLD', 'GOOG']);
      assert.ok(series.every((b) => b.dates.length > 3000));
    });

    describe('errors name the file, the line, the key and the value', () => {
      it('a missing file', () => {
        throwsConfig(() => loadUniverse(path.join(dir, 'nope.yaml')), ['nope.yaml', 'cannot read']);
      });

      it('a YAML syntax error, with its line', () => {
        throwsConfig(() => universe('data: bars\nsymbols: [AAA, BBB\noptions: {}\n'), [`${file}:3:`, 'YAML syntax error']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\ndata: other\n'), [`${file}:3:`, 'YAML syntax error', 'unique']);
      });

      it('not a mapping', () => {
        throwsConfig(() => universe(''), [file, 'mapping']);
        throwsConfig(() => universe('- AAA\n- BBB\n'), [file, 'mapping']);
      });

      it('an unknown top-level key', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\nsymbol: [BBB]\n'), [`${file}:3:`, 'unknown key "symbol"', 'allowed: symbols, data, files, options']);
      });

      it('an unknown key in options', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\noptions:\n  adjust: false\n  dropInvalid: true\n'), [`${file}:5:`, 'options.dropInvalid']);
      });

      it('missing or empty symbols', () => {
        throwsConfig(() => universe('data: bars\n'), [file, 'missing required key "symbols"']);
        throwsConfig(() => universe('symbols: []\ndata: bars\n'), [`${file}:1:`, 'symbols is empty']);
        throwsConfig(() => universe('symbols:\ndata: bars\n'), [file, 'symbols must be a list', 'null']);
      });

      it('symbols of the wrong type', () => {
        throwsConfig(() => universe('symbols: AAA\ndata: bars\n'), [`${file}:1:`, 'symbols must be a list', '"AAA"']);
        throwsConfig(() => universe('symbols: [AAA, 123]\ndata: bars\n'), [`${file}:1:`, 'symbols[1]', '123 (number)']);
        throwsConfig(() => universe('symbols:\n  - AAA\n  - {x: 1}\ndata: bars\n'), [`${file}:3:`, 'symbols[1]', 'mapping']);
      });

      it('a duplicate symbol (also in another case)', () => {
        throwsConfig(() => universe('symbols:\n  - AAA\n  - BBB\n  - AAA\ndata: bars\n'), [`${file}:4:`, 'symbols[2] "AAA" duplicates symbols[0] "AAA"']);
        throwsConfig(() => universe('symbols: [AAA, aaa]\ndata: bars\n'), [file, 'symbols[1] "aaa" duplicates symbols[0] "AAA"']);
      });

      it('a bad symbol name', () => {
        for (const name of ['../etc', 'A/B', 'A B', '.hidden', '']) {
          throwsConfig(() => universe(`symbols: [AAA, ${JSON.stringify(name)}]\ndata: bars\n`), [`${file}:1:`, `symbols[1] "${name}" is not a valid symbol name`]);
        }
      });

      it('accepts symbols such as BRK-B, BRK.B, ^GSPC and GC=F', () => {
        for (const name of ['BRK-B', 'BRK.B', '^GSPC', 'GC=F']) writeFileSync(path.join(dir, 'bars', `${name}.csv`), bars(2));
        assert.deepEqual(universe('symbols: [BRK-B, BRK.B, ^GSPC, GC=F]\ndata: bars\n').symbols, ['BRK-B', 'BRK.B', '^GSPC', 'GC=F']);
      });

      it('a missing data file names every path tried', () => {
        const tried = ['ZZZ.csv', 'ZZZ.csv.gz', 'ZZZ_data.csv', 'ZZZ_data.csv.gz'].map((name) => path.join(dir, 'bars', name));
        throwsConfig(() => universe('symbols: [AAA, ZZZ]\ndata: bars\n'), [`${file}:1:`, 'no data file for symbol "ZZZ"', ...tried]);
      });

      it('a missing data folder says so', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: nowhere\n'), ['no data file for symbol "AAA"', '"nowhere"', 'does not exist', path.join(dir, 'nowhere', 'AAA.csv')]);
      });

      it('a missing override file names the path tried', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\nfiles:\n  AAA: bars/missing.csv\n'), [`${file}:4:`, 'files.AAA', 'bars/missing.csv', path.join(dir, 'bars', 'missing.csv')]);
      });

      it('files for a symbol that is not in symbols', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\nfiles:\n  BBB: bars/BBB.csv.gz\n'), [`${file}:4:`, 'files.BBB', 'not one of symbols']);
      });

      it('wrong types for data, files and options', () => {
        throwsConfig(() => universe('symbols: [AAA]\ndata: [bars]\n'), [`${file}:2:`, 'data must be a folder path', 'a list']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: 5\n'), [`${file}:2:`, 'data must be a folder path', '5 (number)']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\nfiles: [a]\n'), [`${file}:3:`, 'files must be a mapping']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\nfiles:\n  AAA: 3\n'), [`${file}:4:`, 'files.AAA must be a file path', '3 (number)']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\noptions: yes\n'), [`${file}:3:`, 'options must be a mapping']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\noptions:\n  adjust: yes\n'), [`${file}:4:`, 'options.adjust must be true or false', '"yes" (string)']);
        throwsConfig(() => universe('symbols: [AAA]\ndata: bars\noptions:\n  invalidRows: skip\n'), [`${file}:4:`, 'options.invalidRows must be error or drop', '"skip"']);
      });
    });
  });

  describe('universeFromSymbols', () => {
    it('resolves each symbol in the data folder, in order, with default options', () => {
      const u = universeFromSymbols(['BBB', ' AAA '], path.join(dir, 'bars'));
      assert.deepEqual(u.symbols, ['BBB', 'AAA']);
      assert.deepEqual(u.files, { BBB: path.join(dir, 'bars', 'BBB.csv.gz'), AAA: path.join(dir, 'bars', 'AAA.csv') });
      assert.deepEqual(u.options, { adjust: false, invalidRows: 'error' });
      assert.ok(u.path.includes('--universe BBB, AAA '));
      assert.deepEqual(loadUniverseBars(u).bars.map((b) => b.dates.length), [4, 3]);
    });

    it('takes options', () => {
      assert.deepEqual(universeFromSymbols(['AAA'], path.join(dir, 'bars'), { invalidRows: 'drop' }).options, { adjust: false, invalidRows: 'drop' });
    });

    it('errors: empty, duplicate, bad name, missing file (naming the paths tried), bad option', () => {
      const data = path.join(dir, 'bars');
      throwsConfig(() => universeFromSymbols([], data), ['symbols is empty']);
      throwsConfig(() => universeFromSymbols(['AAA', 'BBB', 'AAA'], data), ['--universe AAA,BBB,AAA', 'symbols[2] "AAA" duplicates symbols[0]']);
      throwsConfig(() => universeFromSymbols(['AAA', ''], data), ['symbols[1] "" is not a valid symbol name']);
      throwsConfig(() => universeFromSymbols(['AAA', 'ZZZ'], data), ['no data file for symbol "ZZZ"', path.join(data, 'ZZZ.csv'), path.join(data, 'ZZZ_data.csv.gz')]);
      throwsConfig(() => universeFromSymbols(['AAA'], data, { invalidRows: 'skip' as 'drop' }), ['invalidRows must be error or drop', '"skip"']);
    });

    it('works on the real sp500_5yr folder (TICKER_data.csv.gz) and the sp100 folder', function () {
      if (!existsSync(SHARED)) {
        console.warn(`    skipping: ${SHARED} is missing`);
        this.skip();
      }
      const u = universeFromSymbols(['AAPL', 'MSFT'], path.join(SHARED, 'sp500_5yr'));
      assert.deepEqual(u.files, {
        AAPL: path.join(SHARED, 'sp500_5yr', 'AAPL_data.csv.gz'),
        MSFT: path.join(SHARED, 'sp500_5yr', 'MSFT_data.csv.gz'),
      });
      const loaded = loadUniverseBars(u);
      assert.deepEqual(loaded.bars.map((b) => [b.symbol, b.dates.length]), [['AAPL', 1259], ['MSFT', 1259]]);
      const dropping = universeFromSymbols(['DHR', 'O'], path.join(SHARED, 'sp500_5yr'), { invalidRows: 'drop' });
      assert.deepEqual(loadUniverseBars(dropping).dropped.map((row) => `${path.basename(row.file)}:${row.line}`), [
        'DHR_data.csv.gz:437', 'DHR_data.csv.gz:600', 'DHR_data.csv.gz:723',
        'O_data.csv.gz:386', 'O_data.csv.gz:436', 'O_data.csv.gz:599', 'O_data.csv.gz:722',
      ]);
    });
  });
});
