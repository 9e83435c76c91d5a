/**
 * The streaming overfitting statistics (trials one at a time, per-block sums kept) equal the
 * in-memory `overfittingSummary` bit for bit: on noise, on noise with one skilled trial, with
 * a dropped remainder (T mod S != 0), other block counts, and one trial.
 */
import { expect } from 'chai';
import { OverfittingAccumulator, overfittingSummary } from '../../src/research/overfitting';
import { gaussianTrials } from './gaussian-returns';

function streamed(trials: Float64Array[], blocks?: number) {
  const accumulator = new OverfittingAccumulator({ blocks });
  for (const trial of trials) accumulator.add(trial);
  return accumulator.summary();
}

describe('overfitting accumulator', () => {
  const cases: [string, Float64Array[], number | undefined][] = [
    ['noise, 40 trials, 1003 days', gaussianTrials(3, 40, 1003), undefined],
    ['noise plus one skilled trial', [...gaussianTrials(5, 30, 800), ...gaussianTrials(6, 1, 800, 0.002)], undefined],
    ['8 blocks, 17 trials', gaussianTrials(9, 17, 257, 0.0003), 8],
    ['one trial', gaussianTrials(11, 1, 300), undefined],
  ];
  for (const [name, trials, blocks] of cases) {
    it(`equals overfittingSummary exactly: ${name}`, () => {
      const expected = overfittingSummary(trials, { blocks });
      expect(streamed(trials, blocks)).to.deep.equal(expected);
      if (trials.length > 1) expect(expected.pbo).to.be.a('number');
    });
  }

  it('refuses trials of different lengths and an odd block count, like the in-memory one', () => {
    const accumulator = new OverfittingAccumulator();
    accumulator.add(new Float64Array([0.01, -0.01, 0.02]));
    expect(() => accumulator.add(new Float64Array([0.01, 0.02]))).to.throw(/trial 1 has 2 returns, trial 0 has 3/);
    expect(() => new OverfittingAccumulator({ blocks: 5 })).to.throw(/even integer/);
    expect(() => new OverfittingAccumulator().summary()).to.throw(/no trials/);
  });
});
