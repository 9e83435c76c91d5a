/**
 * Real data: the features and factors of src/ against the two-pass implementation
 * (test/features/two-pass.ts) on the normalized MU/GLD/GOOG files and on 24 years of large caps
 * (volatile and calm ones, and CHTR/GILD/AMD with zero-volume rows), and the real `aq features`
 * command, cell by cell.
 *
 * The data lives outside the repository, in ../shared/data next to it; when it is absent the
 * suite is skipped with a warning naming the path.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main';
import type { CommandIo } from '../../src/cli/command';
import { loadBarsFile } from '../../src/data/load-bars';
import { computeSignals } from '../../src/factors/pipeline';
import { compareWithTwoPass, describeMismatches, featureFloor, featureOrder, specPeriods, twoPassFactors, twoPassFeatures, withinTolerance, factorFloor, type Name, type PlainBars } from './two-pass';

const dataRoot = path.resolve(__dirname, '../../../shared/data');
const normalizedFiles = ['MU', 'GLD', 'GOOG'].map((symbol) => path.join(dataRoot, 'real/normalized', `${symbol}.csv`));
/**
 * 24 years (2000-2024) of daily bars. Volatile: AIG and C (2008), AMD, NVDA, NFLX, BKNG, TSLA; MO
 * has an unadjusted -70% day (a spin-off: ln return -1.2). Calm: JNJ, PEP, KO, DUK. Zero-volume rows:
 * CHTR (18, with frozen prices in 2010), GILD (3), AMD (1).
 */
const sp100Symbols = ['AIG', 'C', 'AMD', 'NVDA', 'NFLX', 'BKNG', 'TSLA', 'MO', 'JNJ', 'PEP', 'KO', 'DUK', 'CHTR', 'GILD'];
const sp100Files = sp100Symbols.map((symbol) => path.join(dataRoot, 'sp100_2000_2024', `${symbol}.csv.gz`));

interface ParsedFile extends PlainBars {
  dates: string[];
  high: number[];
  close: number[];
  volume: number[];
}

/**
 * A deliberately separate reader (not src/data/load-bars): header names, case-insensitive; the
 * plain `Close` column (not `Adj Close`), as `aq features` uses without --adjust.
 */
function readCsv(file: string): ParsedFile {
  let bytes = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  const lines = bytes.toString('utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',').map((name) => name.trim().toLowerCase());
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index === -1) throw new Error(`${file}: no ${name} column in ${lines[0]}`);
    return index;
  };
  const [iDate, iHigh, iClose, iVolume] = [column('date'), column('high'), column('close'), column('volume')];
  const parsed: ParsedFile = { dates: [], high: [], close: [], volume: [] };
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    parsed.dates.push(fields[iDate]);
    parsed.high.push(Number(fields[iHigh]));
    parsed.close.push(Number(fields[iClose]));
    parsed.volume.push(Number(fields[iVolume]));
  }
  return parsed;
}

function label(file: string): string {
  return path.relative(dataRoot, file);
}

function captureIo(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), interactive: false };
}

