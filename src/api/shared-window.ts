import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The sliding log of dispatch times for one API key, shared by every ljit process on the machine that
 * uses the key. A nightly import, a dispatcher's list and a script running together draw from one budget,
 * so none of them pushes the others into 429s.
 */
export interface RateWindow {
  /** Takes a slot at `now` if the log has room and no pause is on; otherwise returns how long to wait. */
  tryTake(now: number, limit: number, windowMs: number): { taken: true } | { taken: false; waitMs: number };
  /** Stops every sharer until `until` (epoch ms); never shortens an existing pause. */
  pauseUntil(until: number): void;
  /** Dispatches recorded in the window ending at `now`. */
  count(now: number, windowMs: number): number;
  pausedUntil(): number;
}

interface State {
  times: number[];
  pausedUntil: number;
}

function take(state: State, now: number, limit: number, windowMs: number): { taken: true } | { taken: false; waitMs: number } {
  state.times = state.times.filter((t) => t > now - windowMs && t <= now + windowMs);
  if (state.pausedUntil > now) return { taken: false, waitMs: state.pausedUntil - now };
  if (state.times.length < limit) {
    state.times.push(now);
    return { taken: true };
  }
  // The slot frees when the entry that keeps the log at `limit` leaves the window.
  const sorted = [...state.times].sort((a, b) => a - b);
  const pivot = sorted[sorted.length - limit] ?? now;
  return { taken: false, waitMs: Math.max(1, pivot + windowMs - now) };
}

/** One process only: for tests, and when the cache directory cannot be written. */
export class MemoryRateWindow implements RateWindow {
  private state: State = { times: [], pausedUntil: 0 };
  tryTake(now: number, limit: number, windowMs: number) {
    return take(this.state, now, limit, windowMs);
  }
  pauseUntil(until: number): void {
    this.state.pausedUntil = Math.max(this.state.pausedUntil, until);
  }
  count(now: number, windowMs: number): number {
    return this.state.times.filter((t) => t > now - windowMs).length;
  }
  pausedUntil(): number {
    return this.state.pausedUntil;
  }
}

/** A lock held longer than this belongs to a process that died inside the (microseconds long) critical section. */
const STALE_LOCK_MS = 2_000;
const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));

/**
 * The log in a small JSON file, read and written under an exclusive lock file. The critical section is a
 * read, an array filter and a rename, so the lock is held for microseconds and a synchronous wait is fine.
 */
export class FileRateWindow implements RateWindow {
  private readonly lockPath: string;
  constructor(private readonly path: string) {
    this.lockPath = `${path}.lock`;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  tryTake(now: number, limit: number, windowMs: number) {
    return this.withState((state) => take(state, now, limit, windowMs));
  }

  pauseUntil(until: number): void {
    this.withState((state) => {
      state.pausedUntil = Math.max(state.pausedUntil, until);
    });
  }

  count(now: number, windowMs: number): number {
    return this.read().times.filter((t) => t > now - windowMs).length;
  }

  pausedUntil(): number {
    return this.read().pausedUntil;
  }

  private read(): State {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<State>;
      return {
        times: Array.isArray(parsed.times) ? parsed.times.filter((t): t is number => typeof t === 'number') : [],
        pausedUntil: typeof parsed.pausedUntil === 'number' ? parsed.pausedUntil : 0,
      };
    } catch {
      // Missing or torn (a crash mid-write): an empty log is safe, the server's headers still slow us down.
      return { times: [], pausedUntil: 0 };
    }
  }

  private withState<T>(change: (state: State) => T): T {
    this.lock();
    try {
      const state = this.read();
      const result = change(state);
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
      renameSync(tmp, this.path);
      return result;
    } finally {
      this.unlock();
    }
  }

  private lock(): void {
    for (let spins = 0; ; spins++) {
      try {
        closeSync(openSync(this.lockPath, 'wx', 0o600));
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        try {
          if (Date.now() - statSync(this.lockPath).mtimeMs > STALE_LOCK_MS) unlinkSync(this.lockPath);
        } catch {
          // The holder released it between our two calls.
        }
        Atomics.wait(sleepBuffer, 0, 0, spins < 10 ? 1 : 5);
      }
    }
  }

  private unlock(): void {
    try {
      unlinkSync(this.lockPath);
    } catch {
      // Already removed as stale by another process: nothing to undo.
    }
  }
}
