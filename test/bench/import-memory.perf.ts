/**
 * `visits import` of a large CSV (default 1,000,000 rows): peak RSS of the importing process, which must
 * stay under 200 MB because both passes stream (nothing but a 16-byte-a-row id table is kept). The sandbox
 * runs in its own process so its million records do not count. Figures are printed and recorded; only the
 * memory ceiling and the final count are asserted.
 *
 *   npm run build && npx vitest run --config vitest.bench.config.ts test/bench/import-memory.perf.ts
 *   IMPORT_BENCH_ROWS=200000 npx vitest run --config vitest.bench.config.ts test/bench/import-memory.perf.ts
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { companyIdForKey } from '../../src/sandbox/ids.js';
import { cliEntry } from '../importer/helpers.js';
import { report } from './report.js';

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 1_000_000);
const KEY = 'bench';
const CITIES = ['Lisboa', 'Porto', 'Évora', 'Faro', 'Braga'];

async function writeCsv(path: string, rows: number, companyId: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('id,driverId,date,docNo,customer,address,city,companyId,priority,lat,lng,time_windows,required_skills,emailMandatory,obs\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `${i},drv${i % 50},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},DOC-${i},Customer ${i},"Rua ${i}, ${i % 9}º",${CITIES[i % 5]},${companyId},${1 + (i % 10)},${(38 + (i % 1000) / 1000).toFixed(3)},${(-9 - (i % 1000) / 1000).toFixed(3)},08:30-13:00|14:00-18:00,gas|electric,${i % 2},"Ligar antes\nCódigo ${i}"\n`;
    if (i % 5000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}

/** The sandbox in a child process; resolves with its URL. */
function startSandboxProcess(): Promise<{ url: string; stop: () => void }> {
  const server = pathToFileURL(resolve(import.meta.dirname, '../../dist/sandbox/server.js')).href;
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--input-type=module', '-e', `const { startSandbox } = await import(${JSON.stringify(server)}); const sb = await startSandbox({ keys: [${JSON.stringify(KEY)}], rateLimit: null }); console.log(sb.url);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (c: Buffer) => resolvePromise({ url: c.toString('utf8').trim(), stop: () => child.kill('SIGKILL') }));
  });
}

/** Peak RSS of a running process in MB (VmHWM), read until it exits (Linux). */
function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

it(`imports ${ROWS.toLocaleString('en-GB')} rows in under 200 MB of peak RSS`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-import-bench-'));
  const sandbox = await startSandboxProcess();
  try {
    const file = join(dir, 'visits.csv');
    let t = performance.now();
    await writeCsv(file, ROWS, companyIdForKey(KEY));
    const generateMs = performance.now() - t;
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LJIT_API_URL: sandbox.url, LJIT_API_KEY: KEY, LJIT_CONFIG_DIR: join(dir, 'config'), LJIT_CACHE_DIR: join(dir, 'cache'), LJIT_DATA_DIR: join(dir, 'data') };
    t = performance.now();
    const child = spawn(process.execPath, [cliEntry(), '--rate-limit', 'off', 'visits', 'import', file, '-o', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, peakRssMb(child.pid ?? 0) ?? 0);
    }, 100);
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
    clearInterval(poll);
    const importMs = performance.now() - t;
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout) as { inserted: number; requests: number };
    report('import-memory', {
      rows: ROWS,
      fileMB: Math.round(statSync(file).size / 2 ** 20),
      generateS: Math.round(generateMs / 100) / 10,
      importS: Math.round(importMs / 100) / 10,
      rowsPerS: Math.round(ROWS / (importMs / 1000)),
      peakRssMB: Math.round(peak),
      requests: summary.requests,
    });
    expect(summary.inserted).toBe(ROWS);
    expect(peak).toBeLessThan(200);
  } finally {
    sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
