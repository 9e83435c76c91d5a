import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BarSeries } from '../../src/data/bars';
import { tradingDays, tradingDaysBetween, usMarketHolidays } from '../../src/data/calendar';
import {
  formatBarsCsv,
  generateBars,
  generateUniverse,
  type GenerateBarsOptions,
} from '../../src/data/generator';
import { loadBarsFile, parseBarsCsv } from '../../src/data/load-bars';
import { main } from '../../src/cli/main';
import type { CommandIo } from '../../src/cli/command';

const REPO = path.resolve(__dirname, '../..');
const SHARED = path.resolve(__dirname, '../../../shared/data');

const BASE: GenerateBarsOptions = { symbol: 'TEST', seed: 7, start: '2012-01-03', days: 1000, startPrice: 50, volatility: 0.02 };

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function logReturns(series: BarSeries): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.close.length; i++) out.push(Math.log(series.close[i] / series.close[i - 1]));
  return out;
}

function sd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

/** Every invariant a generated series must satisfy; returns the first violation or undefined. */
function violation(series: BarSeries): string | undefined {
  const { dates, open, high, low, close, volume } = series;
  for (const column of [open, high, low, close, volume]) if (column.length !== dates.length) return 'column length';
  for (let i = 0; i < dates.length; i++) {
    const at = `${dates[i]} (bar ${i})`;
    if (i > 0 && !(dates[i] > dates[i - 1])) return `dates not ascending at ${at}`;
    const w = weekdayOf(dates[i]);
    if (w === 0 || w === 6) return `weekend date ${at}`;
    const o = open[i];
    const h = high[i];
    const l = low[i];
    const c = close[i];
    if (![o, h, l, c, volume[i]].every(Number.isFinite)) return `non-finite value at ${at}`;
    if (!(o > 0 && h > 0 && l > 0 && c > 0)) return `non-positive price at ${at}`;
    if (!(h >= Math.max(o, c) && l <= Math.min(o, c))) return `inconsistent OHLC at ${at}: ${o} ${h} ${l} ${c}`;
    if (!(Number.isInteger(volume[i]) && volume[i] >= 0)) return `bad volume at ${at}`;
    for (const p of [o, h, l, c]) if (Math.round(p * 1e4) / 1e4 !== p) return `price not rounded to 4 decimals at ${at}`;
  }
  return undefined;
}

