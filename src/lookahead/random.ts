/**
 * The detector's own seeded randomness (its own stream rather than the data generator's, so a
 * change to the generator never changes which cut points a seed picks; only the string hash is shared).
 */
import { hashSeed } from '../data/generator';

export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** mulberry32 seeded from the run's seed and a label, so each use (symbol, cut) draws independently. */
export function seededRandom(seed: number, label: string): Random {
  let state = hashSeed(`lookahead:${seed}:${label}`);
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}
