import type { Clock } from '../context.js';
import type { RateInfo } from './rate-headers.js';
import type { RateWindow } from './shared-window.js';

export interface RateGateOptions {
  window: RateWindow;
  /** Requests per window; null turns the client-side limit off (a server with no limit). */
  limit: { limit: number; windowMs: number } | null;
  /** Requests in flight at once once the server's headers are known. */
  concurrency: number;
  clock: Clock;
  random?: () => number;
  /**
   * Added to the window: requests reach the server a little after we dispatch them, and unevenly, so a log
   * that is exact at our end could still overrun a window measured at the server's.
   */
  guardMs?: number;
}

export interface GateStats {
  /** Requests answered 429 (each retried). */
  rateLimited: number;
  /** Total milliseconds spent waiting for the budget. */
  waitedMs: number;
}

/**
 * Decides when a request may go: never more than `limit` per rolling window across every process sharing
 * the key (through the RateWindow), at most `concurrency` in flight, one at a time until the first answer
 * shows the server's headers, and paused whenever the server says the budget is spent.
 */
export class RateGate {
  readonly stats: GateStats = { rateLimited: 0, waitedMs: 0 };
  private inFlight = 0;
  private maxInFlight = 1;
  private readonly waiters: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly random: () => number;
  private readonly guardMs: number;
  /** The last budget the server reported, for `auth status` and the watch board. */
  lastInfo: RateInfo | undefined;

  constructor(private readonly opts: RateGateOptions) {
    this.random = opts.random ?? Math.random;
    this.guardMs = opts.guardMs ?? 250;
  }

  /** Waits for a slot; returns the function that gives it back when the response is complete. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    // One chain, so requests leave in the order they asked, and only the head polls the shared log.
    const turn = this.queue.then(() => this.takeSlot(signal));
    this.queue = turn.catch(() => undefined);
    await turn;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.waiters.shift()?.();
    };
  }

  /** Called with every response's headers. Headers only ever slow the gate down, never speed it up. */
  observe(info: RateInfo): void {
    this.maxInFlight = this.opts.concurrency;
    if (info.remaining === undefined && info.resetMs === undefined) return;
    this.lastInfo = info;
    const now = this.opts.clock.now();
    const limit = this.opts.limit;
    // Our own log already waits when it is full; the server's count matters when someone else (another
    // machine on the same key) is spending the budget, which shows as fewer left than in flight.
    const ownLogHasRoom = limit === null || this.opts.window.count(now, limit.windowMs + this.guardMs) < limit.limit;
    if (info.remaining !== undefined && info.remaining <= Math.max(0, this.inFlight - 1) && ownLogHasRoom) {
      this.opts.window.pauseUntil(now + (info.resetMs ?? limit?.windowMs ?? 10_000) + this.jitter());
    }
  }

  /** A 429: pause every sharer of the key until the server's reset (or a whole window), then resend. */
  onRateLimited(info: RateInfo): number {
    this.stats.rateLimited += 1;
    this.lastInfo = info;
    const waitMs = (info.resetMs ?? this.opts.limit?.windowMs ?? 10_000) + this.jitter();
    this.opts.window.pauseUntil(this.opts.clock.now() + waitMs);
    return waitMs;
  }

  private jitter(): number {
    return 100 + Math.floor(this.random() * 200);
  }

  private async takeSlot(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    for (;;) {
      signal?.throwIfAborted();
      const now = this.opts.clock.now();
      const limit = this.opts.limit;
      const result = limit
        ? this.opts.window.tryTake(now, limit.limit, limit.windowMs + this.guardMs)
        : this.pausedWait(now);
      if (result.taken) break;
      this.stats.waitedMs += result.waitMs;
      await this.opts.clock.sleep(result.waitMs, signal);
    }
    this.inFlight += 1;
  }

  private pausedWait(now: number): { taken: true } | { taken: false; waitMs: number } {
    const until = this.opts.window.pausedUntil();
    return until > now ? { taken: false, waitMs: until - now } : { taken: true };
  }
}
