/**
 * PBO by CSCV: a hand-worked case, the tie conventions, an independent brute-force reference
 * (direct Sharpes of the concatenated blocks, no block sums) on random data, the noise and skill
 * properties of the paper, and the speed of 1,000 trials x 10 years.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors';
import { backtestOverfitting } from '../../src/research/overfitting';
import { gaussianTrials } from './gaussian-returns';

/** mean / sample sd, computed directly from the returns. */
function directSharpe(returns: readonly number[]): number {
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  return mean / Math.sqrt(variance);
}

/** All k-subsets of 0..n-1 in lexicographic order. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const result: number[][] = [];
  for (let first = 0; first <= n - k; first += 1) {
    for (const rest of subsets(n - first - 1, k - 1)) result.push([first, ...rest.map((index) => index + first + 1)]);
  }
  return result;
}

/** The paper's steps 1-5 written out plainly, as the reference for the fast implementation. */
function bruteForcePbo(trials: Float64Array[], blocks: number) {
  const days = trials[0]!.length;
  const length = Math.floor(days / blocks);
  const dropped = days - length * blocks;
  const pick = (trial: Float64Array, set: number[]) => set.flatMap((block) => Array.from(trial.subarray(dropped + block * length, dropped + (block + 1) * length)));
  const logits: number[] = [];
  const pairs: [number, number][] = [];
  for (const inSample of subsets(blocks, blocks / 2)) {
    const outSample = Array.from({ length: blocks }, (_, block) => block).filter((block) => !inSample.includes(block));
    const inSharpes = trials.map((trial) => directSharpe(pick(trial, inSample)));
    const outSharpes = trials.map((trial) => directSharpe(pick(trial, outSample)));
    const best = inSharpes.indexOf(Math.max(...inSharpes));
    const value = outSharpes[best]!;
    const rank = outSharpes.filter((other) => other < value).length + (outSharpes.filter((other) => other === value).length + 1) / 2;
    const omega = rank / (trials.length + 1);
    logits.push(Math.log(omega / (1 - omega)));
    pairs.push([inSharpes[best]!, value]);
  }
  const meanX = pairs.reduce((sum, [x]) => sum + x, 0) / pairs.length;
  const meanY = pairs.reduce((sum, [, y]) => sum + y, 0) / pairs.length;
  const slope = pairs.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / pairs.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return {
    pbo: logits.filter((logit) => logit <= 0).length / logits.length,
    logits,
    slope,
    loss: pairs.filter(([, y]) => y < 0).length / pairs.length,
  };
}

