/**
 * The soak: an import and full lists under 10% 5xx, 5% dropped connections, latency jitter and 429 storms,
 * with two ljit processes sharing the key. The sandbox must end equal to the input, every process must
 * exit with the right code, and nothing may die of an unhandled rejection.
 *
 * CI runs a short version (SOAK_ROWS, default 3,000); `npm run soak` runs 30,000 rows.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isolatedDirs, runCli } from '../helpers/cli.js';
import { generatedRow, writeVisitsCsv } from '../helpers/generate.js';
import { useSandbox, useTempDir } from '../helpers/sandbox.js';

const ROWS = Number(process.env.SOAK_ROWS ?? 3_000);
const KEY = 'soak-key';
const LIMIT = { limit: 100, windowMs: 10_000 };

it(`imports ${ROWS.toLocaleString('en-GB')} rows and lists them through faults and 429 storms`, async () => {
  const sb = await useSandbox({ keys: [KEY], rateLimit: LIMIT, failRate: 0.1, dropRate: 0.05, latencyMs: 20, jitterMs: 80, randomSeed: 'soak' });
  const dir = useTempDir();
  const file = join(dir, 'visits.csv');
  const companyId = sb.companyIdFor(KEY);
  await writeVisitsCsv(file, ROWS, companyId);

  // 429 storms: every 6 s the server drops to 10 requests per 10 s for 2 s, below what clients expect.
  let storms = 0;
  const storm = setInterval(() => {
    storms += 1;
    sb.setOptions({ rateLimit: { limit: 10, windowMs: 10_000 } });
    setTimeout(() => sb.setOptions({ rateLimit: LIMIT }), 2_000);
  }, 6_000);

  // One cache directory: both processes share the key's rate budget, as on a real machine.
  const env = { LJIT_API_URL: sb.url, LJIT_API_KEY: KEY, ...isolatedDirs() };
  const retries = ['--max-retries', '10'];
  try {
    const [imported, listed] = await Promise.all([
      runCli([...retries, 'visits', 'import', file, '-o', 'json'], { env, timeoutMs: 900_000 }),
      runCli([...retries, 'visits', 'list', '-o', 'ndjson', '--fields', '_id'], { env, timeoutMs: 900_000 }),
    ]);
    for (const run of [imported, listed]) {
      expect(run.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection|ERR_UNHANDLED/i);
      expect(run.code, run.stderr).toBe(0);
    }
    const summary = JSON.parse(imported.stdout) as { inserted: number; updated: number; failed: number };
    expect(summary.failed).toBe(0);

    const final = await runCli([...retries, 'visits', 'list', '-o', 'ndjson'], { env, timeoutMs: 900_000 });
    expect(final.code, final.stderr).toBe(0);
    const records = final.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // Equal to the input: every ERP id exactly once, with the fields the file set.
    expect(records).toHaveLength(ROWS);
    const byId = new Map(records.map((r) => [Number(r.id), r]));
    expect(byId.size).toBe(ROWS);
    for (let i = 1; i <= ROWS; i++) {
      const want = generatedRow(i, companyId);
      const got = byId.get(i);
      expect(got, `ERP id ${i}`).toMatchObject({ ...want, priority: String(want.priority) });
    }
    expect(sb.visits(KEY)).toHaveLength(ROWS);
    expect(storms).toBeGreaterThan(0);
    expect(sb.stats.failed).toBeGreaterThan(0);
    expect(sb.stats.dropped).toBeGreaterThan(0);
  } finally {
    clearInterval(storm);
  }
}, 900_000);
