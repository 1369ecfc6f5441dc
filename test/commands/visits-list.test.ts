import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runCli, runInProcess } from '../helpers/cli.js';
import { useSandbox, visitInput, call } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox/server.js';

const KEY = 'ljit_TEST_CANARY_9f3';

function envFor(sb: Sandbox, key = sb.keys[0]!) {
  return { LJIT_API_URL: sb.url, LJIT_API_KEY: key };
}

const ids = (records: { _id: string }[]) => records.map((r) => r._id);

describe('visits list', () => {
  it('pages 2,350 visits in the server order with none lost or repeated', async () => {
    const sb = await useSandbox({ seed: 2350, randomSeed: 'list-2350' });
    const res = await runInProcess(['visits', 'list', '-o', 'ndjson'], { env: envFor(sb) });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const got = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { _id: string });
    expect(ids(got)).toEqual(ids(sb.visits() as { _id: string }[]));
    expect(sb.stats.requests).toBe(24);
  });

  it('stops at --limit, fetching only the pages it needs', async () => {
    const sb = await useSandbox({ seed: 1000, randomSeed: 'limit' });
    const res = await runInProcess(['visits', 'list', '--limit', '150', '-o', 'json'], { env: envFor(sb) });
    const got = JSON.parse(res.stdout) as { _id: string }[];
    expect(got).toHaveLength(150);
    expect(ids(got)).toEqual(ids(sb.visits().slice(0, 150) as { _id: string }[]));
    expect(sb.stats.requests).toBe(2);
  });

  it.each([
    [['--date', '2020-03-31'], (v: Record<string, unknown>) => v.date === '2020-03-31'],
    [['--closed', '0'], (v: Record<string, unknown>) => v.closed === false],
    [['--open'], (v: Record<string, unknown>) => v.closed === false],
    [['--closed', '1'], (v: Record<string, unknown>) => v.closed === true],
    [['--skipped', '1'], (v: Record<string, unknown>) => v.skipped === true],
    [['--in-progress', '1'], (v: Record<string, unknown>) => v.inProgress === true],
    [['--confirm-close', '1'], (v: Record<string, unknown>) => v.confirmClose === true],
    [['--priority', '3'], (v: Record<string, unknown>) => Number(v.priority) === 3],
    [['--doc-no', 'h-0'], (v: Record<string, unknown>) => String(v.docNo).toLowerCase().includes('h-0')],
  ])('filters %j on the server', async (flags, predicate) => {
    const sb = await useSandbox({ seed: 400, randomSeed: 'filters' });
    const res = await runInProcess(['visits', 'list', ...flags, '-o', 'json'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    const got = JSON.parse(res.stdout) as Record<string, unknown>[];
    const expected = (sb.visits()).filter(predicate);
    expect(expected.length).toBeGreaterThan(0);
    expect(got.map((v) => v._id)).toEqual(expected.map((v) => v._id));
  });

  it('filters by driver, ERP id and internal id', async () => {
    const sb = await useSandbox({ seed: 300, randomSeed: 'ids' });
    const all = sb.visits();
    const target = all[123]!;
    for (const [flag, value, pred] of [
      ['--driver', target.driverId, (v: Record<string, unknown>) => v.driverId === target.driverId],
      ['--id', target.id, (v: Record<string, unknown>) => v.id === target.id],
      ['--internal-id', target._id, (v: Record<string, unknown>) => v._id === target._id],
    ] as const) {
      const res = await runInProcess(['visits', 'list', flag, String(value), '-o', 'json'], { env: envFor(sb) });
      expect((JSON.parse(res.stdout) as Record<string, unknown>[]).map((v) => v._id)).toEqual(all.filter(pred).map((v) => v._id));
    }
  });

  it('resolves --date today in local time', async () => {
    const sb = await useSandbox();
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1, { date: today }), visitInput(sb, 2, { date: '2020-03-31' })] });
    const res = await runInProcess(['visits', 'list', '--date', 'today', '-o', 'json'], { env: envFor(sb) });
    expect((JSON.parse(res.stdout) as { id: number }[]).map((v) => v.id)).toEqual([1]);
  });

  it('prints every format so it parses back to the same records', async () => {
    const sb = await useSandbox({ seed: 120, randomSeed: 'formats' });
    const env = envFor(sb);
    const all = sb.visits();
    const json = JSON.parse((await runInProcess(['visits', 'list', '-o', 'json'], { env })).stdout) as unknown[];
    expect(json).toEqual(all);
    const ndjson = (await runInProcess(['visits', 'list', '-o', 'ndjson'], { env })).stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(ndjson).toEqual(all);
    const csv = parse<Record<string, string>>((await runInProcess(['visits', 'list', '-o', 'csv'], { env })).stdout, { columns: true });
    expect(csv.map((r) => r.docNo)).toEqual(all.map((v) => v.docNo));
    expect(csv.map((r) => Number(r.id))).toEqual(all.map((v) => v.id));
    const tsv = (await runInProcess(['visits', 'list', '--fields', '_id,docNo,customer'], { env })).stdout.trim().split('\n');
    expect(tsv[0]).toBe('_id\tdocNo\tcustomer');
    expect(tsv.slice(1).map((l) => l.split('\t')[0])).toEqual(all.map((v) => v._id));
    const noHeader = (await runInProcess(['visits', 'list', '--fields', '_id', '--no-header', '-o', 'csv'], { env })).stdout.trim().split(/\r?\n/);
    expect(noHeader).toEqual(all.map((v) => v._id));
  });

  it('shows a dispatcher table on a terminal', async () => {
    const sb = await useSandbox({ seed: 30, randomSeed: 'table' });
    const res = await runInProcess(['visits', 'list'], { env: { ...envFor(sb), NO_COLOR: '1' }, stdoutTTY: true, stderrTTY: true, columns: 140 });
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/DATE\s+ORDER\s+CUSTOMER\s+CITY\s+DRIVER\s+STATUS\s+PRI\s+DOC NO\s+ID/);
    expect(lines.filter((l) => /\b(open|in progress|closed|skipped)\b/.test(l))).toHaveLength(30);
    expect(res.stderr).toContain('30 visits.');
  });

  it('exits 0 with nothing on stdout but the header when nothing matches', async () => {
    const sb = await useSandbox();
    const res = await runInProcess(['visits', 'list', '-o', 'json'], { env: envFor(sb) });
    expect(res).toMatchObject({ code: 0, stdout: '[]\n' });
  });

  it('rejects a bad flag value with exit code 2 naming the flag', async () => {
    const res = await runInProcess(['visits', 'list', '--closed', 'maybe']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("option '--closed <0|1>' argument 'maybe' is invalid");
    const date = await runInProcess(['visits', 'list', '--date', '2021-02-29']);
    expect(date.code).toBe(2);
  });

  it('completes a 2,350-visit list when the server limits to 20 requests per 10 s, with at most one 429', async () => {
    const sb = await useSandbox({ seed: 2350, randomSeed: 'slow', rateLimit: { limit: 20, windowMs: 10_000 } });
    const res = await runInProcess(['visits', 'list', '-o', 'ndjson'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(2350);
    expect(sb.stats.rateLimited).toBeLessThanOrEqual(1);
  }, 30_000);

  it('completes with 20% of requests answered 503', async () => {
    const sb = await useSandbox({ seed: 1000, randomSeed: 'flaky', failRate: 0.2 });
    const res = await runInProcess(['visits', 'list', '-o', 'ndjson', '--max-retries', '8'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(ids(res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { _id: string }))).toEqual(ids(sb.visits() as { _id: string }[]));
    expect(sb.stats.failed).toBeGreaterThan(0);
  });

  it('says on stderr when the set moves while paging, and loses nothing', async () => {
    const sb = await useSandbox({ seed: 600, randomSeed: 'moving', latencyMs: 30 });
    const before = sb.visits() as { _id: string }[];
    const listing = runInProcess(['visits', 'list', '-o', 'ndjson', '--concurrency', '1'], { env: envFor(sb) });
    await new Promise((r) => setTimeout(r, 100));
    const gone = before.slice(5, 8).map((v) => v._id);
    for (const id of gone) await call(sb, 'DELETE', `/visits/${id}`);
    const res = await listing;
    const got = ids(res.stdout.trim().split('\n').map((l) => JSON.parse(l) as { _id: string }));
    expect(new Set(got).size).toBe(got.length);
    for (const v of before) if (!gone.includes(v._id)) expect(got).toContain(v._id);
    expect(res.stderr).toContain('the list changed while it was being read');
  });

  it('never shows the key, even with --verbose and the key in the query', async () => {
    const sb = await useSandbox({ keys: [KEY], seed: 150, randomSeed: 'secret' });
    const res = await runInProcess(['--verbose', 'visits', 'list', '-o', 'json'], { env: envFor(sb, KEY) });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('GET http://127.0.0.1');
    expect(res.stderr + res.stdout).not.toContain(KEY);
    const bad = await runInProcess(['--verbose', 'visits', 'list'], { env: envFor(sb, `${KEY}x`) });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('ljit auth login');
    expect(bad.stderr).not.toContain(KEY);
  });

  it('refuses plain http to a non-loopback host without connecting', async () => {
    const res = await runInProcess(['visits', 'list'], { env: { LJIT_API_URL: 'http://visits.example.invalid/api/v2', LJIT_API_KEY: KEY } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('refusing to send the API key over plain http to visits.example.invalid');
    expect(res.stderr).not.toContain('ENOTFOUND');
  });

  it('two ljit processes listing with one key share the budget: zero 429s', async () => {
    const sb = await useSandbox({ seed: 6000, randomSeed: 'shared', rateLimit: { limit: 100, windowMs: 10_000 } });
    const cache = (await import('../helpers/cli.js')).isolatedDirs();
    const env = { ...envFor(sb), ...cache };
    const args = ['visits', 'list', '-o', 'ndjson', '--fields', '_id'];
    const [a, b] = await Promise.all([runCli(args, { env }), runCli(args, { env })]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(6000);
    expect(b.stdout.trim().split('\n')).toHaveLength(6000);
    expect({ rateLimited: sb.stats.rateLimited, requests: sb.stats.requests, a: a.stderr, b: b.stderr }).toEqual({ rateLimited: 0, requests: 120, a: '', b: '' });
  }, 60_000);
});

describe('visits get', () => {
  it('gets by _id and by ERP id, as the record itself in JSON', async () => {
    const sb = await useSandbox({ seed: 50, randomSeed: 'get' });
    const target = (sb.visits())[7]!;
    const byId = await runInProcess(['visits', 'get', String(target._id), '-o', 'json'], { env: envFor(sb) });
    expect(JSON.parse(byId.stdout)).toEqual(target);
    const byErp = await runInProcess(['visits', 'get', '--erp-id', String(target.id), '-o', 'json'], { env: envFor(sb) });
    expect(JSON.parse(byErp.stdout)).toEqual(target);
  });

  it('exits 5 for a visit that does not exist', async () => {
    const sb = await useSandbox();
    const res = await runInProcess(['visits', 'get', 'AAAAAAAAAAAAAAAAA'], { env: envFor(sb) });
    expect(res.code).toBe(5);
    expect(res.stderr).toContain('not found');
    const erp = await runInProcess(['visits', 'get', '--erp-id', '424242'], { env: envFor(sb) });
    expect(erp.code).toBe(5);
    expect(erp.stderr).toContain('no visit with ERP id 424242');
  });

  it('shows a grouped detail view on a terminal', async () => {
    const sb = await useSandbox({ seed: 20, randomSeed: 'detail' });
    const target = (sb.visits()).find((v) => Array.isArray(v.time_windows) && v.time_windows.length > 0)!;
    const res = await runInProcess(['visits', 'get', String(target._id)], { env: { ...envFor(sb), NO_COLOR: '1' }, stdoutTTY: true, columns: 100 });
    expect(res.code).toBe(0);
    for (const heading of ['Visit', 'Customer', 'Contact', 'Status', 'Schedule', 'Lines']) expect(res.stdout).toContain(heading);
    expect(res.stdout).toContain(String(target.customer));
    expect(res.stdout).toMatch(/\d\d:\d\d–\d\d:\d\d/);
  });

  it('is a usage error without an id', async () => {
    const res = await runInProcess(['visits', 'get']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('give a visit _id, or --erp-id <id>');
  });
});
