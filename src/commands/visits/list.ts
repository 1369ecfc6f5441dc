import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import type { ListFilters } from '../../api/schemas.js';
import { listVisits } from '../../api/visits.js';
import { rendererFor } from '../render.js';
import { withSession, DEFAULT_CONCURRENCY } from '../../session.js';
import type { OutputOptions } from '../output-options.js';
import { resolveDate } from './dates.js';
import { startSpinner } from '../spinner.js';
import { periodicGarbageCollector } from '../../memory.js';

export interface ListCommandOptions extends GlobalOptions, OutputOptions {
  date?: string;
  driver?: string;
  id?: string;
  internalId?: string;
  docNo?: string;
  closed?: 0 | 1;
  open?: boolean;
  skipped?: 0 | 1;
  inProgress?: 0 | 1;
  confirmClose?: 0 | 1;
  priority?: number;
  limit?: number;
}

/** Flags to the API's query parameters (the reference's names). */
export function listFilters(opts: ListCommandOptions, now: number): ListFilters {
  const filters: ListFilters = {};
  if (opts.date !== undefined) filters.date = resolveDate(opts.date, now);
  if (opts.driver !== undefined) filters.driverId = opts.driver;
  if (opts.id !== undefined) filters.id = opts.id;
  if (opts.internalId !== undefined) filters._id = opts.internalId;
  if (opts.docNo !== undefined) filters.docNo = opts.docNo;
  if (opts.open) filters.closed = 0;
  if (opts.closed !== undefined) filters.closed = opts.closed;
  if (opts.skipped !== undefined) filters.skipped = opts.skipped;
  if (opts.inProgress !== undefined) filters.inProgress = opts.inProgress;
  if (opts.confirmClose !== undefined) filters.confirmClose = opts.confirmClose;
  if (opts.priority !== undefined) filters.priority = opts.priority;
  return filters;
}

export async function listRun(ctx: Context, opts: ListCommandOptions): Promise<void> {
  const filters = listFilters(opts, ctx.clock.now());
  await withSession(ctx, opts, async ({ client }) => {
    const renderer = rendererFor(ctx, opts, 'visits');
    const spinner = await startSpinner(ctx, opts, 'Fetching visits');
    let count = 0;
    const tidy = periodicGarbageCollector(2_000);
    try {
      const records = listVisits(client, {
        filters,
        prefetch: opts.concurrency ?? DEFAULT_CONCURRENCY,
        signal: ctx.signal,
        onMoved: (message) => ctx.io.stderr.write(`ljit: warning: ${message}\n`),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      });
      for await (const visit of records) {
        if (count === 0) spinner.stop();
        count += 1;
        await renderer.write(visit);
        tidy();
      }
    } finally {
      spinner.stop();
    }
    await renderer.end();
    // Chatter only for a person watching; scripts get data alone.
    if (ctx.io.stdoutIsTTY && ctx.io.stderrIsTTY) {
      ctx.io.stderr.write(count === 0 ? 'No visits match.\n' : `${count.toLocaleString('en-GB')} visit${count === 1 ? '' : 's'}.\n`);
    }
  });
}
