import { hashSeed, Rng } from '../common/random';
import type { BarSeries } from './bars';
import { sharedTradingDays } from './calendar';

/**
 * Seeded synthetic daily bars: deterministic (a given symbol, seed and options always give the same
 * bars; only arithmetic, V8's own fdlibm-based Math.log/exp and a 32-bit PRNG, mulberry32, with
 * ziggurat normals are used), no Math.random. All draws are made up front, a fixed number per day.
 *
 * The model, one step per trading day:
 * - A hidden Markov regime (bull / sideways / bear) with its own drift and volatility. A regime lasts
 *   about 120 / 60 / 40 days on average; the multipliers are normalised so that over the long run the
 *   mean daily log return is `drift` and its standard deviation is `volatility`.
 * - The log return is split into an overnight gap (20% of the variance) and an intraday move (80%),
 *   plus rare jumps on the gap (0.4% of days, uniform with a standard deviation of 4x the volatility):
 *   open = previous close x e^gap, close = open x e^intraday.
 * - high = max(open, close) x (1 + wick), low = min(open, close) / (1 + wick'), wicks half-normal with a
 *   mean of about half the day's volatility. Prices are rounded to 4 decimals; rounding is monotone so
 *   low <= min(open, close) <= max(open, close) <= high still holds, and every price is > 0
 *   (a close below max(startPrice / 50, 0.01) is reflected back up, in log space).
 * - log volume is AR(1) around log(baseVolume) (phi 0.7), rises with the size of the day's move and has
 *   spikes (1% of days, x2.5..x5.5, and x1.65 more on moves beyond 3 sigma). Volumes are integers.
 * - Trading days only: weekdays, skipping the regular NYSE holidays (New Year, MLK, Presidents' Day,
 *   Good Friday, Memorial Day, Juneteenth from 2022, Independence Day, Labor Day, Thanksgiving,
 *   Christmas; weekend holidays observed as NYSE does). One-off closures (9/11, Hurricane Sandy,
 *   state funerals) are not modelled.
 */

export interface GenerateBarsOptions {
  symbol: string;
  /** Any integer; mixed with the symbol, so two symbols with the same seed differ. */
  seed: number;
  /** `YYYY-MM-DD`; the first bar is on the first trading day on or after it. */
  start: string;
  /** Number of bars (trading days). */
  days: number;
  /** Previous close before the first bar (> 0). */
  startPrice: number;
  /** Long-run mean daily log return. Default 0.0003 (about 7.5% a year). */
  drift?: number;
  /** Long-run standard deviation of daily close-to-close log returns. Default 0.02 (about 32% a year). */
  volatility?: number;
  /** Typical (median) daily volume. Default 1,000,000. */
  baseVolume?: number;
  /** Skip US market holidays (default true); false gives every weekday. */
  holidays?: boolean;
  /** `BarSeries.source`; default `generated SYMBOL seed S`. */
  source?: string;
}

// ---------------------------------------------------------------- regimes

interface Regime {
  /** Probability of leaving the regime on a given day. */
  leave: number;
  /** Where the chain goes when it leaves (the same regime may be drawn again). */
  target: number;
  driftShift: number;
  volMultiplier: number;
}

const REGIMES: readonly Regime[] = (() => {
  // bull, sideways, bear: mean duration, leave-target weight, drift shift (in sigmas) and vol multiplier before normalising.
  const raw = [
    { duration: 120, target: 0.45, drift: 0.06, vol: 0.8 },
    { duration: 60, target: 0.35, drift: 0.0, vol: 0.9 },
    { duration: 40, target: 0.2, drift: -0.15, vol: 1.5 },
  ];
  // The next regime does not depend on the current one, so the stationary weight is target x duration.
  const weights = raw.map((r) => r.target * r.duration);
  const total = weights.reduce((a, b) => a + b, 0);
  const pi = weights.map((w) => w / total);
  const meanShift = raw.reduce((sum, r, i) => sum + pi[i] * r.drift, 0);
  const meanVariance = raw.reduce((sum, r, i) => sum + pi[i] * r.vol * r.vol, 0);
  return raw.map((r) => ({
    leave: 1 / r.duration,
    target: r.target,
    driftShift: r.drift - meanShift,
    volMultiplier: r.vol / Math.sqrt(meanVariance),
  }));
})();

