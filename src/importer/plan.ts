import type { z } from 'zod';
import type { ApiClient } from '../api/client.js';
import { paginate, PAGE_SIZE, type Page } from '../api/paginate.js';
import { visitPatchSchema, type Visit } from '../api/schemas.js';
import { fetchPage } from '../api/visits.js';
import { InterruptedError } from '../errors.js';
import { toCell } from '../output/visit-cells.js';
import type { IdIndex } from './ids.js';
import { collectGarbage, ROWS_PER_COLLECTION } from '../memory.js';
import type { Progress } from './progress.js';
import type { OrderedOutcomes, RowOutcome } from './report.js';
import { erpKey } from './validate.js';
import type { WalkedRow } from './walk.js';

/**
 * `--dry-run`: which rows would insert, which would update (and what changes), which are unchanged,
 * without sending anything. The existing visits are found by the cheaper of two exact lookups:
 *
 * - one request per ERP id (`?id=`), when the file has fewer rows than the company has pages;
 * - otherwise the whole company listed once (100 a page).
 *
 * The `date` filter is not used: an upsert keys on the ERP id, and a visit whose date changed in the ERP
 * would be missed and reported as an insert.
 *
 * Memory: per row of the file, one 32-bit hash per column (not the records). Values are compared after
 * both sides went through the shared schema (flags as 0/1, numbers as numbers, text trimmed), so
 * `visits list -o csv` re-imports as all unchanged. A field the row leaves empty is not compared: an
 * upsert leaves it as it is.
 */

export interface PlanResult {
  strategy: 'ids' | 'company' | 'none';
  lookupRequests: number;
  existingInCompany: number;
  insert: number;
  update: number;
  unchanged: number;
  invalid: number;
  superseded: number;
  firstUpdates: { line: number; id: string; changes: { field: string; from?: string; to: string }[] }[];
}

const SHOW_UPDATES = 5;
const ABSENT = 0x9e3779b9;
const shape = visitPatchSchema.shape as unknown as Record<string, z.ZodType>;

function canonical(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/** FNV-1a over the canonical JSON; equal values give equal hashes. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A field's value as the schema reads it, hashed. */
export function valueHash(field: string, value: unknown, alreadyParsed: boolean): number {
  if (isAbsent(value)) return ABSENT;
  let v = value;
  if (!alreadyParsed) {
    const schema = shape[field];
    const r = schema?.safeParse(value);
    if (r?.success) v = r.data;
  }
  return hashText(JSON.stringify(canonical(v)) ?? '');
}

export interface PlanContext {
  client: ApiClient;
  ids: IdIndex;
  fields: readonly string[];
  concurrency: number;
  progress: Progress;
  sink: OrderedOutcomes;
  /** Ctrl-C: stop looking (nothing was sent anyway). */
  signal: AbortSignal;
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError('interrupted during the dry run; nothing was sent');
}

async function lookUp(pc: PlanContext): Promise<{ strategy: PlanResult['strategy']; requests: number; existing: number; found: Uint8Array; hashes: Uint32Array }> {
  const n = pc.ids.sortedIds.length;
  const cols = pc.fields.length;
  const found = new Uint8Array(n);
  const hashes = new Uint32Array(n * cols);
  const before = pc.client.stats.requests;
  const take = (record: Visit): void => {
    const key = erpKey(record.id);
    if (key === undefined) return;
    const p = pc.ids.find(Number(key));
    if (p < 0) return;
    found[p] = 1;
    pc.fields.forEach((f, j) => {
      hashes[p * cols + j] = valueHash(f, record[f], false);
    });
  };
  if (n === 0) return { strategy: 'none', requests: 0, existing: 0, found, hashes };
  const first = await fetchPage(pc.client, {}, 0);
  const total = first.meta.totalRecords;
  const pages = Math.ceil(total / PAGE_SIZE);
  if (total === 0) return { strategy: 'company', requests: pc.client.stats.requests - before, existing: 0, found, hashes };
  if (pages <= n) {
    let seen = 0;
    const all = paginate({ fetchPage: (offset): Promise<Page> => (offset === 0 ? Promise.resolve(first) : fetchPage(pc.client, {}, offset)), prefetch: pc.concurrency });
    for await (const record of all) {
      checkAborted(pc.signal);
      take(record);
      seen += 1;
      if (seen % 1000 === 0) pc.progress.update(seen, total);
    }
    return { strategy: 'company', requests: pc.client.stats.requests - before, existing: total, found, hashes };
  }
  let next = 0;
  let doneCount = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      checkAborted(pc.signal);
      const i = next++;
      const id = pc.ids.sortedIds[i] ?? 0;
      const page = await fetchPage(pc.client, { id }, 0);
      for (const record of page.records) if (erpKey(record.id) === String(id)) take(record);
      doneCount += 1;
      pc.progress.update(doneCount, n);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(pc.concurrency, n)) }, worker));
  return { strategy: 'ids', requests: pc.client.stats.requests - before, existing: total, found, hashes };
}

