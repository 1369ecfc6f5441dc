import { describe, expect, it } from 'vitest';
import { call, useSandbox, visitInput, type Json } from '../helpers/sandbox.js';

describe('PUT /visits/{_id}', () => {
  it('changes only the fields sent, coerces them to server form and stamps modifieddAt', async () => {
    let now = new Date(2020, 2, 9, 15, 48, 17).getTime();
    const sb = await useSandbox({ now: () => now });
    await call(sb, 'POST', '/visits', { body: [visitInput(sb, 10816703, { obs: 'old', priority: 2 }), visitInput(sb, 10816704)] });
    const before = sb.visits()[0] as Json;
    now += 3_600_000;
    const res = await call(sb, 'PUT', `/visits/${before._id as string}`, {
      body: { date: '2018-12-20', driverId: '12345', obs: 'No parking available', closed: '1', priority: '1', _id: 'XXXXXXXXXXXXXXXXX', createdAt: 'x', totalJobs: 99 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meta: { updatedRecords: 1 }, data: null });
    const after = sb.visits()[0] as Json;
    expect(after).toEqual({
      ...before,
      date: '2018-12-20',
      driverId: '12345',
      obs: 'No parking available',
      closed: true,
      priority: '1',
      modifieddAt: '2020-03-09 16:48:17',
      modifyUser: 'API',
    });
    // The list's date index follows the change.
    expect((await call(sb, 'GET', '/visits', { query: { date: '2018-12-20' } })).body.meta.totalRecords).toBe(1);
    expect((await call(sb, 'GET', '/visits', { query: { date: '2020-03-31' } })).body.meta.totalRecords).toBe(1);
  });

  it('answers 400 listing every problem and leaves the visit alone', async () => {
    const sb = await useSandbox();
    await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1), visitInput(sb, 2)] });
    const [one] = sb.visits() as [Json];
    const res = await call(sb, 'PUT', `/visits/${one._id as string}`, { body: { date: '2021-02-29', priority: 0, closed: 'maybe' } });
    expect(res.status).toBe(400);
    expect(res.body.meta.error).toBe(
      'invalid visit: date: must be a real calendar day as YYYY-MM-DD (got "2021-02-29"); priority: must be between 1 and 10 (got 0); closed: must be a flag: 0, 1, true, false, yes or no (got "maybe")',
    );
    const taken = await call(sb, 'PUT', `/visits/${one._id as string}`, { body: { id: 2 } });
    expect(taken.status).toBe(400);
    expect(taken.body.meta.error).toMatch(/id: 2 is already used by visit/);
    const list = await call(sb, 'PUT', `/visits/${one._id as string}`, { body: [{ obs: 'x' }] });
    expect(list.status).toBe(400);
    const foreign = await call(sb, 'PUT', `/visits/${one._id as string}`, { body: { companyId: 'LPeaJNaLQT6RqcFdt' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.meta.error).toContain(sb.companyIdFor('sandbox'));
    expect(sb.visits()[0]).toEqual(one);
  });

  it('answers 404 for an unknown _id', async () => {
    const sb = await useSandbox();
    const res = await call(sb, 'PUT', '/visits/yKQhJZ9B7PTT85kWc', { body: { obs: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ meta: { error: 'visit yKQhJZ9B7PTT85kWc not found' }, data: null });
  });
});

describe('DELETE /visits/{_id}', () => {
  it('deletes once, then answers 404 (ruling 11)', async () => {
    const sb = await useSandbox({ seed: 3 });
    const [first, second, third] = sb.visits() as [Json, Json, Json];
    const res = await call(sb, 'DELETE', `/visits/${second._id as string}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meta: { deletedRecords: 1 }, data: null });
    const again = await call(sb, 'DELETE', `/visits/${second._id as string}`);
    expect(again.status).toBe(404);
    expect(again.body.meta.error).toMatch(/not found/);
    expect((await call(sb, 'GET', `/visits/${second._id as string}`)).status).toBe(404);
    expect(sb.visits().map((v) => v._id)).toEqual([first._id, third._id]);
    // The ERP id is free again: posting it inserts a new visit.
    const re = await call(sb, 'POST', '/visits', { body: [visitInput(sb, second.id as number)] });
    expect(re.body.meta.recordsInserted).toBe(1);
  });
});
