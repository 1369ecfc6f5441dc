import type { $Fetch } from 'ofetch';
import type { Clock } from '../context.js';
import { ApiError, AuthError, NotFoundError, UnavailableError, UsageError } from '../errors.js';
import { redact } from '../redact.js';
import type { RateGate } from './rate-gate.js';
import { parseRateHeaders, type RateInfo } from './rate-headers.js';
import { backoffMs, DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryPolicy } from './retry.js';
import { attempt, createFetcher, type AttemptResult } from './transport.js';

export type KeyPlacement = 'header' | 'query';

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  keyPlacement: KeyPlacement;
  gate: RateGate;
  clock: Clock;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** --verbose: one line per attempt. Lines pass through redact() before they are written. */
  debug?: (line: string) => void;
  /** Warnings a person should see (rate-limit pauses). */
  warn?: (line: string) => void;
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  userAgent?: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  body: { meta?: Record<string, unknown>; data?: unknown } & Record<string, unknown>;
  rate: RateInfo;
}

export interface ClientStats {
  /** Attempts sent over the wire, retries and 429s included. */
  requests: number;
  retries: number;
  rateLimited: number;
}

/** 429s in a row before we give up: the server keeps refusing although we wait for every reset. */
const MAX_CONSECUTIVE_429 = 6;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Refuses URLs that would carry the key in clear text; loopback http is allowed for the sandbox. */
export function checkApiUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid API URL "${raw}"`, 'Use a full URL such as https://app.letsjobit.com/api/v2');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `refusing to send the API key over plain http to ${url.host}`,
      `Use https://${url.host}${url.pathname} instead (plain http is only allowed to a loopback address).`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`unsupported API URL scheme "${url.protocol}" (use https)`);
  return url;
}

/**
 * The API core: auth, the rate gate, retries with backoff, a per-attempt timeout over the whole body, and
 * typed errors that map to exit codes. Commands call request(); nothing else talks HTTP.
 */
