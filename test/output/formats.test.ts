import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { INPUT_FIELDS, visitInputSchema } from '../../src/api/schemas.js';
import { escapeFormula } from '../../src/output/format-csv.js';
import { createRenderer, type RendererOptions } from '../../src/output/renderer.js';
import { CSV_EXPORT_COLUMNS, fromCell } from '../../src/output/visit-cells.js';
import { busyVisit, openVisit, referenceVisit, skippedVisit } from './fixtures.js';
import { memoryIO } from './helpers.js';

const visits = [referenceVisit, openVisit, busyVisit, skippedVisit];

async function render(format: RendererOptions['format'], records: Record<string, unknown>[], opts: Partial<RendererOptions> & { tty?: boolean } = {}) {
  const { tty = false, ...rest } = opts;
  const { io, out } = memoryIO({ tty });
  const r = createRenderer({ format, io, color: false, env: {}, header: true, escapeFormulas: false, kind: 'visits', ...rest });
  for (const rec of records) await r.write(rec);
  await r.end();
  return out();
}

/**
 * The importer's view of a visit: input fields only, empty values absent (an empty cell reads as absent),
 * and the two "text or number" ids as text (a cell cannot tell 3 from "3"; the schema takes both).
 */
function inputPart(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    INPUT_FIELDS.filter((f) => record[f] !== undefined && record[f] !== null && record[f] !== '').map((f) => [
      f,
      f === 'siteId' || f === 'skippedReasonId' ? String(record[f] as string | number) : record[f],
    ]),
  );
}

describe('json', () => {
  it('pretty-prints one array on a terminal, identical to JSON.stringify(all, null, 2)', async () => {
    const text = await render('json', visits, { tty: true });
    expect(text).toBe(`${JSON.stringify(visits, null, 2)}\n`);
  });

  it('prints one compact item per line when piped, and parses back to the records as sent', async () => {
    const text = await render('json', visits);
    expect(JSON.parse(text)).toEqual(visits);
    const lines = text.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines[1]).toBe(`${JSON.stringify(referenceVisit)},`);
    expect(lines.at(-2)).toBe(']');
    expect(lines).toHaveLength(visits.length + 3);
  });

  it('prints [] for an empty list, on a terminal and piped', async () => {
    expect(await render('json', [], { tty: true })).toBe('[]\n');
    expect(await render('json', [])).toBe('[]\n');
  });

  it('projects --fields to nested paths, rebuilding objects and arrays, leaving missing paths out', async () => {
    const fields = ['docNo', 'lines.0.description', 'time_windows.0.earliest', 'geocoding', 'no.such.path'];
    expect(JSON.parse(await render('json', [referenceVisit, openVisit], { fields }))).toEqual([
      { docNo: 'H-017623', time_windows: [{ earliest: 30600 }], geocoding: null },
      { docNo: 'H-017624', lines: [{ description: 'Annual service' }], time_windows: [{ earliest: 28800 }] },
    ]);
  });

  it('escapes C1 controls and bidi overrides that JSON.stringify leaves raw, keeping the value', async () => {
    const record = { _id: 'x', customer: 'A\u009b31mB\u202eC' };
    const text = await render('json', [record]);
    expect(text).toContain('A\\u009b31mB\\u202eC');
    expect(JSON.parse(text)).toEqual([record]);
  });
});

describe('ndjson', () => {
  it('prints one compact object per line that parses back to each record', async () => {
    const text = await render('ndjson', visits, { tty: true });
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(visits);
  });

  it('prints nothing for an empty list and projects --fields', async () => {
    expect(await render('ndjson', [])).toBe('');
    expect(await render('ndjson', [openVisit], { fields: ['_id', 'required_skills.1'] })).toBe('{"_id":"aB3dE5gH7jK9mN1pQ","required_skills":[null,"Refrigeration | F-gas"]}\n');
  });
});

