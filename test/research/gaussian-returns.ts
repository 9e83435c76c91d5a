/** Seeded normal daily returns for the overfitting tests (Box-Muller over mulberry32). */
import { mulberry32 } from '../support/mulberry32';

export function gaussianSource(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => {
    const u = 1 - uniform(); // (0, 1]: log stays finite
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `count` trials of `days` returns with the given daily mean and sd. */
export function gaussianTrials(seed: number, count: number, days: number, mean = 0, sd = 0.01): Float64Array[] {
  const gaussian = gaussianSource(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: days }, () => mean + sd * gaussian()));
}
