/**
 * The perturbation itself: the replacement bars are different in every field, plausible
 * (consistent OHLC, ascending weekdays) and move the other way to the originals; the rewritten
 * files keep every row up to the cut byte for byte and load back to exactly the same bars
 * there. checkPerturbedBars, the detector's self-check, refuses a perturbation that is not.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBarsCsv } from '../../src/data/load-bars';
import { checkPerturbedBars, nextWeekday, perturbBarsText, perturbedBars } from '../../src/lookahead';
import { encodeBarsText, lastIndexOnOrBefore, readBarsText } from '../../src/lookahead/perturb';
import { seededRandom } from '../../src/lookahead/random';
import { csvText, syntheticSeries } from './fixtures';

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

describe('lookahead: perturbation of the bars after a cut', function () {
  it('nextWeekday skips weekends and is increasing', function () {
    assert.equal(nextWeekday('2024-03-08'), '2024-03-11'); // Friday -> Monday
    assert.equal(nextWeekday('2024-03-09'), '2024-03-11'); // Saturday -> Monday
    assert.equal(nextWeekday('2024-02-28'), '2024-02-29');
    assert.equal(nextWeekday('2023-12-29'), '2024-01-01');
  });

  it('replacement bars differ in every field, are consistent, ascending weekdays after the cut, and move against the original', function () {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 160 }), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (count, seed, where) => {
        const series = syntheticSeries('XYZ', count, seed);
        const lastKept = Math.min(count - 2, Math.floor(where * (count - 1)));
        const bars = perturbedBars(series, lastKept, seededRandom(seed, 'test'));
        assert.equal(bars.length, count - lastKept - 1);
        let previousDate = series.dates[lastKept];
        let previousClose = series.close[lastKept];
        let previousVolume = series.volume[lastKept];
        bars.forEach((bar, k) => {
          const i = lastKept + 1 + k;
          for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
            assert.notEqual(bar[field], series[field][i], `${field} at ${i} unchanged`);
          }
          assert.notEqual(bar.date, series.dates[i]);
          assert.ok(bar.date > previousDate, `${bar.date} after ${previousDate}`);
          assert.ok(![0, 6].includes(new Date(`${bar.date}T00:00:00Z`).getUTCDay()), `${bar.date} is a weekday`);
          assert.ok(bar.low > 0 && bar.low <= Math.min(bar.open, bar.close) && Math.max(bar.open, bar.close) <= bar.high, JSON.stringify(bar));
          assert.ok(Number.isInteger(bar.volume) && bar.volume >= 1);
          // Every close move goes the other way to the original's move on that day.
          const originalMove = sign(series.close[i] - series.close[i - 1]);
          if (originalMove !== 0) assert.equal(sign(bar.close - previousClose), -originalMove, `close move at ${i}`);
          if (k === 0) {
            const originalVolumeMove = sign(series.volume[i] - series.volume[i - 1]);
            if (originalVolumeMove !== 0) assert.equal(sign(bar.volume - previousVolume), -originalVolumeMove, 'first volume move');
          }
          previousDate = bar.date;
          previousClose = bar.close;
          previousVolume = bar.volume;
        });
      }),
      { numRuns: 60, seed: 20240308 },
    );
  });

  it('is deterministic for a seed and changes with it', function () {
    const series = syntheticSeries('XYZ', 80, 1);
    const a = perturbedBars(series, 40, seededRandom(1, 'x'));
    assert.deepEqual(perturbedBars(series, 40, seededRandom(1, 'x')), a);
    assert.notDeepEqual(perturbedBars(series, 40, seededRandom(2, 'x')), a);
  });

  it('rewrites only the rows after the cut; the file loads back to the same bars up to the cut', function () {
    const series = syntheticSeries('XYZ', 60, 4);
    const text = csvText(series);
    const cut = series.dates[29];
    const perturbed = perturbBarsText(text, series, cut, perturbedBars(series, 29, seededRandom(4, 'x')));
    const before = text.split('\n');
    const after = perturbed.split('\n');
    assert.deepEqual(after.slice(0, 31), before.slice(0, 31), 'header and 30 rows kept byte for byte');
    assert.equal(after.length, before.length);
    assert.ok(after.slice(31, -1).every((line, k) => line !== before[31 + k]));
    const loaded = parseBarsCsv(perturbed, 'XYZ.csv', { symbol: 'XYZ' }).bars;
    checkPerturbedBars(series, loaded, cut);
    assert.equal(lastIndexOnOrBefore(loaded.dates, cut), 29);
  });

  it('keeps other columns, quotes, CRLF line ends and an Adj Close column (set to the new close) in a Yahoo-style file', function () {
    const rows = [
      'Date,Open,High,Low,Close,Adj Close,Volume,Name',
      '2024-01-02,10,11,9,10.5,5.25,1000,"Acme, Inc."',
      '2024-01-03,10.5,12,10,11,5.5,1100,"Acme, Inc."',
      '2024-01-04,11,11.5,10.5,11.2,5.6,900,"Acme, Inc."',
      '2024-01-05,11.2,11.8,11,11.6,5.8,1200,"Acme, Inc."',
      '',
    ];
    const text = rows.join('\r\n');
    const original = parseBarsCsv(text, 'ACME.csv', { symbol: 'ACME', adjust: true }).bars;
    const cut = '2024-01-03';
    const replacements = perturbedBars(original, 1, seededRandom(9, 'x'));
    const perturbed = perturbBarsText(text, original, cut, replacements);
    const lines = perturbed.split('\r\n');
    assert.deepEqual(lines.slice(0, 3), rows.slice(0, 3));
    assert.equal(lines.length, rows.length);
    const fields = lines[3].split(',');
    assert.equal(fields[0], replacements[0].date);
    assert.equal(Number(fields[4]), replacements[0].close);
    assert.equal(fields[5], fields[4], 'Adj Close = Close');
    assert.equal(lines[3].slice(lines[3].indexOf('"')), '"Acme, Inc."');
    checkPerturbedBars(original, parseBarsCsv(perturbed, 'ACME.csv', { symbol: 'ACME', adjust: true }).bars, cut);
  });

  it('removes rows after the cut that the loader drops, so they cannot come back once dates move', function () {
    const text = [
      'date,open,high,low,close,volume',
      '2024-01-02,10,11,9,10.5,1000',
      '2024-01-03,10.5,12,10,11,1100',
      '2024-01-03,10.5,12,10,11,1100',
      '2024-01-04,11,11.5,10.5,11.2,900',
      '2024-01-05,11,11.5,10.5,-1,900',
      '2024-01-08,11.2,11.8,11,11.6,1200',
      '',
    ].join('\n');
    const original = parseBarsCsv(text, 'X.csv', { symbol: 'X', invalidRows: 'drop' });
    assert.equal(original.dropped.length, 2);
    const perturbed = perturbBarsText(text, original.bars, '2024-01-02', perturbedBars(original.bars, 0, seededRandom(1, 'x')));
    const reloaded = parseBarsCsv(perturbed, 'X.csv', { symbol: 'X', invalidRows: 'drop' });
    assert.equal(reloaded.dropped.length, 0);
    checkPerturbedBars(original.bars, reloaded.bars, '2024-01-02');
  });

  it('round-trips gzip files', function () {
    const text = csvText(syntheticSeries('XYZ', 10, 1));
    assert.equal(readBarsText(encodeBarsText(text, 'XYZ.csv.gz'), 'XYZ.csv.gz'), text);
    assert.equal(encodeBarsText(text, 'XYZ.csv').toString('utf8'), text);
  });

  it('the self-check refuses a perturbation that left a field unchanged or touched a bar before the cut', function () {
    const series = syntheticSeries('XYZ', 30, 2);
    const replacements = perturbedBars(series, 14, seededRandom(2, 'x'));
    const rows = (bars: typeof replacements) => [
      ...series.dates.slice(0, 15).map((date, i) => ({ date, open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i] })),
      ...bars,
    ];
    const load = (bars: typeof replacements) => parseBarsCsv(csvText(seriesOf(rows(bars))), 'XYZ.csv', { symbol: 'XYZ' }).bars;
    const seriesOf = (list: ReturnType<typeof rows>) => ({ ...series, dates: list.map((row) => row.date), open: Float64Array.from(list, (row) => row.open), high: Float64Array.from(list, (row) => row.high), low: Float64Array.from(list, (row) => row.low), close: Float64Array.from(list, (row) => row.close), volume: Float64Array.from(list, (row) => row.volume) });
    checkPerturbedBars(series, load(replacements), series.dates[14]);
    const sameVolume = replacements.map((bar, k) => (k === 3 ? { ...bar, volume: series.volume[18] } : bar));
    assert.throws(() => checkPerturbedBars(series, load(sameVolume), series.dates[14]), /volume at .* is .*, was/);
    assert.throws(() => checkPerturbedBars(series, load(replacements), series.dates[13]), /internal error/);
  });
});