describe('csv', () => {
  it('writes the importer columns by default (input fields, no _id), CRLF rows', async () => {
    const text = await render('csv', [skippedVisit]);
    expect(CSV_EXPORT_COLUMNS).toEqual(INPUT_FIELDS);
    expect(CSV_EXPORT_COLUMNS).not.toContain('_id');
    expect(text.split('\r\n')[0]).toBe(INPUT_FIELDS.join(','));
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('round-trips: csv-parse + fromCell gives what visitInputSchema reads as the original visit', async () => {
    const text = await render('csv', visits);
    const rows = parse<Record<string, string>>(text, { columns: true });
    expect(rows).toHaveLength(visits.length);
    rows.forEach((row, i) => {
      const back: Record<string, unknown> = {};
      for (const [col, cell] of Object.entries(row)) {
        const v = fromCell(col, cell);
        if (v !== undefined) back[col] = v;
      }
      const original = inputPart(visits[i]!);
      expect(Object.keys(back).sort()).toEqual(Object.keys(original).sort());
      expect(visitInputSchema.parse(back)).toEqual(visitInputSchema.parse(original));
    });
  });

  it('keeps line breaks, quotes and tabs inside quoted cells', async () => {
    const text = await render('csv', [referenceVisit, busyVisit], { fields: ['obs', 'name', 'docNo'] });
    expect(parse(text, { columns: true })).toEqual([
      { obs: referenceVisit.obs, name: 'Liam', docNo: 'H-017623' },
      { obs: '', name: 'Ava\tMc\x07Leod', docNo: '=HYPERLINK("x")' },
    ]);
  });

  it('prints the header alone for an empty list, and no header with header:false', async () => {
    expect(await render('csv', [], { fields: ['_id', 'date'] })).toBe('_id,date\r\n');
    expect(await render('csv', [skippedVisit], { fields: ['_id', 'closed', 'skippedReasonId'], header: false })).toBe('Qq1Ww2Ee3Rr4Tt5Yy,1,3\r\n');
  });

  it('writes generic records from the union of their keys', async () => {
    const text = await render('csv', [{ a: 1, b: true }, { c: { d: 2 } }], { kind: 'records' });
    expect(text).toBe('a,b,c\r\n1,true,\r\n,,"{""d"":2}"\r\n');
  });

  it('escapes formulas with a quote when asked, leaving plain numbers alone', async () => {
    const record = { _id: 'f', docNo: '=HYPERLINK("x")', contactPhone: '+44 1999', customer: '@SUM(A1)', lat: -2.5, lng: '-2', obs: '\tx', site: '-', city: 'ok' };
    const fields = Object.keys(record);
    const rows = parse<Record<string, string>>(await render('csv', [record], { fields, escapeFormulas: true }), { columns: true });
    expect(rows[0]).toEqual({ _id: 'f', docNo: `'=HYPERLINK("x")`, contactPhone: "'+44 1999", customer: "'@SUM(A1)", lat: '-2.5', lng: '-2', obs: "'\tx", site: "'-", city: 'ok' });
    const plain = parse<Record<string, string>>(await render('csv', [record], { fields }), { columns: true });
    expect(plain[0]?.docNo).toBe('=HYPERLINK("x")');
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', '+1'],
    ['-2.5', '-2.5'],
    ['-1e3', '-1e3'],
    ['-', "'-"],
    ['- note', "'- note"],
    ['@x', "'@x"],
    ['\r=x', "'\r=x"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('escapeFormula(%j) is %j', (cell, expected) => {
    expect(escapeFormula(cell)).toBe(expected);
  });

  it('strips escape sequences from cells on a terminal, not when piped', async () => {
    expect(await render('csv', [openVisit], { fields: ['customer'], header: false, tty: true })).toBe('Highland Catering Equipment Services Ltd (Aberdeen branch)\r\n');
    expect(await render('csv', [openVisit], { fields: ['customer'], header: false })).toBe('Highland Catering Equipment Services Ltd\x1b[31m (Aberdeen branch)\r\n');
  });
});

describe('renderer', () => {
  it('refuses writes after end, and ignores a second end', async () => {
    const { io, out } = memoryIO({ tty: false });
    const r = createRenderer({ format: 'json', io, color: false, env: {}, header: true, escapeFormulas: false, kind: 'visits' });
    await r.end();
    await r.end();
    await expect(r.write({})).rejects.toThrow('write after end');
    expect(out()).toBe('[]\n');
  });
});
