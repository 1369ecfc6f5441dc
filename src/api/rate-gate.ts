import type { Clock } from '../context.js';
import type { RateInfo } from './rate-headers.js';
import type { RateWindow, Take } from './shared-window.js';

export interface RateGateOptions {
  window: RateWindow;
  /** Requests per window; null turns the client-side limit off (a server with no limit). */
  limit: { limit: number; windowMs: number } | null;
  /** Requests in flight at once once the server's headers are known. */
  concurrency: number;
  clock: Clock;
  random?: () => number;
  /** Added to the window for timer granularity; the log's settle-on-answer already covers latency. */
  guardMs?: number;
}

export interface Permit {
  /** Dispatch order, so an answer can be matched with what was sent after it. */
  seq: number;
  release(): void;
}

/** While waiting for the one request that probes a fresh budget, poll this often for its answer. */
const PROBE_POLL_MS = 25;

/**
 * Decides when a request may go:
 * - never more than `limit` per rolling window across every process sharing the key (the RateWindow log);
 * - at most `concurrency` in flight, and one at a time until an answer shows the server's headers;
 * - never more than the server says is left: the newest answer's X-RateLimit-Remaining, minus what was
 *   sent after that request, is the budget. When it is spent and our own log is not full (the server's
 *   limit is lower than ours, or another machine shares the key), wait for the server's reset and send
 *   one request to learn the new budget before sending more.
 */
export class RateGate {
  readonly stats = { rateLimited: 0, waitedMs: 0 };
  /** The last budget the server reported, for `auth status` and the watch board. */
  lastInfo: RateInfo | undefined;
  private inFlight = 0;
  private maxInFlight = 1;
  private dispatched = 0;
  private newestObserved = -1;
  private serverRemaining: number | undefined;
  private serverResetAt = 0;
  private probeSeq: number | undefined;
  private readonly waiters: (() => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly random: () => number;
  private readonly guardMs: number;

  constructor(private readonly opts: RateGateOptions) {
    this.random = opts.random ?? Math.random;
    this.guardMs = opts.guardMs ?? 50;
  }

  /** Waits for a slot; the permit's release() gives it back when the response is complete. */
  async acquire(signal?: AbortSignal): Promise<Permit> {
    // One chain, so requests leave in the order they asked and only the head polls the shared log.
    const turn = this.queue.then(() => this.takeSlot(signal));
    this.queue = turn.catch(() => undefined);
    const { seq, token } = await turn;
    let released = false;
    return {
      seq,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        if (token !== undefined) this.opts.window.settle(token, this.opts.clock.now());
        // A probe that got no answer (network error) must not block everyone forever.
        if (this.probeSeq === seq && this.newestObserved < seq) this.probeSeq = undefined;
        this.waiters.shift()?.();
      },
    };
  }

  /** Every response's headers, with the permit's seq. Headers only ever slow the gate down. */
  observe(info: RateInfo, seq: number): void {
    this.maxInFlight = this.opts.concurrency;
    if (this.probeSeq !== undefined && seq >= this.probeSeq) this.probeSeq = undefined;
    if (info.remaining === undefined) return;
    this.lastInfo = info;
    if (seq < this.newestObserved) return; // an older answer knows less than the one we have
    this.newestObserved = seq;
    const now = this.opts.clock.now();
    this.serverRemaining = info.remaining - (this.dispatched - 1 - seq);
    this.serverResetAt = now + (info.resetMs ?? this.opts.limit?.windowMs ?? 10_000);
    const limit = this.opts.limit;
    const ownLogHasRoom = limit === null || this.opts.window.count(now, limit.windowMs + this.guardMs) < limit.limit;
    if (info.remaining === 0 && ownLogHasRoom) {
      // The server counts requests our log does not know about: tell every process sharing the key.
      this.opts.window.pauseUntil(this.serverResetAt);
    }
  }

  /** A 429: pause every sharer of the key until the server's reset (or a whole window), then resend. */
  onRateLimited(info: RateInfo): number {
    this.stats.rateLimited += 1;
    this.lastInfo = info;
    const waitMs = (info.resetMs ?? this.opts.limit?.windowMs ?? 10_000) + this.jitter();
    const now = this.opts.clock.now();
    this.opts.window.pauseUntil(now + waitMs);
    this.serverRemaining = 0;
    this.serverResetAt = now + waitMs;
    return waitMs;
  }

  private jitter(): number {
    return 100 + Math.floor(this.random() * 200);
  }

  private async takeSlot(signal?: AbortSignal): Promise<{ seq: number; token: string | undefined }> {
    while (this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let probe = false;
    let token: string | undefined;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.opts.clock.now();
      const limit = this.opts.limit;
      if (this.serverRemaining !== undefined && this.serverRemaining <= 0) {
        const logFull = limit !== null && this.opts.window.count(now, limit.windowMs + this.guardMs) >= limit.limit;
        if (logFull) {
          // Our own log is exact to the millisecond, the server's reset only to the second: let it decide.
          this.serverRemaining = undefined;
        } else if (this.probeSeq !== undefined) {
          await this.sleep(PROBE_POLL_MS, signal);
          continue;
        } else if (now < this.serverResetAt) {
          await this.sleep(this.serverResetAt - now, signal);
          continue;
        } else {
          probe = true;
        }
      }
      const result = limit ? this.opts.window.tryTake(now, limit.limit, limit.windowMs + this.guardMs) : this.pausedWait(now);
      if (result.taken) {
        token = result.token || undefined;
        break;
      }
      await this.sleep(result.waitMs, signal);
    }
    const seq = this.dispatched;
    this.dispatched += 1;
    this.inFlight += 1;
    if (probe) {
      this.probeSeq = seq;
      this.serverRemaining = 0;
    } else if (this.serverRemaining !== undefined) {
      this.serverRemaining -= 1;
    }
    return { seq, token };
  }

  private async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.stats.waitedMs += ms;
    await this.opts.clock.sleep(ms, signal);
  }

  private pausedWait(now: number): Take {
    const until = this.opts.window.pausedUntil();
    return until > now ? { taken: false, waitMs: until - now } : { taken: true, token: '' };
  }
}
