/**
 * The batch rows of the factors (private: not exported from src/factors/index.ts). computeFactors
 * fills them over a whole series; computeSignals chunk by chunk, right after each chunk of features.
 */
import type { FeatureColumns } from '../features/feature-set';
import type { FactorColumns, FactorModel } from './factor-types';

/** The score weight of a factor: 0 when the score does not list it (also for names like "constructor"). */
export function scoreWeight(model: FactorModel, factorName: string): number {
  return Object.hasOwn(model.score, factorName) ? model.score[factorName] : 0;
}

/**
 * One term of a weighted sum, resolved to its input column. An unclamped term gets the bounds
 * -Infinity and Infinity: clamping to them returns every value unchanged (NaN and -0 included),
 * so one loop serves both.
 */
interface TermPlan {
  readonly input: Float64Array;
  readonly weight: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The factor model resolved to columns: fresh output columns (in `out`, plus `score`), each with
 * the terms of its weighted sum (the score's terms are the factor columns). `fillFactorRows`
 * then fills any range of rows.
 */
export interface FactorFill {
  readonly out: FactorColumns;
  readonly sums: readonly { readonly column: Float64Array; readonly terms: readonly TermPlan[] }[];
}

/** Allocates the factor columns of `count` rows for `features` (which may still be filling). */
export function planFactorFill(model: FactorModel, features: FeatureColumns, count: number): FactorFill {
  const out: FactorColumns = {};
  // Resolve names to columns once; the loops then touch only typed arrays. The factors come
  // first, then the score, which reads them.
  const sums = Object.entries(model.factors).map(([factorName, terms]) => ({
    column: (out[factorName] = new Float64Array(count)),
    terms: terms.map((term) => ({
      input: features[term.feature],
      weight: term.weight,
      low: term.clamp === undefined ? -Infinity : term.clamp[0],
      high: term.clamp === undefined ? Infinity : term.clamp[1],
    })),
  }));
  const score = new Float64Array(count);
  const scoreTerms = Object.keys(model.factors).map((factorName) => ({
    input: out[factorName],
    weight: scoreWeight(model, factorName),
    low: -Infinity,
    high: Infinity,
  }));
  out.score = score;
  return { out, sums: [...sums, { column: score, terms: scoreTerms }] };
}

/**
 * Rows `from..to-1` of every factor and the score. The sums run in the same order as
 * evaluateFactors, from the same 0 (`0 + x` is not always `x`: it turns -0 into 0), so both give
 * the same bits. The first two terms of a sum share one loop (the default model has two terms a
 * factor and two factors: three loops over the rows instead of six); the rows are those of the
 * chunk of features that computeSignals has just computed, still in cache.
 */
export function fillFactorRows(fill: FactorFill, from: number, to: number): void {
  for (const { column, terms } of fill.sums) {
    if (terms.length === 1) {
      oneTermRows(column, terms[0], from, to);
      continue;
    }
    twoTermRows(column, terms[0], terms[1], from, to);
    for (let k = 2; k < terms.length; k++) addTermRows(column, terms[k], from, to);
  }
}

/** `out[i] = 0 + weight * clamp(input[i])`, the clamp as termValue's. */
function oneTermRows(out: Float64Array, term: TermPlan, from: number, to: number): void {
  const { input, weight, low, high } = term;
  for (let i = from; i < to; i++) {
    const value = input[i];
    out[i] = 0 + weight * (value < low ? low : value > high ? high : value);
  }
}

/** `out[i] = (0 + first term) + second term`. */
function twoTermRows(out: Float64Array, first: TermPlan, second: TermPlan, from: number, to: number): void {
  const { input: inputA, weight: weightA, low: lowA, high: highA } = first;
  const { input: inputB, weight: weightB, low: lowB, high: highB } = second;
  if (lowA === -Infinity && highA === Infinity && lowB === -Infinity && highB === Infinity) {
    // Neither term clamped (momentum, the score): the clamps would return every value unchanged.
    for (let i = from; i < to; i++) out[i] = 0 + weightA * inputA[i] + weightB * inputB[i];
    return;
  }
  for (let i = from; i < to; i++) {
    const a = inputA[i];
    const b = inputB[i];
    out[i] = 0 + weightA * (a < lowA ? lowA : a > highA ? highA : a) + weightB * (b < lowB ? lowB : b > highB ? highB : b);
  }
}

/** `out[i] += weight * clamp(input[i])`: a third or later term. */
function addTermRows(out: Float64Array, term: TermPlan, from: number, to: number): void {
  const { input, weight, low, high } = term;
  for (let i = from; i < to; i++) {
    const value = input[i];
    out[i] += weight * (value < low ? low : value > high ? high : value);
  }
}
