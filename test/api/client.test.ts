import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { RateGate } from '../../src/api/rate-gate.js';
import { MemoryRateWindow } from '../../src/api/shared-window.js';
import { ApiError, AuthError, ExitCode, NotFoundError, UnavailableError, UsageError } from '../../src/errors.js';
import { recordingClock } from '../helpers/clock.js';
import { cutBody, destroyBeforeResponse, json, listPage, stallBody, startFaultServer, type Behaviour, type FaultServer } from '../helpers/fault-server.js';

const KEY = 'ljit_TEST_CANARY_9f3';
let servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(...script: Behaviour[]) {
  const s = await startFaultServer(script);
  servers.push(s);
  return s;
}

function client(url: string, extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const clock = recordingClock();
  const lines: string[] = [];
  const c = new ApiClient({
    baseUrl: url,
    apiKey: KEY,
    keyPlacement: 'header',
    clock,
    gate: new RateGate({ window: new MemoryRateWindow(), limit: null, concurrency: 8, clock }),
    timeoutMs: 2_000,
    random: () => 0.5,
    debug: (l) => lines.push(l),
    warn: (l) => lines.push(l),
    ...extra,
  });
  return { c, clock, lines };
}

describe('ApiClient retries', () => {
  it.each([500, 502, 503, 504, 408])('retries a %i once and succeeds on the next answer', async (status) => {
    const s = await serve(json(status, { meta: { error: 'boom' } }), listPage());
    const { c, clock } = client(s.url);
    const res = await c.request('GET', 'visits');
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(2);
    // Full jitter, base 500 ms: the first wait lies in [0, 500].
    expect(clock.sleeps.filter((ms) => ms > 5)).toEqual([250]);
  });

  it('gives up after --max-retries attempts with exit code 7 and backoff that doubles', async () => {
    const s = await serve(json(500, { meta: { error: 'down' } }));
    const { c, clock } = client(s.url, { retry: { maxAttempts: 5, baseMs: 500, capMs: 30_000 } });
    const err = await c.request('GET', 'visits').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).exitCode).toBe(ExitCode.unavailable);
    expect((err as Error).message).toBe('GET /visits: the server answered 500 (down) after 5 attempts');
    expect(s.requests).toHaveLength(5);
    expect(clock.sleeps.filter((ms) => ms > 5)).toEqual([250, 500, 1000, 2000]);
  });

  it('waits at least Retry-After on a 503', async () => {
    const s = await serve(json(503, { meta: { error: 'maintenance' } }, { 'retry-after': '7' }), listPage());
    const { c, clock } = client(s.url);
    await c.request('GET', 'visits');
    expect(clock.sleeps).toContain(7000);
  });

  it.each([
    [400, ApiError],
    [404, NotFoundError],
    [405, ApiError],
    [410, ApiError],
  ])('does not retry a %i', async (status, type) => {
    const s = await serve(json(status, { meta: { error: 'nope' } }), listPage());
    const { c } = client(s.url);
    await expect(c.request('GET', 'visits')).rejects.toBeInstanceOf(type);
    expect(s.requests).toHaveLength(1);
  });

  it('stops at a 401 with exit code 4 and says how to log in', async () => {
    const s = await serve(json(401, { meta: { error: 'invalid API key' } }));
    const { c } = client(s.url);
    const err = (await c.request('GET', 'visits').catch((e: unknown) => e)) as AuthError;
    expect(err).toBeInstanceOf(AuthError);
    expect(err.exitCode).toBe(ExitCode.auth);
    expect(err.message).toBe('the server refused the API key (401: invalid API key)');
    expect(err.hint).toContain('ljit auth login');
    expect(s.requests).toHaveLength(1);
  });

  it('retries a connection destroyed before any answer, for GET and POST alike', async () => {
    const s = await serve(destroyBeforeResponse, json(200, { meta: { recordsInserted: 1, recordsUpdated: 0 }, data: null }));
    const { c } = client(s.url);
    const res = await c.request('POST', 'visits', { body: [{ id: 1 }] });
    expect(res.body.meta).toEqual({ recordsInserted: 1, recordsUpdated: 0 });
    expect(s.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(s.requests[1]?.body).toBe('[{"id":1}]');
  });

  it('retries a body cut mid-way instead of surfacing a JSON SyntaxError', async () => {
    const s = await serve(cutBody, listPage());
    const { c } = client(s.url);
    const res = await c.request('GET', 'visits');
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(2);
  });

  it('times out a stalled body at the attempt timeout, and the retry gets a fresh timer', async () => {
    const s = await serve(stallBody(5_000), listPage());
    const { c } = client(s.url, { timeoutMs: 300 });
    const started = Date.now();
    const res = await c.request('GET', 'visits');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(2);
    // The first attempt waited for the timeout; the second did not fail at once on a reused aborted signal.
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('retries a 200 whose body is HTML, then quotes it', async () => {
    const html: Behaviour = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Proxy login required</body></html>');
    };
    const s = await serve(html);
    const { c } = client(s.url, { retry: { maxAttempts: 3, baseMs: 1, capMs: 1 } });
    await expect(c.request('GET', 'visits')).rejects.toThrow('GET /visits: the server answered 200 with a body that is not JSON after 3 attempts: <html><body>Proxy login required</body></html>');
    expect(s.requests).toHaveLength(3);
  });
});

