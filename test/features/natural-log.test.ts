/**
 * naturalLog (src/features/natural-log.ts) against Math.log, bit for bit (Object.is): on the
 * daily price ratios volatility feeds it (its fast path), on the doubles next to every bound of
 * that path (where fdlibm changes branch), and on random doubles over the whole range and the
 * special values (which go to Math.log).
 */
import assert from 'node:assert/strict';
import { naturalLog } from '../../src/features/natural-log';
import { mulberry32 } from '../support/mulberry32';

const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);

/** The double `steps` ulps above (below, if negative) a positive finite x. */
function ulpsAway(x: number, steps: number): number {
  scratch[0] = x;
  bits[0] += BigInt(steps);
  return scratch[0];
}

/** The positive double with the given high 32 bits and low 32 bits. */
function fromWords(high: number, low: number): number {
  bits[0] = (BigInt(high) << 32n) | BigInt(low);
  return scratch[0];
}

function assertSameAsMathLog(x: number): void {
  const expected = Math.log(x);
  const actual = naturalLog(x);
  if (!Object.is(actual, expected)) assert.fail(`naturalLog(${x}) = ${actual}, Math.log = ${expected}`);
}

describe('naturalLog equals Math.log bit for bit', () => {
  it('on daily price ratios: up to +-30% moves, and moves of a few ulps to a few cents', () => {
    const random = mulberry32(11);
    for (let i = 0; i < 400_000; i++) {
      const move = i % 2 === 0 ? 0.6 * (random() - 0.5) : (random() - 0.5) * 10 ** -(1 + Math.floor(random() * 15));
      const previous = 0.01 + random() * 2000;
      assertSameAsMathLog(((1 + move) * previous) / previous);
      assertSameAsMathLog(1 + move);
    }
  });

  it('next to every bound where fdlibm changes branch (high words 0x3fe6a09e, 0x3fe6b852, 0x3feffffe, 0x3ff00001, 0x3ff6147a, 0x3ff6a09e, ...)', () => {
    const highWords = [0x3fe6a09c, 0x3fe6a09e, 0x3fe6b851, 0x3fe6b852, 0x3feffffd, 0x3feffffe, 0x3fefffff, 0x3ff00000, 0x3ff00001, 0x3ff00002, 0x3ff61479, 0x3ff6147a, 0x3ff6b851, 0x3ff6b852, 0x3ff6a09e];
    for (const high of highWords) {
      for (const low of [0, 1, 0x7fffffff, 0xffffffff]) {
        const x = fromWords(high, low);
        for (let steps = -3; steps <= 3; steps++) assertSameAsMathLog(ulpsAway(x, steps));
      }
    }
    for (const x of [1, 0.5, 2, 0.71, 0.7100000381469727, 1.38, 1.3799991607666016, 1 - 2 ** -20, 1 + 2 ** -20, 1 - 2 ** -53, 1 + 2 ** -52]) {
      for (let steps = -3; steps <= 3; steps++) assertSameAsMathLog(ulpsAway(x, steps));
    }
  });

  it('on random doubles of every exponent, and on the special values', () => {
    const random = mulberry32(12);
    for (let i = 0; i < 200_000; i++) {
      const high = Math.floor(random() * 0x7ff00000);
      const low = Math.floor(random() * 2 ** 32);
      assertSameAsMathLog(fromWords(high, low));
    }
    for (const x of [0, -0, -1, -Infinity, Infinity, Number.NaN, Number.MIN_VALUE, 2.2250738585072014e-308, Number.MAX_VALUE, 1e-300, 1e300]) {
      assertSameAsMathLog(x);
    }
  });
});
