/** What the server said about the rate budget on one response. */
export interface RateInfo {
  /** Requests left in the current window, when the server said. */
  remaining: number | undefined;
  /** Milliseconds until the window frees up, when the server said. */
  resetMs: number | undefined;
}

/** Longest pause we accept from a header; anything longer is almost certainly a misread or a broken proxy. */
export const MAX_HINT_MS = 60_000;

type HeaderSource = { get(name: string): string | null };

/**
 * Reads X-RateLimit-Remaining and the reset hint. The published API spells the reset header
 * X-Rate-Limit-Reset, other gateways X-RateLimit-Reset, and Retry-After is standard; read all three.
 * Values above 10^9 are epoch seconds, not a delay.
 */
export function parseRateHeaders(headers: HeaderSource, now: number): RateInfo {
  const remainingText = headers.get('x-ratelimit-remaining') ?? headers.get('x-rate-limit-remaining');
  const remaining = remainingText !== null && /^\s*\d+\s*$/.test(remainingText) ? Number(remainingText) : undefined;
  let resetMs: number | undefined;
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset', 'retry-after']) {
    const ms = parseDelay(headers.get(name), now);
    if (ms !== undefined) {
      resetMs = ms;
      break;
    }
  }
  return { remaining, resetMs };
}

/** A delay header as milliseconds: seconds, epoch seconds, or an HTTP date (Retry-After). */
export function parseDelay(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    const ms = n > 1e9 ? n * 1000 - now : n * 1000;
    return clampHint(ms);
  }
  const date = Date.parse(text);
  if (!Number.isNaN(date) && /[a-z]/i.test(text)) return clampHint(date - now);
  return undefined;
}

function clampHint(ms: number): number {
  return Math.min(Math.max(0, Math.round(ms)), MAX_HINT_MS);
}
