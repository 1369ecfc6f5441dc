import type { ApiClient, ApiResponse } from '../../api/client.js';
import { ApiError } from '../../errors.js';

/**
 * `--paginate`: follow `meta.nextStart` one page at a time. A plain loop rather than api/paginate.ts,
 * which reads ahead and de-duplicates by visit `_id`: the escape hatch must not assume what the records
 * of an endpoint look like.
 */
export async function* followPages(
  client: ApiClient,
  path: string,
  query: Record<string, string>,
  opts: { signal: AbortSignal; onResponse: (res: ApiResponse) => void },
): AsyncGenerator<Record<string, unknown>> {
  const start = query.pagination !== undefined ? Number(query.pagination) : 0;
  let offset = Number.isFinite(start) && start >= 0 ? start : 0;
  let first = true;
  for (;;) {
    const res = await client.request('GET', path, { query: { ...query, pagination: offset }, signal: opts.signal });
    opts.onResponse(res);
    const data = res.body.data;
    // A single record (GET /visits/ID) is a list of one, as gh api --paginate treats a non-list answer.
    if (first && data !== null && typeof data === 'object' && !Array.isArray(data)) {
      yield data as Record<string, unknown>;
      return;
    }
    first = false;
    if (!Array.isArray(data)) throw new ApiError(`--paginate: GET /${path} did not answer with a list (no data array); drop --paginate for a single record`);
    for (const item of data as unknown[]) {
      yield item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item };
    }
    const meta = res.body.meta ?? {};
    const remaining = meta.remainingRecords;
    const next = meta.nextStart;
    if (typeof remaining !== 'number' || remaining <= 0 || data.length === 0) return;
    if (typeof next !== 'number' || next <= offset) {
      throw new ApiError(`--paginate: GET /${path}: nextStart ${String(next)} does not move past offset ${offset}; stopping to avoid a loop`);
    }
    offset = next;
  }
}