const JUMP_PROBABILITY = 0.004;
const JUMP_SIZE = 4; // in sigmas
const DIFFUSION_SCALE = Math.sqrt(1 - JUMP_PROBABILITY * JUMP_SIZE * JUMP_SIZE);
const GAP_SHARE = 0.2;
const TARGET_SUM = REGIMES.reduce((sum, r) => sum + r.target, 0);

const UNIFORMS_PER_DAY = 3;
const NORMALS_PER_DAY = 5;
const SPIKE_PROBABILITY = 0.01;
const SQRT3 = Math.sqrt(3);
const scratchBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0)];

/** Reusable scratch space for the random draws (generation is synchronous, so sharing is safe). */
function scratch(slot: number, size: number): Float64Array {
  if (scratchBuffers[slot].length < size) scratchBuffers[slot] = new Float64Array(Math.max(size, 1024));
  return scratchBuffers[slot];
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(`generateBars: ${message}`);
}

/** Generates `days` daily bars (see the module comment for the model). */
export function generateBars(options: GenerateBarsOptions): BarSeries {
  const { symbol, seed, start, days, startPrice } = options;
  const drift = options.drift ?? 0.0003;
  const volatility = options.volatility ?? 0.02;
  const baseVolume = options.baseVolume ?? 1_000_000;
  check(typeof symbol === 'string' && symbol !== '', 'symbol must be a non-empty string');
  check(Number.isInteger(seed), `seed must be an integer, got ${seed}`);
  check(Number.isInteger(days) && days >= 0, `days must be a non-negative integer, got ${days}`);
  check(Number.isFinite(startPrice) && startPrice > 0, `startPrice must be > 0, got ${startPrice}`);
  check(Number.isFinite(drift) && Math.abs(drift) < 0.05, `drift must be a daily log return in (-0.05, 0.05), got ${drift}`);
  check(Number.isFinite(volatility) && volatility >= 0 && volatility < 0.2,
    `volatility must be a daily standard deviation in [0, 0.2), got ${volatility}`);
  check(Number.isFinite(baseVolume) && baseVolume >= 1, `baseVolume must be >= 1, got ${baseVolume}`);

  const dates = sharedTradingDays(start, days, options.holidays ?? true);
  const open = new Float64Array(days);
  const high = new Float64Array(days);
  const low = new Float64Array(days);
  const close = new Float64Array(days);
  const volume = new Float64Array(days);

  // All random draws up front, a fixed number per day (batch loops are much faster than per-draw calls).
  const rng = new Rng(hashSeed(`${seed}:${symbol}`));
  const U = scratch(0, UNIFORMS_PER_DAY * days);
  const N = scratch(1, NORMALS_PER_DAY * days);
  rng.fillUniform(U, UNIFORMS_PER_DAY * days);
  rng.fillNormal(N, NORMALS_PER_DAY * days);

  simulate(U, N, days, pickRegime(rng.uniform()), startPrice, drift, volatility, Math.log(baseVolume), open, high, low, close, volume);
  return {
    symbol,
    source: options.source ?? `generated ${symbol} seed ${seed}`,
    dates,
    open,
    high,
    low,
    close,
    volume,
  };
}

const REGIME_LEAVE = Float64Array.from(REGIMES, (r) => r.leave);
const REGIME_DRIFT = Float64Array.from(REGIMES, (r) => r.driftShift);
const REGIME_VOL = Float64Array.from(REGIMES, (r) => r.volMultiplier);

/**
 * The day loop, kept apart from generateBars (numbers and typed arrays only) so that it stays
 * optimised from one call to the next.
 */
