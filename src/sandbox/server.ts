import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { planFaults, type FaultSettings } from './faults.js';
import { errorReply, type HandlerContext, type Reply } from './handlers.js';
import { hostForUrl, presentedKey, rateHeaders, readBody, writeReply } from './http.js';
import { companyIdForKey, meteorId } from './ids.js';
import { rngFor } from './random.js';
import { SlidingWindowLimiter, type RateLimitSpec } from './rate-limit.js';
import { API_BASE, routeRequest } from './routes.js';
import { seedVisits } from './seed.js';
import { VisitStore } from './store.js';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** API keys; each is its own company. Default: ["sandbox"]. */
  keys?: string[];
  /** Visits to generate for each key's company that has none at start-up. */
  seed?: number;
  /** Makes seed data, generated `_id`s and faults repeat exactly across runs. */
  randomSeed?: string | number;
  /** Dates to spread seeded visits over (default: 2020-03-23..2020-04-10). */
  seedDates?: string[];
  /** NDJSON file to load on start and to keep up to date (debounced, atomic). Default: memory only. */
  dataFile?: string;
  /** Per key; default 100 per 10 s like the real service; null turns it off. */
  rateLimit?: RateLimitSpec | null;
  latencyMs?: number;
  /** Up to this many ms added at random on top of latencyMs. */
  jitterMs?: number;
  /** Fraction of requests answered 500/503 without being processed. */
  failRate?: number;
  /** Fraction of requests processed, then cut off part-way through the response body. */
  dropRate?: number;
  /** Largest request body accepted (default 20 MB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Clock for the rate limiter and record timestamps. */
  now?: () => number;
  /** Background problems (a failed debounced write). */
  onError?: (err: unknown) => void;
}

export interface SandboxStats {
  requests: number;
  byStatus: Record<number, number>;
  rateLimited: number;
  dropped: number;
  failed: number;
}

export interface Sandbox {
  /** Base URL of the API, e.g. http://127.0.0.1:8787/api/v2 */
  url: string;
  origin: string;
  port: number;
  keys: string[];
  companyIdFor(key: string): string;
  stats: SandboxStats;
  /** A copy of the visits of a key's company (default: the first key), in list order. */
  visits(key?: string): Record<string, unknown>[];
  setOptions(partial: Partial<Pick<SandboxOptions, 'rateLimit' | 'latencyMs' | 'jitterMs' | 'failRate' | 'dropRate'>>): void;
  close(): Promise<void>;
}

export { API_BASE } from './routes.js';
export const DEFAULT_KEY = 'sandbox';
export const DEFAULT_RATE_LIMIT: RateLimitSpec = { limit: 100, windowMs: 10_000 };
const DEFAULT_MAX_BODY = 20 * 1024 * 1024;

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? Date.now;
  const keys = opts.keys && opts.keys.length > 0 ? [...new Set(opts.keys)] : [DEFAULT_KEY];
  const companyOf = new Map(keys.map((k) => [k, companyIdForKey(k)]));
  const store = await VisitStore.open({ ...(opts.dataFile ? { file: opts.dataFile } : {}), ...(opts.onError ? { onError: opts.onError } : {}) });
  if (opts.seed) {
    for (const companyId of companyOf.values()) {
      if (store.count(companyId) > 0) continue;
      const records = seedVisits({ count: opts.seed, companyId, randomSeed: opts.randomSeed, dates: opts.seedDates, isTaken: (id) => store.hasId(id) });
      for (const rec of records) store.insert(companyId, rec);
    }
  }

  const limiter = new SlidingWindowLimiter(opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit, now);
  const faults: FaultSettings = { latencyMs: opts.latencyMs ?? 0, jitterMs: opts.jitterMs ?? 0, failRate: opts.failRate ?? 0, dropRate: opts.dropRate ?? 0 };
  const faultRng = rngFor(opts.randomSeed, 'faults');
  const idRng = rngFor(opts.randomSeed, 'ids');
  const newId = () => {
    let id = meteorId(idRng);
    while (store.hasId(id)) id = meteorId(idRng);
    return id;
  };
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const stats: SandboxStats = { requests: 0, byStatus: {}, rateLimited: 0, dropped: 0, failed: 0 };
  const closing = new AbortController();
  const inFlight = new Set<Promise<void>>();

  function send(res: ServerResponse, reply: Reply, headers: Record<string, string>, drop = false): void {
    stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1;
    if (drop) stats.dropped += 1;
    writeReply(res, reply, headers, drop);
  }

  const context = (companyId: string): HandlerContext => ({ store, companyId, now, newId });

  /** Rate limit, then faults, then routing: a 429 is never a simulated failure and never delayed. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests += 1;
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const body = await readBody(req, maxBody);
    const key = presentedKey(req, url);
    const companyId = key === undefined ? undefined : companyOf.get(key);
    // Unknown callers share one budget per address, so 401s are limited too and carry the headers.
    const decision = limiter.take(companyId !== undefined ? `key:${key}` : `anon:${req.socket.remoteAddress ?? ''}`);
    const headers = rateHeaders(decision);
    if (decision && !decision.allowed) {
      stats.rateLimited += 1;
      const spec = limiter.current;
      const rate = spec ? `${spec.limit} requests per ${spec.windowMs / 1000} s` : 'the rate limit';
      send(res, errorReply(429, `too many requests: this key is limited to ${rate}; retry in ${decision.resetSeconds} s`), { ...headers, 'Retry-After': String(decision.resetSeconds) });
      return;
    }

    const plan = planFaults(faults, faultRng);
    if (plan.delayMs > 0) await sleep(plan.delayMs, undefined, { signal: closing.signal });
    if (plan.kind === 'fail') {
      stats.failed += 1;
      const why = plan.status === 503 ? 'service unavailable (simulated maintenance)' : 'internal server error (simulated)';
      send(res, errorReply(plan.status, why), headers);
      return;
    }
    const reply = routeRequest({ context, maxBodyBytes: maxBody }, { method: req.method ?? 'GET', url, key, companyId, body });
    send(res, reply, headers, plan.kind === 'drop');
  }

  const server: Server = createServer((req, res) => {
    const task = handle(req, res)
      .catch((err: unknown) => {
        if (closing.signal.aborted) {
          res.destroy();
          return;
        }
        if (!res.headersSent) send(res, errorReply(500, `sandbox bug: ${err instanceof Error ? err.message : String(err)}`), {});
        else res.destroy();
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${hostForUrl(opts.host ?? '127.0.0.1')}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url: `${origin}${API_BASE}`,
    origin,
    port,
    keys,
    companyIdFor: (key) => companyOf.get(key) ?? companyIdForKey(key),
    stats,
    visits: (key = keys[0] ?? DEFAULT_KEY) => structuredClone(store.records(companyOf.get(key) ?? companyIdForKey(key))),
    setOptions(partial) {
      if (partial.rateLimit !== undefined) limiter.setSpec(partial.rateLimit);
      if (partial.latencyMs !== undefined) faults.latencyMs = partial.latencyMs;
      if (partial.jitterMs !== undefined) faults.jitterMs = partial.jitterMs;
      if (partial.failRate !== undefined) faults.failRate = partial.failRate;
      if (partial.dropRate !== undefined) faults.dropRate = partial.dropRate;
    },
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests sleeping on --latency are cut short; the rest finish, so their writes reach the file.
        closing.abort();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await stopped;
        await store.close();
      })();
      return closed;
    },
  };
}

