import { z } from 'zod';
import { redact } from '../redact';

/**
 * The documented shapes of Alpaca's answers, checked before anything reads them: a 200 with a
 * body that is not JSON or not the shape (a proxy's page, a cut answer, a changed API) is a clear
 * error naming the request and the first wrong fields, never a TypeError further on.
 * Unknown fields are kept (loose objects): Alpaca adds fields over time.
 */
const text = z.string();
const optionalText = z.string().nullable().optional();

export const accountSchema = z.looseObject({
  id: text,
  status: text,
  cash: text,
  equity: text,
  buying_power: text,
  trading_blocked: z.boolean(),
  account_blocked: z.boolean().optional(),
});

export const orderSchema = z.looseObject({
  id: text,
  client_order_id: text,
  created_at: text,
  filled_at: z.string().nullable(),
  symbol: text,
  qty: z.string().nullable(),
  filled_qty: text,
  filled_avg_price: z.string().nullable(),
  type: text,
  side: z.enum(['buy', 'sell']),
  time_in_force: text,
  status: text,
  updated_at: optionalText,
  submitted_at: optionalText,
  canceled_at: optionalText,
});

export const positionSchema = z.looseObject({
  symbol: text,
  avg_entry_price: text,
  qty: text,
  side: z.enum(['long', 'short']),
});

export const clockSchema = z.looseObject({
  timestamp: text.refine((value) => !Number.isNaN(new Date(value).getTime()), 'not a timestamp'),
  is_open: z.boolean(),
  next_open: text,
  next_close: text,
});

export const calendarDaySchema = z.looseObject({
  date: text.regex(/^\d{4}-\d{2}-\d{2}$/, 'not a YYYY-MM-DD date'),
  open: text.regex(/^\d{2}:\d{2}$/, 'not an HH:MM time'),
  close: text.regex(/^\d{2}:\d{2}$/, 'not an HH:MM time'),
});

export const barSchema = z.looseObject({ t: text, o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number() });

export const barsPageSchema = z.looseObject({
  bars: z.array(barSchema).nullable(),
  next_page_token: z.string().nullable().optional(),
});

/** A 200 whose body is not JSON or not the documented shape. */
export class AlpacaResponseError extends Error {
  readonly userFacing = true;
  constructor(method: string, path: string, problem: string) {
    super(`Alpaca ${method} ${path}: the answer is not the documented shape (${problem})`);
    this.name = 'AlpacaResponseError';
  }
}

/** Parses and checks a body; the message shows where it is wrong, never the body itself. */
export function parseBody<T extends z.ZodType>(schema: T, body: string, method: string, path: string, secrets: readonly string[]): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new AlpacaResponseError(method, path, `not JSON: ${body.length} characters starting ${JSON.stringify(redact(body.slice(0, 40), secrets))}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 3).map((issue) => `${issue.path.length === 0 ? 'the body' : issue.path.join('.')}: ${issue.message}`);
    throw new AlpacaResponseError(method, path, redact(problems.join('; '), secrets));
  }
  return result.data;
}
