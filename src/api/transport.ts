import { FetchError, ofetch, type $Fetch } from 'ofetch';

/**
 * One HTTP attempt over ofetch, with ofetch's own retry and timeout turned off (ofetch 1.x ignores
 * `timeout` when a signal is passed, stops it at the headers, and reuses an aborted signal on retry), so
 * api/client.ts owns both. Each attempt gets its own AbortController, armed before fetch and cleared only
 * after the whole body is read and parsed.
 */

export interface Attempt {
  method: string;
  url: string;
  query: Record<string, string | number> | undefined;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export type AttemptResult =
  | { kind: 'response'; status: number; headers: Headers; json: unknown; text: string }
  /** A 2xx whose body is not JSON: a proxy's HTML page or a cut connection. */
  | { kind: 'bad-body'; status: number; headers: Headers; text: string }
  | { kind: 'redirect'; status: number; location: string | null }
  | { kind: 'network'; code: string; message: string }
  | { kind: 'timeout' };

export class AttemptTimeout extends Error {
  override name = 'AttemptTimeout';
}

export function createFetcher(fetchImpl?: typeof globalThis.fetch): $Fetch {
  return ofetch.create(
    { retry: false, redirect: 'manual', responseType: 'text', ignoreResponseError: true },
    fetchImpl ? { fetch: fetchImpl } : {},
  );
}

export async function attempt(fetcher: $Fetch, a: Attempt): Promise<AttemptResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new AttemptTimeout()), a.timeoutMs);
  const onCancel = () => controller.abort(a.signal?.reason);
  a.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    a.signal?.throwIfAborted();
    const response = await fetcher.raw<string, 'text'>(a.url, {
      method: a.method,
      headers: a.headers,
      ...(a.query ? { query: a.query } : {}),
      ...(a.body !== undefined ? { body: a.body as Record<string, unknown> } : {}),
      signal: controller.signal,
    });
    const status = response.status;
    if (status >= 300 && status < 400) return { kind: 'redirect', status, location: response.headers.get('location') };
    const text = typeof response._data === 'string' ? response._data : '';
    try {
      return { kind: 'response', status, headers: response.headers, json: text === '' ? null : (JSON.parse(text) as unknown), text };
    } catch {
      return { kind: 'bad-body', status, headers: response.headers, text };
    }
  } catch (err) {
    if (a.signal?.aborted) throw a.signal.reason;
    if (controller.signal.reason instanceof AttemptTimeout) return { kind: 'timeout' };
    return { kind: 'network', ...networkCause(err) };
  } finally {
    clearTimeout(timer);
    a.signal?.removeEventListener('abort', onCancel);
  }
}

/** The most specific code and message in an error's cause chain (ECONNREFUSED, UND_ERR_SOCKET, ...). */
function networkCause(err: unknown): { code: string; message: string } {
  let current: unknown = err instanceof FetchError && err.cause ? err.cause : err;
  let code = 'ENETWORK';
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const c = (current as NodeJS.ErrnoException).code;
    if (typeof c === 'string') code = c;
    if (!/^\[(GET|POST|PUT|DELETE)\]/.test(current.message) && current.message !== 'fetch failed') message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return { code, message };
}
