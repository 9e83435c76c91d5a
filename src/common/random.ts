/**
 * The project's seeded randomness: mulberry32 with ziggurat normals and a string hash for seeds.
 * Shared by the bar generator and the lookahead detector; it sits below every stage and imports
 * nothing, so any stage may draw from it.
 */

/** 2^-32: multiplying by it is exact, like dividing by 2^32, but faster. */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** FNV-1a hash of a string, then a final avalanche: a 32-bit seed for a (symbol, seed) pair. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Ziggurat tables for standard normals (Marsaglia & Tsang 2000, 128 layers).
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
(() => {
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
})();

/**
 * mulberry32 (a small, fast 32-bit PRNG) with standard normals by the ziggurat method (about 99% of
 * draws cost one 32-bit step, a compare and a multiply). Deterministic for a given seed.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit output, as a signed integer. */
  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    const s = this.state;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.next32() >>> 0) * TWO_POW_MINUS_32;
  }

  /** Fills `out[0..count)` with uniforms in [0, 1). */
  fillUniform(out: Float64Array, count = out.length): void {
    let state = this.state;
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) * TWO_POW_MINUS_32;
    }
    this.state = state;
  }

  /** Fills `out[0..count)` with standard normals. */
  fillNormal(out: Float64Array, count = out.length): void {
    let state = this.state;
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const hz = t ^ (t >>> 14);
      const iz = hz & 127;
      if ((hz < 0 ? -hz : hz) < ZIG_K[iz]) {
        out[i] = hz * ZIG_W[iz];
      } else {
        this.state = state;
        out[i] = this.normalTail(hz, iz);
        state = this.state;
      }
    }
    this.state = state;
  }

  /** Standard normal. */
  normal(): number {
    const hz = this.next32();
    const iz = hz & 127;
    return (hz < 0 ? -hz : hz) < ZIG_K[iz] ? hz * ZIG_W[iz] : this.normalTail(hz, iz);
  }

  /** The ziggurat's slow path: the base strip's tail or a wedge (about 1% of draws). */
  private normalTail(hz: number, iz: number): number {
    for (;;) {
      const x = hz * ZIG_W[iz];
      if (iz === 0) {
        let tail: number;
        let y: number;
        do {
          tail = -Math.log(1 - this.uniform()) / ZIG_R;
          y = -Math.log(1 - this.uniform());
        } while (y + y < tail * tail);
        return hz > 0 ? ZIG_R + tail : -ZIG_R - tail;
      }
      if (ZIG_F[iz] + this.uniform() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.next32();
      iz = hz & 127;
      if ((hz < 0 ? -hz : hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    }
  }
}
