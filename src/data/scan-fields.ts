/**
 * Number and date scanning for the bar loader: fields are read in place (`src.slice(start, end)`
 * is never made for a valid number or an already seen date), which is most of the loader's speed.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT = 9007199254740991;

/**
 * Parses `src.slice(start, end)` as a decimal number `[+-]digits[.digits][e[+-]digits]`; NaN when it is
 * empty, not of that form, or not finite. The result is identical to `Number(text)` (for at most
 * 15-16 significant digits the mantissa is an exact integer and one correctly rounded division by an
 * exact power of ten gives the correctly rounded value; anything else is handed to `Number`).
 */
export function parseDecimal(src: string, start = 0, end = src.length): number {
  let i = start;
  let c = src.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  while (i < end && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
    mantissa = mantissa * 10 + c;
    digits++;
    i++;
  }
  if (i < end && src.charCodeAt(i) === 46) {
    i++;
    while (i < end && (c = src.charCodeAt(i) - 48) >= 0 && c <= 9) {
      mantissa = mantissa * 10 + c;
      digits++;
      decimals++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    c = src.charCodeAt(i);
    if (c !== 101 && c !== 69) return NaN;
    i++;
    if (i < end && ((c = src.charCodeAt(i)) === 45 || c === 43)) i++;
    if (i === end) return NaN;
    for (; i < end; i++) {
      c = src.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
    }
    const value = Number(src.slice(start, end));
    return Number.isFinite(value) ? value : NaN;
  }
  if (mantissa > MAX_EXACT || decimals > 22) {
    const value = Number(src.slice(start, end));
    return Number.isFinite(value) ? value : NaN;
  }
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals];
  return negative ? -value : value;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when `src.slice(start, end)` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(src: string, start = 0, end = src.length): boolean {
  return isoDateKey(src, start, end) >= 0;
}

/**
 * `year * 512 + month * 32 + day` when `src.slice(start, end)` is a real calendar date written
 * `YYYY-MM-DD`, else -1.
 */
export function isoDateKey(src: string, start: number, end: number): number {
  if (end - start !== 10 || src.charCodeAt(start + 4) !== 45 || src.charCodeAt(start + 7) !== 45) return -1;
  let year = 0;
  for (let i = start; i < start + 4; i++) {
    const d = src.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = src.charCodeAt(start + 5) - 48;
  const m2 = src.charCodeAt(start + 6) - 48;
  const d1 = src.charCodeAt(start + 8) - 48;
  const d2 = src.charCodeAt(start + 9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return -1;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month])) return -1;
  return year * 512 + month * 32 + day;
}

/**
 * One string per calendar date for every file loaded in the process, by date key: 500 symbols
 * over 20 years share 5,000 date strings instead of holding 2.5 million copies, which the
 * garbage collector would trace on every full collection; and the engine's calendar merges
 * then compare identical strings. At most one string per distinct date ever read.
 */
const internedDates = new Map<number, string>();

export function internDate(src: string, start: number, end: number, key: number): string {
  let date = internedDates.get(key);
  if (date === undefined) {
    date = src.slice(start, end);
    internedDates.set(key, date);
  }
  return date;
}
