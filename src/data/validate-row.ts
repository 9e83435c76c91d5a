import { DataError } from '../errors';
import type { RecordSink, RecordView } from './csv-records';
import { internDate, isoDateKey, parseDecimal } from './scan-fields';

/**
 * Row validation for the bar loader: the header's columns, then every record checked (see the
 * checks in load-bars.ts) and appended to the columns, or turned into a DataError or a dropped row.
 */

/** Why a row was rejected (`DroppedRow.reason`). */
export type InvalidRowReason =
  | 'field-count'
  | 'bad-date'
  | 'duplicate-date'
  | 'out-of-order-date'
  | 'empty-value'
  | 'not-a-number'
  | 'non-positive-price'
  | 'high-below-open-close'
  | 'low-above-open-close'
  | 'negative-volume';

export interface DroppedRow {
  file: string;
  /** 1-based physical line in the file (header = line 1). */
  line: number;
  /** The column as written in the file's header (`(row)` for a field-count problem). */
  column: string;
  value: string;
  reason: InvalidRowReason;
  /** The full DataError message that `invalidRows: 'error'` would have thrown. */
  message: string;
}

type Canonical = 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'adjclose';
const REQUIRED: readonly Canonical[] = ['date', 'open', 'high', 'low', 'close', 'volume'];

function canonicalHeader(name: string): Canonical | undefined {
  const key = name.trim().toLowerCase().replace(/^\d+\.\s*/, '').replace(/[\s_]+/g, '');
  switch (key) {
    case 'date':
    case 'open':
    case 'high':
    case 'low':
    case 'close':
    case 'volume':
    case 'adjclose':
      return key;
    default:
      return undefined;
  }
}

/** A bad row, before it becomes a DataError. */
class RowProblem {
  constructor(
    readonly reason: InvalidRowReason,
    readonly column: string,
    readonly value: string,
    readonly detail: string,
  ) {}
}

/** Validates records and fills the columns. */
export class BarBuilder implements RecordSink {
  columns: string[] = [];
  fieldCount = 0;
  iDate = -1;
  iOpen = -1;
  iHigh = -1;
  iLow = -1;
  iClose = -1;
  iVolume = -1;
  iAdj = -1;
  readonly dates: string[] = [];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly dropped: DroppedRow[] = [];
  kept = 0;
  rows = 0;
  lastDate = '';
  lastLine = 0;

  constructor(
    readonly file: string,
    readonly capacity: number,
    readonly adjust: boolean,
    readonly policy: 'error' | 'drop',
  ) {
    this.open = new Float64Array(capacity);
    this.high = new Float64Array(capacity);
    this.low = new Float64Array(capacity);
    this.close = new Float64Array(capacity);
    this.volume = new Float64Array(capacity);
  }

