import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { territoryFilter } from '../../dispatch/counts.js';
import { diffSnapshots, snapshotOf, type Snapshot } from '../../dispatch/diff.js';
import { AuthError, UnavailableError } from '../../errors.js';
import { DEFAULT_CONCURRENCY, withSession } from '../../session.js';
import { dayFilters, fetchDay, warnOnStderr } from './status-fetch.js';
import { createBoardView, createEventView, type WatchView } from './watch-views.js';

export interface WatchCommandOptions extends GlobalOptions {
  date: string;
  driver?: string;
  territory?: string[];
  /** Milliseconds between the starts of two polls. */
  interval: number;
  output?: 'board' | 'ndjson';
  initial?: boolean;
  maxPolls?: number;
}

/**
 * Keep watching through trouble a later poll can outlive (network, 5xx, an odd answer once the watch has
 * worked); stop on what waiting cannot fix (a refused key, a bad request on the very first poll, bugs).
 */
function outlivable(err: unknown, hadSuccess: boolean): boolean {
  if (err instanceof AuthError) return false;
  if (err instanceof UnavailableError) return true;
  return hadSuccess && err instanceof Error && 'exitCode' in err;
}

export async function watchRun(ctx: Context, opts: WatchCommandOptions): Promise<void> {
  const filters = dayFilters(opts, ctx.clock.now());
  const territories = opts.territory ?? [];
  const scope = { date: String(filters.date), ...(opts.driver !== undefined ? { driver: opts.driver } : {}), territories, intervalMs: opts.interval };
  const mode = opts.output ?? (ctx.io.stdoutIsTTY ? 'board' : 'ndjson');
  const keep = territoryFilter(territories);

  await withSession(ctx, opts, async ({ client }) => {
    const view: WatchView = mode === 'board' ? createBoardView(ctx, scope, { color: opts.color }) : createEventView(ctx, scope);
    let baseline: Snapshot | undefined = opts.initial ? new Map() : undefined;
    let polls = 0;
    let hadSuccess = false;
    try {
      await view.start();
      for (;;) {
        const startedAt = ctx.clock.now();
        polls += 1;
        const last = opts.maxPolls !== undefined && polls >= opts.maxPolls;
        const nextAt = last ? undefined : startedAt + opts.interval;
        const requestsBefore = client.stats.requests;
        try {
          const visits = await fetchDay(client, filters, {
            prefetch: opts.concurrency ?? DEFAULT_CONCURRENCY,
            signal: ctx.signal,
            keep,
            // The day changing under a poll is normal in a watch and paginate copes; a board owns the screen,
            // so only scripts hear about it.
            ...(mode === 'board' ? {} : { onMoved: warnOnStderr(ctx) }),
          });
          const snapshot = snapshotOf(visits);
          const changes = baseline ? diffSnapshots(baseline, snapshot) : [];
          baseline = snapshot;
          hadSuccess = true;
          await view.polled({
            at: ctx.clock.now(),
            polls,
            visits,
            changes,
            requests: client.stats.requests - requestsBefore,
            budget: client.gate.lastInfo,
            nextAt,
          });
        } catch (err) {
          if (ctx.signal.aborted) return;
          if (!outlivable(err, hadSuccess)) throw err;
          await view.failed(ctx.clock.now(), (err as Error).message, nextAt);
        }
        if (nextAt === undefined) return;
        try {
          await ctx.clock.sleep(Math.max(0, nextAt - ctx.clock.now()), ctx.signal);
        } catch (err) {
          if (ctx.signal.aborted) return; // Ctrl-C ends a watch normally: exit 0
          throw err;
        }
      }
    } finally {
      await view.stop();
    }
  });
}
