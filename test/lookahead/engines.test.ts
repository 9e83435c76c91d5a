/**
 * The availability check against broken engines (test/lookahead/leaky-engines.ts): each shows
 * the strategy something from after the decision's close, and the check names the first
 * decision date it happens at, worked out by hand from the fixture's calendar.
 */
import assert from 'node:assert/strict';
import { checkLookahead } from '../../src/lookahead';
import { assertFinding, assertOutcome, findingOf } from './assertions';
import { writeSyntheticUniverse, type SyntheticUniverse } from './fixtures';
import {
  indexPastTodayEngine,
  readsTwoAheadStrategy,
  sloppyHistoryEngine,
  tomorrowsBarEngine,
  tomorrowsFeaturesEngine,
  unboundedHistoryEngine,
} from './leaky-engines';

describe('lookahead: availability catches engines that leak', function () {
  let data: SyntheticUniverse;
  let dates: readonly string[];
  const check = (engine: Parameters<typeof checkLookahead>[0]['engine'], strategy: Parameters<typeof checkLookahead>[0]['strategy'] = 'trend-breakout') =>
    checkLookahead({ strategy, engine, universe: data.symbols, dataDir: data.dir, cuts: 3, seed: 5 });

  before(function () {
    data = writeSyntheticUniverse(['AAA', 'BBB'], 120, 11);
    dates = data.bars[0].dates;
  });
  after(function () {
    data.remove();
  });

  it("tomorrow's bar shown as today's: at the first decision, the bar's date", function () {
    const report = check(tomorrowsBarEngine);
    assertFinding(findingOf(report, 'availability'), { symbol: 'AAA', date: dates[0], subject: 'view.bar.date', expected: dates[0], actual: dates[1] });
  });

  it("tomorrow's features: at t = 18, the day before volume_zscore (20 volumes) is ready", function () {
    const report = check(tomorrowsFeaturesEngine);
    const finding = findingOf(report, 'availability');
    assertFinding(finding, { symbol: 'AAA', date: dates[18], subject: 'feature "volume_zscore"', expected: null });
    assert.equal(typeof finding.actual, 'number');
  });

  it('an index one bar past today: at the first decision', function () {
    const report = check(indexPastTodayEngine);
    assertFinding(findingOf(report, 'availability'), { symbol: 'AAA', date: dates[0], subject: 'view.index', expected: 0, actual: 1 });
  });

  it('a history that hands out later bars: at the first decision, the probe of bar t + 1', function () {
    const report = check(unboundedHistoryEngine);
    assertFinding(findingOf(report, 'availability'), { symbol: 'AAA', date: dates[0], subject: 'history.at(t + 1)', expected: 'an error', actual: dates[1] });
  });

  it('a history that only refuses bar t + 1, read two bars ahead by the strategy: the record of bars read', function () {
    const report = check(sloppyHistoryEngine, readsTwoAheadStrategy);
    assertFinding(findingOf(report, 'availability'), {
      symbol: 'AAA',
      date: dates[0],
      subject: 'history bar read while deciding',
      expected: `a bar dated <= ${dates[0]}`,
      actual: dates[2],
    });
    // The same strategy on the honest engine: the history throws, nothing is read, nothing is found.
    assertOutcome(check(undefined, readsTwoAheadStrategy), { availability: true });
  });
});