  header(fields: string[]): number {
    const { file } = this;
    const header = fields.map((name) => name.trim());
    this.columns = header;
    this.fieldCount = header.length;
    const seen = new Map<Canonical, number>();
    header.forEach((name, index) => {
      const key = canonicalHeader(name);
      if (key === undefined) return;
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new DataError(
          `is a second "${key}" column (field ${index + 1}; also "${header[previous]}", field ${previous + 1})`,
          file, 1, name,
        );
      }
      seen.set(key, index);
    });
    for (const key of REQUIRED) {
      if (!seen.has(key)) {
        throw new DataError(`required column is missing from the header "${header.join(',')}"`, file, 1, key);
      }
    }
    this.iDate = seen.get('date')!;
    this.iOpen = seen.get('open')!;
    this.iHigh = seen.get('high')!;
    this.iLow = seen.get('low')!;
    this.iClose = seen.get('close')!;
    this.iVolume = seen.get('volume')!;
    this.iAdj = seen.get('adjclose') ?? -1;
    if (this.adjust && this.iAdj === -1) {
      throw new DataError(
        `adjust was requested but the header "${header.join(',')}" has no Adj Close column`,
        file, 1, 'Adj Close',
      );
    }
    return this.fieldCount;
  }

  record(view: RecordView, line: number): void {
    this.rows++;
    const problem = this.check(view);
    if (problem === undefined) {
      this.lastLine = line;
      return;
    }
    const error = new DataError(problem.detail, this.file, line, problem.column, problem.value);
    if (this.policy === 'error') throw error;
    this.dropped.push({
      file: this.file,
      line,
      column: problem.column,
      value: problem.value,
      reason: problem.reason,
      message: error.message,
    });
  }

  private text(view: RecordView, index: number): string {
    return view.src.slice(view.starts[index], view.ends[index]);
  }

  private problem(view: RecordView, reason: InvalidRowReason, index: number, detail: string): RowProblem {
    return new RowProblem(reason, this.columns[index], this.text(view, index), detail);
  }

  /** The field's value, or the problem when it is empty or not a finite decimal number. */
  private number(view: RecordView, index: number): number | RowProblem {
    const start = view.starts[index];
    const end = view.ends[index];
    if (start === end) return this.problem(view, 'empty-value', index, 'is empty');
    const value = parseDecimal(view.src, start, end);
    if (value !== value) return this.problem(view, 'not-a-number', index, 'is not a finite decimal number');
    return value;
  }

  private price(view: RecordView, index: number): number | RowProblem {
    const value = this.number(view, index);
    if (typeof value === 'number' && value <= 0) {
      return this.problem(view, 'non-positive-price', index, 'is not a positive price');
    }
    return value;
  }

  /** Appends the row, or returns what is wrong with it. */
  private check(view: RecordView): RowProblem | undefined {
    if (view.count !== this.fieldCount) {
      const raw = view.src.slice(view.rawStart, view.rawEnd);
      return raw === ''
        ? new RowProblem('field-count', '(row)', raw, `is an empty line; expected ${this.fieldCount} fields`)
        : new RowProblem('field-count', '(row)', raw, `has ${view.count} fields; the header has ${this.fieldCount}`);
    }
    const { src, starts, ends } = view;
    const iDate = this.iDate;
    const dateKey = isoDateKey(src, starts[iDate], ends[iDate]);
    if (dateKey < 0) return this.problem(view, 'bad-date', iDate, 'is not a calendar date YYYY-MM-DD');
    const o = this.price(view, this.iOpen);
    if (typeof o !== 'number') return o;
    const h = this.price(view, this.iHigh);
    if (typeof h !== 'number') return h;
    const l = this.price(view, this.iLow);
    if (typeof l !== 'number') return l;
    const c = this.price(view, this.iClose);
    if (typeof c !== 'number') return c;
    const v = this.number(view, this.iVolume);
    if (typeof v !== 'number') return v;
    if (v < 0) return this.problem(view, 'negative-volume', this.iVolume, 'is a negative volume');
    if (h < (o > c ? o : c)) {
      return this.problem(view, 'high-below-open-close', this.iHigh,
        `is below max(open ${this.text(view, this.iOpen)}, close ${this.text(view, this.iClose)})`);
    }
    if (l > (o < c ? o : c)) {
      return this.problem(view, 'low-above-open-close', this.iLow,
        `is above min(open ${this.text(view, this.iOpen)}, close ${this.text(view, this.iClose)})`);
    }
    let factor = 1;
    if (this.adjust) {
      const adjusted = this.price(view, this.iAdj);
      if (typeof adjusted !== 'number') return adjusted;
      factor = adjusted / c;
    }
    const date = internDate(src, starts[iDate], ends[iDate], dateKey);
    const n = this.kept;
    if (n > 0 && date <= this.lastDate) {
      return date === this.lastDate
        ? this.problem(view, 'duplicate-date', iDate, `duplicates the date of line ${this.lastLine}`)
        : this.problem(view, 'out-of-order-date', iDate,
          `is before the previous date ${this.lastDate} (line ${this.lastLine}); rows must be in ascending date order`);
    }
    this.dates.push(date);
    if (factor === 1) {
      this.open[n] = o;
      this.high[n] = h;
      this.low[n] = l;
      this.close[n] = c;
    } else {
      // Every price times the same factor keeps low <= open, close <= high exactly.
      this.open[n] = o * factor;
      this.high[n] = h * factor;
      this.low[n] = l * factor;
      this.close[n] = c * factor;
    }
    this.volume[n] = v;
    this.kept = n + 1;
    this.lastDate = date;
    return undefined;
  }
}
