import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderBoard, type BoardState } from '../../src/dispatch/board.js';
import { countByDriver } from '../../src/dispatch/counts.js';
import { diffSnapshots, snapshotOf } from '../../src/dispatch/diff.js';

const plain = new Chalk({ level: 0 });
const at = new Date(2020, 2, 31, 14, 2, 31).getTime();
const visits = [
  { _id: 'a1', driverId: 'd1', name: 'Liam', docNo: 'H-1', customer: 'Red Lion', closed: true },
  { _id: 'a2', driverId: 'd2', name: 'Olivia', docNo: 'H-2', customer: 'Royal Oak', skipped: true, skippedReasonId: '3' },
];

function state(extra: Partial<BoardState> = {}): BoardState {
  return {
    date: '2020-03-31',
    territories: [],
    intervalMs: 30_000,
    polls: 2,
    refreshedAt: at,
    visitCount: 2,
    rows: countByDriver(visits),
    touched: new Set(),
    recent: [],
    requestsPerPoll: 3,
    budget: { remaining: 97, resetMs: 8000 },
    nextAt: at + 30_000,
    ...extra,
  };
}

describe('renderBoard', () => {
  it('shows the refresh time, the cost per hour and the budget left', () => {
    const lines = renderBoard(state(), { chalk: plain, width: 0, height: 0 });
    expect(lines[0]).toBe('Visits 2020-03-31: 2 visits');
    expect(lines[1]).toBe('refreshed 14:02:31 · every 30 s · next 14:03:01 · 3 req/poll ≈ 360/h · budget 97 left, window resets in 8 s');
    expect(lines.join('\n')).toMatch(/TOTAL\s+2\s+0\s+0\s+1\s+1\s+0/);
    expect(lines.at(-1)).toBe('none since the watch started');
  });

  it('marks the drivers and changes of the last poll and keeps older ones', () => {
    const before = snapshotOf([{ ...visits[0], closed: false }, { ...visits[1], skipped: false }]);
    const older = diffSnapshots(snapshotOf([]), snapshotOf([visits[0]!])).map((change) => ({ at: at - 30_000, change }));
    const latest = diffSnapshots(before, snapshotOf(visits)).map((change) => ({ at, change }));
    const text = renderBoard(state({ recent: [...latest, ...older], touched: new Set(['d2']) }), { chalk: plain, width: 100, height: 0 }).join('\n');
    expect(text).toMatch(/^• Olivia\s+d2/m);
    expect(text).toMatch(/^ {2}Liam\s+d1/m);
    expect(text).toMatch(/^• 14:02:31\s+closed\s+H-1\s+Red Lion\s+Liam$/m);
    expect(text).toMatch(/^• 14:02:31\s+skipped\s+H-2\s+Royal Oak\s+Olivia, reason 3$/m);
    expect(text).toMatch(/^ {2}14:02:01\s+new\s+H-1/m);
  });

  it('says when a poll failed and still shows the last data; fits the terminal height', () => {
    const recent = Array.from({ length: 30 }, (_, i) => ({ at, change: diffSnapshots(snapshotOf([]), snapshotOf([{ ...visits[0]!, _id: `n${i}` }]))[0]! }));
    const lines = renderBoard(state({ error: { at, message: 'GET /visits: cannot reach api (ECONNREFUSED)' }, recent }), { chalk: plain, width: 80, height: 24 });
    expect(lines[2]).toContain('⚠ 14:02:31 poll failed: GET /visits: cannot reach api');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.at(-1)).toMatch(/… \d+ older/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});
