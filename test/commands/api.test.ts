import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { typedValue } from '../../src/commands/api/fields.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { runCli, runInProcess } from '../helpers/cli.js';
import { useSandbox, useTempDir, visitInput } from '../helpers/sandbox.js';

const envFor = (sb: Sandbox) => ({ LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! });
type V = Record<string, unknown>;

describe('ljit api', () => {
  it('GETs a list page as the whole envelope, fields as query parameters', async () => {
    const sb = await useSandbox({ seed: 150, randomSeed: 'api-get' });
    const res = await runInProcess(['api', 'GET', 'visits', '-F', 'date=2020-03-31', '-F', 'closed=0'], { env: envFor(sb) });
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const body = JSON.parse(res.stdout) as { meta: V; data: V[] };
    const expected = sb.visits().filter((v) => v.date === '2020-03-31' && v.closed === false);
    expect(body.meta).toMatchObject({ totalRecords: expected.length, remainingRecords: 0 });
    expect(body.data).toEqual(expected);

    const one = await runInProcess(['api', 'get', `/visits/${String(expected[0]!._id)}`], { env: envFor(sb) });
    expect(JSON.parse(one.stdout)).toMatchObject({ data: expected[0] });
    // The path as the reference prints it works too.
    const full = await runInProcess(['api', 'GET', '/api/v2/visits', '-F', 'docNo=' + String(expected[0]!.docNo), '--fields', 'meta.totalRecords'], { env: envFor(sb) });
    expect(JSON.parse(full.stdout)).toEqual({ meta: { totalRecords: 1 } });
  });

  it('follows nextStart with --paginate and prints records as json, ndjson or csv', async () => {
    const sb = await useSandbox({ seed: 250, randomSeed: 'api-pages' });
    const all = sb.visits();
    const json = await runInProcess(['api', 'GET', 'visits', '--paginate'], { env: envFor(sb) });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(all);
    expect(sb.stats.requests).toBe(3);

    const ndjson = await runInProcess(['api', 'GET', 'visits', '--paginate', '-F', 'pagination=200', '-o', 'ndjson'], { env: envFor(sb) });
    expect(ndjson.stdout.trim().split('\n').map((l) => (JSON.parse(l) as V)._id)).toEqual(all.slice(200).map((v) => v._id));

    const csv = await runInProcess(['api', 'GET', 'visits', '--paginate', '-o', 'csv', '--fields', '_id,docNo'], { env: envFor(sb) });
    expect(parse(csv.stdout, { columns: true })).toEqual(all.map((v) => ({ _id: v._id, docNo: v.docNo })));

    const single = await runInProcess(['api', 'GET', `visits/${String(all[0]!._id)}`, '--paginate'], { env: envFor(sb) });
    expect(JSON.parse(single.stdout)).toEqual([all[0]]); // a single record is a list of one
  });

  it('POSTs a JSON body from a file or stdin', async () => {
    const sb = await useSandbox();
    const dir = useTempDir();
    const file = join(dir, 'visits.json');
    writeFileSync(file, JSON.stringify([visitInput(sb, 1), visitInput(sb, 2)]));
    const res = await runInProcess(['api', 'POST', 'visits', '--input', file], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ meta: { recordsInserted: 2, recordsUpdated: 0 }, data: null });
    const stdin = await runInProcess(['api', 'POST', 'visits', '--input', '-', '-o', 'table'], { env: envFor(sb), stdin: JSON.stringify([visitInput(sb, 2, { customer: 'Red Lion' })]) });
    expect(stdin.stdout.split('\n')[1]).toMatch(/^0\t1\t/); // table of the meta counts, piped
    expect(sb.visits().map((v) => [v.id, v.customer])).toEqual([
      [1, 'The Green Sleeve'],
      [2, 'Red Lion'],
    ]);
  });

  it('PUTs typed fields as a JSON body, reading @file values', async () => {
    const sb = await useSandbox({ seed: 3, randomSeed: 'api-put' });
    const dir = useTempDir();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'Gate code 1234\nRing twice');
    const target = sb.visits()[0]!;
    const res = await runInProcess(
      ['api', 'PUT', `visits/${String(target._id)}`, '-F', 'closed=true', '-F', 'priority=2', '-F', `obs=@${notes}`, '-F', 'required_skills[]=Electrical', '-F', 'required_skills[]=Refrigeration', '-f', 'contactPhone=0123'],
      { env: envFor(sb) },
    );
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ meta: { updatedRecords: 1 }, data: null });
    const after = sb.visits()[0]!;
    expect(after).toMatchObject({ closed: true, obs: 'Gate code 1234\nRing twice', required_skills: ['Electrical', 'Refrigeration'], contactPhone: '0123' });
    expect(Number(after.priority)).toBe(2);
  });

  it('DELETEs, then exits 5 for the visit that is gone', async () => {
    const sb = await useSandbox({ seed: 2, randomSeed: 'api-delete' });
    const id = String(sb.visits()[0]!._id);
    const res = await runInProcess(['api', 'DELETE', `visits/${id}`], { env: envFor(sb) });
    expect(JSON.parse(res.stdout)).toEqual({ meta: { deletedRecords: 1 }, data: null });
    expect(sb.visits()).toHaveLength(1);
    const again = await runInProcess(['api', 'DELETE', `visits/${id}`], { env: envFor(sb) });
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('not found');
  });

  it('prints the status and rate headers to stderr with -i, never the key', async () => {
    const sb = await useSandbox({ seed: 1, randomSeed: 'api-include', rateLimit: { limit: 100, windowMs: 10_000 } });
    const res = await runCli(['api', 'GET', 'visits', '-i', '--verbose'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^HTTP 200\nX-RateLimit-Remaining: \d+\nX-Rate-Limit-Reset: \d+$/m);
    expect(res.stderr + res.stdout).not.toContain(sb.keys[0]!);
    expect(JSON.parse(res.stdout)).toMatchObject({ meta: { totalRecords: 1 } });
  });

  it.each([
    [['api', 'FETCH', 'visits'], 2, 'unknown method'],
    [['api', 'GET', 'https://evil.example/visits'], 2, 'is a URL'],
    [['api', 'POST', 'visits', '--paginate'], 2, '--paginate'],
    [['api', 'GET', 'visits', '--input', '-'], 2, '--input sends a body'],
    [['api', 'POST', 'visits', '--input', '-'], 6, 'stdin is not valid JSON'],
    [['api', 'PUT', 'visits/x', '-F', 'nokey'], 2, 'expected key=value'],
    [['api', 'PUT', 'visits/x', '-F', 'obs=@/nonexistent/file'], 6, 'cannot read /nonexistent/file'],
  ])('refuses %j before sending anything', async (argv, code, message) => {
    const sb = await useSandbox();
    const res = await runInProcess(argv, { env: envFor(sb), stdin: '{"broken": ' });
    expect(res.code).toBe(code);
    expect(res.stderr).toContain(message);
    expect(sb.stats.requests).toBe(0);
  });

  it('types only values that read back the same', () => {
    expect(['true', 'false', 'null', '42', '-1.5', '0', '007', '1e3', '12345678901234567890', '2020-03-31', ''].map(typedValue)).toEqual([
      true, false, null, 42, -1.5, 0, '007', '1e3', '12345678901234567890', '2020-03-31', '',
    ]);
  });
});
