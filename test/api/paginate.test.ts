import { describe, expect, it } from 'vitest';
import { paginate, PAGE_SIZE, type Page } from '../../src/api/paginate.js';
import type { Visit } from '../../src/api/schemas.js';

function store(n: number): Visit[] {
  return Array.from({ length: n }, (_, i) => ({ _id: `v${String(i).padStart(5, '0')}` }));
}

/** Serves pages of `data` like the API does, calling `before` ahead of answering each offset. */
function pager(data: Visit[], before?: (offset: number, call: number) => void) {
  const offsets: number[] = [];
  const fetchPage = async (offset: number): Promise<Page> => {
    offsets.push(offset);
    before?.(offset, offsets.length);
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    const records = data.slice(offset, offset + PAGE_SIZE);
    const remaining = Math.max(0, data.length - offset - records.length);
    return { offset, records, meta: { totalRecords: data.length, returnedRecords: records.length, remainingRecords: remaining, nextStart: offset + records.length } };
  };
  return { fetchPage, offsets };
}

async function collect(gen: AsyncGenerator<Visit, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for await (const v of gen) ids.push(v._id);
  return ids;
}

describe('paginate', () => {
  it('emits 2,350 records in order, none lost or repeated, with pages fetched ahead', async () => {
    const data = store(2350);
    const p = pager(data);
    const ids = await collect(paginate({ fetchPage: p.fetchPage, prefetch: 8 }));
    expect(ids).toEqual(data.map((v) => v._id));
    expect([...p.offsets].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i * 100));
  });

  it('requests exactly the pages needed for a total of 250', async () => {
    const p = pager(store(250));
    await collect(paginate({ fetchPage: p.fetchPage, prefetch: 8 }));
    expect([...p.offsets].sort((a, b) => a - b)).toEqual([0, 100, 200]);
  });

  it('stops at --limit without fetching pages beyond it', async () => {
    const p = pager(store(1000));
    const ids = await collect(paginate({ fetchPage: p.fetchPage, prefetch: 8, limit: 150 }));
    expect(ids).toHaveLength(150);
    expect([...p.offsets].sort((a, b) => a - b)).toEqual([0, 100]);
  });

  it('handles an empty list with one request', async () => {
    const p = pager([]);
    expect(await collect(paginate({ fetchPage: p.fetchPage, prefetch: 8 }))).toEqual([]);
    expect(p.offsets).toEqual([0]);
  });

  it('loses nothing when records before the current offset are removed while paging', async () => {
    const data = store(1000);
    const original = data.map((v) => v._id);
    const removed = new Set<string>();
    const moves: string[] = [];
    // Just before page 500 is answered, three early records are deleted: later records shift left by three.
    const p = pager(data, (offset) => {
      if (offset === 500 && removed.size === 0) for (const v of data.splice(10, 3)) removed.add(v._id);
    });
    const ids = await collect(paginate({ fetchPage: p.fetchPage, prefetch: 1, onMoved: (m) => moves.push(m) }));
    const expected = original.filter((id) => !removed.has(id) || original.indexOf(id) < 500);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of original) if (!removed.has(id)) expect(ids).toContain(id);
    expect(ids.filter((id) => !removed.has(id))).toEqual(expected.filter((id) => !removed.has(id)));
    expect(moves[0]).toContain('totalRecords 1000 -> 997');
  });

  it('repeats nothing when records are added while paging', async () => {
    const data = store(600);
    let n = 0;
    const p = pager(data, (offset) => {
      if (offset === 300 && n === 0) {
        n = 1;
        data.unshift({ _id: 'new-a' }, { _id: 'new-b' });
      }
    });
    const moves: string[] = [];
    const ids = await collect(paginate({ fetchPage: p.fetchPage, prefetch: 4, onMoved: (m) => moves.push(m) }));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 0; i < 600; i++) expect(ids).toContain(`v${String(i).padStart(5, '0')}`);
    expect(moves).toHaveLength(1);
  });
});
