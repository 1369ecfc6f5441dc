import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/context.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runInProcess } from '../helpers/cli.js';
import { call, useSandbox, visitInput } from '../helpers/sandbox.js';

const DAY = '2020-03-31';
const envFor = (sb: Sandbox) => ({ LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! });
type V = Record<string, unknown>;
interface Event {
  at: string;
  change: string;
  _id: string;
  docNo: string;
  driverId: string;
  before: V | null;
  after: V | null;
}

/**
 * Real time for now(), except that the watch's wait between polls (the only sleep of a second or more
 * here) runs `between(n)` and then skips ahead: the test changes visits between polls without waiting.
 */
function betweenPolls(between: (n: number) => Promise<void>): Clock & { waits: number[] } {
  let offset = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now() + offset,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      if (ms >= 1000) {
        waits.push(ms);
        await between(waits.length);
      }
      offset += Math.max(0, ms);
      signal?.throwIfAborted();
    },
  };
}

const put = async (sb: Sandbox, id: unknown, body: V) => expect((await call(sb, 'PUT', `/visits/${String(id)}`, { body })).status).toBe(200);
const open = (v: V) => v.closed === false && v.skipped === false && v.inProgress === false;

describe('visits watch, piped', () => {
  it('prints one NDJSON event per change after the silent baseline', async () => {
    const sb = await useSandbox({ seed: 40, randomSeed: 'watch-events', seedDates: [DAY] });
    const all = sb.visits();
    const opens = all.filter(open);
    const [a, b, c, d, e] = opens;
    const otherDriver = all.find((v) => v.driverId !== d!.driverId)!;
    const clock = betweenPolls(async (n) => {
      if (n === 1) {
        await put(sb, a!._id, { closed: 1 });
        await put(sb, b!._id, { skipped: 1, skippedReasonId: '4' });
        await put(sb, d!._id, { driverId: otherDriver.driverId, name: otherDriver.name });
      } else if (n === 2) {
        await put(sb, c!._id, { inProgress: 1 });
        await call(sb, 'POST', '/visits', { body: [visitInput(sb, 999, { date: DAY })] });
        expect((await call(sb, 'DELETE', `/visits/${String(e!._id)}`)).status).toBe(200);
      }
    });
    const res = await runInProcess(['visits', 'watch', '--date', DAY, '--interval', '2s', '--max-polls', '3'], { env: envFor(sb), clock });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(clock.waits).toHaveLength(2);
    const events = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);
    const fresh = sb.visits().find((v) => v.id === 999)!;
    const kinds = (list: Event[]) => list.map((ev) => `${ev.change} ${ev._id}`).sort();
    const [first, second] = [events.filter((ev) => ev.at === events[0]!.at), events.filter((ev) => ev.at !== events[0]!.at)];
    expect(kinds(first)).toEqual([`closed ${String(a!._id)}`, `reassigned ${String(d!._id)}`, `skipped ${String(b!._id)}`].sort());
    expect(kinds(second)).toEqual([`new ${String(fresh._id)}`, `removed ${String(e!._id)}`, `started ${String(c!._id)}`].sort());

    const closed = events.find((ev) => ev.change === 'closed')!;
    expect(closed).toMatchObject({ docNo: a!.docNo, driverId: a!.driverId, before: { status: 'open', closed: false }, after: { status: 'closed', closed: true, date: DAY } });
    expect(new Date(closed.at).toISOString()).toBe(closed.at);
    expect(events.find((ev) => ev.change === 'skipped')!.after).toMatchObject({ skipped: true, skippedReasonId: '4' });
    expect(events.find((ev) => ev.change === 'reassigned')).toMatchObject({ driverId: otherDriver.driverId, before: { driverId: d!.driverId }, after: { driverId: otherDriver.driverId, name: otherDriver.name } });
    expect(events.find((ev) => ev.change === 'removed')).toMatchObject({ after: null, before: { date: DAY } });
    expect(events.find((ev) => ev.change === 'new')).toMatchObject({ before: null });
  });

  it('reports every visit as new with --initial', async () => {
    const sb = await useSandbox({ seed: 12, randomSeed: 'watch-initial', seedDates: [DAY] });
    const res = await runInProcess(['visits', 'watch', '--date', DAY, '--initial', '--max-polls', '1'], { env: envFor(sb) });
    const events = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);
    expect(events.map((ev) => ev.change)).toEqual(Array(12).fill('new'));
    expect(events.map((ev) => ev._id)).toEqual(sb.visits().map((v) => v._id));
  });

  it('costs ceil(n/100) requests a poll: 300 visits every 30 s is 360 requests an hour', async () => {
    const sb = await useSandbox({ seed: 300, randomSeed: 'watch-cost', seedDates: [DAY], rateLimit: { limit: 100, windowMs: 10_000 } });
    const perPoll: number[] = [];
    let last = 0;
    const clock = betweenPolls(async () => {
      perPoll.push(sb.stats.requests - last);
      last = sb.stats.requests;
      await Promise.resolve();
    });
    const res = await runInProcess(['visits', 'watch', '--date', DAY, '-o', 'board', '--max-polls', '4'], { env: envFor(sb), clock });
    expect(res.code).toBe(0);
    perPoll.push(sb.stats.requests - last);
    expect(perPoll).toEqual([3, 3, 3, 3]);
    expect(clock.waits.every((ms) => ms > 29_000 && ms <= 30_000)).toBe(true);
    expect((perPoll[0]! * 3600) / 30).toBe(360);
    // The board says so too, with the budget the server reported.
    expect(res.stdout).toContain('3 req/poll ≈ 360/h');
    expect(res.stdout).toMatch(/budget \d+ left, window resets in \d+ s/);
    expect(sb.stats.rateLimited).toBe(0);
  });

  it('keeps going through a failed poll, saying so on stderr', async () => {
    const sb = await useSandbox({ seed: 20, randomSeed: 'watch-flaky', seedDates: [DAY] });
    const target = sb.visits().find(open)!;
    const clock = betweenPolls(async (n) => {
      if (n === 1) sb.setOptions({ failRate: 1 });
      if (n === 2) {
        sb.setOptions({ failRate: 0 });
        await put(sb, target._id, { closed: 1 });
      }
    });
    const res = await runInProcess(['visits', 'watch', '--date', DAY, '--max-polls', '3', '--max-retries', '1'], { env: envFor(sb), clock });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/poll failed: GET \/visits: the server answered 5\d\d.*; trying again at \d\d:\d\d:\d\d/);
    expect(res.stderr).toMatch(/poll 3 succeeded again/);
    expect(res.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Event).change)).toEqual(['closed']);
  });

  it('stops with exit code 0 on Ctrl-C, and at once on a refused key', async () => {
    const sb = await useSandbox({ seed: 5, randomSeed: 'watch-stop', seedDates: [DAY] });
    const ctrlC = new AbortController();
    const clock = betweenPolls(async () => {
      ctrlC.abort(new Error('received SIGINT'));
      await Promise.resolve();
    });
    const res = await runInProcess(['visits', 'watch', '--date', DAY], { env: envFor(sb), clock, signal: ctrlC.signal });
    expect(res).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const refused = await runInProcess(['visits', 'watch', '--date', DAY], { env: { ...envFor(sb), LJIT_API_KEY: 'wrong-key' } });
    expect(refused.code).toBe(4);
  });

  it('refuses an interval under 2 s', async () => {
    const res = await runInProcess(['visits', 'watch', '--interval', '500ms']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('at least 2s');
  });
});