function simulate(
  U: Float64Array,
  N: Float64Array,
  days: number,
  firstRegime: number,
  startPrice: number,
  drift: number,
  volatility: number,
  logBase: number,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): void {
  const floor = Math.max(startPrice / 50, 0.01);
  const gapScale = Math.sqrt(GAP_SHARE) * DIFFUSION_SCALE;
  const dayScale = Math.sqrt(1 - GAP_SHARE) * DIFFUSION_SCALE;
  const jumpSize = JUMP_SIZE * volatility * SQRT3;
  let regime = firstRegime;
  let previousClose = startPrice;
  let logVolume = logBase; // volume starts at its base level

  for (let t = 0; t < days; t++) {
    const u = t * UNIFORMS_PER_DAY;
    const z = t * NORMALS_PER_DAY;
    const leave = REGIME_LEAVE[regime];
    if (U[u] < leave) regime = pickRegime(U[u] / leave); // given u < p, u / p is uniform again
    const sigma = volatility * REGIME_VOL[regime];
    const mu = drift + REGIME_DRIFT[regime] * volatility;

    let gap = mu * GAP_SHARE + sigma * gapScale * N[z];
    const j = U[u + 1];
    if (j < JUMP_PROBABILITY) gap += jumpSize * ((2 * j) / JUMP_PROBABILITY - 1); // uniform, sd JUMP_SIZE x volatility
    const move = mu * (1 - GAP_SHARE) + sigma * dayScale * N[z + 1];

    let o = previousClose * Math.exp(gap);
    let c = o * Math.exp(move);
    if (c < floor) {
      // Reflect off the floor (log space) so prices stay well above zero.
      c = (floor * floor) / c;
      if (o < floor) o = (floor * floor) / o;
    }
    o = Math.round(o * 1e4) / 1e4;
    c = Math.round(c * 1e4) / 1e4;
    // Wicks: half-normal, mean about half the day's volatility.
    const wickScale = 0.6 * sigma;
    const wickUp = N[z + 2];
    const wickDown = N[z + 3];
    const h = Math.round(Math.max(o, c) * (1 + wickScale * Math.abs(wickUp)) * 1e4) / 1e4;
    let l = Math.round((Math.min(o, c) / (1 + wickScale * Math.abs(wickDown))) * 1e4) / 1e4;
    if (l <= 0) l = 0.0001;

    // Volume: AR(1) in logs, pushed up by big moves, with occasional spikes.
    const ret = gap + move;
    const size = sigma > 0 ? Math.min(Math.abs(ret) / sigma, 8) : 0;
    logVolume = logBase + 0.7 * (logVolume - logBase) + 0.22 * N[z + 4] + 0.18 * (size - 0.8);
    let spike = 0;
    const v = U[u + 2];
    if (v < SPIKE_PROBABILITY) spike += Math.log(2.5 + (3 * v) / SPIKE_PROBABILITY);
    if (size > 3) spike += 0.5;

    open[t] = o;
    high[t] = h;
    low[t] = l;
    close[t] = c;
    volume[t] = Math.round(Math.exp(logVolume + spike));
    previousClose = c;
  }
}

/** A regime drawn from the leave-target distribution (`u` uniform in [0, 1)). */
function pickRegime(u: number): number {
  u *= TARGET_SUM;
  for (let i = 0; i < REGIMES.length - 1; i++) {
    if (u < REGIMES[i].target) return i;
    u -= REGIMES[i].target;
  }
  return REGIMES.length - 1;
}

/** `date,open,high,low,close,volume`, prices with 4 decimals, integer volume, LF line ends. */
export function formatBarsCsv(series: BarSeries): string {
  const { dates, open, high, low, close, volume } = series;
  const lines = new Array<string>(dates.length + 1);
  lines[0] = 'date,open,high,low,close,volume';
  for (let i = 0; i < dates.length; i++) {
    lines[i + 1] = `${dates[i]},${open[i].toFixed(4)},${high[i].toFixed(4)},${low[i].toFixed(4)},${close[i].toFixed(4)},${Math.round(volume[i])}`;
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Many synthetic symbols for benchmarks: `years` x 252 trading days each from 2000-01-03 (the same
 * calendar for all), with per-symbol start price (10..300), volatility (about 1%..3.5% a day), drift and
 * base volume drawn from (seed, symbol). Each symbol is deterministic on its own: adding symbols does
 * not change the others.
 */
export function generateUniverse(symbols: readonly string[], years: number, seed: number): BarSeries[] {
  if (!Number.isFinite(years) || years <= 0) throw new RangeError(`generateUniverse: years must be > 0, got ${years}`);
  const days = Math.round(years * 252);
  return symbols.map((symbol) => {
    const rng = new Rng(hashSeed(`universe:${seed}:${symbol}`));
    const draw = (): number => rng.uniform();
    const volatility = 0.01 * Math.exp(Math.log(3.5) * draw());
    return generateBars({
      symbol,
      seed,
      start: '2000-01-03',
      days,
      startPrice: round4(10 * Math.exp(Math.log(30) * draw())),
      volatility,
      drift: 0.0004 * (draw() - 0.25),
      baseVolume: Math.round(2e5 * Math.exp(Math.log(250) * draw())),
    });
  });
}
