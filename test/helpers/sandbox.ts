import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

/**
 * A sandbox on 127.0.0.1, a free port, closed when the test ends. Rate limiting is off unless the test
 * asks for it, so tests that make many requests do not trip it by accident.
 */
export async function useSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ rateLimit: null, ...opts, host: '127.0.0.1', port: opts.port ?? 0 });
  onTestFinished(() => sb.close());
  return sb;
}

/** A temporary directory removed when the test ends. */
export function useTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-sandbox-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Response bodies are whatever JSON the server sent; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallOptions {
  /** Defaults to the sandbox's first key; null sends none. */
  key?: string | null;
  /** Where the key goes (ruling 2). */
  keyIn?: 'header' | 'query';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (for malformed bodies). */
  rawBody?: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

/** One request to the sandbox; `path` is relative to the API base, e.g. "/visits". */
export async function call(sb: Sandbox, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const url = new URL(`${sb.url}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? sb.keys[0] : opts.key;
  if (key !== null && key !== undefined) {
    if (opts.keyIn === 'query') url.searchParams.set('API_KEY', key);
    else headers.Authorization = `Bearer ${key}`;
  }
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Left as text: the test will see it is not JSON.
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Every visit matching `query`, page by page as a client would, checking each page's meta on the way. */
export async function listAll(sb: Sandbox, query: Record<string, string | number> = {}, key?: string): Promise<Json[]> {
  const all: Json[] = [];
  let offset = 0;
  for (;;) {
    const res = await call(sb, 'GET', '/visits', { query: { ...query, pagination: offset }, ...(key ? { key } : {}) });
    if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
    all.push(...(res.body.data as Json[]));
    if (res.body.meta.remainingRecords === 0) return all;
    offset = res.body.meta.nextStart as number;
  }
}

/** A minimal valid visit for POST /visits. */
export function visitInput(sb: Sandbox, id: number, extra: Record<string, unknown> = {}, key?: string): Record<string, unknown> {
  return {
    driverId: 'FEn9BJz93svSNPx7p',
    date: '2020-03-31',
    id,
    docNo: `H-${id}`,
    customer: 'The Green Sleeve',
    address: '999 West High Street',
    city: 'INVERURIE',
    companyId: sb.companyIdFor(key ?? sb.keys[0] ?? 'sandbox'),
    ...extra,
  };
}
