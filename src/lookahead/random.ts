/**
 * The detector's seeded randomness: its own stream per (seed, label), drawn with the shared
 * PRNG and string hash.
 */
import { hashSeed, Rng } from '../common/random';

export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/**
 * mulberry32 (the shared `Rng` of src/common/random.ts) seeded from the run's seed and a label, so each use
 * (symbol, cut) draws independently. Normals come from Box-Muller on its uniforms, not from the
 * generator's ziggurat, so replacement bars depend only on this stream.
 */
export function seededRandom(seed: number, label: string): Random {
  const rng = new Rng(hashSeed(`lookahead:${seed}:${label}`));
  const uniform = () => rng.uniform();
  const normal = () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}
