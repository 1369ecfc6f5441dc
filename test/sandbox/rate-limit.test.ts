import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../src/sandbox/rate-limit.js';
import { DEFAULT_RATE_LIMIT } from '../../src/sandbox/server.js';
import { call, useSandbox } from '../helpers/sandbox.js';

describe('sliding-log limiter', () => {
  it('allows `limit` requests per rolling window and frees slots as the oldest leave it', () => {
    let t = 0;
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 10_000 }, () => t);
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 2, resetSeconds: 10 });
    t = 4_000;
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 1, resetSeconds: 6 });
    t = 4_500;
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 0, resetSeconds: 6 });
    t = 9_999;
    expect(limiter.take('k')).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    // Refused requests are not logged: the first slot still frees at t=10 000.
    t = 10_000;
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 0, resetSeconds: 4 });
    expect(limiter.take('k')).toMatchObject({ allowed: false, resetSeconds: 4 });
    // Other keys have their own window.
    expect(limiter.take('other')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('rounds the reset up to whole seconds, at least 1, and can be switched off or changed', () => {
    let t = 0;
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 300 }, () => t);
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 0, resetSeconds: 1 });
    t = 299;
    expect(limiter.take('k')).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    t = 300;
    expect(limiter.take('k')?.allowed).toBe(true);
    limiter.setSpec(null);
    expect(limiter.take('k')).toBeNull();
    limiter.setSpec({ limit: 2, windowMs: 1000 });
    expect(limiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('rate limit over HTTP', () => {
  it('answers 429 with the headers and Retry-After when over the limit, on any route, without consuming the window', async () => {
    let t = 1_000_000;
    const sb = await useSandbox({ rateLimit: { limit: 5, windowMs: 10_000 }, now: () => t, seed: 1 });
    const remaining: string[] = [];
    const resets: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(sb, 'GET', i === 4 ? '/nowhere' : '/visits');
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
      resets.push(res.headers.get('x-rate-limit-reset') ?? '');
      t += 1_000;
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    // Seconds until the oldest request leaves the window, i.e. until a slot frees.
    expect(resets).toEqual(['10', '9', '8', '7', '6']);
    const limited = await call(sb, 'GET', '/visits');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-rate-limit-reset')).toBe('5');
    expect(limited.headers.get('retry-after')).toBe('5');
    expect(limited.body.meta.error).toMatch(/too many requests: this key is limited to 5 requests per 10 s/);
    t += 4_999;
    expect((await call(sb, 'POST', '/visits', { body: [] })).status).toBe(429);
    t += 1;
    const back = await call(sb, 'GET', '/visits');
    expect(back.status).toBe(200);
    expect(back.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(sb.stats.rateLimited).toBe(2);
    expect(sb.stats.byStatus[429]).toBe(2);
  });

  it('puts the headers on 401 and 404 answers too, and none when the limit is off', async () => {
    const sb = await useSandbox({ rateLimit: { limit: 50, windowMs: 10_000 } });
    for (const res of [await call(sb, 'GET', '/visits', { key: 'wrong' }), await call(sb, 'GET', '/visits/yKQhJZ9B7PTT85kWc'), await call(sb, 'GET', '/elsewhere')]) {
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('x-rate-limit-reset')).toBe('10');
    }
    sb.setOptions({ rateLimit: null });
    const off = await call(sb, 'GET', '/visits');
    expect(off.headers.get('x-ratelimit-remaining')).toBeNull();
  });

  it('allows 100 requests per 10 s per key by default and refuses the 101st', async () => {
    const sb = await useSandbox({ rateLimit: DEFAULT_RATE_LIMIT, keys: ['a', 'b'] });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await call(sb, 'GET', '/visits', { key: 'a' });
      statuses.push(res.status);
      if (i === 99) expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await call(sb, 'GET', '/visits', { key: 'a' });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    const other = await call(sb, 'GET', '/visits', { key: 'b' });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('99');
  });
});
