import { describe, expect, it } from 'vitest';
import { call, listAll, useSandbox, type Json } from '../helpers/sandbox.js';

describe('GET /visits: pages', () => {
  it('serves 250 visits as three pages of at most 100 with exact meta, in a stable order', async () => {
    const sb = await useSandbox({ seed: 250, randomSeed: 1 });
    const metas: Json[] = [];
    const ids: string[] = [];
    for (const offset of [0, 100, 200, 250, 400]) {
      const res = await call(sb, 'GET', '/visits', { query: { pagination: offset } });
      expect(res.status).toBe(200);
      metas.push(res.body.meta);
      ids.push(...(res.body.data as Json[]).map((v) => v._id as string));
    }
    expect(metas).toEqual([
      { totalRecords: 250, returnedRecords: 100, remainingRecords: 150, nextStart: 100 },
      { totalRecords: 250, returnedRecords: 100, remainingRecords: 50, nextStart: 200 },
      { totalRecords: 250, returnedRecords: 50, remainingRecords: 0, nextStart: 250 },
      { totalRecords: 250, returnedRecords: 0, remainingRecords: 0, nextStart: 250 },
      { totalRecords: 250, returnedRecords: 0, remainingRecords: 0, nextStart: 400 },
    ]);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(sb.visits().map((v) => v._id));
  });

  it('starts at 0 without pagination and answers an empty list for a key with no visits', async () => {
    const sb = await useSandbox();
    const res = await call(sb, 'GET', '/visits/');
    expect(res.body).toEqual({ meta: { totalRecords: 0, returnedRecords: 0, remainingRecords: 0, nextStart: 0 }, data: [] });
  });
});

describe('GET /visits: filters', () => {
  const flag = (v: unknown) => (v === true ? 1 : 0);

  it('applies every filter of the reference, alone and combined, over all pages', async () => {
    const sb = await useSandbox({ seed: 250, randomSeed: 'filters' });
    const all = sb.visits();
    const some = all[17]!;
    const docPart = (some.docNo as string).slice(2, 6).toLowerCase();
    const cases: [Record<string, string | number>, (v: Json) => boolean][] = [
      [{ _id: some._id as string }, (v) => v._id === some._id],
      [{ id: some.id as number }, (v) => v.id === some.id],
      [{ date: '2020-03-31' }, (v) => v.date === '2020-03-31'],
      [{ driverId: some.driverId as string }, (v) => v.driverId === some.driverId],
      [{ docNo: docPart }, (v) => (v.docNo as string).toLowerCase().includes(docPart)],
      [{ docNo: (some.docNo as string).toLowerCase() }, (v) => v.docNo === some.docNo],
      [{ closed: 1 }, (v) => v.closed === true],
      [{ closed: 0 }, (v) => v.closed === false],
      [{ closed: 'true' }, (v) => v.closed === true],
      [{ confirmClose: 1 }, (v) => v.confirmClose === true],
      [{ inProgress: 1 }, (v) => v.inProgress === true],
      [{ skipped: 1 }, (v) => v.skipped === true],
      [{ skipped: 'false' }, (v) => v.skipped === false],
      [{ priority: 3 }, (v) => v.priority === '3'],
      [{ date: '2020-03-31', closed: 0, priority: 2 }, (v) => v.date === '2020-03-31' && flag(v.closed) === 0 && v.priority === '2'],
      [{ date: some.date as string, driverId: some.driverId as string }, (v) => v.date === some.date && v.driverId === some.driverId],
    ];
    for (const [query, predicate] of cases) {
      const expected = all.filter(predicate).map((v) => v._id);
      expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0);
      const got = (await listAll(sb, query)).map((v) => v._id as string);
      expect(got, JSON.stringify(query)).toEqual(expected);
    }
    // A filter that matches nothing is an empty page, not an error.
    expect((await call(sb, 'GET', '/visits', { query: { date: '1999-01-01' } })).body.meta.totalRecords).toBe(0);
    expect((await call(sb, 'GET', '/visits', { query: { _id: 'nope' } })).body.meta.totalRecords).toBe(0);
  });

  it('answers 400 naming the parameter for a bad filter value', async () => {
    const sb = await useSandbox({ seed: 3 });
    const bad: [string, string][] = [
      ['date', '2020-02-30'],
      ['date', '31/03/2020'],
      ['closed', '2'],
      ['skipped', 'maybe'],
      ['confirmClose', ''],
      ['inProgress', 'x'],
      ['priority', '11'],
      ['priority', 'high'],
      ['id', 'abc'],
      ['pagination', '-1'],
      ['pagination', 'ten'],
      ['driverId', ''],
    ];
    for (const [name, value] of bad) {
      const res = await call(sb, 'GET', '/visits', { query: { [name]: value } });
      expect(res.status, `${name}=${value}`).toBe(400);
      expect(res.body.meta.error).toContain(`invalid ${name}:`);
      expect(res.body.data).toBeNull();
    }
  });
});

describe('GET /visits/{_id}', () => {
  it('returns the record in data with an empty meta, and 404 with meta.error when absent', async () => {
    const sb = await useSandbox({ seed: 5, keys: ['a', 'b'] });
    const rec = sb.visits('a')[2]!;
    const res = await call(sb, 'GET', `/visits/${rec._id as string}`, { key: 'a' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meta: {}, data: rec });

    const missing = await call(sb, 'GET', '/visits/AAAAAAAAAAAAAAAAA', { key: 'a' });
    expect(missing.status).toBe(404);
    expect(missing.body.meta.error).toMatch(/AAAAAAAAAAAAAAAAA not found/);
    // Another company's visit does not exist for this key.
    expect((await call(sb, 'GET', `/visits/${rec._id as string}`, { key: 'b' })).status).toBe(404);
  });
});