describe('visits watch, on a terminal (in process)', () => {
  it('draws the board in the alternate screen, marks changes, and gives the screen back', async () => {
    const sb = await useSandbox({ seed: 30, randomSeed: 'watch-board', seedDates: [DAY] });
    const target = sb.visits().find(open)!;
    const ctrlC = new AbortController();
    const clock = betweenPolls(async (n) => {
      if (n === 1) await put(sb, target._id, { skipped: 1, skippedReasonId: '5' });
      else ctrlC.abort(new Error('received SIGINT'));
    });
    const res = await runInProcess(['visits', 'watch', '--date', DAY], { env: { ...envFor(sb), NO_COLOR: '1' }, clock, signal: ctrlC.signal, stdoutTTY: true, stderrTTY: true, columns: 120 });
    expect(res.code).toBe(0);
    expect(res.stdout.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true);
    const leave = res.stdout.lastIndexOf('\x1b[?25h\x1b[?1049l');
    expect(leave).toBeGreaterThan(0);
    const finalFrame = res.stdout.slice(leave);
    expect(finalFrame).toMatch(new RegExp(`^• \\d\\d:\\d\\d:\\d\\d\\s+skipped\\s+${String(target.docNo)}\\s+.*reason 5$`, 'm'));
    expect(finalFrame).toMatch(new RegExp(`^• ${String(target.name)}\\s+${String(target.driverId)}`, 'm'));
    expect(res.stderr).toBe('');
  });
});
