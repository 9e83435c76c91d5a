/**
 * The batch rows of the factors (private: not exported from src/factors/index.ts). computeFactors
 * fills them over a whole series; computeSignals chunk by chunk, right after each chunk of features.
 */
import type { FeatureColumns } from '../features/feature-set';
import type { FactorColumns, FactorModel } from './factor-model';

/** The score weight of a factor: 0 when the score does not list it (also for names like "constructor"). */
export function scoreWeight(model: FactorModel, factorName: string): number {
  return Object.hasOwn(model.score, factorName) ? model.score[factorName] : 0;
}

/** One term of a factor, resolved to its input column. */
interface TermPlan {
  readonly input: Float64Array;
  readonly weight: number;
  readonly low: number;
  readonly high: number;
  readonly clamped: boolean;
}

interface FactorPlan {
  readonly column: Float64Array;
  readonly weight: number;
  readonly terms: readonly TermPlan[];
}

/**
 * The factor model resolved to columns: fresh output columns (in `out`, plus `score`) and, per
 * factor, its terms' input columns. `fillFactorRows` then fills any range of rows.
 */
export interface FactorFill {
  readonly out: FactorColumns;
  readonly factors: readonly FactorPlan[];
  readonly score: Float64Array;
}

/** Allocates the factor columns of `count` rows for `features` (which may still be filling). */
export function planFactorFill(model: FactorModel, features: FeatureColumns, count: number): FactorFill {
  const out: FactorColumns = {};
  // Resolve names to columns once; the inner loops then touch only typed arrays.
  const factors = Object.entries(model.factors).map(([factorName, terms]) => ({
    column: (out[factorName] = new Float64Array(count)),
    weight: scoreWeight(model, factorName),
    terms: terms.map((term) => ({
      input: features[term.feature],
      weight: term.weight,
      low: term.clamp === undefined ? -Infinity : term.clamp[0],
      high: term.clamp === undefined ? Infinity : term.clamp[1],
      clamped: term.clamp !== undefined,
    })),
  }));
  const score = new Float64Array(count);
  out.score = score;
  return { out, factors, score };
}

/**
 * Rows `from..to-1` of every factor and the score. The sums run in the same order as
 * evaluateFactors, from the same 0 (`0 + x` is not always `x`: it turns -0 into 0), so both give
 * the same bits; each term is one tight loop over the range, which the features' chunks keep in
 * cache (computeSignals calls this after each chunk of features).
 */
export function fillFactorRows(fill: FactorFill, from: number, to: number): void {
  for (const factor of fill.factors) {
    const column = factor.column;
    const terms = factor.terms;
    for (let k = 0; k < terms.length; k++) {
      const { input, weight, low, high } = terms[k];
      if (terms[k].clamped) {
        if (k === 0) setClampedRows(column, input, weight, low, high, from, to);
        else addClampedRows(column, input, weight, low, high, from, to);
      } else if (k === 0) setRows(column, input, weight, from, to);
      else addRows(column, input, weight, from, to);
    }
  }
  const factors = fill.factors;
  for (let k = 0; k < factors.length; k++) {
    if (k === 0) setRows(fill.score, factors[k].column, factors[k].weight, from, to);
    else addRows(fill.score, factors[k].column, factors[k].weight, from, to);
  }
}

/** The first term of a sum: `out[i] = 0 + weight * input[i]`. */
function setRows(out: Float64Array, input: Float64Array, weight: number, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = 0 + weight * input[i];
}

/** A later term: `out[i] += weight * input[i]`. */
function addRows(out: Float64Array, input: Float64Array, weight: number, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] += weight * input[i];
}

/** setRows of the input clamped to [low, high], as termValue clamps it. */
function setClampedRows(out: Float64Array, input: Float64Array, weight: number, low: number, high: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const value = input[i];
    out[i] = 0 + weight * (value < low ? low : value > high ? high : value);
  }
}

/** addRows of the input clamped to [low, high]. */
function addClampedRows(out: Float64Array, input: Float64Array, weight: number, low: number, high: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const value = input[i];
    out[i] += weight * (value < low ? low : value > high ? high : value);
  }
}