export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0 };
  readonly baseUrl: string;
  private readonly fetcher: $Fetch;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = checkApiUrl(opts.baseUrl).toString().replace(/\/+$/, '');
    this.fetcher = createFetcher(opts.fetch);
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.random = opts.random ?? Math.random;
  }

  get gate(): RateGate {
    return this.opts.gate;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const query: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query[k] = v;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.opts.userAgent ?? 'ljit' };
    if (this.opts.keyPlacement === 'query') query.API_KEY = this.opts.apiKey;
    else headers.authorization = `Bearer ${this.opts.apiKey}`;
    const url = `${this.baseUrl}/${path.replace(/^\/+/, '')}`;
    const label = `${method} /${path.replace(/^\/+/, '')}`;

    let failures = 0;
    let consecutive429 = 0;
    for (;;) {
      const permit = await this.opts.gate.acquire(options.signal);
      const started = this.opts.clock.now();
      let result: AttemptResult;
      try {
        this.stats.requests += 1;
        result = await attempt(this.fetcher, {
          method,
          url,
          query: Object.keys(query).length > 0 ? query : undefined,
          headers,
          body: options.body,
          timeoutMs: this.opts.timeoutMs ?? 30_000,
          signal: options.signal,
        });
      } finally {
        permit.release();
      }
      const elapsed = this.opts.clock.now() - started;
      const rate = 'headers' in result ? parseRateHeaders(result.headers, this.opts.clock.now()) : { remaining: undefined, resetMs: undefined };
      if ('headers' in result) this.opts.gate.observe(rate, permit.seq);
      this.logAttempt(method, url, query, result, elapsed, rate);

      if (result.kind === 'response' && result.status === 429) {
        consecutive429 += 1;
        this.stats.rateLimited += 1;
        if (consecutive429 >= MAX_CONSECUTIVE_429) {
          throw new UnavailableError(`${label}: the server kept answering 429 (rate limited) after ${consecutive429} waits`, 'Another client may be using the same key; try again later.');
        }
        const waitMs = this.opts.gate.onRateLimited(rate);
        this.opts.warn?.(`rate limited by the server, resuming in ${Math.ceil(waitMs / 1000)} s`);
        continue; // the gate holds every request until the reset; a 429 is not a failed attempt
      }
      consecutive429 = 0;

      if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
        if (result.json !== null && typeof result.json === 'object' && !Array.isArray(result.json)) {
          return { status: result.status, body: result.json as ApiResponse['body'], rate };
        }
        if (result.json === null && result.text === '') return { status: result.status, body: {}, rate };
      }

      const failure = this.classify(label, result);
      if (failure.retry && failures + 1 < this.retry.maxAttempts) {
        failures += 1;
        this.stats.retries += 1;
        const hint = result.kind === 'response' && result.status === 503 ? rate.resetMs : undefined;
        await this.opts.clock.sleep(backoffMs(failures, this.retry, this.random, hint), options.signal);
        continue;
      }
      throw failure.error(failures + 1);
    }
  }

  private classify(label: string, result: AttemptResult): { retry: boolean; error: (attempts: number) => Error } {
    const after = (n: number) => (n > 1 ? ` after ${n} attempts` : '');
    switch (result.kind) {
      case 'timeout':
        return { retry: true, error: (n) => new UnavailableError(`${label}: no complete answer within ${this.opts.timeoutMs ?? 30_000} ms${after(n)}`, 'Check your network, or raise --timeout.') };
      case 'network':
        return {
          retry: true,
          error: (n) => new UnavailableError(`${label}: cannot reach ${new URL(this.baseUrl).host} (${result.code}: ${result.message})${after(n)}`, 'Check the API URL and your network or proxy settings.'),
        };
      case 'redirect':
        return {
          retry: false,
          error: () => new ApiError(`${label}: the server redirected to ${result.location ?? 'another address'}; ljit does not follow redirects, so the API key cannot leak`, result.status),
        };
      case 'bad-body':
        return {
          retry: result.status >= 200 && result.status < 300 || RETRYABLE_STATUSES.has(result.status),
          error: (n) =>
            result.status >= 500 || (result.status >= 200 && result.status < 300)
              ? new UnavailableError(`${label}: the server answered ${result.status} with a body that is not JSON${after(n)}: ${quote(result.text)}`)
              : this.httpError(label, result.status, undefined, result.text),
        };
      case 'response': {
        const meta = (result.json as { meta?: { error?: unknown } } | null)?.meta;
        const serverMessage = typeof meta?.error === 'string' ? meta.error : undefined;
        if (result.status >= 200 && result.status < 300) {
          return { retry: true, error: (n) => new UnavailableError(`${label}: the server answered ${result.status} with an unexpected body${after(n)}: ${quote(result.text)}`) };
        }
        if (RETRYABLE_STATUSES.has(result.status)) {
          return { retry: true, error: (n) => new UnavailableError(`${label}: the server answered ${result.status}${serverMessage ? ` (${serverMessage})` : ''}${after(n)}`, 'The service may be down or in maintenance; try again later.') };
        }
        return { retry: false, error: () => this.httpError(label, result.status, serverMessage, result.text) };
      }
    }
  }

  private httpError(label: string, status: number, serverMessage: string | undefined, text: string): Error {
    const detail = serverMessage ?? quote(text);
    if (status === 401) return new AuthError(`the server refused the API key (401${detail ? `: ${detail}` : ''})`);
    if (status === 403) return new AuthError(`the API key is not allowed to do this (403${detail ? `: ${detail}` : ''})`, 'Check that the key belongs to the right company, or log in with another one: ljit auth login');
    if (status === 404) return new NotFoundError(`${label}: not found${serverMessage ? ` (${serverMessage})` : ''}`);
    return new ApiError(`${label}: the server answered ${status}${detail ? `: ${detail}` : ''}`, status);
  }

  private logAttempt(method: string, url: string, query: Record<string, string | number>, result: AttemptResult, ms: number, rate: RateInfo): void {
    if (!this.opts.debug) return;
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const outcome =
      result.kind === 'response' || result.kind === 'bad-body' || result.kind === 'redirect'
        ? String(result.status)
        : result.kind === 'timeout'
          ? 'timeout'
          : `network error ${result.code}`;
    const budget = rate.remaining !== undefined || rate.resetMs !== undefined ? ` remaining=${rate.remaining ?? '?'} reset=${rate.resetMs !== undefined ? `${Math.ceil(rate.resetMs / 1000)}s` : '?'}` : '';
    this.opts.debug(redact(`${method} ${url}${qs ? `?${qs}` : ''} -> ${outcome} ${ms}ms${budget}`));
  }
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}
