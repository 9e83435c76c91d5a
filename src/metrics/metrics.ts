/**
 * Performance metrics of a daily equity curve and a trade list. Formulas (r_i = E_i / E_{i-1} - 1
 * over the curve, E_0 = starting cash, P = 252 trading days a year, sd = sample sd):
 *
 * - totalReturn = E_end / E_0 - 1
 * - cagr = (E_end / E_0)^(P / n) - 1, n = number of daily returns
 * - annualVolatility = sd(r) * sqrt(P)
 * - sharpe = mean(r) / sd(r) * sqrt(P) (risk-free rate 0)
 * - sortino = mean(r) / sqrt(sum(min(r, 0)^2) / n) * sqrt(P)
 * - maxDrawdown = max over t of 1 - E_t / max(E_0..E_t); maxDrawdownDays = the longest run of
 *   bars spent below a previous peak (to the recovery, or to the end if none)
 * - calmar = cagr / maxDrawdown
 * - winRate = winning trades / trades; profitFactor = sum of wins / |sum of losses|;
 *   averageWin, averageLoss (a negative number) over winning and losing trades
 * - exposure = mean over bars of (value of positions at the close / equity)
 * - turnover = (sum of |fill value|) / mean equity / years, years = n / P
 * A metric that is undefined (no trades, zero volatility, no drawdown) is null.
 */
export interface Metrics {
  readonly startingEquity: number;
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number;
  readonly maxDrawdownDays: number;
  readonly calmar: number | null;
  readonly trades: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly exposure: number;
  readonly turnover: number | null;
}

export const periodsPerYear = 252;

export interface MetricsInput {
  readonly startingEquity: number;
  /** Equity at each bar's close. */
  readonly equity: readonly number[];
  /** Value of the positions held at each bar's close. */
  readonly positionValue: readonly number[];
  readonly tradePnls: readonly number[];
  /** Sum of |shares * price| over all fills. */
  readonly tradedValue: number;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const average = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function computeMetrics(input: MetricsInput): Metrics {
  const { startingEquity, equity, positionValue, tradePnls, tradedValue } = input;
  if (!(startingEquity > 0)) throw new RangeError(`metrics: starting equity must be > 0, got ${startingEquity}`);
  if (equity.length !== positionValue.length) throw new RangeError('metrics: equity and position value series differ in length');
  const finalEquity = equity.length > 0 ? equity[equity.length - 1] : startingEquity;
  const returns: number[] = [];
  let previous = startingEquity;
  for (const value of equity) {
    returns.push(value / previous - 1);
    previous = value;
  }
  const n = returns.length;
  const totalReturn = finalEquity / startingEquity - 1;
  const cagr = n > 0 && finalEquity > 0 ? (finalEquity / startingEquity) ** (periodsPerYear / n) - 1 : null;
  const sd = sampleSd(returns);
  const averageReturn = n > 0 ? mean(returns) : Number.NaN;
  let downside = 0;
  for (const value of returns) if (value < 0) downside += value * value;
  const downsideDeviation = n > 0 ? Math.sqrt(downside / n) : Number.NaN;

  let peak = startingEquity;
  let maxDrawdown = 0;
  let underwater = 0;
  let maxDrawdownDays = 0;
  for (const value of equity) {
    if (value >= peak) {
      peak = value;
      underwater = 0;
    } else {
      underwater++;
      if (underwater > maxDrawdownDays) maxDrawdownDays = underwater;
      const drawdown = 1 - value / peak;
      if (drawdown > maxDrawdown) maxDrawdown = drawdown;
    }
  }
  const wins = tradePnls.filter((pnl) => pnl > 0);
  const losses = tradePnls.filter((pnl) => pnl < 0);
  const grossWin = wins.reduce((sum, pnl) => sum + pnl, 0);
  const grossLoss = losses.reduce((sum, pnl) => sum + pnl, 0);
  let exposureSum = 0;
  for (let i = 0; i < equity.length; i++) exposureSum += equity[i] > 0 ? positionValue[i] / equity[i] : 0;
  const averageEquity = n > 0 ? mean(equity) : startingEquity;
  const years = n / periodsPerYear;
  return {
    startingEquity,
    finalEquity,
    totalReturn,
    cagr: cagr === null ? null : finiteOrNull(cagr),
    annualVolatility: finiteOrNull(sd * Math.sqrt(periodsPerYear)),
    sharpe: sd > 0 ? finiteOrNull((averageReturn / sd) * Math.sqrt(periodsPerYear)) : null,
    sortino: downsideDeviation > 0 ? finiteOrNull((averageReturn / downsideDeviation) * Math.sqrt(periodsPerYear)) : null,
    maxDrawdown,
    maxDrawdownDays,
    calmar: cagr !== null && maxDrawdown > 0 ? finiteOrNull(cagr / maxDrawdown) : null,
    trades: tradePnls.length,
    winRate: tradePnls.length > 0 ? wins.length / tradePnls.length : null,
    profitFactor: grossLoss < 0 ? grossWin / -grossLoss : null,
    averageWin: wins.length > 0 ? grossWin / wins.length : null,
    averageLoss: losses.length > 0 ? grossLoss / losses.length : null,
    exposure: equity.length > 0 ? exposureSum / equity.length : 0,
    turnover: years > 0 && averageEquity > 0 ? finiteOrNull(tradedValue / averageEquity / years) : null,
  };
}
