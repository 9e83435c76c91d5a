/**
 * Small HTML building blocks shared by the report and the notebooks. Everything is escaped
 * here (through the html`` template), so callers pass plain text and never build markup from
 * user data by hand.
 */
import { html, joinHtml, type SafeHtml } from './html-template';

/** `1234567.891` -> `1,234,567.89`. Written by hand rather than toLocaleString so the output never depends on the ICU build. */
export function formatMoney(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/** A fraction as a percentage: `0.1234` -> `12.34%`; null (an undefined metric) -> `n/a`. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** A table cell: text, or a number shown with `text` and right-aligned. */
export type CellValue = string | number | null | undefined;

export interface TableColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => CellValue;
  /** How a number is written (default: up to 6 significant digits); ignored for text. */
  readonly format?: (value: number) => string;
  /** Class added to each cell, e.g. to colour gains and losses. */
  readonly cellClass?: (row: Row) => string | undefined;
}

function defaultNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/**
 * An HTML table from rows and column definitions, as markup for other templates. Numbers are
 * right-aligned (class `num`); null or undefined is written `n/a`.
 */
export function tableHtml<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[], options: { caption?: string; className?: string } = {}): SafeHtml {
  const head = columns.map((column) => html`<th>${column.header}</th>`);
  const body = rows.map((row) => {
    const cells = columns.map((column) => {
      const value = column.value(row);
      const classes: string[] = [];
      let text: string;
      if (typeof value === 'number') {
        classes.push('num');
        text = (column.format ?? defaultNumber)(value);
      } else {
        text = value === null || value === undefined ? 'n/a' : value;
      }
      const extra = column.cellClass?.(row);
      if (extra) classes.push(extra);
      const attribute = classes.length > 0 ? html` class="${classes.join(' ')}"` : '';
      return html`<td${attribute}>${text}</td>`;
    });
    return html`<tr>${cells}</tr>`;
  });
  const caption = options.caption === undefined ? '' : html`<caption>${options.caption}</caption>`;
  return html`<table class="${options.className ?? 'aq-table'}">${caption}<thead><tr>${head}</tr></thead><tbody>\n${joinHtml(body, '\n')}\n</tbody></table>`;
}

/** `tableHtml` as a string, e.g. for `tslab.display.html` in a notebook. */
export function htmlTable<Row>(rows: readonly Row[], columns: readonly TableColumn<Row>[], options: { caption?: string; className?: string } = {}): string {
  return tableHtml(rows, columns, options).toString();
}

/**
 * A table from plain objects (e.g. arquero's `table.objects()`), one column per key of the
 * first row. Handy in notebooks; the report uses `htmlTable` with explicit columns.
 */
export function objectsTable(rows: readonly object[], options: { caption?: string; digits?: number } = {}): string {
  if (rows.length === 0) return '<p class="aq-empty">(no rows)</p>';
  const records = rows as readonly Record<string, unknown>[];
  const keys = Object.keys(records[0]);
  const digits = options.digits;
  return htmlTable(
    records,
    keys.map((key) => ({
      header: key,
      value: (row: Record<string, unknown>) => {
        const value = row[key];
        if (typeof value === 'number' || typeof value === 'string' || value === null || value === undefined) return value;
        return JSON.stringify(value);
      },
      format: digits === undefined ? undefined : (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(digits)),
    })),
    { caption: options.caption },
  );
}
