import { it, expect } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import { runCli, isolatedDirs } from '../helpers/cli.js';
import { report, seconds } from './report.js';

const VISITS = 20_000;
const LATENCY_MS = 150;
const LIMIT = { limit: 100, windowMs: 10_000 };

/** The reference's own recipe: a sequential loop on nextStart, written plainly with fetch. */
async function referenceLoop(url: string, key: string): Promise<{ records: number; status429: number }> {
  let pagination = 0;
  let records = 0;
  let status429 = 0;
  for (;;) {
    const res = await fetch(`${url}/visits?pagination=${pagination}`, { headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' } });
    if (res.status === 429) {
      status429 += 1;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('x-rate-limit-reset') ?? 1) * 1000));
      continue;
    }
    const body = (await res.json()) as { meta: { remainingRecords: number; nextStart: number }; data: unknown[] };
    records += body.data.length;
    if (body.meta.remainingRecords === 0) return { records, status429 };
    pagination = body.meta.nextStart;
  }
}

it(`lists ${VISITS} visits faster than the reference loop, near the rate-limit floor`, async () => {
  // Two keys, two companies with the same data: each run starts with a fresh rate window.
  const sb = await startSandbox({ keys: ['baseline', 'ljit', 'ljit16'], seed: VISITS, randomSeed: 'bench', latencyMs: LATENCY_MS, rateLimit: LIMIT });
  try {
    let t = performance.now();
    const baseline = await referenceLoop(sb.url, 'baseline');
    const baselineMs = performance.now() - t;
    const limitedBefore = sb.stats.rateLimited;

    t = performance.now();
    const run = await runCli(['visits', 'list', '-o', 'ndjson'], { env: { LJIT_API_URL: sb.url, LJIT_API_KEY: 'ljit', ...isolatedDirs() }, timeoutMs: 600_000 });
    const ljitMs = performance.now() - t;
    expect(run.code).toBe(0);
    const limitedAfterDefault = sb.stats.rateLimited;

    // The same with 16 in flight: how much of the gap to the floor is the concurrency cap.
    t = performance.now();
    const wide = await runCli(['--concurrency', '16', 'visits', 'list', '-o', 'ndjson', '--fields', '_id'], { env: { LJIT_API_URL: sb.url, LJIT_API_KEY: 'ljit16', ...isolatedDirs() }, timeoutMs: 600_000 });
    const wideMs = performance.now() - t;
    expect(wide.code).toBe(0);
    const lines = run.stdout.trim().split('\n').length;
    const requests = Math.ceil(VISITS / 100);
    // The time the limit alone requires: every request past the first window waits for a window to pass.
    const floorMs = (Math.ceil(requests / LIMIT.limit) - 1) * LIMIT.windowMs + LATENCY_MS;
    report('list', {
      visits: VISITS,
      latencyMs: LATENCY_MS,
      limit: '100/10s',
      ljitSeconds: seconds(ljitMs),
      baselineSeconds: seconds(baselineMs),
      speedup: Number((baselineMs / ljitMs).toFixed(2)),
      floorSeconds: seconds(floorMs),
      ljitOverFloor: Number((ljitMs / floorMs).toFixed(3)),
      ljitConcurrency16Seconds: seconds(wideMs),
      ljitConcurrency16OverFloor: Number((wideMs / floorMs).toFixed(3)),
      ljitRecords: lines,
      baselineRecords: baseline.records,
      ljit429s: limitedAfterDefault - limitedBefore,
      ljitConcurrency16429s: sb.stats.rateLimited - limitedAfterDefault,
      baseline429s: baseline.status429,
    });
    expect(lines).toBe(VISITS);
  } finally {
    await sb.close();
  }
});