describe('ApiClient safety', () => {
  it('does not follow a redirect, so the key never reaches another host', async () => {
    const other = await serve(listPage());
    const s = await serve((_q, res) => {
      res.writeHead(302, { location: `${other.url}/visits` });
      res.end();
    });
    const { c } = client(s.url);
    await expect(c.request('GET', 'visits')).rejects.toThrow(/redirected to .*ljit does not follow redirects/);
    expect(other.requests).toHaveLength(0);
  });

  it('refuses plain http to a non-loopback host before any connection', () => {
    expect(() => client('http://app.letsjobit.com/api/v2')).toThrow(UsageError);
    expect(() => client('http://app.letsjobit.com/api/v2')).toThrow('refusing to send the API key over plain http to app.letsjobit.com');
    expect(() => client('http://127.0.0.1:9/api/v2')).not.toThrow();
    expect(() => client('http://localhost:9/api/v2')).not.toThrow();
  });

  it('sends the key as a Bearer header or in the query, and never logs it', async () => {
    const s = await serve(listPage());
    const header = client(s.url);
    await header.c.request('GET', 'visits', { query: { date: '2020-03-31' } });
    const query = client(s.url, { keyPlacement: 'query' });
    await query.c.request('GET', 'visits');
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(s.requests[1]?.url).toBe(`/api/v2/visits?API_KEY=${KEY}`);
    expect(s.requests[1]?.headers.authorization).toBeUndefined();
    const logs = [...header.lines, ...query.lines].join('\n');
    expect(logs).toContain('GET http://127.0.0.1');
    expect(logs).toContain('API_KEY=***');
    expect(logs).not.toContain(KEY);
  });
});

describe('ApiClient and 429', () => {
  it('waits for the reset on a 429 and resends without counting an attempt', async () => {
    const s = await serve(json(429, { meta: { error: 'Too many requests' } }, { 'x-ratelimit-remaining': '0', 'x-rate-limit-reset': '0' }), listPage());
    const { c, lines } = client(s.url, { retry: { maxAttempts: 1, baseMs: 500, capMs: 30_000 } });
    const res = await c.request('GET', 'visits');
    expect(res.status).toBe(200);
    expect(s.requests).toHaveLength(2);
    expect(c.stats).toEqual({ requests: 2, retries: 0, rateLimited: 1 });
    expect(lines.some((l) => l.startsWith('rate limited by the server, resuming in'))).toBe(true);
  });

  it('stops after six 429s in a row', async () => {
    const s = await serve(json(429, { meta: { error: 'Too many requests' } }, { 'x-rate-limit-reset': '0' }));
    const { c } = client(s.url);
    await expect(c.request('GET', 'visits')).rejects.toThrow('kept answering 429');
    expect(s.requests).toHaveLength(6);
  });
});
