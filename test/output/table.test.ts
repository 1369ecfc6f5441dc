import { describe, expect, it } from 'vitest';
import { createRenderer, type RendererOptions } from '../../src/output/renderer.js';
import { visitStatus } from '../../src/output/visit-columns.js';
import { displayWidth } from '../../src/output/text.js';
import { busyVisit, openVisit, referenceVisit, skippedVisit } from './fixtures.js';
import { memoryIO } from './helpers.js';

async function render(records: Record<string, unknown>[], tty: boolean, opts: Partial<RendererOptions> & { columns?: number } = {}) {
  const { columns, ...rest } = opts;
  const { io, out } = memoryIO({ tty, ...(columns !== undefined ? { columns } : {}) });
  const r = createRenderer({ format: 'table', io, color: false, env: {}, header: true, escapeFormulas: false, kind: 'visits', ...rest });
  for (const rec of records) await r.write(rec);
  await r.end();
  return out();
}

const three = [referenceVisit, openVisit, busyVisit];

describe('visits table', () => {
  it('fits the table to a wide terminal without cutting anything', async () => {
    expect(await render(three, true, { columns: 200 })).toBe(
      [
        'DATE        ORDER  CUSTOMER                                                    CITY       DRIVER             STATUS       PRI  DOC NO           ID',
        '2020-03-31  3      The Green Sleeve                                            INVERURIE  Liam               closed       3    H-017623         yKQhJZ9B7PTT85kWc',
        '2020-04-01  1      Highland Catering Equipment Services Ltd (Aberdeen branch)  ABERDEEN   Dr7Xq2Lm9Pz4Kw1Ys  open         1    H-017624         aB3dE5gH7jK9mN1pQ',
        '2020-04-01  2      Café Ness                                                   INVERNESS  Ava McLeod         in progress  10   =HYPERLINK("x")  Zz9Yy8Xx7Ww6Vv5Uu',
        '',
      ].join('\n'),
    );
  });

  it('draws an aligned table on a terminal, sanitized, text columns cut with … to the width', async () => {
    const text = await render(three, true, { columns: 100 });
    expect(text).toBe(
      [
        'DATE        ORDER  CUSTOMER   CITY       DRIVER      STATUS       PRI  DOC NO      ID',
        '2020-03-31  3      The Gree…  INVERURIE  Liam        closed       3    H-017623    yKQhJZ9B7PTT85kWc',
        '2020-04-01  1      Highland…  ABERDEEN   Dr7Xq2Lm9…  open         1    H-017624    aB3dE5gH7jK9mN1pQ',
        '2020-04-01  2      Café Ness  INVERNESS  Ava McLeod  in progress  10   =HYPERLIN…  Zz9Yy8Xx7Ww6Vv5Uu',
        '',
      ].join('\n'),
    );
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });

  it('prints tab-separated lines with a header when piped: no colour, nothing cut, tabs and controls gone', async () => {
    const text = await render(three, false, { env: { FORCE_COLOR: '1' } });
    expect(text).toBe(
      [
        'DATE\tORDER\tCUSTOMER\tCITY\tDRIVER\tSTATUS\tPRI\tDOC NO\tID',
        '2020-03-31\t3\tThe Green Sleeve\tINVERURIE\tLiam\tclosed\t3\tH-017623\tyKQhJZ9B7PTT85kWc',
        '2020-04-01\t1\tHighland Catering Equipment Services Ltd (Aberdeen branch)\tABERDEEN\tDr7Xq2Lm9Pz4Kw1Ys\topen\t1\tH-017624\taB3dE5gH7jK9mN1pQ',
        '2020-04-01\t2\tCafé Ness\tINVERNESS\tAva McLeod\tin progress\t10\t=HYPERLINK("x")\tZz9Yy8Xx7Ww6Vv5Uu',
        '',
      ].join('\n'),
    );
  });

  it('omits the header line with header:false, piped and on a terminal', async () => {
    expect(await render([skippedVisit], false, { header: false })).toBe('2020-04-02\t\tOld Mill Bakery\tELGIN\tLiam\tskipped\t\tH-017626\tQq1Ww2Ee3Rr4Tt5Yy\n');
    expect(await render([skippedVisit], true, { header: false })).toBe('2020-04-02     Old Mill Bakery  ELGIN  Liam  skipped     H-017626  Qq1Ww2Ee3Rr4Tt5Yy\n');
  });

  it('prints only the header line for an empty list when piped, and nothing on a terminal', async () => {
    expect(await render([], false)).toBe('DATE\tORDER\tCUSTOMER\tCITY\tDRIVER\tSTATUS\tPRI\tDOC NO\tID\n');
    expect(await render([], true)).toBe('');
  });

  it('colours the status on a terminal when colour is on', async () => {
    const text = await render([referenceVisit, openVisit, busyVisit, skippedVisit], true, { color: true });
    expect(text).toContain('\x1b[32mclosed\x1b[39m');
    expect(text).toContain('\x1b[33min progress\x1b[39m');
    expect(text).toContain('\x1b[31mskipped\x1b[39m');
    expect(text).toContain('\x1b[1mDATE\x1b[22m');
    expect(text).not.toContain('\x1b[31m (Aberdeen'); // server escapes never pass
  });

  it('shows --fields instead of the defaults: yes/no and 08:30–18:00 on a terminal, flat cells when piped', async () => {
    const fields = ['docNo', 'closed', 'time_windows', 'required_skills', 'lines.0.description'];
    expect(await render([referenceVisit, openVisit], true, { fields })).toBe(
      [
        'docNo     closed  time_windows                 required_skills                  lines.0.description',
        'H-017623  yes     08:30–18:00                  Hot water technician',
        'H-017624  no      08:00–13:00, 15:00–17:30:30  Gas Safe, Refrigeration | F-gas  Annual service',
        '',
      ].join('\n'),
    );
    expect(await render([referenceVisit, openVisit], false, { fields })).toBe(
      [
        'docNo\tclosed\ttime_windows\trequired_skills\tlines.0.description',
        'H-017623\t1\t08:30-18:00\tHot water technician\t',
        'H-017624\t0\t08:00-13:00|15:00-17:30:30\tGas Safe|Refrigeration \\| F-gas\tAnnual service',
        '',
      ].join('\n'),
    );
  });

  it('renders generic records from the union of their keys', async () => {
    const records = [
      { row: 1, error: 'bad date' },
      { row: 2, error: 'line 1\nline 2', id: 7 },
    ];
    expect(await render(records, false, { kind: 'records' })).toBe('row\terror\tid\n1\tbad date\t\n2\tline 1 line 2\t7\n');
    expect(await render(records, true, { kind: 'records' })).toBe(
      ['row  error            id', '1    bad date', '2    line 1 ⏎ line 2  7', ''].join('\n'),
    );
  });
});

describe('visitStatus', () => {
  it.each([
    [{ skipped: true, closed: true }, 'skipped'],
    [{ skipped: '0', closed: 1, inProgress: '1' }, 'closed'],
    [{ skipped: 0, closed: 'false', inProgress: '1' }, 'in progress'],
    [{ inProgress: 'yes' }, 'in progress'],
    [{}, 'open'],
    [{ closed: 'maybe' }, 'open'],
  ])('%j is %s', (record, status) => {
    expect(visitStatus(record)).toBe(status);
  });
});
