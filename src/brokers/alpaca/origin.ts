/**
 * Which Alpaca host a run talks to, decided on the parsed origin and never on the spelling:
 * `HTTPS://API.ALPACA.MARKETS:443/v2/` and `https://api.alpaca.markets` are one host, the
 * real-money one. Only Alpaca's paper host and the loopback test servers go without --live.
 */
export const alpacaPaperHost = 'paper-api.alpaca.markets';

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type HostKind = 'paper' | 'loopback' | 'real-money';

export interface TradingOrigin {
  /** scheme://host[:port], lower case, default port dropped, no path. */
  readonly origin: string;
  readonly kind: HostKind;
}

/** A URL that cannot name a trading host; the message says why. */
export class InvalidOriginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOriginError';
  }
}

export function parseTradingOrigin(text: string): TradingOrigin {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOriginError(`must be an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidOriginError(`must be an http(s) URL, got "${text}"`);
  if (url.username !== '' || url.password !== '') throw new InvalidOriginError(`must not carry a user name or password, got "${url.host}"`);
  const kind: HostKind = loopbackHosts.has(url.hostname) ? 'loopback' : url.hostname === alpacaPaperHost ? 'paper' : 'real-money';
  // The keys travel in headers: in clear text only to a test server on this machine.
  if (kind !== 'loopback' && url.protocol !== 'https:') throw new InvalidOriginError(`must be https for a host other than loopback, got "${url.origin}"`);
  return { origin: url.origin, kind };
}

export type AlpacaMode = 'alpaca-paper' | 'alpaca-live';

/**
 * The mode of a run against a host: real money needs `live` (the caller then asks for the
 * typed confirmation); the paper host refuses `live`; a loopback test server stands in for
 * either. Throws InvalidOriginError when the flag and the host disagree.
 */
export function tradingMode(host: TradingOrigin, live: boolean): AlpacaMode {
  if (host.kind === 'real-money' && !live) {
    throw new InvalidOriginError(`is ${host.origin}, a real-money host: it needs --live and the confirmation`);
  }
  if (host.kind === 'paper' && live) throw new InvalidOriginError(`is ${host.origin}, Alpaca's paper host: --live goes with the real-money host`);
  return live ? 'alpaca-live' : 'alpaca-paper';
}

/** The broker name a journal records: the mode and the normalised origin. */
export function brokerName(mode: AlpacaMode, host: TradingOrigin): string {
  return `${mode} ${host.origin}`;
}

/** The origin of a recorded broker name ("alpaca-paper" alone: the paper host, the old default). */
export function recordedOrigin(name: string): { mode: string; origin: string | null } {
  const [mode, url] = name.split(' ', 2);
  if (url === undefined) return { mode, origin: mode === 'alpaca-paper' ? `https://${alpacaPaperHost}` : mode === 'alpaca-live' ? 'https://api.alpaca.markets' : null };
  try {
    return { mode, origin: new URL(url).origin };
  } catch {
    return { mode, origin: null };
  }
}
