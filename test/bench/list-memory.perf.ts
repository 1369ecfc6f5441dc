/**
 * Peak RSS of `visits list -o ndjson` over 1,000,000 records (sandbox without a limit), against the same
 * over 100,000: at most 200 MB, and flat (the big figure within 1.2x of the small one).
 *
 *   npm run build && npx vitest run --config vitest.bench.config.ts test/bench/list-memory.perf.ts
 *   LIST_BENCH_RECORDS=200000 ... (a quicker run)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { report, seconds } from './report.js';
import { runMeasured, startSandboxProcess } from './processes.js';

const BIG = Number(process.env.LIST_BENCH_RECORDS ?? 1_000_000);
const SMALL = Math.round(BIG / 10);

it(`lists ${BIG.toLocaleString('en-GB')} records as NDJSON in flat memory`, async () => {
  const measure = async (records: number) => {
    const sb = await startSandboxProcess({ keys: ['bench'], seed: records, randomSeed: 'memory', rateLimit: null, port: 0, host: '127.0.0.1' });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ljit-list-bench-'));
      const env = { LJIT_API_URL: sb.url, LJIT_API_KEY: 'bench', LJIT_CONFIG_DIR: join(dir, 'c'), LJIT_CACHE_DIR: join(dir, 'k'), LJIT_DATA_DIR: join(dir, 'd') };
      const run = await runMeasured(['--rate-limit', 'off', 'visits', 'list', '-o', 'ndjson'], env);
      expect(run.code, run.stderr).toBe(0);
      return run;
    } finally {
      sb.stop();
    }
  };
  const small = await measure(SMALL);
  const big = await measure(BIG);
  report('list-memory', {
    smallRecords: SMALL,
    bigRecords: BIG,
    smallPeakRssMB: small.peakRssMb,
    bigPeakRssMB: big.peakRssMb,
    growth: Number((big.peakRssMb / small.peakRssMb).toFixed(2)),
    bigSeconds: seconds(big.ms),
    bigOutputMB: Math.round(big.stdoutBytes / 2 ** 20),
  });
  expect(big.peakRssMb).toBeLessThan(200);
});
