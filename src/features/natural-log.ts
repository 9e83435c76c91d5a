/**
 * `naturalLog(x)`: the same bits as `Math.log(x)`, about twice as fast for the daily price
 * ratios volatility takes the log of.
 *
 * V8's Math.log is fdlibm's `__ieee754_log` (FreeBSD e_log.c), reached through a call into C
 * that costs more than the arithmetic. For x in [0.71, 1.38] away from 1 (every daily ratio but
 * splits and crashes) fdlibm's reduction leaves x as it is (k = 0, f = x - 1) and takes its main
 * branch, `f - s * (f - R)`; that branch is written out here with fdlibm's coefficients, so the
 * result is the same double. Every other x (near 1, where fdlibm switches to a shorter series;
 * far from 1; zero, negative, NaN, infinite) goes to Math.log itself. The bounds are the doubles
 * at which fdlibm's integer tests on the high word change outcome, derived below from those
 * words. test/features/natural-log.test.ts compares the two on every path, bit for bit.
 */

// fdlibm e_log.c: the minimax coefficients of R(z) ~ log((1+s)/(1-s)) / s - 2, |error| < 2^-58.45.
const Lg1 = 6.666666666666735130e-01; // 3FE55555 55555593
const Lg2 = 3.999999999940941908e-01; // 3FD99999 9997FA04
const Lg3 = 2.857142874366239149e-01; // 3FD24924 94229359
const Lg4 = 2.222219843214978396e-01; // 3FCC71C5 1D8E78AF
const Lg5 = 1.818357216161805012e-01; // 3FC74664 96CB03DE
const Lg6 = 1.531383769920937332e-01; // 3FC39A09 D078C69F
const Lg7 = 1.479819860511658591e-01; // 3FC2F112 DF3E5244

/** The double whose high 32 bits are `high` and low 32 bits are 0. */
function fromHighWord(high: number): number {
  const words = new Uint32Array(2);
  words[1] = high; // little-endian: the high word is the second
  return new Float64Array(words.buffer)[0];
}

/*
 * fdlibm keeps x (k = 0) when its high word is in [0x3fe6a09e, 0x3ff6a09e) (x in [sqrt(2)/2,
 * sqrt(2))), and takes the main branch `f - s*(f - R)` unless the low 20 bits `hx` of the high word
 * are within 2 of 0 (|f| < 2^-20, short series) or in [0x6147a, 0x6b851] (the `hfsq` branch). For
 * x below 1 the high word is 0x3fe00000 + hx, above 1 it is 0x3ff00000 + hx; so the main branch
 * with k = 0 is x in [0x3fe6b852, 0x3feffffe) and [0x3ff00001, 0x3ff6147a) (as high words).
 * With f = x - 1 (exact there, Sterbenz) both intervals are f in [lowest, -tiny) and [tiny, highest).
 */
const lowest = fromHighWord(0x3fe6b852) - 1;
const highest = fromHighWord(0x3ff6147a) - 1;
const tiny = fromHighWord(0x3ff00001) - 1;
if (fromHighWord(0x3feffffe) - 1 !== -tiny) throw new Error('natural-log: the two intervals around 1 are not symmetric');

export function naturalLog(x: number): number {
  const f = x - 1;
  // Three comparisons that almost never fail, rather than two intervals that would send a
  // branch left or right at random for every ratio (up or down day).
  if (f >= lowest && f < highest && Math.abs(f) >= tiny) {
    const s = f / (2 + f);
    const z = s * s;
    const w = z * z;
    const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    const R = t2 + t1;
    return f - s * (f - R);
  }
  return Math.log(x);
}
