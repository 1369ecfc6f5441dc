/**
 * The sandbox with 1,000,000 visits: save, load (parse + index), and one filtered page over HTTP. Timings
 * are printed and recorded, never asserted: shared machines are too noisy for that.
 *
 *   npx vitest run --config vitest.bench.config.ts test/bench/sandbox-store.perf.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { companyIdForKey } from '../../src/sandbox/ids.js';
import { writeDataFile } from '../../src/sandbox/persist.js';
import { shiftDate } from '../../src/sandbox/seed.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { median, report } from './report.js';

const N = 1_000_000;
const RUNS = 15;
const DATES = Array.from({ length: 365 }, (_, i) => shiftDate('2020-01-01', i));
const DRIVERS = Array.from({ length: 50 }, (_, i) => `driver${String(i).padStart(11, '0')}`);

/** A small visit: the fields the filters read, plus a little payload (about 270 bytes of JSON). */
function* synthetic(companyId: string): Generator<Record<string, unknown>> {
  for (let i = 0; i < N; i++) {
    yield {
      _id: `b${String(i).padStart(16, '0')}`,
      id: 20_000_000 + i,
      date: DATES[i % DATES.length],
      driverId: DRIVERS[(i * 7) % DRIVERS.length],
      docNo: `H-${String(i).padStart(7, '0')}`,
      customer: 'The Green Sleeve',
      city: 'INVERURIE',
      priority: String((i % 3) + 1),
      closed: i % 2 === 0,
      skipped: i % 11 === 0,
      inProgress: false,
      confirmClose: i % 4 === 0,
      companyId,
    };
  }
}

const PAGES: Record<string, string> = {
  page_unfiltered_offset_500000: 'pagination=500000',
  page_date: 'date=2020-03-31&pagination=100',
  page_erp_id: 'id=20500000',
  page_driver_closed: `driverId=${DRIVERS[3] ?? ''}&closed=0`,
  page_closed_skipped_scan: 'closed=1&skipped=1&pagination=40000',
  page_priority_scan: 'priority=2&closed=0&pagination=300000',
  page_docNo_contains_scan: 'docNo=h-09999',
};

it(`loads ${N} visits and answers filtered pages`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-bench-'));
  const file = join(dir, 'visits.ndjson');
  try {
    let t = performance.now();
    await writeDataFile(file, synthetic(companyIdForKey('sandbox')));
    const saveMs = performance.now() - t;

    t = performance.now();
    const sb = await startSandbox({ dataFile: file, rateLimit: null });
    const loadMs = performance.now() - t;
    const figures: Record<string, number> = { visits: N, file_mb: Math.round(statSync(file).size / 2 ** 20), save_s: round(saveMs / 1000), load_s: round(loadMs / 1000) };
    try {
      for (const [name, query] of Object.entries(PAGES)) {
        const times: number[] = [];
        let total = -1;
        for (let run = 0; run < RUNS; run++) {
          t = performance.now();
          const res = await fetch(`${sb.url}/visits?${query}`, { headers: { Authorization: 'Bearer sandbox' } });
          const body = (await res.json()) as { meta: { totalRecords: number } };
          times.push(performance.now() - t);
          total = body.meta.totalRecords;
        }
        expect(total).toBeGreaterThan(0);
        figures[`${name}_median_ms`] = round(median(times));
        figures[`${name}_max_ms`] = round(Math.max(...times));
      }
    } finally {
      await sb.close();
    }
    report('sandbox-store-1m', figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 900_000);

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