describe('probability of backtest overfitting (CSCV)', () => {
  it('two trials, S = 2, worked by hand (the first T mod S days dropped)', () => {
    // T = 5, S = 2: day 0 dropped, blocks of 2 days. Trial 0: block 0 [0.01, 0.03] (Sharpe
    // 0.02 / 0.01414 = sqrt 2), block 1 [0.01, -0.01] (Sharpe 0). Trial 1: block 0 [0, 0.02]
    // (Sharpe 1 / sqrt 2), block 1 [0.02, 0.04] (Sharpe 3 / sqrt 2).
    // IS = {0}: trial 0 best (sqrt 2 > 1/sqrt 2); OOS Sharpes 0 vs 3/sqrt 2: rank 1, omega 1/3.
    // IS = {1}: trial 1 best (3/sqrt 2 > 0); OOS Sharpes 1/sqrt 2 vs sqrt 2: rank 1, omega 1/3.
    // Both logits ln(1/2) <= 0: PBO 1. Slope of OOS (0, 1/sqrt 2) on IS (sqrt 2, 3/sqrt 2) = 1;
    // no OOS Sharpe below 0.
    const trials = [Float64Array.of(99, 0.01, 0.03, 0.01, -0.01), Float64Array.of(-99, 0, 0.02, 0.02, 0.04)];
    const result = backtestOverfitting(trials, { blocks: 2 });
    expect(result.droppedDays).to.equal(1);
    expect(result.blockLength).to.equal(2);
    expect(Array.from(result.selectedTrials)).to.deep.equal([0, 1]);
    expect(result.inSampleSharpes[0]).to.be.closeTo(Math.SQRT2, 1e-12);
    expect(result.inSampleSharpes[1]).to.be.closeTo(3 / Math.SQRT2, 1e-12);
    expect(result.outOfSampleSharpes[0]).to.be.closeTo(0, 1e-12);
    expect(result.outOfSampleSharpes[1]).to.be.closeTo(1 / Math.SQRT2, 1e-12);
    for (const logit of result.logits) expect(logit).to.be.closeTo(Math.log(0.5), 1e-12);
    expect(result.pbo).to.equal(1);
    expect(result.degradationSlope).to.be.closeTo(1, 1e-9);
    expect(result.probabilityOutOfSampleLoss).to.equal(0);
  });

  it('identical trials: the lowest index is selected, its tied OOS rank is the average, lambda = 0 counts as overfit', () => {
    const [trial] = gaussianTrials(3, 1, 160);
    const result = backtestOverfitting([trial!, trial!, trial!], { blocks: 4 });
    expect(result.logits.length).to.equal(6); // C(4, 2)
    expect(Array.from(result.selectedTrials)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    // average rank of three ties = 2, omega = 2 / 4 = 1/2, lambda = 0
    for (const logit of result.logits) expect(logit).to.equal(0);
    expect(result.pbo).to.equal(1);
  });

  it('equals the brute-force reference on random trials (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 13 }), fc.constantFrom(2, 4, 6), fc.integer({ min: 1, max: 1e9 }), (count, extraDays, blocks, seed) => {
        const days = blocks * 4 + extraDays;
        const trials = gaussianTrials(seed, count, days, 0.0005, 0.01);
        const fast = backtestOverfitting(trials, { blocks });
        const reference = bruteForcePbo(trials, blocks);
        expect(fast.pbo).to.equal(reference.pbo);
        expect(fast.logits.length).to.equal(reference.logits.length);
        reference.logits.forEach((logit, split) => expect(fast.logits[split]).to.be.closeTo(logit, 1e-12));
        expect(fast.probabilityOutOfSampleLoss).to.equal(reference.loss);
        if (Number.isFinite(reference.slope)) expect(fast.degradationSlope).to.be.closeTo(reference.slope, 1e-7 * (1 + Math.abs(reference.slope)));
      }),
      { numRuns: 60 },
    );
  });

  it('the dropped first T mod S days do not matter (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 1e9 }), (extra, seed) => {
        const trials = gaussianTrials(seed, 5, 16 * 10);
        const noise = gaussianTrials(seed + 1, 5, extra, 0.5, 1);
        const padded = trials.map((trial, index) => Float64Array.from([...noise[index]!, ...trial]));
        expect(backtestOverfitting(padded).logits).to.deep.equal(backtestOverfitting(trials).logits);
      }),
      { numRuns: 20 },
    );
  });

  it('pure noise: the mean PBO over 20 seeds lies in 0.4..0.6', () => {
    let total = 0;
    for (let seed = 1; seed <= 20; seed += 1) total += backtestOverfitting(gaussianTrials(1000 + seed, 50, 1000)).pbo;
    const mean = total / 20;
    expect(mean).to.be.within(0.4, 0.6);
  });

  it('one truly skilled trial among noise: PBO <= 0.05, and the OOS loss is rare', () => {
    // Ten years; daily Sharpe 0.2 (3.2 a year) against 49 noise trials, whose best IS Sharpe
    // over 1,260 days is about 2.2 / sqrt(1260) = 0.06.
    for (const seed of [1, 2, 3]) {
      const trials = gaussianTrials(seed, 49, 2520);
      trials.splice(17, 0, ...gaussianTrials(seed + 100, 1, 2520, 0.002, 0.01));
      const result = backtestOverfitting(trials);
      expect(result.pbo).to.be.at.most(0.05);
      expect(result.probabilityOutOfSampleLoss).to.be.at.most(0.05);
      expect(result.selectedTrials.every((trial) => trial === 17)).to.equal(true);
    }
  });

  it('bad S and bad trials are refused with the value named', () => {
    const trials = gaussianTrials(1, 3, 64);
    expect(() => backtestOverfitting(trials, { blocks: 3 })).to.throw(ConfigError, /even integer >= 2, got 3/);
    expect(() => backtestOverfitting(trials, { blocks: 0 })).to.throw(ConfigError, /got 0/);
    expect(() => backtestOverfitting(trials, { blocks: 26 })).to.throw(ConfigError, /10400600 splits/);
    expect(() => backtestOverfitting(trials.slice(0, 1))).to.throw(RangeError, /need at least 2/);
    expect(() => backtestOverfitting(gaussianTrials(1, 3, 15))).to.throw(RangeError, /15 returns in 16 blocks leave 0 per half/);
    const broken = gaussianTrials(1, 3, 64);
    broken[2]![40] = Number.POSITIVE_INFINITY;
    expect(() => backtestOverfitting(broken)).to.throw(RangeError, /trial 2: return at day 40 is Infinity/);
  });

  it('1,000 trials x 2,520 days, S = 16 (12,870 splits) runs in seconds', function () {
    this.timeout(60_000);
    const trials = gaussianTrials(42, 1000, 2520);
    const start = performance.now();
    const result = backtestOverfitting(trials);
    const seconds = (performance.now() - start) / 1000;
    expect(result.logits.length).to.equal(12870);
    expect(result.pbo).to.be.within(0, 1);
    expect(seconds, `${seconds.toFixed(2)} s`).to.be.below(20);
  });
});
