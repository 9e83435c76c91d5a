import type { BarSeries } from './bars';

/**
 * Calendars: the regular NYSE trading days the generator dates its bars on, and the union of
 * the loaded symbols' dates that the engine steps through.
 */

// ---------------------------------------------------------------- trading days

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day];
}

/** 0 = Sunday ... 6 = Saturday. */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function isoFromDays(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function parseIso(date: string, what: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const days = daysFromCivil(y, m, d);
    const [y2, m2, d2] = civilFromDays(days);
    if (y === y2 && m === m2 && d === d2) return days;
  }
  throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got "${date}"`);
}

/** The n-th (1-based) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, day: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((day - weekday(first) + 7) % 7) + (n - 1) * 7;
}

function lastDayOfMonth(year: number, month: number): number {
  return month === 12 ? daysFromCivil(year, 12, 31) : daysFromCivil(year, month + 1, 1) - 1;
}

/** Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

/** A fixed-date holiday as observed: Saturday -> Friday, Sunday -> Monday. */
function observed(days: number): number {
  const w = weekday(days);
  return w === 6 ? days - 1 : w === 0 ? days + 1 : days;
}

const holidayCache = new Map<number, Set<number>>();

function holidaySet(year: number): Set<number> {
  let set = holidayCache.get(year);
  if (set !== undefined) return set;
  set = new Set<number>();
  const newYear = daysFromCivil(year, 1, 1);
  if (weekday(newYear) !== 6) set.add(observed(newYear)); // a Saturday New Year is not moved to Dec 31
  if (year >= 1998) set.add(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  set.add(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  set.add(easter(year) - 2); // Good Friday
  const lastMay = lastDayOfMonth(year, 5);
  set.add(lastMay - ((weekday(lastMay) - 1 + 7) % 7)); // Memorial Day
  if (year >= 2022) set.add(observed(daysFromCivil(year, 6, 19))); // Juneteenth
  set.add(observed(daysFromCivil(year, 7, 4))); // Independence Day
  set.add(nthWeekday(year, 9, 1, 1)); // Labor Day
  set.add(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  set.add(observed(daysFromCivil(year, 12, 25))); // Christmas
  holidayCache.set(year, set);
  return set;
}

/** The regular NYSE holidays of a year that fall on weekdays, as `YYYY-MM-DD`, ascending. */
export function usMarketHolidays(year: number): string[] {
  return [...holidaySet(year)].filter((d) => civilFromDays(d)[0] === year).sort((a, b) => a - b).map(isoFromDays);
}

function isTradingDay(days: number, holidays: boolean): boolean {
  const w = weekday(days);
  if (w === 0 || w === 6) return false;
  if (!holidays) return true;
  const [year] = civilFromDays(days);
  return !holidaySet(year).has(days) && !holidaySet(year + 1).has(days);
}

const calendarCache = new Map<string, readonly string[]>();

/** `count` trading days from the first one on or after `start`. */
export function tradingDays(start: string, count: number, holidays = true): string[] {
  return sharedTradingDays(start, count, holidays).slice();
}

/** Like tradingDays, but a cached frozen array shared by every series generated on the same calendar. */
export function sharedTradingDays(start: string, count: number, holidays: boolean): readonly string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`days must be a non-negative integer, got ${count}`);
  const key = `${start}|${count}|${holidays}`;
  const cached = calendarCache.get(key);
  if (cached !== undefined) return cached;
  const dates: string[] = [];
  for (let day = parseIso(start, 'start'); dates.length < count; day++) {
    if (isTradingDay(day, holidays)) dates.push(isoFromDays(day));
  }
  if (calendarCache.size > 64) calendarCache.clear();
  Object.freeze(dates);
  calendarCache.set(key, dates);
  return dates;
}

/** Trading days in [start, endExclusive). */
export function tradingDaysBetween(start: string, endExclusive: string, holidays = true): string[] {
  const end = parseIso(endExclusive, 'end');
  const dates: string[] = [];
  for (let day = parseIso(start, 'start'); day < end; day++) {
    if (isTradingDay(day, holidays)) dates.push(isoFromDays(day));
  }
  return dates;
}

// ---------------------------------------------------------------- the union of loaded series

/** Sorted union of the symbols' dates: the engine's calendar. */
export function unionCalendar(series: readonly BarSeries[]): string[] {
  // Each series is ascending, so merging them one by one is linear; hashing every date of 500
  // symbols into a Set and sorting was a visible share of a large backtest.
  let union: string[] = [];
  for (const one of series) {
    if (!isStrictlyAscending(one.dates)) return sortedDistinct(series);
    union = mergeAscending(union, one.dates);
  }
  return union;
}

function isStrictlyAscending(dates: readonly string[]): boolean {
  for (let i = 1; i < dates.length; i++) if (!(dates[i - 1] < dates[i])) return false;
  return true;
}

/** The union of two strictly ascending lists, ascending and without duplicates. */
function mergeAscending(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a[i];
    const right = b[j];
    if (left === right) {
      out.push(left);
      i++;
      j++;
    } else if (left < right) {
      out.push(left);
      i++;
    } else {
      out.push(right);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** For series built by hand whose dates are not ascending: every distinct date, sorted. */
function sortedDistinct(series: readonly BarSeries[]): string[] {
  const dates = new Set<string>();
  for (const one of series) for (const date of one.dates) dates.add(date);
  return [...dates].sort();
}

// ---------------------------------------------------------------- exchange dates of timestamps

const newYorkDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The exchange's calendar date of a timestamp (bars, fills and sessions are dated in New York time). */
export function newYorkDateOf(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: "${timestamp}"`);
  return newYorkDate.format(date);
}
