/**
 * `visits import` of a large CSV (default 1,000,000 rows): peak RSS of the importing process, which must
 * stay under 200 MB because both passes stream (nothing but a 16-byte-a-row id table is kept), and flat
 * against a tenth of the rows. The sandbox runs in its own process so its records do not count.
 *
 *   npm run build && npx vitest run --config vitest.bench.config.ts test/bench/import-memory.perf.ts
 *   IMPORT_BENCH_ROWS=200000 ... (a quicker run)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { companyIdForKey } from '../../src/sandbox/ids.js';
import { writeVisitsCsv } from '../helpers/generate.js';
import { runMeasured, startSandboxProcess } from './processes.js';
import { report, seconds } from './report.js';

const BIG = Number(process.env.IMPORT_BENCH_ROWS ?? 1_000_000);
const SMALL = Math.round(BIG / 10);

async function measure(rows: number, key: string, url: string, dir: string) {
  const file = join(dir, `${key}.csv`);
  await writeVisitsCsv(file, rows, companyIdForKey(key));
  const env = { LJIT_API_URL: url, LJIT_API_KEY: key, LJIT_CONFIG_DIR: join(dir, 'config'), LJIT_CACHE_DIR: join(dir, 'cache'), LJIT_DATA_DIR: join(dir, 'data') };
  const run = await runMeasured(['--rate-limit', 'off', 'visits', 'import', file, '-o', 'json'], env, true);
  expect(run.code, run.stderr).toBe(0);
  const summary = JSON.parse(run.stdout) as { inserted: number; requests: number };
  expect(summary.inserted).toBe(rows);
  return { ...run, fileMB: Math.round(statSync(file).size / 2 ** 20), requests: summary.requests };
}

it(`imports ${BIG.toLocaleString('en-GB')} rows in flat memory under 200 MB`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-import-bench-'));
  const sandbox = await startSandboxProcess({ keys: ['small', 'big'], rateLimit: null, host: '127.0.0.1', port: 0 });
  try {
    const small = await measure(SMALL, 'small', sandbox.url, dir);
    const big = await measure(BIG, 'big', sandbox.url, dir);
    report('import-memory', {
      smallRows: SMALL,
      bigRows: BIG,
      bigFileMB: big.fileMB,
      smallPeakRssMB: small.peakRssMb,
      bigPeakRssMB: big.peakRssMb,
      growth: Number((big.peakRssMb / small.peakRssMb).toFixed(2)),
      bigSeconds: seconds(big.ms),
      bigRowsPerSecond: Math.round(BIG / (big.ms / 1000)),
      requests: big.requests,
    });
    expect(big.peakRssMb).toBeLessThan(200);
  } finally {
    sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
