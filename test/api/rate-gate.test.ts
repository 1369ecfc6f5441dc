import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RateGate } from '../../src/api/rate-gate.js';
import { parseDelay, parseRateHeaders } from '../../src/api/rate-headers.js';
import { FileRateWindow, MemoryRateWindow } from '../../src/api/shared-window.js';
import { backoffMs, DEFAULT_RETRY } from '../../src/api/retry.js';
import { virtualClock } from '../helpers/clock.js';

const LIMIT = { limit: 100, windowMs: 10_000 };

async function dispatchTimes(gate: RateGate, clock: { now(): number }, n: number, holdMs = 0, advance?: (ms: number) => void): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: n }, async () => {
      const permit = await gate.acquire();
      times.push(clock.now());
      if (holdMs && advance) advance(holdMs);
      gate.observe({ remaining: undefined, resetMs: undefined }, permit.seq);
      permit.release();
    }),
  );
  return times.sort((a, b) => a - b);
}

describe('RateGate', () => {
  it('never lets more than 100 requests into any rolling 10 s, measured from the answers', async () => {
    const clock = virtualClock();
    const gate = new RateGate({ window: new MemoryRateWindow(), limit: LIMIT, concurrency: 8, clock });
    const times = await dispatchTimes(gate, clock, 250);
    expect(times).toHaveLength(250);
    for (let i = 0; i + 100 < times.length; i++) expect(times[i + 100]! - times[i]!).toBeGreaterThanOrEqual(10_050);
    // And it does not wait longer than the limit needs: 250 requests fit in two windows and a bit.
    expect(times[249]! - times[0]!).toBeLessThanOrEqual(2 * 10_050 + 1);
  });

  it('sends one request at a time until it has seen an answer', async () => {
    const clock = virtualClock();
    const gate = new RateGate({ window: new MemoryRateWindow(), limit: LIMIT, concurrency: 8, clock });
    const first = await gate.acquire();
    let secondIn = false;
    const second = gate.acquire().then((r) => {
      secondIn = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(secondIn).toBe(false);
    gate.observe({ remaining: 99, resetMs: 10_000 }, first.seq);
    first.release();
    (await second).release();
    expect(secondIn).toBe(true);
  });

  it('pauses until the reset when the server says the budget is spent', async () => {
    const clock = virtualClock();
    const window = new MemoryRateWindow();
    const gate = new RateGate({ window, limit: LIMIT, concurrency: 8, clock, random: () => 0 });
    const first = await gate.acquire();
    gate.observe({ remaining: 0, resetMs: 3_000 }, first.seq);
    first.release();
    const before = clock.now();
    (await gate.acquire()).release();
    expect(clock.now() - before).toBeGreaterThanOrEqual(3_000);
  });

  it('pauses every sharer of the window after a 429', async () => {
    const clock = virtualClock();
    const window = new MemoryRateWindow();
    const a = new RateGate({ window, limit: LIMIT, concurrency: 8, clock, random: () => 0 });
    const b = new RateGate({ window, limit: LIMIT, concurrency: 8, clock, random: () => 0 });
    const waited = a.onRateLimited({ remaining: 0, resetMs: 2_000 });
    expect(waited).toBe(2_100);
    const before = clock.now();
    (await b.acquire()).release();
    expect(clock.now() - before).toBe(2_100);
  });

  it('shares one budget between two windows on the same file (two processes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ljit-rate-'));
    const clock = virtualClock();
    const path = join(dir, 'key.json');
    const gates = [new FileRateWindow(path), new FileRateWindow(path)].map((window) => new RateGate({ window, limit: LIMIT, concurrency: 8, clock }));
    const times = (await Promise.all(gates.map((g) => dispatchTimes(g, clock, 120)))).flat().sort((x, y) => x - y);
    for (let i = 0; i + 100 < times.length; i++) expect(times[i + 100]! - times[i]!).toBeGreaterThanOrEqual(10_050);
  });

  it('keeps to a server limit lower than its own: never more in flight than the server has left', async () => {
    const clock = virtualClock();
    const gate = new RateGate({ window: new MemoryRateWindow(), limit: LIMIT, concurrency: 8, clock, random: () => 0 });
    // A server allowing 5 per 10 s, answering each request at once, sliding-log style.
    const arrivals: number[] = [];
    async function one(): Promise<void> {
      const permit = await gate.acquire();
      const now = clock.now();
      const inWindow = arrivals.filter((t) => t > now - 10_000);
      expect(inWindow.length).toBeLessThan(5); // a 6th would be a 429
      arrivals.push(now);
      const oldest = Math.min(...arrivals.filter((t) => t > now - 10_000));
      gate.observe({ remaining: 5 - inWindow.length - 1, resetMs: Math.max(1000, Math.ceil((oldest + 10_000 - now) / 1000) * 1000) }, permit.seq);
      permit.release();
    }
    await Promise.all(Array.from({ length: 20 }, one));
    expect(arrivals).toHaveLength(20);
  });
});

describe('rate headers', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('reads both spellings of the reset header and Retry-After', () => {
    expect(parseRateHeaders(h({ 'X-RateLimit-Remaining': '5', 'X-Rate-Limit-Reset': '3' }), 0)).toEqual({ remaining: 5, resetMs: 3000 });
    expect(parseRateHeaders(h({ 'X-RateLimit-Reset': '4' }), 0)).toEqual({ remaining: undefined, resetMs: 4000 });
    expect(parseRateHeaders(h({ 'Retry-After': '2' }), 0)).toEqual({ remaining: undefined, resetMs: 2000 });
  });
  it('treats big numbers as epoch seconds, clamps absurd hints to 60 s and ignores junk', () => {
    expect(parseDelay('1700000005', 1_700_000_000_000)).toBe(5000);
    expect(parseDelay('99999', 0)).toBe(60_000);
    expect(parseDelay('soon', 0)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is full jitter under a doubling ceiling capped at 30 s', () => {
    expect(backoffMs(1, DEFAULT_RETRY, () => 0.999)).toBe(499);
    expect(backoffMs(3, DEFAULT_RETRY, () => 0.5)).toBe(1000);
    expect(backoffMs(20, DEFAULT_RETRY, () => 0.5)).toBe(15_000);
    expect(backoffMs(1, DEFAULT_RETRY, () => 0, 7000)).toBe(7000);
  });
});
