import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { cliEntry, dirsIn, expectStoreEquals, ljit, makeVisits, tempDir, visitsCsv, writeFile, type Run } from './helpers.js';

const KEY = 'import-key';
const clean = { missing: [], duplicated: [], different: [] };

function journalLines(dataDir: string): number {
  const dir = join(dataDir, 'imports');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').length, 0);
}

function spawnCli(args: string[], env: Record<string, string>): { done: Promise<Run>; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [cliEntry(), ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : -1), stdout, stderr }));
  });
  return { done, kill: (signal) => child.kill(signal) };
}

describe('durability: journal and --resume', () => {
  it('after kill -9 half way, --resume sends only what was not acknowledged and the store equals the input', async () => {
    const sb = await useSandbox({ keys: [KEY], latencyMs: 25 });
    const dir = tempDir();
    const dirs = dirsIn(dir);
    const visits = makeVisits(1200, sb.companyIdFor(KEY));
    const file = writeFile(dir, 'visits.csv', visitsCsv(visits));
    const env = { LJIT_API_URL: sb.url, LJIT_API_KEY: KEY, LJIT_CONFIG_DIR: dirs.config, LJIT_CACHE_DIR: dirs.cache, LJIT_DATA_DIR: dirs.data };
    const args = ['--concurrency', '2', 'visits', 'import', file, '--batch-size', '20'];

    const first = spawnCli(args, env);
    const deadline = Date.now() + 20_000;
    // Line 1 is the fingerprint; wait for 20 acknowledged batches of 60, then kill without warning.
    while (journalLines(dirs.data) < 21 && Date.now() < deadline) await sleep(20);
    first.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.code).toBe(137);
    const acknowledged = journalLines(dirs.data) - 1;
    expect(acknowledged).toBeGreaterThanOrEqual(20);
    expect(acknowledged).toBeLessThan(60);
    const storedBefore = sb.visits(KEY).length;
    expect(storedBefore).toBeLessThan(1200);

    const requestsBefore = sb.stats.requests;
    const resumed = await spawnCli([...args, '--resume', '--report', join(dir, 'report.csv')], env).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const resumeRequests = sb.stats.requests - requestsBefore;
    // A full run is 60 POSTs; the resume skips every acknowledged batch.
    expect(resumeRequests).toBeLessThanOrEqual(60 - acknowledged);
    expect(resumeRequests).toBeGreaterThan(0);
    expect(expectStoreEquals(sb.visits(KEY), visits)).toEqual(clean);
    expect(sb.visits(KEY)).toHaveLength(1200);
    const report = parse<Record<string, string>>(readFileSync(join(dir, 'report.csv'), 'utf8'), { columns: true });
    expect(report.filter((l) => l.outcome === 'skipped-resume')).toHaveLength(acknowledged * 20);
    // A complete import leaves no journal behind.
    expect(journalLines(dirs.data)).toBe(0);
  });

  it('Ctrl-C lets in-flight batches finish, saves the journal, prints the resume command and exits 130', async () => {
    const sb = await useSandbox({ keys: [KEY], latencyMs: 30 });
    const dir = tempDir();
    const dirs = dirsIn(dir);
    const visits = makeVisits(600, sb.companyIdFor(KEY));
    const file = writeFile(dir, 'visits.csv', visitsCsv(visits));
    const controller = new AbortController();
    const run = ljit(['--concurrency', '2', 'visits', 'import', file, '--batch-size', '20'], { sandbox: sb, key: KEY, dirs, signal: controller.signal });
    while (sb.stats.requests < 6) await sleep(5);
    controller.abort(new Error('SIGINT'));
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Import of');
    expect(r.stderr).toContain(`Resume with: ljit --concurrency 2 visits import ${file} --batch-size 20 --resume`.replace('--concurrency 2 ', ''));
    // Everything the server stored was acknowledged in the journal (in-flight batches finished).
    const journaled = journalLines(dirs.data) - 1;
    expect(sb.visits(KEY)).toHaveLength(journaled * 20);

    const wrong = await ljit(['visits', 'import', file, '--batch-size', '50', '--resume'], { sandbox: sb, key: KEY, dirs });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('cannot resume: the options differ from the interrupted import (batchSize: 20 → 50)');

    const before = sb.stats.requests;
    const resumed = await ljit(['visits', 'import', file, '--batch-size', '20', '--resume', '-o', 'json'], { sandbox: sb, key: KEY, dirs });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sb.stats.requests - before).toBe(30 - journaled);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ skippedResume: journaled * 20, inserted: 600 - journaled * 20 });
    expect(expectStoreEquals(sb.visits(KEY), visits)).toEqual(clean);

    const nothing = await ljit(['visits', 'import', file, '--batch-size', '20', '--resume'], { sandbox: sb, key: KEY, dirs });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to resume');
  });

  it('stdin cannot be resumed, and says so', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const r = await ljit(['visits', 'import', '-', '--resume'], { sandbox: sb, key: KEY, stdin: 'id\n1\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('an import from stdin cannot be resumed');
  });
});
