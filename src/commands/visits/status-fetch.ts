import type { ApiClient } from '../../api/client.js';
import type { ListFilters, Visit } from '../../api/schemas.js';
import { listVisits } from '../../api/visits.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { resolveDate } from './dates.js';

/** The server-side filters of the dispatcher views: one day, optionally one driver (the API has no territory filter). */
export function dayFilters(opts: { date: string; driver?: string }, now: number): ListFilters {
  let date: string;
  try {
    date = resolveDate(opts.date, now);
  } catch (err) {
    throw new UsageError(`option '--date <day>': ${(err as Error).message}`);
  }
  const filters: ListFilters = { date };
  if (opts.driver !== undefined) filters.driverId = opts.driver;
  return filters;
}

/**
 * Every visit of the day, whole: counts and diffs over a partial day would be wrong, so a failed page fails
 * the lot. Costs ceil(n/100) requests through the shared rate gate.
 */
export async function fetchDay(
  client: ApiClient,
  filters: ListFilters,
  opts: { prefetch: number; signal: AbortSignal; keep: (visit: Visit) => boolean; onMoved?: (message: string) => void },
): Promise<Visit[]> {
  const out: Visit[] = [];
  for await (const visit of listVisits(client, { filters, prefetch: opts.prefetch, signal: opts.signal, ...(opts.onMoved ? { onMoved: opts.onMoved } : {}) })) {
    if (opts.keep(visit)) out.push(visit);
  }
  return out;
}

export function warnOnStderr(ctx: Context): (message: string) => void {
  return (message) => ctx.io.stderr.write(`ljit: warning: ${message}\n`);
}
