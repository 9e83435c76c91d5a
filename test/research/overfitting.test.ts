/**
 * The overfitting statistics against the papers' worked examples, hand-computed values and
 * properties. Reference numbers: Bailey and Lopez de Prado 2012 (PSR, their hedge-fund example),
 * 2014 (DSR example, E[max] of 100 trials), Bailey et al. 2014 (MinBTL for 45 trials); normal
 * distribution values from mpmath at 40 digits.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  deflatedSharpe,
  expectedMaximumOfNormals,
  expectedMaximumSharpe,
  haircutSharpes,
  minimumBacktestLength,
  minimumTrackRecordLength,
  normalCdf,
  normalQuantile,
  overfittingSummary,
  probabilisticSharpe,
  returnMoments,
} from '../../src/research/overfitting';
import { gaussianTrials } from './gaussian-returns';

function expectRelative(actual: number, expected: number, tolerance: number, label = ''): void {
  const error = expected === 0 ? Math.abs(actual) : Math.abs((actual - expected) / expected);
  expect(error, `${label} ${actual} vs ${expected}`).to.be.at.most(tolerance);
}

describe('overfitting statistics', () => {
  describe('normal distribution', () => {
    it('Phi matches mpmath to 1e-14 relative, tails included', () => {
      const table: [number, number][] = [
        [-20, 2.7536241186062336951e-89], [-10, 7.619853024160526066e-24], [-5, 2.8665157187919391167e-7],
        [-3, 0.0013498980316300945267], [-1.5, 0.066807201268858066004], [-0.5, 0.30853753872598689636],
        [0, 0.5], [0.25, 0.59870632568292372424], [1, 0.84134474606854294859], [2, 0.9772498680518207928],
        [4, 0.99996832875816688008], [8, 0.9999999999999993779],
      ];
      for (const [x, expected] of table) expectRelative(normalCdf(x), expected, 1e-14, `Phi(${x})`);
    });

    it('InvPhi matches mpmath to 1e-14 relative, tails included', () => {
      const table: [number, number][] = [
        [1e-100, -21.273453560965324294], [1e-20, -9.2623400897984075796], [1e-10, -6.3613409024040561991],
        [1e-5, -4.2648907939228246102], [0.001, -3.0902323061678135354], [0.025, -1.9599639845400542118],
        [0.3, -0.52440051270804081597], [0.5, 0], [0.7, 0.52440051270804065631], [0.975, 1.9599639845400538556],
        [0.99, 2.3263478740408407676], [0.999999, 4.7534243088170877657],
      ];
      for (const [p, expected] of table) expectRelative(normalQuantile(p), expected, 1e-14, `InvPhi(${p})`);
      expect(normalQuantile(0)).to.equal(Number.NEGATIVE_INFINITY);
      expect(normalQuantile(1)).to.equal(Number.POSITIVE_INFINITY);
      expect(Number.isNaN(normalQuantile(1.5))).to.equal(true);
    });

    it('InvPhi inverts Phi and Phi is symmetric (property)', () => {
      fc.assert(
        fc.property(fc.double({ min: -30, max: 1, noNaN: true }), (x) => {
          expect(Math.abs(normalQuantile(normalCdf(x)) - x)).to.be.at.most(1e-13 * Math.max(1, Math.abs(x)));
          expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).to.be.at.most(2e-16);
        }),
      );
    });
  });

  describe('moments', () => {
    it('Sharpe, population skewness and raw kurtosis of a small series, by hand', () => {
      // r = 0.01 x [1, 2, 3, 4, 10]: mean 0.04, deviations 0.01 x [-3, -2, -1, 0, 6]
      // sum d^2 = 50e-4, sum d^3 = 180e-6, sum d^4 = 1394e-8
      // sample sd = sqrt(50e-4 / 4) = 0.01 sqrt(12.5); Sharpe = 4 / sqrt(12.5)
      // m2 = 10e-4, m3 = 36e-6, m4 = 278.8e-8: skew = 36 / 10^1.5, kurtosis = 278.8 / 100 = 2.788
      const moments = returnMoments([0.01, 0.02, 0.03, 0.04, 0.1]);
      expect(moments.observations).to.equal(5);
      expect(moments.mean).to.be.closeTo(0.04, 1e-15);
      expect(moments.standardDeviation).to.be.closeTo(0.01 * Math.sqrt(12.5), 1e-15);
      expect(moments.sharpe).to.be.closeTo(4 / Math.sqrt(12.5), 1e-12);
      expect(moments.skewness).to.be.closeTo(36 / 10 ** 1.5, 1e-12);
      expect(moments.kurtosis).to.be.closeTo(2.788, 1e-12);
    });

    it('a normal sample has kurtosis near 3 (raw, not excess) and skew near 0', () => {
      const [series] = gaussianTrials(7, 1, 200_000);
      const moments = returnMoments(series!);
      expect(moments.kurtosis).to.be.closeTo(3, 0.05);
      expect(moments.skewness).to.be.closeTo(0, 0.02);
    });

    it('Sharpe, skew and kurtosis do not change when returns are scaled; negation flips Sharpe and skew (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -0.1, max: 0.1, noNaN: true }), { minLength: 3, maxLength: 40 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (returns, scale) => {
          const base = returnMoments(returns);
          fc.pre(base.standardDeviation > 1e-6);
          const scaled = returnMoments(returns.map((value) => value * scale));
          const negated = returnMoments(returns.map((value) => -value));
          expect(scaled.sharpe).to.be.closeTo(base.sharpe, 1e-9 * (1 + Math.abs(base.sharpe)));
          expect(scaled.skewness).to.be.closeTo(base.skewness, 1e-8 * (1 + Math.abs(base.skewness)));
          expect(scaled.kurtosis).to.be.closeTo(base.kurtosis, 1e-8 * base.kurtosis);
          expect(negated.sharpe).to.be.closeTo(-base.sharpe, 1e-12 * (1 + Math.abs(base.sharpe)));
          expect(negated.skewness).to.be.closeTo(-base.skewness, 1e-9 * (1 + Math.abs(base.skewness)));
        }),
      );
    });

    it('a flat series has Sharpe 0; bad returns name the day', () => {
      expect(returnMoments([0, 0, 0]).sharpe).to.equal(0);
      expect(() => returnMoments([0.01, Number.NaN, 0.02], 'trial 3')).to.throw(RangeError, /trial 3: return at day 1 is NaN/);
      expect(() => returnMoments([0.01])).to.throw(RangeError, /need at least 2/);
    });
  });

  describe('PSR, DSR, MinTRL, MinBTL', () => {
    const hedgeFund = { sharpe: 1.585 / Math.sqrt(12), observations: 24, skewness: -2.448, kurtosis: 10.164 };

    it('E[max] of 100 standard normals = 2.5306028932016846', () => {
      expect(expectedMaximumOfNormals(100)).to.be.closeTo(2.5306028932016846, 1e-9);
      expect(expectedMaximumSharpe(100, 1)).to.be.closeTo(2.5306028932016846, 1e-9);
    });

    it("PSR of the paper's example = 0.9132343068848602", () => {
      expect(probabilisticSharpe(hedgeFund, 0)).to.be.closeTo(0.9132343068848602, 1e-9);
    });

    it('the excess-kurtosis trap: feeding kurtosis - 3 gives 0.91984, ours 0.91323', () => {
      const trapped = probabilisticSharpe({ ...hedgeFund, kurtosis: hedgeFund.kurtosis - 3 }, 0);
      expect(trapped).to.be.closeTo(0.91984, 5e-6);
      expect(probabilisticSharpe(hedgeFund, 0)).to.be.closeTo(0.91323, 5e-6);
      expect(trapped - probabilisticSharpe(hedgeFund, 0)).to.be.greaterThan(0.006);
    });

    it("DSR of the paper's example = 0.90039683444939", () => {
      const best = { sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 };
      expect(deflatedSharpe(best, 100, 0.5 / 250)).to.be.closeTo(0.90039683444939, 1e-9);
    });

    it('MinBTL(N = 45, SR = 1) = 4.998 years', () => {
      expect(minimumBacktestLength(45, 1)).to.be.closeTo(4.998, 0.0005);
      expect(minimumBacktestLength(45, 2)).to.be.closeTo(minimumBacktestLength(45, 1) / 4, 1e-12);
      expect(minimumBacktestLength(45, 0)).to.equal(Number.POSITIVE_INFINITY);
    });

    it('MinTRL by hand: SR 0.1, normal, 95%', () => {
      // 1 + (1 + (3 - 1) / 4 x 0.01) x (InvPhi(0.95) / 0.1)^2 = 1 + 1.005 x (16.448536269514722)^2
      expect(minimumTrackRecordLength({ sharpe: 0.1, skewness: 0, kurtosis: 3 })).to.be.closeTo(272.90711713658917, 1e-9);
      expect(minimumTrackRecordLength({ sharpe: 0.1, skewness: 0, kurtosis: 3 }, 0.1)).to.equal(Number.POSITIVE_INFINITY);
    });

    it('PSR over a record of MinTRL returns is the confidence (property)', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.01, max: 0.5, noNaN: true }),
          fc.double({ min: -2, max: 2, noNaN: true }),
          fc.double({ min: 1.5, max: 20, noNaN: true }),
          fc.double({ min: 0.55, max: 0.99, noNaN: true }),
          (sharpe, skewness, kurtosis, confidence) => {
            fc.pre(1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe > 0.01);
            const length = minimumTrackRecordLength({ sharpe, skewness, kurtosis }, 0, confidence);
            expect(probabilisticSharpe({ sharpe, skewness, kurtosis, observations: length }, 0)).to.be.closeTo(confidence, 1e-12);
          },
        ),
      );
    });
  });

  describe('Harvey-Liu haircut Sharpe', () => {
    // Per-period Sharpes 0.1, 0.05, -0.02 over T = 400: t = 2, 1, -0.4;
    // p = 2 Phi(-|t|) = 0.0455002638963584, 0.3173105078629141, 0.6891565167793517; c(3) = 11/6.
    const sharpes = [0.1, 0.05, -0.02];

    it('Bonferroni, Holm and BHY for the best trial, by hand', () => {
      const cuts = haircutSharpes(sharpes, 400, 0);
      // Bonferroni = Holm (rank 1) = 3 x 0.0455002638963584
      expect(cuts.bonferroni.adjustedPValue).to.be.closeTo(0.1365007916890752, 1e-15);
      expect(cuts.holm.adjustedPValue).to.be.closeTo(0.1365007916890752, 1e-15);
      // BHY = min(5.5 p1 / 1, 5.5 p2 / 2, 5.5 p3 / 3) = 5.5 x 0.0455002638963584
      expect(cuts.bhy.adjustedPValue).to.be.closeTo(0.2502514514299713, 1e-15);
      // HSR = InvPhi(1 - p / 2) / sqrt(400) (mpmath)
      expect(cuts.bonferroni.sharpe).to.be.closeTo(0.074447451390563029, 1e-14);
      expect(cuts.bhy.sharpe).to.be.closeTo(0.057486942076367118, 1e-14);
      expect(cuts.bonferroni.haircut).to.be.closeTo(1 - 0.74447451390563029, 1e-13);
    });

    it('the second trial: Holm steps down, BHY steps up', () => {
      const cuts = haircutSharpes(sharpes, 400, 1);
      expect(cuts.bonferroni.adjustedPValue).to.be.closeTo(3 * 0.31731050786291410, 1e-15 * 3);
      expect(cuts.holm.adjustedPValue).to.be.closeTo(0.63462101572582821, 1e-15);
      expect(cuts.bhy.adjustedPValue).to.be.closeTo(0.87260389662301378, 1e-15);
      expect(cuts.holm.sharpe).to.be.closeTo(0.023761642462354179, 1e-14);
      expect(cuts.bhy.sharpe).to.be.closeTo(0.0080175937844673787, 1e-14);
      expect(haircutSharpes(sharpes, 400, 2).bhy).to.deep.equal({ adjustedPValue: 1, sharpe: -0.02, haircut: 0 });
    });

    it('a haircut Sharpe, tested alone, is exactly as significant as the adjusted p-value (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 50, max: 3000 }), (values, observations) => {
          const best = values.indexOf(Math.max(...values));
          for (const cut of Object.values(haircutSharpes(values, observations, best))) {
            expect(cut.sharpe).to.be.at.most(Math.max(values[best]!, 0) + 1e-15);
            expect(cut.haircut).to.be.within(0, 1);
            if (values[best]! > 0 && cut.adjustedPValue < 1 && cut.adjustedPValue > 1e-12 && cut.sharpe < values[best]!) {
              expect(2 * normalCdf(-cut.sharpe * Math.sqrt(observations))).to.be.closeTo(cut.adjustedPValue, 1e-9 * cut.adjustedPValue + 1e-15);
            }
          }
        }),
      );
    });
  });

  describe('overfittingSummary', () => {
    it('has exactly the sweep JSON keys and agrees with the parts', () => {
      const trials = gaussianTrials(11, 8, 600);
      const summary = overfittingSummary(trials, { blocks: 8 });
      expect(Object.keys(summary)).to.deep.equal(['trials', 'best', 'pbo', 'degradation_slope', 'probability_oos_loss', 'min_btl_years', 'haircut_sharpe']);
      expect(Object.keys(summary.best)).to.deep.equal(['index', 'sharpe', 'psr', 'dsr']);
      expect(Object.keys(summary.haircut_sharpe)).to.deep.equal(['bonferroni', 'holm', 'bhy']);
      // The best trial and its statistics, recomputed here from the moments.
      const moments = trials.map((trial) => returnMoments(trial));
      const sharpes = moments.map((moment) => moment.sharpe);
      const bestIndex = sharpes.indexOf(Math.max(...sharpes));
      const mean = sharpes.reduce((sum, value) => sum + value, 0) / sharpes.length;
      const variance = sharpes.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sharpes.length - 1);
      expect(summary.trials).to.equal(8);
      expect(summary.best.index).to.equal(bestIndex);
      expect(summary.best.sharpe).to.be.closeTo(sharpes[bestIndex]! * Math.sqrt(252), 1e-12);
      expect(summary.best.psr).to.be.closeTo(probabilisticSharpe(moments[bestIndex]!), 1e-15);
      expect(summary.best.dsr).to.be.closeTo(probabilisticSharpe(moments[bestIndex]!, Math.sqrt(variance) * expectedMaximumOfNormals(8)), 1e-12);
      expect(summary.min_btl_years).to.be.closeTo((expectedMaximumOfNormals(8) / summary.best.sharpe) ** 2, 1e-9);
      expect(summary.haircut_sharpe.bhy).to.be.closeTo(haircutSharpes(sharpes, 600, bestIndex).bhy.sharpe * Math.sqrt(252), 1e-12);
      expect(summary.pbo).to.be.within(0, 1);
      // Noise: DSR is far below PSR.
      expect(summary.best.dsr!).to.be.lessThan(summary.best.psr);
    });

    it('the lowest index wins a tie for best; one trial gives nulls, not nonsense', () => {
      const [trial] = gaussianTrials(5, 1, 64);
      expect(overfittingSummary([trial!, trial!], { blocks: 4 }).best.index).to.equal(0);
      const single = overfittingSummary([trial!]);
      expect(single.best.dsr).to.equal(null);
      expect(single.pbo).to.equal(null);
      expect(single.min_btl_years).to.equal(null);
    });

    it('trials of different lengths are refused, naming the trial', () => {
      expect(() => overfittingSummary([new Float64Array(40), new Float64Array(39)])).to.throw(RangeError, /trial 1 has 39 returns, trial 0 has 40/);
    });
  });
});
