import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SERVER_FIELDS } from '../../src/api/schemas.js';
import { useSandbox } from '../helpers/sandbox.js';
import { CSV_COLUMNS, dirsIn, expectStoreEquals, ljit, makeVisits, tempDir, visitsCsv, writeFile } from './helpers.js';

const KEY = 'import-key';
const clean = { missing: [], duplicated: [], different: [] };

function withoutServerFields(records: Record<string, unknown>[]): Record<string, unknown>[] {
  const server = new Set<string>([...SERVER_FIELDS, 'companyId']);
  return records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !server.has(k))));
}

describe('visits import against the sandbox', () => {
  it('imports 5,000 rows and the store matches the input field by field', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const visits = makeVisits(5000, sb.companyIdFor(KEY));
    const file = writeFile(dir, 'visits.csv', visitsCsv(visits));
    const report = join(dir, 'report.csv');
    // The sandbox runs without a limit here; the client-side budget is exercised by the fault test below.
    const r = await ljit(['--rate-limit', 'off', 'visits', 'import', file, '--report', report, '-o', 'json'], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ rowsRead: 5000, valid: 5000, inserted: 5000, updated: 0, failed: 0, batches: 50, requests: 50 });
    expect(expectStoreEquals(sb.visits(KEY), visits)).toEqual(clean);
    const lines = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true });
    expect(lines).toHaveLength(5000);
    expect(new Set(lines.map((l) => l.outcome))).toEqual(new Set(['inserted']));
    // Line numbers count the quoted line breaks of earlier rows.
    expect(lines[2]).toMatchObject({ id: '100003', line: '4' });
    expect(lines[3]).toMatchObject({ id: '100004', line: '6' });

    // Run again: every row is an update, nothing duplicated.
    const again = await ljit(['--rate-limit', 'off', 'visits', 'import', file, '-o', 'json'], { sandbox: sb, key: KEY });
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 5000 });
    expect(sb.visits(KEY)).toHaveLength(5000);
  });

  it('an Excel export (BOM, semicolons, CRLF, quoted line breaks, accents) imports exactly like plain CSV', async () => {
    const sb = await useSandbox({ keys: ['excel', 'plain'] });
    const dir = tempDir();
    const columns = CSV_COLUMNS.filter((c) => c !== 'companyId');
    const visits = makeVisits(300, 'unused').map(({ companyId: _c, ...v }) => v);
    const excel = writeFile(dir, 'excel.csv', visitsCsv(visits, { delimiter: ';', bom: true, crlf: true, columns, headers: columns.map((c) => (c === 'docNo' ? 'Doc No' : c === 'time_windows' ? 'Time Windows' : c)) }));
    const plain = writeFile(dir, 'plain.csv', visitsCsv(visits, { columns }));
    expect(readFileSync(excel).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const a = await ljit(['visits', 'import', excel, '--company-id', sb.companyIdFor('excel')], { sandbox: sb, key: 'excel' });
    const b = await ljit(['visits', 'import', plain, '--company-id', sb.companyIdFor('plain')], { sandbox: sb, key: 'plain' });
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(withoutServerFields(sb.visits('excel'))).toEqual(withoutServerFields(sb.visits('plain')));
    expect(sb.visits('excel').find((v) => v.id === 100_007)?.customer).toBe('Café "O Zé", Lda');
    expect(sb.visits('excel').find((v) => v.id === 100_005)?.obs).toBe('Ligar antes.\r\nCódigo: 5');
  });

  it('export → import into an empty sandbox gives the same records, and the unchanged export plans as all unchanged', async () => {
    const source = await useSandbox({ keys: [KEY], seed: 400, randomSeed: 'export-test' });
    const target = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const exported = await ljit(['visits', 'list', '-o', 'csv'], { sandbox: source, key: KEY });
    expect(exported.code, exported.stderr).toBe(0);
    const file = writeFile(dir, 'export.csv', exported.stdout);

    const dry = await ljit(['visits', 'import', file, '--dry-run', '-o', 'json'], { sandbox: source, key: KEY });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).plan).toMatchObject({ insert: 0, update: 0, unchanged: 400 });

    const r = await ljit(['visits', 'import', file], { sandbox: target, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    // Fields only the server writes are not exported; an empty cell leaves a field out (''/null/absent alike).
    const server = new Set<string>(SERVER_FIELDS);
    const key = (v: Record<string, unknown>) => Number(v.id);
    const fields = (records: Record<string, unknown>[]) =>
      records
        .map((v) => Object.fromEntries(Object.entries(v).filter(([k, x]) => !server.has(k) && !['createdUser', 'modifyUser'].includes(k) && x !== '' && x !== null)))
        .sort((x, y) => key(x) - key(y));
    expect(fields(target.visits(KEY))).toEqual(fields(source.visits(KEY)));
  });

  it('--dry-run shows inserts, updates with the fields that change, and unchanged rows; sends nothing', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const visits = makeVisits(20, sb.companyIdFor(KEY));
    await ljit(['visits', 'import', writeFile(dir, 'first.csv', visitsCsv(visits.slice(0, 15)))], { sandbox: sb, key: KEY });
    const edited = visits.map((v, i) => (i === 2 ? { ...v, priority: 9, obs: 'changed' } : i === 4 ? { ...v, emailMandatory: 1 - Number(v.emailMandatory) } : v));
    const file = writeFile(dir, 'second.csv', visitsCsv(edited));
    const before = sb.stats.requests;
    const r = await ljit(['visits', 'import', file, '--dry-run'], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/would insert\s+5\n/);
    expect(r.stderr).toMatch(/would update\s+2\n/);
    expect(r.stderr).toMatch(/unchanged\s+13\n/);
    expect(r.stderr).toContain('line 4, id 100003: obs "note 3" → "changed", priority "4" → "9"');
    expect(r.stderr).toContain('emailMandatory "1" → "0"');
    // 20 rows, one page of company: the whole company is listed once (1 request) plus the 2 shown updates.
    expect(sb.stats.requests - before).toBe(3);
    expect(r.stderr).toContain('listing the company');
    expect(sb.visits(KEY)).toHaveLength(15);
  });

  it('the rejects file imports again once fixed', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const visits = makeVisits(30, sb.companyIdFor(KEY));
    const broken = visits.map((v, i) => (i % 10 === 3 ? { ...v, date: '2024-02-30' } : i === 7 ? { ...v, phone: 'x', priority: 0 } : v));
    const file = writeFile(dir, 'visits.csv', visitsCsv(broken));
    const rejects = join(dir, 'rejects.csv');
    const r = await ljit(['visits', 'import', file, '--skip-invalid', '--rejects', rejects], { sandbox: sb, key: KEY });
    expect(r.code).toBe(3);
    expect(sb.visits(KEY)).toHaveLength(26);
    const text = readFileSync(rejects, 'utf8');
    const rows = parse(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS, 'error']);
    expect(rows).toHaveLength(5);
    // A phone number starting with + is escaped for spreadsheets, and the importer reads it back.
    expect(text).toContain("'+351 912 345 678");
    const fixed = text.replace(/2024-02-30/g, '2024-02-28').replace(/,0,(38\.\d+)/, ',5,$1');
    writeFileSync(rejects, fixed);
    const again = await ljit(['visits', 'import', rejects], { sandbox: sb, key: KEY });
    expect(again.code, again.stderr).toBe(0);
    expect(sb.visits(KEY)).toHaveLength(30);
    expect(sb.visits(KEY).find((v) => v.id === 100_006)?.contactPhone).toBe('+351 912 345 678');
  });

  it('a row only the server refuses is reported with its line (the sandbox names it by index): exit 3', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const visits = makeVisits(100, sb.companyIdFor(KEY)).map((v, i) => (i === 41 ? { ...v, companyId: 'SomeoneElsesCompany' } : v));
    const file = writeFile(dir, 'visits.csv', visitsCsv(visits));
    const report = join(dir, 'report.csv');
    const r = await ljit(['visits', 'import', file, '--report', report, '-o', 'json'], { sandbox: sb, key: KEY });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 99, failed: 1, requests: 1 });
    const failed = parse<Record<string, string>>(readFileSync(report, 'utf8'), { columns: true }).filter((l) => l.outcome === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.id).toBe('100042');
    expect(failed[0]?.message).toContain('does not belong to this API key');
    // Without --report too, stderr names the row, its line and the server's reason.
    const bare = await ljit(['visits', 'import', file], { sandbox: sb, key: KEY });
    expect(bare.code).toBe(3);
    expect(bare.stderr).toContain(`${file}:${failed[0]?.line ?? '?'}: id 100042: visit 100042 (index 41): companyId "SomeoneElsesCompany" does not belong to this API key`);
  });

  it('10% 503s, 5% dropped connections and a 20/10 s limit still end with the store equal to the input, no duplicates', async () => {
    const sb = await useSandbox({ keys: [KEY], failRate: 0.1, dropRate: 0.05, rateLimit: { limit: 20, windowMs: 10_000 }, randomSeed: 'faults' });
    const dir = tempDir();
    const visits = makeVisits(240, sb.companyIdFor(KEY));
    const file = writeFile(dir, 'visits.csv', visitsCsv(visits));
    const r = await ljit(['visits', 'import', file, '--batch-size', '12', '-o', 'json'], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.failed).toBe(0);
    expect(summary.retries).toBeGreaterThan(0);
    expect(sb.stats.failed + sb.stats.dropped).toBeGreaterThan(0);
    expect(expectStoreEquals(sb.visits(KEY), visits)).toEqual(clean);
    expect(sb.visits(KEY)).toHaveLength(240);
  }, 45_000);

  it('reads lines from a second file keyed by the visit id, and from stdin', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const company = sb.companyIdFor(KEY);
    const visitsFile = writeFile(dir, 'v.csv', `id,docNo,driverId,date,customer,address,city\n1,A,D,2024-01-01,C,A,L\n2,B,D,2024-01-01,C,A,L\n`);
    const linesFile = writeFile(dir, 'lines.csv', `Visit ID;Action Item;Description;Qty\n1;yes;Boiler service;1\n1;no;Filter;2\n2;1;Check;\n`);
    const r = await ljit(['visits', 'import', visitsFile, '--lines', linesFile, '--company-id', company], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    const v1 = sb.visits(KEY).find((v) => v.id === 1);
    expect(v1?.lines).toEqual([
      { actionItem: true, description: 'Boiler service', qty: 1 },
      { actionItem: false, description: 'Filter', qty: 2 },
    ]);
    expect(v1?.totalJobs).toBe(1);

    const orphan = writeFile(dir, 'orphan.csv', `visitId,actionItem,description\n3,1,Nobody's line\n`);
    const bad = await ljit(['visits', 'import', visitsFile, '--lines', orphan, '--company-id', company], { sandbox: sb, key: KEY });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toContain(`${orphan}:2: visitId: no visit with id 3 in ${visitsFile}`);

    const piped = await ljit(['visits', 'import', '-', '--company-id', company, '-o', 'json'], {
      sandbox: sb,
      key: KEY,
      stdin: `[{"id": 5, "docNo": "S", "driverId": "D", "date": "2024-01-02", "customer": "C", "address": "A", "city": "L", "time_windows": "09:00-10:00"}]`,
    });
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ format: 'json', inserted: 1, journal: null });
    expect(sb.visits(KEY).find((v) => v.id === 5)?.time_windows).toEqual([{ earliest: 32400, latest: 36000 }]);
  });

  it('draws a progress line on a terminal and nothing on a pipe', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const file = writeFile(dir, 'v.csv', visitsCsv(makeVisits(50, sb.companyIdFor(KEY))));
    const dirs = dirsIn(dir);
    const tty = await ljit(['visits', 'import', file, '--batch-size', '10'], { sandbox: sb, key: KEY, stderrTTY: true, dirs });
    expect(tty.stderr).toMatch(/\rimporting \d+ \/ 50 rows/);
    const piped = await ljit(['visits', 'import', file, '--batch-size', '10'], { sandbox: sb, key: KEY, dirs });
    expect(piped.stderr).not.toContain('\r');
  });
});
