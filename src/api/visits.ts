import { ApiError, NotFoundError } from '../errors.js';
import type { ApiClient } from './client.js';
import { paginate, parsePage, type Page } from './paginate.js';
import { addMetaSchema, deleteMetaSchema, updateMetaSchema, visitSchema, type AddMeta, type ListFilters, type Visit } from './schemas.js';

/** The visits endpoints, typed. Commands use these; only ApiClient talks HTTP. */

export interface ListOptions {
  filters: ListFilters;
  limit?: number;
  prefetch?: number;
  signal?: AbortSignal;
  onMoved?: (message: string) => void;
}

export function fetchPage(client: ApiClient, filters: ListFilters, offset: number, signal?: AbortSignal): Promise<Page> {
  return client
    .request('GET', 'visits', { query: { ...filters, pagination: offset }, ...(signal ? { signal } : {}) })
    .then((res) => parsePage(offset, res.body));
}

export function listVisits(client: ApiClient, opts: ListOptions): AsyncGenerator<Visit, { total: number; moved: boolean }> {
  return paginate({
    fetchPage: (offset) => fetchPage(client, opts.filters, offset, opts.signal),
    prefetch: opts.prefetch ?? 8,
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    ...(opts.onMoved ? { onMoved: opts.onMoved } : {}),
  });
}

export async function getVisit(client: ApiClient, id: string, signal?: AbortSignal): Promise<Visit> {
  const res = await client.request('GET', `visits/${encodeURIComponent(id)}`, signal ? { signal } : {});
  const data = Array.isArray(res.body.data) ? (res.body.data as unknown[])[0] : res.body.data;
  const parsed = visitSchema.safeParse(data);
  if (!parsed.success) {
    if (data === undefined || data === null) throw new NotFoundError(`visit ${id} not found`);
    throw new ApiError(`GET /visits/${id}: the answer is not a visit record`);
  }
  return parsed.data;
}

/** ERP ids are reached through the list filter (api-notes.md ruling 1): one request. */
export async function findByErpId(client: ApiClient, erpId: string | number, signal?: AbortSignal): Promise<Visit> {
  const page = await fetchPage(client, { id: erpId }, 0, signal);
  const match = page.records.find((r) => String(r.id) === String(erpId)) ?? page.records[0];
  if (!match) throw new NotFoundError(`no visit with ERP id ${erpId}`);
  return match;
}

export async function addVisits(client: ApiClient, visits: readonly unknown[], signal?: AbortSignal): Promise<AddMeta> {
  const res = await client.request('POST', 'visits', { body: visits, ...(signal ? { signal } : {}) });
  const meta = addMetaSchema.safeParse(res.body.meta);
  if (!meta.success) throw new ApiError('POST /visits: the answer has no recordsInserted/recordsUpdated counts');
  return meta.data;
}

export async function updateVisit(client: ApiClient, id: string, patch: Record<string, unknown>, signal?: AbortSignal): Promise<number> {
  const res = await client.request('PUT', `visits/${encodeURIComponent(id)}`, { body: patch, ...(signal ? { signal } : {}) });
  const meta = updateMetaSchema.safeParse(res.body.meta);
  if (!meta.success) throw new ApiError(`PUT /visits/${id}: the answer has no updatedRecords count`);
  return meta.data.updatedRecords;
}

export async function deleteVisit(client: ApiClient, id: string, signal?: AbortSignal): Promise<number> {
  const res = await client.request('DELETE', `visits/${encodeURIComponent(id)}`, signal ? { signal } : {});
  const meta = deleteMetaSchema.safeParse(res.body.meta);
  if (!meta.success) throw new ApiError(`DELETE /visits/${id}: the answer has no deletedRecords count`);
  return meta.data.deletedRecords;
}
