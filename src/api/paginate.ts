import { ApiError } from '../errors.js';
import { listMetaSchema, type ListMeta, type Visit } from './schemas.js';

/** The API's hard page size (the reference: "100 at the time"). */
export const PAGE_SIZE = 100;

export interface Page {
  offset: number;
  meta: ListMeta;
  records: Visit[];
}

export interface PaginateOptions {
  fetchPage: (offset: number) => Promise<Page>;
  /** Stop after this many records. */
  limit?: number;
  /** Pages requested ahead of the one being emitted; the rate gate still decides when each goes. */
  prefetch: number;
  /** Told when totalRecords changes between pages. */
  onMoved?: (message: string) => void;
}

/**
 * Checks a page's shape without copying its records: zod would rebuild every record, and on a list of a
 * million visits that garbage alone outgrows the memory the records themselves need.
 */
export function parsePage(offset: number, body: unknown): Page {
  const envelope = body as { meta?: unknown; data?: unknown } | null;
  const meta = listMetaSchema.safeParse(envelope?.meta);
  const data = envelope?.data;
  if (!meta.success || !Array.isArray(data) || !data.every(isVisit)) {
    throw new ApiError(`GET /visits: the list page at offset ${offset} does not have the documented shape (meta.totalRecords, data[] with _id)`);
  }
  return { offset, meta: meta.data, records: data };
}

function isVisit(value: unknown): value is Visit {
  return typeof value === 'object' && value !== null && typeof (value as { _id?: unknown })._id === 'string';
}

/**
 * Every record of a list, in the server's order, none lost or repeated. After the first page the total
 * is known, so the following pages are requested ahead (up to `prefetch` at once) and emitted in order.
 * Memory holds at most `prefetch` pages plus a window of recent ids, whatever the total.
 *
 * If the total moves while paging (records added or removed), offsets shift under us: a removal before
 * the current offset would skip records, an insertion would repeat them. Then the pages fetched ahead
 * are dropped and reading goes on one page at a time from `shift` records earlier, skipping ids already
 * emitted on the recent pages.
 */
export async function* paginate(opts: PaginateOptions): AsyncGenerator<Visit, { total: number; moved: boolean }> {
  const limit = opts.limit ?? Infinity;
  let emitted = 0;
  const first = await opts.fetchPage(0);
  let total = first.meta.totalRecords;
  let moved = false;
  // Ids of the last two pages emitted: enough to drop repeats caused by a shift of up to a page.
  let recent = new Set<string>();
  let previous = new Set<string>();

  function* emit(page: Page): Generator<Visit> {
    const fresh = new Set<string>();
    for (const record of page.records) {
      if (emitted >= limit) return;
      if (recent.has(record._id) || previous.has(record._id) || fresh.has(record._id)) continue;
      fresh.add(record._id);
      emitted += 1;
      yield record;
    }
    previous = recent;
    recent = fresh;
  }

  yield* emit(first);
  let offset = first.offset + first.meta.returnedRecords;
  let more = first.meta.remainingRecords > 0 && first.meta.returnedRecords > 0;
  const ahead = new Map<number, Promise<Page>>();
  let nextToRequest = offset;

  while (more && emitted < limit) {
    // Keep up to `prefetch` pages in flight, never beyond the known total or the --limit.
    const lastNeeded = Math.min(total, limit === Infinity ? total : offset + (limit - emitted));
    while (ahead.size < opts.prefetch && nextToRequest < lastNeeded) {
      const page = opts.fetchPage(nextToRequest);
      page.catch(() => undefined); // awaited below in order; an early failure must not go unhandled
      ahead.set(nextToRequest, page);
      nextToRequest += PAGE_SIZE;
    }
    const pending = ahead.get(offset) ?? opts.fetchPage(offset);
    ahead.delete(offset);
    const page = await pending;

    if (page.meta.totalRecords !== total) {
      const shift = page.meta.totalRecords - total;
      moved = true;
      opts.onMoved?.(
        `the list changed while it was being read (totalRecords ${total} -> ${page.meta.totalRecords}); ` +
          `re-reading from record ${Math.max(0, offset - Math.abs(shift))} so none is lost or repeated`,
      );
      total = page.meta.totalRecords;
      // Drop the pages fetched ahead: their offsets are stale. Re-read from before the shift.
      await Promise.allSettled(ahead.values());
      ahead.clear();
      offset = Math.max(0, offset - Math.abs(shift));
      nextToRequest = offset;
      if (Math.abs(shift) > 2 * PAGE_SIZE) {
        // The id window covers two pages; a bigger jump could hide a repeat, so say so rather than pretend.
        opts.onMoved?.(`more than ${2 * PAGE_SIZE} records moved at once; a repeated or missing record cannot be ruled out`);
      }
      continue;
    }
    if (page.records.length === 0) break;
    yield* emit(page);
    const next = offset + page.meta.returnedRecords;
    if (page.meta.nextStart < offset && page.meta.remainingRecords > 0) {
      throw new ApiError(`GET /visits: nextStart went backwards (${page.meta.nextStart} after offset ${offset}); stopping to avoid a loop`);
    }
    offset = next;
    more = page.meta.remainingRecords > 0 && page.meta.returnedRecords > 0;
  }
  return { total, moved };
}
