import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { ljit, tempDir, writeFile } from './helpers.js';

const KEY = 'import-key';
const HEAD = 'id,driverId,date,docNo,customer,address,city,companyId,priority,lat,lng,time_windows,emailMandatory,obs';

async function setup() {
  const sb = await useSandbox({ keys: [KEY] });
  const dir = tempDir();
  const company = sb.companyIdFor(KEY);
  const row = (id: string, over: Partial<Record<string, string>> = {}): string => {
    const v: Record<string, string> = {
      id,
      driverId: 'D1',
      date: '2024-01-15',
      docNo: `DOC-${id}`,
      customer: 'Customer',
      address: 'Rua 1',
      city: 'Lisboa',
      companyId: company,
      priority: '3',
      lat: '38.7',
      lng: '-9.1',
      time_windows: '08:00-12:00',
      emailMandatory: '1',
      obs: 'note',
      ...over,
    };
    return HEAD.split(',').map((h) => v[h] ?? '').join(',');
  };
  return { sb, dir, company, row };
}

describe('validation before sending', () => {
  it('names every problem as FILE:LINE: column: message, counting quoted line breaks, and sends nothing (exit 6)', async () => {
    const { sb, dir, row } = await setup();
    const lines = [
      HEAD, // 1
      row('1', { obs: '"two\nline note"' }), // 2-3
      row('2', { date: '2024-02-30' }), // 4
      row('3', { docNo: '' }), // 5
      row('4', { priority: '11' }), // 6
      row('5', { lat: '91' }), // 7
      row('6', { lng: '-181' }), // 8
      row('7', { time_windows: '13:00-12:00' }), // 9
      row('8', { emailMandatory: 'maybe' }), // 10
      row('x9'), // 11
      row('1'), // 12: same ERP id as line 2
      row('10', { emailMandatory: 'TRUE', obs: '"a\r\nb\r\nc"' }), // 13-15 (valid)
      `${row('11')},extra`, // 16: one cell too many
      row('12', { time_windows: '8h-12h' }), // 17
      row('13', { date: '15/01/2024' }), // 18
      row('14', { priority: 'high' }), // 19
    ];
    const file = writeFile(dir, 'v.csv', `${lines.join('\n')}\n`);
    const r = await ljit(['visits', 'import', file], { sandbox: sb });
    expect(r.code).toBe(6);
    const err = r.stderr;
    expect(err).toContain(`${file}:4: date: must be a real calendar day as YYYY-MM-DD (got "2024-02-30")`);
    expect(err).toContain(`${file}:5: docNo: is required`);
    expect(err).toContain(`${file}:6: priority: must be between 1 and 10 (got 11)`);
    expect(err).toContain(`${file}:7: lat: must be between -90 and 90 (got 91)`);
    expect(err).toContain(`${file}:8: lng: must be between -180 and 180 (got -181)`);
    expect(err).toContain(`${file}:9: time_windows[0].latest: earliest must not be after latest`);
    expect(err).toContain(`${file}:10: emailMandatory: must be a flag: 0, 1, true, false, yes or no (got "maybe")`);
    expect(err).toContain(`${file}:11: id: must be a whole number (got "x9")`);
    expect(err).toContain(`${file}:2: id: duplicate ERP id 1: also on line 12`);
    expect(err).toContain(`${file}:12: id: duplicate ERP id 1: also on line 2`);
    expect(err).toContain(`${file}:16: has 15 cells, the header has 14`);
    expect(err).toContain(`${file}:17: time_windows: must be a list of time windows (got "8h-12h")`);
    expect(err).toContain(`${file}:18: date: must be a real calendar day`);
    expect(err).toContain(`${file}:19: priority: must be a whole number (got "high")`);
    expect(err).not.toContain(':13:');
    expect(err).toMatch(/ljit: 14 problems in 14 rows of .*v\.csv; nothing was sent/);
    // Problems print in line order.
    const order = [...err.matchAll(/v\.csv:(\d+):/g)].map((m) => Number(m[1]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(sb.stats.requests).toBe(0);
  });

  it('accepts every spelling of a flag and stores 0/1 as the server does', async () => {
    const { sb, dir, row } = await setup();
    const spellings = ['1', '0', 'true', 'false', 'yes', 'no', 'TRUE', 'No', ' yes '];
    const file = writeFile(dir, 'flags.csv', [HEAD, ...spellings.map((s, i) => row(String(i + 1), { emailMandatory: s.includes(' ') ? `"${s}"` : s }))].join('\n'));
    const r = await ljit(['visits', 'import', file], { sandbox: sb, key: KEY });
    expect(r.stderr).toContain('inserted        9');
    expect(r.code).toBe(0);
    const stored = new Map(sb.visits(KEY).map((v) => [Number(v.id), v.emailMandatory]));
    expect(spellings.map((_, i) => stored.get(i + 1))).toEqual([true, false, true, false, true, false, true, false, true]);
  });

  it('caps the printed list at --max-errors with "... and N more", and --rejects gets every invalid row', async () => {
    const { sb, dir, row } = await setup();
    const rows = Array.from({ length: 80 }, (_, i) => row(String(i + 1), { priority: '0' }));
    const file = writeFile(dir, 'many.csv', [HEAD, ...rows].join('\n'));
    const rejects = `${dir}/rejects.csv`;
    const r = await ljit(['visits', 'import', file, '--rejects', rejects], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr.match(/many\.csv:\d+: priority/g)).toHaveLength(50);
    expect(r.stderr).toContain(`... and 30 more (every invalid row is in ${rejects}, with its error)`);
    const out = readFileSync(rejects, 'utf8').trim().split('\r\n');
    expect(out).toHaveLength(81);
    expect(out[0]).toBe(`${HEAD},error`);
    expect(out[80]).toContain(',priority: must be between 1 and 10 (got 0)');
  });

  it('header problems: two columns for one field, unknown columns, missing required ones', async () => {
    const { sb, dir, company } = await setup();
    const dup = writeFile(dir, 'dup.csv', `id,Doc No,doc_no,driverId,date,customer,address,city,companyId\n1,A,B,D,2024-01-01,C,A,L,${company}\n`);
    let r = await ljit(['visits', 'import', dup], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${dup}:1: header: columns "Doc No" (column 2) and "doc_no" (column 3) both map to docNo`);

    const unknown = writeFile(dir, 'unknown.csv', `id,docNo,driverId,date,customer,address,city,companyId,Colour,Size\n1,A,D,2024-01-01,C,A,L,${company},red,9\n`);
    r = await ljit(['visits', 'import', unknown], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${unknown}:1: header: unknown columns "Colour", "Size"`);
    r = await ljit(['visits', 'import', unknown, '--ignore-unknown'], { sandbox: sb, key: KEY });
    expect(r.code).toBe(0);

    const missing = writeFile(dir, 'missing.csv', `id,docNo,driverId,date\n1,A,D,2024-01-01\n`);
    r = await ljit(['visits', 'import', missing], { sandbox: sb });
    expect(r.stderr).toContain(`${missing}:1: header: missing required columns: customer, address, city, companyId (companyId can also come from --company-id)`);
    expect(sb.stats.requests).toBe(1);
  });

  it('matches headers loosely, takes --map for other names and --company-id, and ignores server-only columns', async () => {
    const { sb, dir, company } = await setup();
    const file = writeFile(dir, 'erp.csv', `_id,Doc No,ERP Number,Driver ID,DATE,Customer,Address,City,Time Windows,createdAt,Notes\nxyz,D-1,7,D,2024-01-01,C,A,L,08:00-09:30,2024-01-01 10:00,ignored\n`);
    const r = await ljit(['visits', 'import', file, '--map', 'ERP Number=id,Notes=', '--company-id', company], { sandbox: sb, key: KEY });
    expect(r.stderr, r.stderr).not.toContain('unknown');
    expect(r.code, r.stderr).toBe(0);
    const [v] = sb.visits(KEY);
    expect(v).toMatchObject({ id: 7, docNo: 'D-1', driverId: 'D', time_windows: [{ earliest: 28800, latest: 34200 }], companyId: company });
    expect(v?._id).not.toBe('xyz');
  });

  it('asks for --encoding windows-1252 when the file is not UTF-8, and decodes it when given', async () => {
    const { sb, dir, company } = await setup();
    const text = `id;docNo;driverId;date;customer;address;city;companyId\r\n1;D1;D;2024-01-01;Café São João € 5;Rua;Évora;${company}\r\n`;
    const file = writeFile(dir, 'cp1252.csv', iconv.encode(text, 'windows-1252'));
    let r = await ljit(['visits', 'import', file], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${file}:2: the file is not UTF-8`);
    expect(r.stderr).toContain('--encoding windows-1252');
    r = await ljit(['visits', 'import', file, '--encoding', 'windows-1252'], { sandbox: sb, key: KEY });
    expect(r.code).toBe(0);
    expect(sb.visits(KEY)[0]).toMatchObject({ customer: 'Café São João € 5', city: 'Évora' });
  });

  it('refuses to guess the delimiter when two candidates split the header evenly', async () => {
    const { sb, dir } = await setup();
    const file = writeFile(dir, 'amb.csv', 'id;docNo,driverId;date,customer;address,city;companyId\n1;a,b;c,d;e,f;g\n');
    const r = await ljit(['visits', 'import', file], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('cannot tell the delimiter: comma and semicolon');
    expect(r.stderr).toContain('--delimiter');
  });

  it('stops at the line where an unclosed quote starts, without reading the whole file into one cell', async () => {
    const { sb, dir, row } = await setup();
    const rows = [HEAD, row('1'), row('2'), row('3', { obs: '"never closed' }), ...Array.from({ length: 30_000 }, (_, i) => row(String(i + 4)))];
    const file = writeFile(dir, 'quote.csv', rows.join('\n'));
    const r = await ljit(['visits', 'import', file], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${file}:4: the row starting here is longer than 1 MiB: most likely a quote that is never closed`);
  });

  it('--skip-invalid sends the valid rows, writes the invalid ones to --rejects and exits 3', async () => {
    const { sb, dir, row } = await setup();
    const file = writeFile(dir, 'mixed.csv', [HEAD, row('1'), row('2', { date: '2024-13-01' }), row('3'), row('4', { lat: 'north' })].join('\n'));
    const rejects = `${dir}/rej.csv`;
    const report = `${dir}/report.csv`;
    const r = await ljit(['visits', 'import', file, '--skip-invalid', '--rejects', rejects, '--report', report], { sandbox: sb, key: KEY });
    expect(r.code).toBe(3);
    expect(sb.visits(KEY).map((v) => v.id)).toEqual([1, 3]);
    expect(parse(readFileSync(report, 'utf8'))).toEqual([
      ['line', 'id', 'outcome', 'message'],
      ['2', '1', 'inserted', ''],
      ['3', '2', 'invalid', 'date: must be a real calendar day as YYYY-MM-DD (got "2024-13-01")'],
      ['4', '3', 'inserted', ''],
      ['5', '4', 'invalid', 'lat: must be a number (got "north")'],
    ]);
    const rej = readFileSync(rejects, 'utf8').split('\r\n');
    expect(rej[0]).toBe(`${HEAD},error`);
    expect(rej).toHaveLength(4);
  });

  it('--last-wins keeps the last row of a repeated ERP id', async () => {
    const { sb, dir, row } = await setup();
    const file = writeFile(dir, 'dups.csv', [HEAD, row('1', { customer: 'first' }), row('2'), row('1', { customer: 'last' })].join('\n'));
    const r = await ljit(['visits', 'import', file, '--last-wins'], { sandbox: sb, key: KEY });
    expect(r.code).toBe(0);
    expect(sb.visits(KEY).find((v) => v.id === 1)?.customer).toBe('last');
    expect(r.stderr).toContain('superseded      1');
  });

  it('JSON and NDJSON inputs report the line where each element starts', async () => {
    const { sb, dir, company } = await setup();
    const ok = { id: 1, driverId: 'D', date: '2024-01-01', docNo: 'A', customer: 'C', address: 'A', city: 'L', companyId: company };
    const json = writeFile(dir, 'v.json', `[\n  ${JSON.stringify(ok)},\n  {\n    "id": 2,\n    "date": "2024-02-31"\n  }\n]\n`);
    let r = await ljit(['visits', 'import', json], { sandbox: sb });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${json}:3: date: must be a real calendar day`);
    expect(r.stderr).toContain(`${json}:3: docNo: is required`);
    const nd = writeFile(dir, 'v.ndjson', `${JSON.stringify(ok)}\n\n{"id": 2, oops}\n${JSON.stringify({ ...ok, id: 3, colour: 'red' })}\n`);
    r = await ljit(['visits', 'import', nd], { sandbox: sb });
    expect(r.stderr).toContain(`${nd}:3: not valid JSON`);
    expect(r.stderr).toContain(`${nd}:4: unknown field "colour"`);
  });
});
