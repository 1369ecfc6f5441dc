import { join } from 'node:path';
import type { Context, Paths } from '../context.js';
import { companyIdForKey, localDate } from './ids.js';
import { writeDataFile } from './persist.js';
import { seedVisits, shiftDate } from './seed.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_KEY, startSandbox, type Sandbox } from './server.js';

/**
 * The demo behind the global --sandbox flag: one key, 250 visits that are the same on every machine except
 * for the dates, which follow the calendar (yesterday, today, tomorrow) so "visits list --date today" shows
 * something, next to the reference's own 2020-03-31.
 */
export const DEMO_KEY = DEFAULT_KEY;
export const DEMO_VISITS = 250;
export const DEMO_RANDOM_SEED = 'ljit-demo';

export function demoDataFile(paths: Paths): string {
  return join(paths.data, 'sandbox', 'visits.ndjson');
}

export function demoDates(nowMs: number): string[] {
  const today = localDate(nowMs);
  return [...new Set(['2020-03-30', '2020-03-31', '2020-04-01', shiftDate(today, -1), today, shiftDate(today, 1)])];
}

/** An in-process sandbox on a free local port, seeded with the demo set the first time its data file is used. */
export async function startDemoSandbox(ctx: Context): Promise<Sandbox> {
  const file = demoDataFile(ctx.paths);
  return startSandbox({
    host: '127.0.0.1',
    port: 0,
    keys: [DEMO_KEY],
    rateLimit: DEFAULT_RATE_LIMIT,
    dataFile: file,
    seed: DEMO_VISITS,
    randomSeed: DEMO_RANDOM_SEED,
    seedDates: demoDates(ctx.clock.now()),
    // The client paces itself by ctx.clock; the limiter must see the same time or they would disagree.
    now: () => ctx.clock.now(),
    onError: (err) => ctx.io.stderr.write(`ljit: could not save sandbox data to ${file}: ${err instanceof Error ? err.message : String(err)}\n`),
  });
}

/** Rewrites the demo data file with a fresh demo set (dates relative to today). */
export async function resetDemoData(ctx: Context): Promise<{ file: string; count: number }> {
  const file = demoDataFile(ctx.paths);
  const records = seedVisits({ count: DEMO_VISITS, companyId: companyIdForKey(DEMO_KEY), randomSeed: DEMO_RANDOM_SEED, dates: demoDates(ctx.clock.now()) });
  await writeDataFile(file, records);
  return { file, count: records.length };
}
