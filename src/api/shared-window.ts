import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The sliding log of requests for one API key, shared by every ljit process on the machine that uses the
 * key. A nightly import, a dispatcher's list and a script running together draw from one budget, so none
 * of them pushes the others into 429s.
 *
 * Each entry is logged at dispatch and settled when its answer arrives, with the arrival time. The server
 * counted the request at some moment between the two, so a window measured from the answer's time can
 * never be shorter at the server's end, whatever the latency or a busy event loop did to the send. Until
 * it settles an entry counts as "now", so a slow request keeps its slot.
 */
export type Take = { taken: true; token: string } | { taken: false; waitMs: number };

export interface RateWindow {
  /** Takes a slot at `now` if the log has room and no pause is on; otherwise says how long to wait. */
  tryTake(now: number, limit: number, windowMs: number): Take;
  /** Marks the request answered at `at`. */
  settle(token: string, at: number): void;
  /** Stops every sharer until `until` (epoch ms); never shortens an existing pause. */
  pauseUntil(until: number): void;
  /** Requests counted in the window ending at `now`. */
  count(now: number, windowMs: number): number;
  pausedUntil(): number;
}

interface Entry {
  /** Dispatch time while pending, answer time once settled. */
  t: number;
  /** Present while the request has no answer yet. */
  p?: 1;
  k: string;
}

interface State {
  entries: Entry[];
  pausedUntil: number;
}

/** A process that died mid-request never settles its entries; after this long they count as answered. */
const PENDING_MAX_MS = 120_000;
/** How often to look again when the slot we wait for belongs to a request still in flight. */
const PENDING_POLL_MS = 25;

function effectiveTime(e: Entry, now: number): number {
  if (!e.p) return e.t;
  return now - e.t > PENDING_MAX_MS ? e.t + PENDING_MAX_MS : now;
}

function prune(state: State, now: number, windowMs: number): void {
  state.entries = state.entries.filter((e) => effectiveTime(e, now) > now - windowMs);
}

function take(state: State, now: number, limit: number, windowMs: number): Take {
  prune(state, now, windowMs);
  if (state.pausedUntil > now) return { taken: false, waitMs: state.pausedUntil - now };
  if (state.entries.length < limit) {
    const token = randomBytes(6).toString('base64url');
    state.entries.push({ t: now, p: 1, k: token });
    return { taken: true, token };
  }
  // The slot frees when the entry that keeps the log at `limit` leaves the window.
  const sorted = state.entries.map((e) => ({ at: effectiveTime(e, now), pending: e.p === 1 })).sort((a, b) => a.at - b.at);
  const pivot = sorted[sorted.length - limit];
  if (!pivot || pivot.pending) return { taken: false, waitMs: PENDING_POLL_MS };
  return { taken: false, waitMs: Math.max(1, pivot.at + windowMs - now) };
}

function settle(state: State, token: string, at: number): void {
  const entry = state.entries.find((e) => e.k === token);
  if (entry) {
    entry.t = Math.max(entry.t, at);
    delete entry.p;
  }
}

/** One process only: for tests, and when the cache directory cannot be written. */
export class MemoryRateWindow implements RateWindow {
  private readonly state: State = { entries: [], pausedUntil: 0 };
  tryTake(now: number, limit: number, windowMs: number): Take {
    return take(this.state, now, limit, windowMs);
  }
  settle(token: string, at: number): void {
    settle(this.state, token, at);
  }
  pauseUntil(until: number): void {
    this.state.pausedUntil = Math.max(this.state.pausedUntil, until);
  }
  count(now: number, windowMs: number): number {
    return this.state.entries.filter((e) => effectiveTime(e, now) > now - windowMs).length;
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
 * read, a filter and a rename, so the lock is held for microseconds and a synchronous wait is fine.
 */
export class FileRateWindow implements RateWindow {
  private readonly lockPath: string;
  constructor(private readonly path: string) {
    this.lockPath = `${path}.lock`;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }

  tryTake(now: number, limit: number, windowMs: number): Take {
    return this.withState((state) => take(state, now, limit, windowMs));
  }

  settle(token: string, at: number): void {
    this.withState((state) => settle(state, token, at));
  }

  pauseUntil(until: number): void {
    this.withState((state) => {
      state.pausedUntil = Math.max(state.pausedUntil, until);
    });
  }

  count(now: number, windowMs: number): number {
    return this.read().entries.filter((e) => effectiveTime(e, now) > now - windowMs).length;
  }

  pausedUntil(): number {
    return this.read().pausedUntil;
  }

  private read(): State {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<State>;
      return {
        entries: Array.isArray(parsed.entries) ? parsed.entries.filter((e): e is Entry => typeof e?.t === 'number' && typeof e.k === 'string') : [],
        pausedUntil: typeof parsed.pausedUntil === 'number' ? parsed.pausedUntil : 0,
      };
    } catch {
      // Missing or torn (a crash mid-write): an empty log is safe, the server's headers still slow us down.
      return { entries: [], pausedUntil: 0 };
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
