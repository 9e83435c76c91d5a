import type { ReportedValue } from './report';

/**
 * Deep equality where numbers must be bit-identical (Object.is: NaN equals NaN, 0 differs
 * from -0). Arrays and typed arrays element by element; objects by their own keys, in any
 * order. This is the bar for "the same decision".
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}

export interface Difference {
  /** Dotted path to the first differing leaf ('' for the values themselves). */
  readonly path: string;
  readonly a: unknown;
  readonly b: unknown;
}

function isIndexed(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

/** The first leaf where `a` and `b` differ (keys in sorted order), or null when they are the same. */
export function firstDifference(a: unknown, b: unknown, path = ''): Difference | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return { path, a, b };
  if (isIndexed(a) || isIndexed(b)) {
    if (!isIndexed(a) || !isIndexed(b)) return { path, a, b };
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const found = firstDifference((a as ArrayLike<unknown>)[i], (b as ArrayLike<unknown>)[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  for (const key of keys) {
    // A key set to undefined and a missing key carry the same information.
    const found = firstDifference(left[key], right[key], path === '' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** A value as the report shows it: numbers and strings as they are, anything else as JSON. */
export function reportedValue(value: unknown): ReportedValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** A value in a one-line message: full precision, NaN and null spelled out, strings quoted. */
export function showValue(value: ReportedValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Batch NaN and streaming null are the same "not ready". */
export function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