describe('data/generator', () => {
  describe('generateBars', () => {
    it('is deterministic: the same options give identical bars and CSV bytes', () => {
      const a = formatBarsCsv(generateBars(BASE));
      const b = formatBarsCsv(generateBars({ ...BASE }));
      assert.equal(a, b);
      assert.notEqual(formatBarsCsv(generateBars({ ...BASE, seed: 8 })), a);
      assert.notEqual(formatBarsCsv(generateBars({ ...BASE, symbol: 'OTHER' })), a);
    });

    it('gives consistent OHLC, positive prices, integer volume, ascending weekdays (many seeds and settings)', () => {
      const options = fc.record({
        seed: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
        days: fc.integer({ min: 0, max: 700 }),
        startPrice: fc.double({ min: 0.05, max: 5000, noNaN: true }),
        volatility: fc.double({ min: 0, max: 0.12, noNaN: true }),
        drift: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        baseVolume: fc.double({ min: 1, max: 1e9, noNaN: true }),
        year: fc.integer({ min: 1995, max: 2040 }),
        holidays: fc.boolean(),
      });
      fc.assert(
        fc.property(options, ({ year, ...o }) => {
          const series = generateBars({ ...o, symbol: 'P', start: `${year}-01-01` });
          assert.equal(series.dates.length, o.days);
          const problem = violation(series);
          assert.equal(problem, undefined, problem);
        }),
        { numRuns: 300 },
      );
    });

    it('long volatile runs stay positive and valid (price floor)', () => {
      for (let seed = 0; seed < 20; seed++) {
        const series = generateBars({ ...BASE, seed, days: 5000, startPrice: 1, volatility: 0.09, drift: -0.004 });
        assert.equal(violation(series), undefined);
      }
    });

    it('its CSV loads back through the validating loader to exactly the same bars', () => {
      const series = generateBars({ ...BASE, days: 2000 });
      const { bars, dropped } = parseBarsCsv(formatBarsCsv(series), 'TEST.csv');
      assert.deepEqual(dropped, []);
      assert.deepEqual(bars.dates, series.dates);
      for (const key of ['open', 'high', 'low', 'close', 'volume'] as const) assert.deepEqual([...bars[key]], [...series[key]], key);
    });

    it('has roughly the requested volatility, with regimes, jumps and volume clustering', () => {
      for (const volatility of [0.01, 0.018, 0.03]) {
        const measured = [0, 1, 2, 3, 4].map((seed) => sd(logReturns(generateBars({ ...BASE, seed, days: 3000, volatility }))));
        const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
        assert.ok(Math.abs(mean / volatility - 1) < 0.15, `volatility ${volatility}: measured ${mean}`);
      }
      const series = generateBars({ ...BASE, days: 3000, baseVolume: 1e6 });
      const logVolume = [...series.volume].map(Math.log);
      const m = logVolume.reduce((a, b) => a + b, 0) / logVolume.length;
      let num = 0;
      let den = 0;
      for (let i = 0; i < logVolume.length; i++) {
        den += (logVolume[i] - m) ** 2;
        if (i > 0) num += (logVolume[i] - m) * (logVolume[i - 1] - m);
      }
      assert.ok(num / den > 0.3, `lag-1 autocorrelation of log volume ${num / den}`);
      const sorted = [...series.volume].sort((a, b) => a - b);
      const median = sorted[sorted.length >> 1];
      assert.ok(median > 5e5 && median < 2e6, `median volume ${median}`);
      assert.ok(sorted[sorted.length - 1] / median > 3, 'volume spikes');
      // Volume is higher on big-move days.
      const r = logReturns(series).map(Math.abs);
      const big = r.map((x, i) => [x, series.volume[i + 1]] as const).sort((a, b) => b[0] - a[0]);
      const top = big.slice(0, 100).reduce((a, [, v]) => a + v, 0) / 100;
      const rest = big.slice(100).reduce((a, [, v]) => a + v, 0) / (big.length - 100);
      assert.ok(top > 1.3 * rest, `volume on big moves ${top} vs ${rest}`);
      // Fat tails: the kurtosis of daily returns is well above the normal 3.
      const returns = logReturns(series);
      const s = sd(returns);
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const kurtosis = returns.reduce((a, x) => a + ((x - mean) / s) ** 4, 0) / returns.length;
      assert.ok(kurtosis > 3.5, `kurtosis ${kurtosis}`);
    });

    it('opens near the previous close (gaps are small next to the day\'s range)', () => {
      const series = generateBars({ ...BASE, days: 2000 });
      const gaps: number[] = [];
      for (let i = 1; i < series.dates.length; i++) gaps.push(Math.abs(Math.log(series.open[i] / series.close[i - 1])));
      gaps.sort((a, b) => a - b);
      assert.ok(gaps[gaps.length >> 1] < 0.01, `median gap ${gaps[gaps.length >> 1]}`);
    });

    it('rejects bad options', () => {
      assert.throws(() => generateBars({ ...BASE, startPrice: 0 }), /startPrice/);
      assert.throws(() => generateBars({ ...BASE, days: -1 }), /days/);
      assert.throws(() => generateBars({ ...BASE, days: 1.5 }), /days/);
      assert.throws(() => generateBars({ ...BASE, seed: 0.5 }), /seed/);
      assert.throws(() => generateBars({ ...BASE, volatility: Number.NaN }), /volatility/);
      assert.throws(() => generateBars({ ...BASE, start: '2021-02-30' }), /start/);
    });
  });

  describe('trading calendar', () => {
    it('weekdays only, ascending, starting on the first trading day on or after start', () => {
      const dates = tradingDays('2012-01-01', 600);
      assert.equal(dates[0], '2012-01-03'); // Jan 1 is a Sunday, Jan 2 the observed New Year holiday
      assert.equal(dates.length, 600);
      for (let i = 0; i < dates.length; i++) {
        assert.ok(weekdayOf(dates[i]) >= 1 && weekdayOf(dates[i]) <= 5, dates[i]);
        if (i > 0) assert.ok(dates[i] > dates[i - 1]);
      }
      assert.equal(tradingDays('2012-01-01', 5, false)[0], '2012-01-02');
    });

    it('knows the NYSE holidays (observed dates, Juneteenth from 2022, no Dec 31 for a Saturday New Year)', () => {
      assert.deepEqual(usMarketHolidays(2022), [
        '2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26',
      ]);
      assert.deepEqual(usMarketHolidays(2021), [
        '2021-01-01', '2021-01-18', '2021-02-15', '2021-04-02', '2021-05-31', '2021-07-05', '2021-09-06', '2021-11-25', '2021-12-24',
      ]);
      assert.ok(tradingDaysBetween('2021-12-30', '2022-01-04').includes('2021-12-31'));
    });

    it('matches the real NYSE calendar of shared/data, except the one-off closures', function () {
      const file = path.join(SHARED, 'real', 'MU.csv');
      if (!existsSync(file)) {
        console.warn(`    skipping: ${file} is missing`);
        this.skip();
      }
      const real = loadBarsFile(file).bars.dates;
      const generated = tradingDaysBetween(real[0], '2024-03-09');
      const realSet = new Set(real);
      const generatedSet = new Set(generated);
      assert.deepEqual(real.filter((d) => !generatedSet.has(d)), []);
      // 9/11, Reagan, Ford, Hurricane Sandy, G. H. W. Bush (PROVENANCE.md): not modelled.
      assert.deepEqual(generated.filter((d) => !realSet.has(d)), [
        '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30', '2018-12-05',
      ]);
    });
  });

  describe('formatBarsCsv', () => {
    it('writes date,open,high,low,close,volume with 4 decimals, integer volume and LF', () => {
      const series = generateBars({ ...BASE, days: 3 });
      const text = formatBarsCsv(series);
      const lines = text.split('\n');
      assert.equal(lines[0], 'date,open,high,low,close,volume');
      assert.equal(lines.length, 5);
      assert.equal(lines[4], '');
      assert.ok(!text.includes('\r'));
      for (const line of lines.slice(1, 4)) assert.match(line, /^\d{4}-\d\d-\d\d(,\d+\.\d{4}){4},\d+$/);
    });
  });

  describe('generateUniverse', () => {
    it('is deterministic per symbol, whatever the other symbols', () => {
      const [, b] = generateUniverse(['A', 'B'], 2, 3);
      const [alone] = generateUniverse(['B'], 2, 3);
      assert.equal(formatBarsCsv(b), formatBarsCsv(alone));
      assert.notEqual(formatBarsCsv(generateUniverse(['B'], 2, 4)[0]), formatBarsCsv(alone));
      assert.equal(b.symbol, 'B');
      assert.equal(b.dates.length, 504);
    });

    // Speed is measured in the benchmark (npm run bench), never in a test.
    it('makes consistent bars for many symbols over 20 years', () => {
      const symbols = Array.from({ length: 40 }, (_, i) => `S${String(i).padStart(3, '0')}`);
      const universe = generateUniverse(symbols, 20, 1);
      assert.equal(universe.length * universe[0].dates.length, 40 * 5040);
      for (const series of universe) assert.equal(violation(series), undefined);
    });
  });

  describe('aq data sample', () => {
    let out: string;
    const io = (): CommandIo & { out: string[]; err: string[] } => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false };
    };
    before(() => {
      out = mkdtempSync(path.join(tmpdir(), 'aq-data-sample-'));
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it('regenerates the committed data/sample files byte for byte', async () => {
      const streams = io();
      assert.equal(await main(['data', 'sample', '--out', out], streams), 0);
      assert.deepEqual(readdirSync(out).sort(), ['GLD.csv', 'GOOG.csv', 'MU.csv']);
      for (const name of ['MU.csv', 'GLD.csv', 'GOOG.csv']) {
        const committed = readFileSync(path.join(REPO, 'data', 'sample', name));
        assert.ok(readFileSync(path.join(out, name)).equals(committed), `${name} differs from data/sample/${name}`);
      }
      assert.match(streams.out.join(''), /wrote .*MU\.csv \(3021 bars\)/);
    });

    it('the sample files look like MU (~3%), GLD (~1%) and GOOG (~1.8%) from 2012-01-03 over 12+ years, and are small', () => {
      let bytes = 0;
      for (const [symbol, volatility] of [['MU', 0.03], ['GLD', 0.01], ['GOOG', 0.018]] as const) {
        const file = path.join(REPO, 'data', 'sample', `${symbol}.csv`);
        bytes += readFileSync(file).length;
        const { bars } = loadBarsFile(file);
        assert.equal(bars.symbol, symbol);
        assert.equal(bars.dates[0], '2012-01-03');
        assert.ok(bars.dates[bars.dates.length - 1] >= '2023-12-29');
        assert.equal(violation(bars), undefined);
        const measured = sd(logReturns(bars));
        assert.ok(Math.abs(measured / volatility - 1) < 0.2, `${symbol}: daily volatility ${measured}`);
      }
      assert.ok(bytes < 600_000, `${bytes} bytes`);
    });

    it('--years and --seed change the output deterministically', async () => {
      const a = path.join(out, 'a');
      const b = path.join(out, 'b');
      assert.equal(await main(['data', 'sample', '--out', a, '--years', '2', '--seed', '5'], io()), 0);
      assert.equal(await main(['data', 'sample', '--out', b, '--years', '2', '--seed', '5'], io()), 0);
      const text = readFileSync(path.join(a, 'GOOG.csv'), 'utf8');
      assert.equal(text, readFileSync(path.join(b, 'GOOG.csv'), 'utf8'));
      assert.equal(text.trim().split('\n').at(-1)!.slice(0, 10), '2013-12-31');
    });

    it('usage errors exit 2 and name the problem; --help documents the subcommand', async () => {
      const cases: [string[], string][] = [
        [['data'], 'expected a subcommand'],
        [['data', 'bogus'], 'unknown subcommand "bogus"'],
        [['data', 'sample'], '--out is required'],
        [['data', 'sample', '--out', out, '--years', '0'], '--years must be an integer from 1 to 100, got "0"'],
        [['data', 'sample', '--out', out, '--seed', 'x'], '--seed must be an integer, got "x"'],
        [['data', 'sample', '--out', out, '--bogus'], "Unknown option '--bogus'"],
      ];
      for (const [argv, fragment] of cases) {
        const streams = io();
        assert.equal(await main(argv, streams), 2, argv.join(' '));
        assert.ok(streams.err.join('').includes(fragment), `${argv.join(' ')}: ${streams.err.join('')}`);
      }
      const streams = io();
      assert.equal(await main(['data', '--help'], streams), 0);
      const help = streams.out.join('');
      for (const fragment of ['aq data sample --out DIR', '--years N', '--seed S', 'MU.csv', 'GLD.csv', 'GOOG.csv']) {
        assert.ok(help.includes(fragment), fragment);
      }
    });
  });
});
