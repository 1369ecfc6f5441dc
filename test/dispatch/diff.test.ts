import { describe, expect, it } from 'vitest';
import { changeEvent, diffSnapshots, driversTouched, snapshotOf } from '../../src/dispatch/diff.js';

const base = { date: '2020-03-31', closed: false, inProgress: false, skipped: false, confirmClose: false, skippedReasonId: '' };
const visit = (_id: string, extra: Record<string, unknown> = {}) => ({ _id, docNo: `D-${_id}`, customer: 'Red Lion', driverId: 'd1', name: 'Liam', ...base, ...extra });

describe('diffSnapshots', () => {
  it('names each kind of change, in new-poll order then removals', () => {
    const before = snapshotOf([
      visit('open-to-closed'),
      visit('open-to-skipped'),
      visit('open-to-started'),
      visit('closed-to-open', { closed: true }),
      visit('moved', { inProgress: true }),
      visit('confirm', { closed: true }),
      visit('gone'),
      visit('same'),
    ]);
    const after = snapshotOf([
      visit('fresh'),
      visit('open-to-closed', { closed: '1', confirmClose: 1 }),
      visit('open-to-skipped', { skipped: 'true', skippedReasonId: 4 }),
      visit('open-to-started', { inProgress: 1 }),
      visit('closed-to-open', { closed: 0 }),
      visit('moved', { driverId: 'd2', name: 'Olivia', inProgress: true, closed: true }),
      visit('confirm', { closed: true, confirmClose: true }),
      visit('same', { closed: 'no' }),
    ]);
    const changes = diffSnapshots(before, after);
    expect(changes.map((c) => [c.kind, c._id])).toEqual([
      ['new', 'fresh'],
      ['closed', 'open-to-closed'],
      ['skipped', 'open-to-skipped'],
      ['started', 'open-to-started'],
      ['reopened', 'closed-to-open'],
      ['closed', 'moved'],
      ['reassigned', 'moved'],
      ['confirmed', 'confirm'],
      ['removed', 'gone'],
    ]);
    expect(driversTouched(changes)).toEqual(new Set(['d1', 'd2']));
  });

  it('makes events with only the fields that matter, flags as booleans', () => {
    const [change] = diffSnapshots(snapshotOf([visit('x')]), snapshotOf([visit('x', { skipped: 1, skippedReasonId: '2', obs: 'ignored' })]));
    expect(changeEvent(change!, Date.UTC(2020, 2, 31, 9, 30))).toEqual({
      at: '2020-03-31T09:30:00.000Z',
      change: 'skipped',
      _id: 'x',
      docNo: 'D-x',
      customer: 'Red Lion',
      driverId: 'd1',
      before: { status: 'open', closed: false, inProgress: false, skipped: false, confirmClose: false, skippedReasonId: null, driverId: 'd1', name: 'Liam', date: '2020-03-31' },
      after: { status: 'skipped', closed: false, inProgress: false, skipped: true, confirmClose: false, skippedReasonId: '2', driverId: 'd1', name: 'Liam', date: '2020-03-31' },
    });
  });

  it('reports nothing when only the spelling of a flag changed', () => {
    expect(diffSnapshots(snapshotOf([visit('x', { closed: true })]), snapshotOf([visit('x', { closed: '1' })]))).toEqual([]);
  });
});
