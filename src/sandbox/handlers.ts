import { formatIssues, visitInputSchema, visitPatchSchema } from '../api/schemas.js';
import { describe } from '../api/scalars.js';
import type { z } from 'zod';
import { localTimestamp } from './ids.js';
import { parseListQuery } from './query.js';
import { isPlainObject, mergeRecord, newRecord, toServerForm, withoutServerFields } from './record.js';
import type { VisitStore } from './store.js';

/** The API's hard page size. */
export const PAGE_SIZE = 100;

/** What a handler needs: the store, the caller's company, the clock, and a source of fresh `_id`s. */
export interface HandlerContext {
  store: VisitStore;
  companyId: string;
  now: () => number;
  newId: () => string;
}

export interface Reply {
  status: number;
  /** JSON-encoded; undefined sends no body. */
  body: unknown;
  headers?: Record<string, string>;
}

export const errorReply = (status: number, error: string): Reply => ({ status, body: { meta: { error }, data: null } });

const issuesText = (error: z.ZodError) =>
  formatIssues(error)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');

const notFound = (_id: string) => errorReply(404, `visit ${_id} not found`);

export function listVisits(hc: HandlerContext, params: URLSearchParams): Reply {
  const parsed = parseListQuery(params);
  if (!parsed.ok) return errorReply(400, parsed.error);
  const { total, page } = hc.store.query(hc.companyId, parsed.query, parsed.offset, PAGE_SIZE);
  const returned = page.length;
  return {
    status: 200,
    body: {
      meta: {
        totalRecords: total,
        returnedRecords: returned,
        remainingRecords: Math.max(0, total - parsed.offset - returned),
        // Always offset + returned, also on the last page: pagination=nextStart then answers an empty page.
        nextStart: parsed.offset + returned,
      },
      data: page,
    },
  };
}

export function getVisit(hc: HandlerContext, _id: string): Reply {
  const rec = hc.store.get(hc.companyId, _id);
  return rec ? { status: 200, body: { meta: {}, data: rec } } : notFound(_id);
}

interface AddError {
  error: number;
  message: string;
  id: unknown;
  index: number;
}

/** POST /visits: an upsert keyed by the ERP id; each visit stands or falls on its own (ruling 6). */
export function addVisits(hc: HandlerContext, body: unknown): Reply {
  if (!Array.isArray(body)) return errorReply(400, `request body must be a JSON array of visits (got ${describe(body)})`);
  let recordsInserted = 0;
  let recordsUpdated = 0;
  const errors: AddError[] = [];
  const timestamp = localTimestamp(hc.now());
  body.forEach((item: unknown, index) => {
    const rawId = isPlainObject(item) ? item.id : undefined;
    const label = `visit ${rawId === undefined ? 'without id' : typeof rawId === 'number' ? String(rawId) : describe(rawId)} (index ${index})`;
    const fail = (error: number, why: string): void => void errors.push({ error, message: `${label}: ${why}`, id: rawId ?? null, index });
    if (!isPlainObject(item)) return fail(400, `must be an object (got ${describe(item)})`);
    const parsed = visitInputSchema.safeParse(withoutServerFields(item));
    if (!parsed.success) return fail(400, issuesText(parsed.error));
    const input = parsed.data;
    if (input.companyId !== hc.companyId)
      return fail(403, `companyId ${JSON.stringify(input.companyId)} does not belong to this API key; this key has companyId ${JSON.stringify(hc.companyId)}`);
    const fields = toServerForm(input);
    const existing = hc.store.getByErp(hc.companyId, input.id);
    if (existing) {
      hc.store.replace(hc.companyId, existing._id as string, mergeRecord(existing, fields, timestamp));
      recordsUpdated += 1;
    } else {
      hc.store.insert(hc.companyId, newRecord(hc.newId(), fields, timestamp));
      recordsInserted += 1;
    }
  });
  return { status: 200, body: { meta: { recordsInserted, recordsUpdated, errors }, data: null } };
}

/** PUT /visits/{_id}: a partial update; fields only the server writes are ignored. */
export function updateVisit(hc: HandlerContext, _id: string, body: unknown): Reply {
  const existing = hc.store.get(hc.companyId, _id);
  if (!existing) return notFound(_id);
  if (!isPlainObject(body)) return errorReply(400, `request body must be a JSON object with the fields to change (got ${describe(body)})`);
  const parsed = visitPatchSchema.safeParse(withoutServerFields(body));
  if (!parsed.success) return errorReply(400, `invalid visit: ${issuesText(parsed.error)}`);
  const input = parsed.data;
  if (input.companyId !== undefined && input.companyId !== hc.companyId)
    return errorReply(403, `companyId ${JSON.stringify(input.companyId)} does not belong to this API key; this key has companyId ${JSON.stringify(hc.companyId)}`);
  if (input.id !== undefined) {
    const holder = hc.store.getByErp(hc.companyId, input.id);
    // The ERP id is the upsert key: two visits sharing one would make POST ambiguous.
    if (holder && holder._id !== _id) return errorReply(400, `invalid visit: id: ${input.id} is already used by visit ${String(holder._id)}`);
  }
  hc.store.replace(hc.companyId, _id, mergeRecord(existing, toServerForm(input), localTimestamp(hc.now())));
  return { status: 200, body: { meta: { updatedRecords: 1 }, data: null } };
}

export function deleteVisit(hc: HandlerContext, _id: string): Reply {
  return hc.store.delete(hc.companyId, _id) ? { status: 200, body: { meta: { deletedRecords: 1 }, data: null } } : notFound(_id);
}
