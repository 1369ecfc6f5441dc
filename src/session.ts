import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ApiClient, checkApiUrl, type KeyPlacement } from './api/client.js';
import { RateGate } from './api/rate-gate.js';
import { FileRateWindow, MemoryRateWindow, type RateWindow } from './api/shared-window.js';
import { DEFAULT_RETRY } from './api/retry.js';
import type { GlobalOptions } from './cli/globals.js';
import { openConfigStore, type ConfigStore } from './config/store.js';
import type { Context } from './context.js';
import { AuthError } from './errors.js';
import { registerSecret } from './redact.js';

export const DEFAULT_API_URL = 'https://app.letsjobit.com/api/v2';
export const DEFAULT_RATE_LIMIT = { limit: 100, windowMs: 10_000 };
export const DEFAULT_CONCURRENCY = 8;

export interface ResolvedTarget {
  profile: string;
  apiUrl: string;
  apiKey: string | undefined;
  keyPlacement: KeyPlacement;
  /** Where the key came from, for `auth status`. */
  keySource: 'environment' | 'profile' | 'sandbox' | 'none';
}

export interface Session {
  target: ResolvedTarget;
  client: ApiClient;
  config: ConfigStore;
  /** Flushes and stops what the session started (the --sandbox server, proxy sockets). */
  close(): Promise<void>;
}

export function profileName(ctx: Context, globals: GlobalOptions): string {
  return globals.profile ?? ctx.env.LJIT_PROFILE ?? 'default';
}

/** Precedence: flags > environment (LJIT_API_KEY, LJIT_API_URL, LJIT_PROFILE) > profile > defaults. */
export function resolveTarget(ctx: Context, globals: GlobalOptions, config: ConfigStore): ResolvedTarget {
  const profile = profileName(ctx, globals);
  const stored = config.getProfile(profile) ?? {};
  const envKey = ctx.env.LJIT_API_KEY?.trim() || undefined;
  const apiKey = envKey ?? stored.apiKey;
  return {
    profile,
    apiUrl: globals.apiUrl ?? (ctx.env.LJIT_API_URL?.trim() || undefined) ?? stored.apiUrl ?? DEFAULT_API_URL,
    apiKey,
    keyPlacement: stored.keyPlacement ?? 'header',
    keySource: envKey ? 'environment' : stored.apiKey ? 'profile' : 'none',
  };
}

/** The shared rate log for this key on this server; every ljit process using the pair reads the same file. */
function rateWindowFor(ctx: Context, apiUrl: string, apiKey: string, warn: (line: string) => void): RateWindow {
  const id = createHash('sha256').update(`${new URL(apiUrl).origin}\n${apiKey}`).digest('hex').slice(0, 32);
  try {
    return new FileRateWindow(join(ctx.paths.cache, 'rate', `${id}.json`));
  } catch (err) {
    warn(`cannot share the rate budget with other ljit processes (${(err as Error).message}); limiting this process only`);
    return new MemoryRateWindow();
  }
}

async function proxyFetch(env: Context['env']): Promise<typeof globalThis.fetch | undefined> {
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => env[k]);
  if (!proxied) return undefined;
  // Node's fetch ignores proxy variables; undici's EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY.
  const undici = await import('undici');
  // Passed explicitly: the agent would otherwise read process.env, not the context's environment.
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy ?? httpProxy;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  const dispatcher = new undici.EnvHttpProxyAgent({ noProxy, ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}) });
  return ((input: string | URL, init?: RequestInit) =>
    undici.fetch(input, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher })) as unknown as typeof globalThis.fetch;
}

export interface OpenSessionOptions {
  /** A key and URL to use instead of the resolved ones (auth login checks a key before saving it). */
  apiKey?: string;
  apiUrl?: string;
}

export async function openSession(ctx: Context, globals: GlobalOptions, options: OpenSessionOptions = {}): Promise<Session> {
  const warn = (line: string) => ctx.io.stderr.write(`ljit: ${line}\n`);
  const config = await openConfigStore(ctx.paths.config, warn);
  const target = resolveTarget(ctx, globals, config);
  let closeSandbox: (() => Promise<void>) | undefined;
  if (globals.sandbox) {
    const { startDemoSandbox } = await import('./sandbox/demo.js');
    const sandbox = await startDemoSandbox(ctx);
    closeSandbox = () => sandbox.close();
    target.apiUrl = sandbox.url;
    target.apiKey = sandbox.keys[0] ?? 'sandbox';
    target.keySource = 'sandbox';
    target.keyPlacement = 'header';
  }
  if (options.apiUrl) target.apiUrl = options.apiUrl;
  if (options.apiKey) target.apiKey = options.apiKey;
  checkApiUrl(target.apiUrl);
  const apiKey = target.apiKey;
  if (!apiKey) {
    await closeSandbox?.();
    throw new AuthError(`no API key for profile "${target.profile}"`);
  }
  registerSecret(apiKey);
  const limit = globals.rateLimit === undefined ? DEFAULT_RATE_LIMIT : globals.rateLimit;
  const gate = new RateGate({
    window: rateWindowFor(ctx, target.apiUrl, apiKey, warn),
    limit,
    concurrency: globals.concurrency ?? DEFAULT_CONCURRENCY,
    clock: ctx.clock,
  });
  const fetchImpl = await proxyFetch(ctx.env);
  const client = new ApiClient({
    baseUrl: target.apiUrl,
    apiKey,
    keyPlacement: target.keyPlacement,
    gate,
    clock: ctx.clock,
    timeoutMs: globals.timeout ?? 30_000,
    retry: { ...DEFAULT_RETRY, maxAttempts: globals.maxRetries ?? DEFAULT_RETRY.maxAttempts },
    ...(globals.verbose ? { debug: (line: string) => ctx.io.stderr.write(`[ljit] ${line}\n`) } : {}),
    warn,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    userAgent: `ljit/${ctx.version} node/${process.versions.node}`,
  });
  return {
    target,
    client,
    config,
    close: async () => {
      await closeSandbox?.();
    },
  };
}

/** Runs `fn` with a session and always closes it, so the --sandbox data is flushed even on errors. */
export async function withSession<T>(ctx: Context, globals: GlobalOptions, fn: (session: Session) => Promise<T>, options?: OpenSessionOptions): Promise<T> {
  const session = await openSession(ctx, globals, options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
