import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ljit, makeVisits, tempDir, visitsCsv, writeFile } from './helpers.js';

/**
 * A purpose-built POST /visits that behaves like the real service may (api-notes.md ruling 6): errors[]
 * carries a code and a message and names no row. Stores by ERP id, so re-sent halves are upserts.
 */
interface Tiny {
  url: string;
  posts: number[];
  store: Map<number, Record<string, unknown>>;
}

async function tinyServer(o: { refuse: (v: Record<string, unknown>) => boolean; mode: 'errors' | 'status-400'; countsOff?: boolean }): Promise<Tiny> {
  const store = new Map<number, Record<string, unknown>>();
  const posts: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.method !== 'POST') return reply(405, { meta: { error: 'POST only' }, data: null });
      const visits = JSON.parse(body) as Record<string, unknown>[];
      posts.push(visits.length);
      if (o.mode === 'status-400' && visits.some(o.refuse)) return reply(400, { meta: { error: 'invalid visit in batch' }, data: null });
      let recordsInserted = 0;
      let recordsUpdated = 0;
      const errors: { error: number; message: string }[] = [];
      for (const v of visits) {
        if (o.refuse(v)) {
          errors.push({ error: 400, message: 'customer is on the blocked list' });
          continue;
        }
        if (store.has(Number(v.id))) recordsUpdated += 1;
        else recordsInserted += 1;
        store.set(Number(v.id), v);
      }
      reply(200, { meta: { recordsInserted: recordsInserted + (o.countsOff ? 1 : 0), recordsUpdated, errors }, data: null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`, posts, store };
}

const BLOCKED = new Set([100_038, 100_071, 100_072]);

describe('finding the rows a batch refused when the server does not name them', () => {
  it('one bad row in a batch of 100 is found alone by re-sending halves (≤ 14 extra requests)', async () => {
    const tiny = await tinyServer({ refuse: (v) => v.id === 100_038, mode: 'errors' });
    const dir = tempDir();
    const visits = makeVisits(100, 'Company');
    const report = join(dir, 'report.csv');
    const r = await ljit(['visits', 'import', writeFile(dir, 'v.csv', visitsCsv(visits)), '--report', report, '-o', 'json'], { sandbox: tiny });
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ inserted: 99, updated: 0, failed: 1, unverifiedBatches: 0 });
    expect(tiny.posts[0]).toBe(100);
    expect(tiny.posts.length - 1).toBeLessThanOrEqual(14);
    expect(tiny.posts).toContain(1);
    const failed = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true }).filter((l) => l.outcome === 'failed');
    expect(failed.map((f) => f.id)).toEqual(['100038']);
    expect(failed[0]?.message).toBe('customer is on the blocked list');
    expect(tiny.store.size).toBe(99);
  });

  it('three bad rows, and a server that refuses the whole batch with a 400: exactly those rows fail', async () => {
    for (const mode of ['errors', 'status-400'] as const) {
      const tiny = await tinyServer({ refuse: (v) => BLOCKED.has(Number(v.id)), mode });
      const dir = tempDir();
      const report = join(dir, 'report.csv');
      const r = await ljit(['visits', 'import', writeFile(dir, 'v.csv', visitsCsv(makeVisits(100, 'Company'))), '--report', report, '-o', 'json'], { sandbox: tiny });
      expect(r.code).toBe(3);
      const failed = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true }).filter((l) => l.outcome === 'failed');
      expect(failed.map((f) => Number(f.id)).sort()).toEqual([...BLOCKED].sort());
      expect(tiny.posts.length - 1).toBeLessThanOrEqual(42);
      expect(tiny.store.size).toBe(97);
      // Counted once: a refused body stored nothing, so the halves' counts are the batch's.
      expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 97, failed: 3 });
    }
  });

  it('marks a batch whose counts do not add up as unverified', async () => {
    const tiny = await tinyServer({ refuse: () => false, mode: 'errors', countsOff: true });
    const dir = tempDir();
    const report = join(dir, 'report.csv');
    const r = await ljit(['visits', 'import', writeFile(dir, 'v.csv', visitsCsv(makeVisits(10, 'Company'))), '--report', report, '-o', 'json'], { sandbox: tiny });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ unverifiedBatches: 1 });
    expect(r.stderr).toContain('unverified      1 batch whose counts do not add up');
    const lines = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true });
    expect(lines[0]).toMatchObject({ outcome: 'ok', message: 'batch 1: 11 inserted, 0 updated (the counts do not add up: unverified)' });
  });
});
