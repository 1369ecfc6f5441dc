import { describe, expect, it } from 'vitest';
import { countByDriver, skippedVisits, territoryFilter, totalsOf } from '../../src/dispatch/counts.js';

const v = (driverId: string, flags: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ _id: `${driverId}-${Math.random()}`, driverId, name: driverId.toUpperCase(), ...flags, ...extra });

describe('countByDriver', () => {
  it('puts each visit in one bucket: skipped, then closed, then in progress, else open', () => {
    const rows = countByDriver([
      v('a', { skipped: true, closed: true, inProgress: true }),
      v('a', { closed: '1', inProgress: 1, confirmClose: 'yes' }),
      v('a', { closed: 1, confirmClose: false }),
      v('a', { inProgress: 'true' }),
      v('a', {}),
      v('a', { skipped: 0, closed: '0', inProgress: 'no' }),
    ]);
    expect(rows).toEqual([{ driverId: 'a', name: 'A', total: 6, open: 2, inProgress: 1, closed: 2, skipped: 1, confirmed: 1 }]);
  });

  it('does not count a skipped visit as confirmed even when confirmClose is set', () => {
    const [row] = countByDriver([v('a', { skipped: true, closed: true, confirmClose: true })]);
    expect(row).toMatchObject({ skipped: 1, closed: 0, confirmed: 0 });
  });

  it('sorts by name, takes the first non-empty name, and names visits without a driver', () => {
    const rows = countByDriver([
      { _id: '1', driverId: 'z', name: '' },
      { _id: '2', driverId: 'z', name: 'amy' },
      { _id: '3', driverId: 'b', name: 'Bob' },
      { _id: '4' },
    ]);
    expect(rows.map((r) => [r.driverId, r.name, r.total])).toEqual([
      ['', '(no driver)', 1],
      ['z', 'amy', 2],
      ['b', 'Bob', 1],
    ]);
    expect(totalsOf(rows)).toEqual({ total: 4, open: 4, inProgress: 0, closed: 0, skipped: 0, confirmed: 0 });
  });
});

describe('skippedVisits and territoryFilter', () => {
  it('lists skipped visits with their reason, customer and docNo', () => {
    const list = skippedVisits([
      v('a', { skipped: true }, { docNo: 'H-1', customer: 'Red Lion', skippedReasonId: 3 }),
      v('a', { closed: true }, { docNo: 'H-2' }),
    ]);
    expect(list).toEqual([expect.objectContaining({ driverId: 'a', name: 'A', docNo: 'H-1', customer: 'Red Lion', reasonId: '3' })]);
  });

  it('matches territories without case, and everything when none is given', () => {
    const keep = territoryFilter([' ab-aberdeen ', 'L-London']);
    expect([{ territory: 'AB-Aberdeen' }, { territory: 'L-London' }, { territory: 'G-Glasgow' }, {}].map(keep)).toEqual([true, true, false, false]);
    expect(territoryFilter(undefined)({})).toBe(true);
  });
});
