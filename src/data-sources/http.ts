import { backoffDelay } from '../common/backoff';
import { redact } from '../common/redact';
import { DataSourceError } from './data-source-error';

/** How a source's GETs are sent and retried. */
export interface HttpOptions {
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface GetPolicy {
  /** The source's name, for the error. */
  readonly source: string;
  /** Attempts, the first included. */
  readonly attempts: number;
  /** First backoff; doubles per attempt up to 8 s. */
  readonly backoffMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Texts that must never appear in an error message (API keys). */
  readonly secrets?: readonly string[];
  /** Appended to the message of a 401 / 403 answer. */
  readonly unauthorizedHint?: string;
}

const maxBackoffMs = 8_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * GET `url` as text. Retried on 429, 5xx, timeouts and network errors (a download may be sent
 * again: it changes nothing); any other error status fails at once. `what` names the request.
 */
export async function getText(url: string, options: HttpOptions, what: string, policy: GetPolicy): Promise<string> {
  const secrets = policy.secrets ?? [];
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let retryAfterMs = 0;
    try {
      const response = await fetch(url, {
        headers: { 'User-Agent': 'aq-research/0.1 (daily bars)', Accept: '*/*', ...policy.headers },
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      });
      const status = response.status;
      const text = await response.text();
      if (status < 400) return text;
      reason = `HTTP ${status}: ${text.slice(0, 200)}`;
      if (status !== 429 && status < 500) {
        const hint = (status === 401 || status === 403) && policy.unauthorizedHint !== undefined ? ` ${policy.unauthorizedHint}` : '';
        throw new DataSourceError(redact(`${what}: ${reason}${hint}`, secrets), policy.source);
      }
      const retryAfter = Number(response.headers.get('retry-after') ?? '');
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, maxBackoffMs);
    } catch (error) {
      if (error instanceof DataSourceError) throw error;
      reason = (error as Error).name === 'TimeoutError' ? 'timed out' : String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    }
    if (attempt + 1 >= policy.attempts) {
      throw new DataSourceError(redact(`${what}: ${reason} (after ${policy.attempts} attempts)`, secrets), policy.source);
    }
    await sleep(retryAfterMs > 0 ? retryAfterMs : backoffDelay(attempt, policy.backoffMs, maxBackoffMs, Math.random));
  }
}