export async function planImport(rows: AsyncIterable<WalkedRow>, pc: PlanContext): Promise<PlanResult> {
  pc.progress.phase('looking up existing visits');
  const look = await lookUp(pc);
  const cols = pc.fields.length;
  const column = new Map(pc.fields.map((f, j) => [f, j]));
  const result: PlanResult = {
    strategy: look.strategy,
    lookupRequests: look.requests,
    existingInCompany: look.existing,
    insert: 0,
    update: 0,
    unchanged: 0,
    invalid: 0,
    superseded: 0,
    firstUpdates: [],
  };
  pc.progress.phase('comparing');
  let done = 0;
  const pending: RowOutcome[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const list = pending.splice(0);
    pc.sink.push(list, list.length);
    await pc.sink.room(20_000);
  };
  for await (const w of rows) {
    done += 1;
    pc.progress.update(done);
    if (done % ROWS_PER_COLLECTION === 0) {
      collectGarbage();
      checkAborted(pc.signal);
    }
    if (w.state === 'superseded') {
      result.superseded += 1;
      pending.push({ line: w.row.line, id: w.idText, outcome: 'skipped-duplicate', message: w.message });
    } else if (w.state === 'invalid' || !w.visit) {
      result.invalid += 1;
      pending.push({ line: w.row.line, id: w.idText, outcome: 'invalid', message: w.message, reject: w.row });
    } else {
      const p = pc.ids.find(w.visit.id);
      if (p < 0 || look.found[p] !== 1) {
        result.insert += 1;
        pending.push({ line: w.row.line, id: w.idText, outcome: 'would-insert', message: '' });
      } else {
        const changed: string[] = [];
        for (const [field, value] of Object.entries(w.visit)) {
          const j = column.get(field);
          if (j === undefined || isAbsent(value)) continue;
          if (valueHash(field, value, true) !== look.hashes[p * cols + j]) changed.push(field);
        }
        if (changed.length === 0) {
          result.unchanged += 1;
          pending.push({ line: w.row.line, id: w.idText, outcome: 'unchanged', message: '' });
        } else {
          result.update += 1;
          pending.push({ line: w.row.line, id: w.idText, outcome: 'would-update', message: `changes ${changed.join(', ')}` });
          if (result.firstUpdates.length < SHOW_UPDATES) {
            const visit = w.visit as Record<string, unknown>;
            result.firstUpdates.push({ line: w.row.line, id: w.idText, changes: changed.map((f) => ({ field: f, to: toCell(f, visit[f]) })) });
          }
        }
      }
    }
    if (pending.length >= 1000) await flush();
  }
  await flush();
  // The old values of the first few updates: one small request each.
  await Promise.all(
    result.firstUpdates.map(async (u) => {
      const page = await fetchPage(pc.client, { id: u.id }, 0);
      const record = page.records.find((r) => erpKey(r.id) === erpKey(u.id));
      if (!record) return;
      for (const c of u.changes) c.from = toCell(c.field, record[c.field]);
    }),
  );
  result.lookupRequests = look.requests + result.firstUpdates.length;
  return result;
}
