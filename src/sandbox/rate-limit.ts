export interface RateLimitSpec {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Requests still allowed in the window after this one (0 when refused). */
  remaining: number;
  /**
   * Whole seconds, rounded up and at least 1, until the oldest request in the window leaves it: when
   * `remaining` is 0 this is when the next request will be accepted; otherwise when `remaining` next grows.
   */
  resetSeconds: number;
}

/** One key's request times, oldest first; `head` skips expired entries without shifting the array. */
interface Log {
  times: number[];
  head: number;
}

/**
 * A rolling window as a sliding log (ruling 7): exact, unlike fixed buckets, so a client that paces itself
 * by the headers never sees a 429 at a bucket boundary. Refused requests are not logged, so hammering
 * while limited does not push the reset further away.
 */
export class SlidingWindowLimiter {
  private readonly logs = new Map<string, Log>();

  constructor(
    private spec: RateLimitSpec | null,
    private readonly now: () => number,
  ) {}

  get current(): RateLimitSpec | null {
    return this.spec;
  }

  setSpec(spec: RateLimitSpec | null): void {
    this.spec = spec;
  }

  /** Records a request for `bucket` if it fits; null when rate limiting is off. */
  take(bucket: string): RateDecision | null {
    const spec = this.spec;
    if (!spec) return null;
    const now = this.now();
    let log = this.logs.get(bucket);
    if (!log) {
      log = { times: [], head: 0 };
      this.logs.set(bucket, log);
    }
    const { times } = log;
    while (log.head < times.length && (times[log.head] ?? 0) <= now - spec.windowMs) log.head += 1;
    if (log.head > 1024 && log.head * 2 > times.length) {
      times.splice(0, log.head);
      log.head = 0;
    }
    const inWindow = times.length - log.head;
    const secondsUntil = (t: number) => Math.max(1, Math.ceil((t + spec.windowMs - now) / 1000));
    if (inWindow >= spec.limit) {
      // After a limit was lowered more requests than the limit may be in the window; the next slot frees
      // when enough of the oldest have left.
      const freeing = times[log.head + inWindow - spec.limit] ?? now;
      return { allowed: false, remaining: 0, resetSeconds: secondsUntil(freeing) };
    }
    times.push(now);
    return { allowed: true, remaining: spec.limit - inWindow - 1, resetSeconds: secondsUntil(times[log.head] ?? now) };
  }
}