describe('features on real data', function () {
  before(function () {
    if (!existsSync(dataRoot)) {
      console.warn(`    real-data feature tests skipped: ${dataRoot} does not exist`);
      this.skip();
    }
  });

  describe('against the two-pass implementation (1e-9 relative, identical not-ready cells)', () => {
    for (const file of [...normalizedFiles, ...sp100Files]) {
      it(label(file), function () {
        if (!existsSync(file)) {
          console.warn(`    skipped: ${file} does not exist`);
          this.skip();
        }
        const reference = readCsv(file);
        const { bars, dropped } = loadBarsFile(file);
        assert.equal(dropped.length, 0);
        // The loader and the separate reader see the same bars.
        assert.deepEqual(bars.dates, reference.dates);
        assert.deepEqual(Array.from(bars.high), reference.high);
        assert.deepEqual(Array.from(bars.close), reference.close);
        assert.deepEqual(Array.from(bars.volume), reference.volume);

        const { features, factors } = computeSignals(bars);
        const mismatches = compareWithTwoPass(reference, specPeriods, features, {
          momentum: factors.momentum,
          breakout: factors.breakout,
          score: factors.score,
        });
        assert.equal(mismatches.length, 0, `${label(file)}:\n${describeMismatches(mismatches, reference.dates)}`);
        // With the defaults the bar is tradable from t = 49, the 50th bar.
        assert.ok(Number.isNaN(factors.score[48]) && Number.isFinite(factors.score[49]), 'score ready from t = 49');
      });
    }

    it('a trading halt appended to real bars (frozen price, zero volume) gives exact zeros, not tiny numbers', function () {
      // CHTR's thin 2010 trading has zero volumes and runs of equal closes, but never a whole
      // window of them; so freeze the last MU bar for 30 more bars.
      const file = normalizedFiles[0];
      if (!existsSync(file)) this.skip();
      const { bars } = loadBarsFile(file);
      const n = bars.dates.length;
      const halt = 30;
      const extend = (column: Float64Array, value: number) => Float64Array.from([...column, ...Array(halt).fill(value)]);
      const last = bars.close[n - 1];
      const halted = {
        ...bars,
        dates: [...bars.dates, ...Array.from({ length: halt }, (_, k) => `halt-${k}`)],
        open: extend(bars.open, last),
        high: extend(bars.high, last),
        low: extend(bars.low, last),
        close: extend(bars.close, last),
        volume: extend(bars.volume, 0),
      };
      const { features, factors } = computeSignals(halted);
      for (let t = n + 19; t < n + halt; t++) {
        assert.ok(Object.is(features.volume_zscore[t], 0), `volume_zscore ${t - n} bars into the halt: ${features.volume_zscore[t]}`);
        assert.ok(Object.is(features.volatility[t], 0), `volatility ${t - n} bars into the halt: ${features.volatility[t]}`);
        // The prior 20 highs are all frozen from n + 20 on.
        if (t >= n + 20) assert.ok(Object.is(features.price_vs_high[t], 0), `price_vs_high ${t - n} bars into the halt: ${features.price_vs_high[t]}`);
      }
      const plain = { high: Array.from(halted.high), close: Array.from(halted.close), volume: Array.from(halted.volume) };
      const mismatches = compareWithTwoPass(plain, specPeriods, features, { momentum: factors.momentum, breakout: factors.breakout, score: factors.score });
      assert.equal(mismatches.length, 0, describeMismatches(mismatches, halted.dates));
    });
  });

  describe('aq features (the real CLI)', () => {
    let outDir = '';
    before(() => {
      outDir = mkdtempSync(path.join(tmpdir(), 'aq-features-test-'));
    });
    after(() => {
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    const cliFiles = [...normalizedFiles, path.join(dataRoot, 'sp100_2000_2024', 'CHTR.csv.gz')];
    for (const file of cliFiles) {
      it(`writes every cell of ${label(file)} as the two-pass computation says (empty = not ready)`, async function () {
        if (!existsSync(file)) this.skip();
        const out = path.join(outDir, `${path.basename(file).replace(/\.csv(\.gz)?$/, '')}.features.csv`);
        const io = captureIo();
        const code = await main(['features', '--data', file, '--out', out], io);
        assert.equal(code, 0, io.err.join(''));
        assert.equal(io.out.join(''), '', 'nothing on stdout with --out');

        const lines = readFileSync(out, 'utf8').split('\n');
        assert.equal(lines.pop(), '', 'the file ends with a newline');
        assert.equal(lines[0], 'date,roc,price_vs_ma,price_vs_high,volume_zscore,volatility,momentum,breakout,score');

        const reference = readCsv(file);
        assert.equal(lines.length - 1, reference.dates.length, 'one row per bar');
        const features = twoPassFeatures(reference, specPeriods);
        const factors = twoPassFactors(features);
        const { features: batch, factors: batchFactors } = computeSignals(loadBarsFile(file).bars);
        const columns = [...featureOrder, 'momentum', 'breakout', 'score'] as const;
        const problems: string[] = [];
        for (let t = 0; t < reference.dates.length; t++) {
          const cells = lines[t + 1].split(',');
          assert.equal(cells.length, 9, `line ${t + 2}`);
          assert.equal(cells[0], reference.dates[t], `line ${t + 2}: date`);
          const floors = {} as Record<Name, number>;
          for (const name of featureOrder) {
            const value = features[name][t];
            floors[name] = value === null ? 0 : featureFloor(name, reference, t, specPeriods[name], value);
          }
          columns.forEach((name, c) => {
            const cell = cells[c + 1];
            const expected = c < 5 ? features[name as Name][t] : factors[name as 'momentum' | 'breakout' | 'score'][t];
            const floor = c < 5 ? floors[name as Name] : factorFloor(name as 'momentum' | 'breakout' | 'score', features, floors, t);
            if (expected === null) {
              if (cell !== '') problems.push(`${reference.dates[t]} ${name}: "${cell}", expected empty`);
              return;
            }
            const actual = Number(cell);
            if (cell === '' || !withinTolerance(actual, expected, floor)) problems.push(`${reference.dates[t]} ${name}: "${cell}", expected ${expected}`);
            // Full precision: the cell parses back to exactly the library's double.
            const exact = c < 5 ? batch[name as Name][t] : batchFactors[name][t];
            if (!Object.is(actual, exact)) problems.push(`${reference.dates[t]} ${name}: "${cell}" does not round-trip to ${exact}`);
          });
        }
        assert.deepEqual(problems.slice(0, 10), [], `${problems.length} bad cells`);
      });
    }

    it('writes to standard output without --out', async function () {
      const file = normalizedFiles[1];
      if (!existsSync(file)) this.skip();
      const io = captureIo();
      assert.equal(await main(['features', '--data', file], io), 0);
      const text = io.out.join('');
      assert.ok(text.startsWith('date,roc,price_vs_ma,price_vs_high,volume_zscore,volatility,momentum,breakout,score\n'));
      assert.equal(text.trimEnd().split('\n').length, readCsv(file).dates.length + 1);
    });

    it('--help shows the usage, the columns and the options, exit code 0', async () => {
      const io = captureIo();
      assert.equal(await main(['features', '--help'], io), 0);
      const help = io.out.join('');
      assert.match(help, /Usage: aq features --data FILE/);
      assert.ok(help.includes('date,roc,price_vs_ma,price_vs_high,volume_zscore,volatility,momentum,breakout,score'));
      for (const option of ['--data', '--out', '--adjust', '--drop-invalid']) assert.ok(help.includes(option), `help mentions ${option}`);
      assert.equal(io.err.join(''), '');
    });

    it('a missing --data is exit code 2 with a message naming --data', async () => {
      const io = captureIo();
      assert.equal(await main(['features'], io), 2);
      assert.match(io.err.join(''), /--data is required/);
      assert.equal(io.out.join(''), '');
    });

    it('an unknown option is exit code 2 naming it; a missing file is exit code 1 naming the path', async () => {
      const io = captureIo();
      assert.equal(await main(['features', '--data', normalizedFiles[0], '--bogus'], io), 2);
      assert.match(io.err.join(''), /bogus/);
      const missing = path.join(dataRoot, 'no-such-file.csv');
      const io2 = captureIo();
      assert.equal(await main(['features', '--data', missing], io2), 1);
      assert.ok(io2.err.join('').includes(missing));
    });
  });
});
