import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';
import { VisitStore } from '../../src/sandbox/store.js';
import { call, useSandbox, useTempDir, visitInput, type Json } from '../helpers/sandbox.js';

describe('--data persistence', () => {
  it('keeps every change across a restart, in NDJSON, without leaving temp files', async () => {
    const dir = useTempDir();
    const file = join(dir, 'nested', 'visits.ndjson');
    const first = await startSandbox({ dataFile: file, seed: 10, randomSeed: 1, keys: ['a', 'b'], rateLimit: null });
    const [one, two] = first.visits('a') as [Json, Json];
    await call(first, 'POST', '/visits', { key: 'a', body: [visitInput(first, 555, {}, 'a'), visitInput(first, one.id as number, { obs: 'changed' }, 'a')] });
    await call(first, 'PUT', `/visits/${two._id as string}`, { key: 'a', body: { priority: 9 } });
    await call(first, 'DELETE', `/visits/${first.visits('b')[0]!._id as string}`, { key: 'b' });
    const before = { a: first.visits('a'), b: first.visits('b') };
    await first.close();

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ ljitSandbox: 'visits', version: 1 });
    expect(lines).toHaveLength(1 + 11 + 9);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['visits.ndjson']);

    // No --seed this time: the data comes from the file alone, in the same order.
    const second = await useSandbox({ dataFile: file, keys: ['a', 'b'] });
    expect(second.visits('a')).toEqual(before.a);
    expect(second.visits('b')).toEqual(before.b);
    expect(second.visits('a')[0]!.obs).toBe('changed');
    expect((await call(second, 'GET', '/visits', { key: 'a', query: { id: 555 } })).body.meta.totalRecords).toBe(1);
  });

  it('seeds a company only when it has no visits, so a restart with --seed keeps the data', async () => {
    const file = join(useTempDir(), 'v.ndjson');
    const first = await startSandbox({ dataFile: file, seed: 5, randomSeed: 1 });
    await call(first, 'DELETE', `/visits/${first.visits()[0]!._id as string}`);
    await first.close();
    const second = await useSandbox({ dataFile: file, seed: 5, randomSeed: 1, keys: ['sandbox', 'newcomer'] });
    expect(second.visits()).toHaveLength(4);
    expect(second.visits('newcomer')).toHaveLength(5);
  });

  it('writes changes in the background, debounced, without waiting for close', async () => {
    const file = join(useTempDir(), 'v.ndjson');
    const sb = await useSandbox({ dataFile: file });
    await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1)] });
    const deadline = Date.now() + 3_000;
    let lines = 0;
    while (Date.now() < deadline && lines < 2) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        lines = readFileSync(file, 'utf8').trimEnd().split('\n').length;
      } catch {
        // not written yet
      }
    }
    expect(lines).toBe(2);
  });

  it('refuses to start on a corrupt data file, naming the line', async () => {
    const file = join(useTempDir(), 'v.ndjson');
    writeFileSync(file, '{"ljitSandbox":"visits","version":1}\n{"_id":"a","companyId":"c"}\n{"_id": oops\n');
    await expect(startSandbox({ dataFile: file })).rejects.toThrow(/line 3 is not valid JSON/);
  });
});

describe('store indexes', () => {
  it('keeps date, driver and ERP-id indexes right through replace and delete', async () => {
    const store = await VisitStore.open();
    const rec = (i: number, date: string, driverId: string) => ({ _id: `id${i}`, id: i, date, driverId, docNo: `H-${i}`, companyId: 'c', closed: i % 2 === 0, priority: String(i) });
    for (let i = 0; i < 6; i++) store.insert('c', rec(i, i % 2 ? '2020-03-31' : '2020-04-01', i < 3 ? 'd1' : 'd2'));
    const ids = (q: Parameters<VisitStore['query']>[1], offset = 0, limit = 100) => store.query('c', q, offset, limit).page.map((r) => r._id);
    expect(ids({ date: '2020-03-31' })).toEqual(['id1', 'id3', 'id5']);
    expect(ids({ date: '2020-03-31', driverId: 'd2' })).toEqual(['id3', 'id5']);
    store.replace('c', 'id0', { ...rec(0, '2020-03-31', 'd2'), id: 100 });
    expect(ids({ date: '2020-03-31' })).toEqual(['id0', 'id1', 'id3', 'id5']);
    expect(ids({ driverId: 'd2' })).toEqual(['id0', 'id3', 'id4', 'id5']);
    expect(store.getByErp('c', 0)).toBeUndefined();
    expect(store.getByErp('c', 100)?._id).toBe('id0');
    expect(store.delete('c', 'id3')).toBe(true);
    expect(store.delete('c', 'id3')).toBe(false);
    expect(ids({ date: '2020-03-31' }, 1, 2)).toEqual(['id1', 'id5']);
    expect(store.query('c', { date: '2020-03-31' }, 1, 2).total).toBe(3);
    expect(ids({ docNo: 'h-5' })).toEqual(['id5']);
    // Filters no index serves read columns kept in step with replace and delete.
    expect(ids({ flags: { closed: 1 } })).toEqual(['id0', 'id2', 'id4']);
    store.replace('c', 'id2', { ...rec(2, '2020-04-01', 'd1'), closed: 'no', priority: 7 });
    expect(ids({ flags: { closed: 1 } })).toEqual(['id0', 'id4']);
    expect(ids({ priority: 7 })).toEqual(['id2']);
    expect(ids({ priority: 7, flags: { closed: 0 } }, 0, 1)).toEqual(['id2']);
    expect(ids({ flags: { closed: 0 }, docNo: 'h-' })).toEqual(['id1', 'id2', 'id5']);
    expect(store.get('other', 'id1')).toBeUndefined();
  });
});
