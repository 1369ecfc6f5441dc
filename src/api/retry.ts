/**
 * Which failures are retried and how long to wait. Every method is retried, including POST: GET, PUT and
 * DELETE are idempotent, and POST /visits is an upsert keyed by the ERP id (api-notes.md ruling 8), so
 * sending the same batch twice stores it once. A new endpoint that is not idempotent must not reuse this.
 */

/** Statuses that say "try again later". 429 is handled by the rate gate and never counts as an attempt. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  408, // request timeout: the server gave up waiting for us
  500, // internal error: often transient under load
  502, // bad gateway: a proxy lost the upstream
  503, // unavailable / maintenance: may carry Retry-After
  504, // gateway timeout
]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseMs: 500, capMs: 30_000 };

/**
 * Full jitter (AWS): a uniform wait in [0, min(cap, base * 2^(attempt-1))], so many clients that failed
 * together do not come back together. A server hint (Retry-After) raises the wait to at least the hint.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number, hintMs?: number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return hintMs !== undefined ? Math.max(jittered, hintMs) : jittered;
}
