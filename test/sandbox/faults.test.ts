import { describe, expect, it } from 'vitest';
import { planFaults } from '../../src/sandbox/faults.js';
import { mulberry32 } from '../../src/sandbox/random.js';
import { call, useSandbox, visitInput } from '../helpers/sandbox.js';

describe('fault injection', () => {
  it('fail-rate 1 answers every request 500 or 503 without processing it', async () => {
    const sb = await useSandbox({ failRate: 1, randomSeed: 'fail' });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const res = await call(sb, 'POST', '/visits', { body: [visitInput(sb, i)] });
      statuses.add(res.status);
      expect(res.body.meta.error).toMatch(/simulated/);
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    expect(sb.visits()).toHaveLength(0);
    expect(sb.stats.failed).toBe(12);
    sb.setOptions({ failRate: 0 });
    expect((await call(sb, 'GET', '/visits')).status).toBe(200);
  });

  it('drop-rate 1 cuts the response off after the headers, yet a POST is written', async () => {
    const sb = await useSandbox({ dropRate: 1 });
    const post = fetch(`${sb.url}/visits`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sandbox', 'Content-Type': 'application/json' },
      body: JSON.stringify([visitInput(sb, 42)]),
    }).then((r) => r.text());
    await expect(post).rejects.toThrow();
    expect(sb.visits().map((v) => v.id)).toEqual([42]);
    await expect(call(sb, 'GET', '/visits')).rejects.toThrow();
    expect(sb.stats.dropped).toBe(2);
    sb.setOptions({ dropRate: 0 });
    expect((await call(sb, 'GET', '/visits')).body.meta.totalRecords).toBe(1);
  });

  it('latency delays every answer by at least that long', async () => {
    const sb = await useSandbox({ latencyMs: 150, jitterMs: 50 });
    const started = performance.now();
    expect((await call(sb, 'GET', '/visits')).status).toBe(200);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('repeats the same faults for the same random seed', async () => {
    const run = async () => {
      const sb = await useSandbox({ failRate: 0.5, randomSeed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call(sb, 'GET', '/visits')).status);
      return statuses;
    };
    const first = await run();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run()).toEqual(first);
  });

  it('plans delays within latency + jitter and draws the same amount whatever the settings', () => {
    const settings = { latencyMs: 100, jitterMs: 40, failRate: 0, dropRate: 0 };
    const rng = mulberry32(1);
    for (let i = 0; i < 200; i++) {
      const plan = planFaults(settings, rng);
      expect(plan.kind).toBe('none');
      expect(plan.delayMs).toBeGreaterThanOrEqual(100);
      expect(plan.delayMs).toBeLessThanOrEqual(140);
    }
    const a = mulberry32(9);
    const b = mulberry32(9);
    planFaults({ ...settings, failRate: 1 }, a);
    planFaults(settings, b);
    expect(a()).toBe(b());
  });
});
