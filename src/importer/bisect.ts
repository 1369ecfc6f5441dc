import type { ApiClient } from '../api/client.js';
import type { AddError, AddMeta } from '../api/schemas.js';
import { addVisits } from '../api/visits.js';
import { ApiError, AuthError } from '../errors.js';

/**
 * One batch to POST /visits, and which of its rows failed. The sandbox names each failing row (`index`,
 * `id` in errors[]); the real service may not (api-notes.md ruling 6). Rows are then found by sending the
 * batch again in halves, and each half with errors in halves again, until every failing row stands alone:
 * safe because add is an upsert, and cheap (≤ 2·log2(n) extra requests per bad row, capped per run).
 * A 400 for the whole body and a 413 (too large) are handled the same way.
 */

export interface SendRow {
  index: number;
  line: number;
  erpId: number;
  visit: unknown;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  /** Position in the batch → why the server refused that row. */
  failed: Map<number, string>;
  /** inserted + updated + errors ≠ rows on the first answer. */
  unverified: boolean;
  /** No usable answer (retries exhausted): every row not known to be stored is failed; resend on resume. */
  transportError?: Error;
  /** Requests beyond the first, for finding failing rows. */
  extraRequests: number;
}

export interface BisectBudget {
  /** Extra requests left for bisection in this run. */
  left: number;
}

export interface SendOptions {
  /** Trust `index`/`id` in errors[] when the server gives them (default true). */
  useErrorRefs: boolean;
}

type Answer = { kind: 'stored'; meta: AddMeta } | { kind: 'refused'; message: string };

async function post(client: ApiClient, rows: readonly SendRow[]): Promise<Answer> {
  try {
    return { kind: 'stored', meta: await addVisits(client, rows.map((r) => r.visit)) };
  } catch (err) {
    // The whole body refused: bad request, unprocessable, or too large. Any other error is not about the rows.
    if (err instanceof ApiError && !(err instanceof AuthError) && (err.status === 400 || err.status === 413 || err.status === 422)) {
      return { kind: 'refused', message: err.message };
    }
    throw err;
  }
}

function refText(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function errorText(e: AddError): string {
  return e.message || `error ${String(e.error)}`;
}

/** Errors that name their row: by index (when in range), else by id. Returns the unattributed ones. */
function attribute(rows: readonly SendRow[], errors: readonly AddError[], o: SendOptions, onFail: (pos: number, message: string) => void): AddError[] {
  if (!o.useErrorRefs) return [...errors];
  const rest: AddError[] = [];
  const byId = new Map<string, number>();
  rows.forEach((r, i) => byId.set(String(r.erpId), i));
  for (const e of errors) {
    if (typeof e.index === 'number' && Number.isInteger(e.index) && e.index >= 0 && e.index < rows.length) {
      // The index must agree with the id when both are given, or it is not trusted.
      const row = rows[e.index];
      if (e.id === undefined || e.id === null || refText(e.id) === String(row?.erpId)) {
        onFail(e.index, errorText(e));
        continue;
      }
    }
    const ref = refText(e.id);
    const pos = ref === undefined ? undefined : byId.get(ref);
    if (pos !== undefined) onFail(pos, errorText(e));
    else rest.push(e);
  }
  return rest;
}

export async function sendBatch(client: ApiClient, rows: readonly SendRow[], budget: BisectBudget, o: SendOptions): Promise<BatchResult> {
  const result: BatchResult = { inserted: 0, updated: 0, failed: new Map(), unverified: false, extraRequests: 0 };
  const position = new Map<SendRow, number>();
  rows.forEach((r, i) => position.set(r, i));
  const fail = (row: SendRow, message: string): void => {
    const pos = position.get(row);
    if (pos !== undefined && !result.failed.has(pos)) result.failed.set(pos, message);
  };

  /** `answer` is the server's answer for exactly `subset`; `fresh` when its counts are news (not a resend). */
  async function resolve(subset: readonly SendRow[], answer: Answer, fresh: boolean): Promise<void> {
    let remaining: readonly SendRow[];
    let why: string[];
    if (answer.kind === 'stored') {
      if (fresh) {
        result.inserted += answer.meta.recordsInserted;
        result.updated += answer.meta.recordsUpdated;
      }
      const errors = answer.meta.errors ?? [];
      if (errors.length === 0) return;
      const named = new Set<number>();
      const unnamed = attribute(subset, errors, o, (i, message) => {
        named.add(i);
        const row = subset[i];
        if (row) fail(row, message);
      });
      if (unnamed.length === 0) return;
      remaining = subset.filter((_, i) => !named.has(i));
      why = unnamed.map(errorText);
    } else {
      remaining = subset;
      why = [answer.message];
    }
    const only = remaining[0];
    if (remaining.length === 1 && only) {
      fail(only, why.join('; '));
      return;
    }
    if (remaining.length === 0) return;
    const mid = Math.ceil(remaining.length / 2);
    const halves = [remaining.slice(0, mid), remaining.slice(mid)];
    // A refused body stored nothing, so the halves' counts are news; after a stored answer they are resends.
    const halvesFresh = answer.kind === 'refused' && fresh;
    await Promise.all(
      halves.map(async (half) => {
        if (budget.left <= 0) {
          for (const r of half) fail(r, `${why.join('; ')} (the server did not say which row; ljit stopped looking after too many extra requests)`);
          return;
        }
        budget.left -= 1;
        result.extraRequests += 1;
        await resolve(half, await post(client, half), halvesFresh);
      }),
    );
  }

  try {
    const first = await post(client, rows);
    if (first.kind === 'stored') {
      const errors = first.meta.errors?.length ?? 0;
      result.unverified = first.meta.recordsInserted + first.meta.recordsUpdated + errors !== rows.length;
    }
    await resolve(rows, first, true);
  } catch (err) {
    if (err instanceof AuthError) throw err;
    result.transportError = err instanceof Error ? err : new Error(String(err));
    const message = result.transportError.message;
    // Rows not already known to have failed have an unknown fate: resent on resume.
    rows.forEach((r) => fail(r, message));
  }
  return result;
}
