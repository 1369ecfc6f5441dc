/**
 * `visits import` of 50,000 rows against a sandbox with 150 ms latency and the real 100/10s limit, next to
 * a plain sequential loop of 100-row POSTs measured in the same run.
 *
 *   npm run build && npx vitest run --config vitest.bench.config.ts test/bench/import.perf.ts
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import { isolatedDirs, runCli } from '../helpers/cli.js';
import { generatedRow, writeVisitsCsv } from '../helpers/generate.js';
import { useTempDir } from '../helpers/sandbox.js';
import { report, seconds } from './report.js';

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 50_000);
const LATENCY_MS = 150;
const LIMIT = { limit: 100, windowMs: 10_000 };
const BATCH = 100;

/** The plain approach: one 100-row POST after another, waiting out a 429 when it comes. */
async function sequentialLoop(url: string, key: string, companyId: string): Promise<{ status429: number }> {
  let status429 = 0;
  for (let start = 1; start <= ROWS; start += BATCH) {
    const batch = [];
    for (let i = start; i < start + BATCH && i <= ROWS; i++) batch.push({ ...generatedRow(i, companyId), time_windows: [{ earliest: 30600, latest: 46800 }, { earliest: 50400, latest: 64800 }], required_skills: ['gas', 'electric'], emailMandatory: i % 2 });
    for (;;) {
      const res = await fetch(`${url}/visits`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(batch) });
      await res.text();
      if (res.status === 429) {
        status429 += 1;
        await new Promise((r) => setTimeout(r, Number(res.headers.get('x-rate-limit-reset') ?? 1) * 1000));
        continue;
      }
      if (res.status !== 200) throw new Error(`POST answered ${res.status}`);
      break;
    }
  }
  return { status429 };
}

it(`imports ${ROWS.toLocaleString('en-GB')} rows faster than a sequential loop, near the rate-limit floor`, async () => {
  const sb = await startSandbox({ keys: ['baseline', 'ljit'], latencyMs: LATENCY_MS, rateLimit: LIMIT, host: '127.0.0.1', port: 0 });
  try {
    const file = join(useTempDir(), 'visits.csv');
    await writeVisitsCsv(file, ROWS, sb.companyIdFor('ljit'));

    let t = performance.now();
    const baseline = await sequentialLoop(sb.url, 'baseline', sb.companyIdFor('baseline'));
    const baselineMs = performance.now() - t;
    const limitedBefore = sb.stats.rateLimited;

    t = performance.now();
    const run = await runCli(['visits', 'import', file, '-o', 'json'], { env: { LJIT_API_URL: sb.url, LJIT_API_KEY: 'ljit', ...isolatedDirs() }, timeoutMs: 900_000 });
    const ljitMs = performance.now() - t;
    expect(run.code, run.stderr).toBe(0);
    const requests = Math.ceil(ROWS / BATCH);
    const floorMs = (Math.ceil(requests / LIMIT.limit) - 1) * LIMIT.windowMs + LATENCY_MS;
    report('import', {
      rows: ROWS,
      latencyMs: LATENCY_MS,
      limit: '100/10s',
      ljitSeconds: seconds(ljitMs),
      ljitRowsPerSecond: Math.round(ROWS / (ljitMs / 1000)),
      baselineSeconds: seconds(baselineMs),
      baselineRowsPerSecond: Math.round(ROWS / (baselineMs / 1000)),
      speedup: Number((baselineMs / ljitMs).toFixed(2)),
      floorSeconds: seconds(floorMs),
      ljitOverFloor: Number((ljitMs / floorMs).toFixed(3)),
      ljit429s: sb.stats.rateLimited - limitedBefore,
      baseline429s: baseline.status429,
    });
    expect(sb.visits('ljit')).toHaveLength(ROWS);
    expect(sb.visits('baseline')).toHaveLength(ROWS);
  } finally {
    await sb.close();
  }
});
