import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { call, useSandbox, visitInput } from '../helpers/sandbox.js';

const DAY = '2020-03-31';
const envFor = (sb: Sandbox) => ({ LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! });
type V = Record<string, unknown>;

// The rules, written out independently of src/: a flag is on when it is true, 1 or "1".
const on = (x: unknown) => x === true || x === 1 || x === '1';
const bucket = (v: V) => (on(v.skipped) ? 'skipped' : on(v.closed) ? 'closed' : on(v.inProgress) ? 'inProgress' : 'open');

function expectedCounts(visits: V[]) {
  const rows = new Map<string, Record<string, unknown> & { total: number; open: number; inProgress: number; closed: number; skipped: number; confirmed: number }>();
  for (const v of visits) {
    const id = String(v.driverId);
    const row = rows.get(id) ?? { driverId: id, name: String(v.name), total: 0, open: 0, inProgress: 0, closed: 0, skipped: 0, confirmed: 0 };
    rows.set(id, row);
    row.total += 1;
    const b = bucket(v);
    row[b] += 1;
    if (b === 'closed' && on(v.confirmClose)) row.confirmed += 1;
  }
  return [...rows.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** A seeded day plus visits whose flags overlap, so the precedence is exercised. */
async function seededDay(): Promise<Sandbox> {
  const sb = await useSandbox({ seed: 260, randomSeed: 'status-day', seedDates: ['2020-03-30', DAY] });
  const day = sb.visits().filter((v) => v.date === DAY);
  const patches: V[] = [
    { skipped: 1, closed: 1, confirmClose: 1, skippedReasonId: '4' },
    { closed: 1, inProgress: 1, confirmClose: 1 },
    { closed: 1, confirmClose: 0 },
    { inProgress: 1, skipped: 1, skippedReasonId: '2' },
  ];
  for (const [i, patch] of patches.entries()) {
    const res = await call(sb, 'PUT', `/visits/${String(day[i * 7]!._id)}`, { body: patch });
    expect(res.status).toBe(200);
  }
  return sb;
}

describe('visits status', () => {
  it('counts a seeded day per driver exactly as the status rules say (json, two pages)', async () => {
    const sb = await seededDay();
    const day = sb.visits().filter((v) => v.date === DAY);
    expect(day.length).toBeGreaterThan(100);
    const res = await runInProcess(['visits', 'status', '--date', DAY, '-o', 'json'], { env: envFor(sb) });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const got = JSON.parse(res.stdout) as V[];
    expect(got).toEqual(expectedCounts(day));
    expect(Object.keys(got[0]!)).toEqual(['driverId', 'name', 'total', 'open', 'inProgress', 'closed', 'skipped', 'confirmed']);
    expect(sb.stats.requests).toBe(4 + 2); // the four PUTs, then ceil(130/100) pages
  });

  it('filters by driver on the server and by territory here', async () => {
    const sb = await seededDay();
    const day = sb.visits().filter((v) => v.date === DAY);
    const driver = String(day[0]!.driverId);
    const territory = String(day[0]!.territory);
    const byDriver = await runInProcess(['visits', 'status', '--date', DAY, '--driver', driver, '-o', 'json'], { env: envFor(sb) });
    expect(JSON.parse(byDriver.stdout)).toEqual(expectedCounts(day.filter((v) => v.driverId === driver)));
    const byTerritory = await runInProcess(['visits', 'status', '--date', DAY, '--territory', territory.toLowerCase(), '-o', 'ndjson'], { env: envFor(sb) });
    const lines = byTerritory.stdout.trim().split('\n').map((l) => JSON.parse(l) as V);
    expect(lines).toEqual(expectedCounts(day.filter((v) => v.territory === territory)));
  });

  it('shows a coloured table with totals and the skipped visits on a terminal', async () => {
    const sb = await seededDay();
    const day = sb.visits().filter((v) => v.date === DAY);
    const res = await runInProcess(['visits', 'status', '--date', DAY], { env: { ...envFor(sb), NO_COLOR: '1' }, stdoutTTY: true, columns: 140 });
    expect(res.code).toBe(0);
    const text = res.stdout;
    expect(text).toMatch(/^DRIVER\s+ID\s+TOTAL\s+OPEN\s+IN PROGRESS\s+CLOSED\s+SKIPPED\s+CONFIRMED$/m);
    const expected = expectedCounts(day);
    for (const r of expected) expect(text).toMatch(new RegExp(`^${String(r.name)}\\s+${String(r.driverId)}\\s+${r.total}\\s+${r.open}\\s+${r.inProgress}\\s+${r.closed}\\s+${r.skipped}\\s+${r.confirmed}$`, 'm'));
    const sum = (k: 'total' | 'open' | 'inProgress' | 'closed' | 'skipped' | 'confirmed') => expected.reduce((n, r) => n + r[k], 0);
    expect(text).toMatch(new RegExp(`^TOTAL\\s+${sum('total')}\\s+${sum('open')}\\s+${sum('inProgress')}\\s+${sum('closed')}\\s+${sum('skipped')}\\s+${sum('confirmed')}$`, 'm'));
    const skipped = day.filter((v) => bucket(v) === 'skipped');
    expect(text).toContain(`Skipped (${skipped.length})`);
    for (const v of skipped) expect(text).toMatch(new RegExp(`\\s${String(v.skippedReasonId)}\\s+${String(v.customer).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${String(v.docNo)}\\s+${String(v._id)}$`, 'm'));

    const coloured = await runInProcess(['visits', 'status', '--date', DAY], { env: { ...envFor(sb), FORCE_COLOR: '1' }, stdoutTTY: true, columns: 140 });
    expect(coloured.stdout).toContain('\x1b[31m'); // skipped in red
    expect(coloured.stdout).toContain('\x1b[32m'); // closed in green
  });

  it('prints csv with a fixed header, even for an empty day, and tab-separated lines when piped', async () => {
    const sb = await seededDay();
    const day = sb.visits().filter((v) => v.date === DAY);
    const csv = await runInProcess(['visits', 'status', '--date', DAY, '-o', 'csv'], { env: envFor(sb) });
    const rows = parse<Record<string, string>>(csv.stdout, { columns: true });
    expect(rows.map((r) => [r.driverId, Number(r.total), Number(r.skipped)])).toEqual(expectedCounts(day).map((r) => [r.driverId, r.total, r.skipped]));
    const empty = await runInProcess(['visits', 'status', '--date', '2021-01-01', '-o', 'csv'], { env: envFor(sb) });
    expect(empty).toMatchObject({ code: 0, stdout: 'driverId,name,total,open,inProgress,closed,skipped,confirmed\r\n' });
    const piped = await runInProcess(['visits', 'status', '--date', DAY], { env: envFor(sb) });
    expect(piped.stdout.split('\n')[0]).toBe('driverId\tname\ttotal\topen\tinProgress\tclosed\tskipped\tconfirmed');
    expect(piped.stdout).not.toContain('TOTAL');
  });

  it("defaults to today's visits in local time", async () => {
    const sb = await useSandbox();
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1, { date: today, closed: 1 }), visitInput(sb, 2, { date: today }), visitInput(sb, 3, { date: '2020-03-31' })] });
    const res = await runInProcess(['visits', 'status', '-o', 'json'], { env: envFor(sb) });
    expect(JSON.parse(res.stdout)).toEqual([{ driverId: 'FEn9BJz93svSNPx7p', name: 'FEn9BJz93svSNPx7p', total: 2, open: 1, inProgress: 0, closed: 1, skipped: 0, confirmed: 0 }]);
  });

  it('rejects a day that does not exist with exit code 2, before any request', async () => {
    const sb = await useSandbox();
    const res = await runInProcess(['visits', 'status', '--date', '2021-02-29'], { env: envFor(sb) });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("option '--date <day>'");
    expect(sb.stats.requests).toBe(0);
  });
});
