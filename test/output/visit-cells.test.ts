import { describe, expect, it } from 'vitest';
import { INPUT_FIELDS, SERVER_FIELDS, visitInputSchema, visitPatchSchema } from '../../src/api/schemas.js';
import { CSV_EXPORT_COLUMNS, formatClock, fromCell, parseClock, toCell } from '../../src/output/visit-cells.js';
import { openVisit, referenceVisit } from './fixtures.js';

/** What the API would receive for one field (the patch schema validates each field on its own). */
function asSent(field: string, value: unknown): unknown {
  return (visitPatchSchema.parse({ [field]: value }) as Record<string, unknown>)[field];
}

describe('visit cells', () => {
  it('encodes the reference example record as flat cells', () => {
    const cells = Object.fromEntries(Object.entries(referenceVisit).map(([k, v]) => [k, toCell(k, v)]));
    expect(cells).toMatchObject({
      _id: 'yKQhJZ9B7PTT85kWc',
      id: '10816703',
      lat: '57',
      lng: '-2',
      priority: '3',
      emailMandatory: '1',
      hideEquipmentDetails: '0',
      closed: '1',
      skipped: '0',
      subContractorIds: 'My Subcontractor',
      time_windows: '08:30-18:00',
      required_skills: 'Hot water technician',
      allowed_vehicles: '[]',
      duration: '2100',
      signeeEmail: '',
      geocoding: '',
      hasChangesToSync: 'false',
      obs: referenceVisit.obs,
      skippedReasonId: '',
    });
  });

  it('round-trips every field of the reference example record', () => {
    for (const [field, value] of Object.entries(referenceVisit)) {
      const back = fromCell(field, toCell(field, value));
      if (value === '' || value === null) {
        expect(back, field).toBeUndefined();
      } else if ((INPUT_FIELDS as string[]).includes(field)) {
        expect(asSent(field, back), field).toEqual(asSent(field, value));
      } else {
        expect(back, field).toEqual(typeof value === 'string' ? value : String(value as number | boolean));
      }
    }
  });

  it('round-trips lines, several windows and list items with | and \\ in them', () => {
    for (const field of ['lines', 'time_windows', 'required_skills'] as const) {
      expect(asSent(field, fromCell(field, toCell(field, openVisit[field])))).toEqual(asSent(field, openVisit[field]));
    }
    expect(toCell('required_skills', ['a|b', 'c\\d'])).toBe('a\\|b|c\\\\d');
    expect(fromCell('required_skills', 'a\\|b|c\\\\d')).toEqual(['a|b', 'c\\d']);
  });

  it('falls back to JSON where the short form would not read back exactly', () => {
    expect(toCell('allowed_vehicles', [])).toBe('[]');
    expect(fromCell('allowed_vehicles', '[]')).toEqual([]);
    expect(toCell('required_skills', [' padded '])).toBe('[" padded "]');
    expect(fromCell('required_skills', '[" padded "]')).toEqual([' padded ']);
    expect(toCell('time_windows', [{ earliest: 30600.5, latest: 40000 }])).toBe('[{"earliest":30600.5,"latest":40000}]');
    expect(toCell('time_windows', [{ earliest: 1, latest: 2, note: 'x' }])).toBe('[{"earliest":1,"latest":2,"note":"x"}]');
  });

  it('reads lists as people type them', () => {
    expect(fromCell('subContractorIds', 'Acme | Bolt Ltd |')).toEqual(['Acme', 'Bolt Ltd']);
    expect(fromCell('required_skills', '[not json')).toEqual(['[not json']);
  });

  it('reads time windows as HH:MM, HH:MM:SS or plain seconds', () => {
    expect(fromCell('time_windows', '30600-64800')).toEqual([{ earliest: 30600, latest: 64800 }]);
    expect(fromCell('time_windows', '8:30-13:00, 15:00–17:30:30')).toEqual([
      { earliest: 30600, latest: 46800 },
      { earliest: 54000, latest: 63030 },
    ]);
    expect(toCell('time_windows', [{ earliest: '0', latest: 86400 }])).toBe('00:00-24:00');
  });

  it('hands text it cannot read to the schema, which names the problem', () => {
    expect(fromCell('time_windows', 'mornings')).toBe('mornings');
    expect(visitPatchSchema.safeParse({ time_windows: fromCell('time_windows', 'mornings') }).success).toBe(false);
    expect(fromCell('lines', '[{oops')).toBe('[{oops');
    expect(visitPatchSchema.safeParse({ lines: fromCell('lines', '[{oops') }).success).toBe(false);
  });

  it('writes flags as 1/0 whatever the spelling, and leaves numbers and flags as text for the schema', () => {
    expect(['1', true, 1, 'yes', 'TRUE'].map((v) => toCell('closed', v))).toEqual(['1', '1', '1', '1', '1']);
    expect([false, 0, '0', 'no'].map((v) => toCell('skipped', v))).toEqual(['0', '0', '0', '0']);
    expect(toCell('closed', 'maybe')).toBe('maybe');
    expect(fromCell('closed', '1')).toBe('1');
    expect(fromCell('priority', '3')).toBe('3');
    expect(visitPatchSchema.parse({ closed: '1', priority: '3' })).toEqual({ closed: 1, priority: 3 });
  });

  it('gives undefined for an empty cell, and JSON back for unknown object fields', () => {
    expect(fromCell('customer', '')).toBeUndefined();
    expect(fromCell('geocoding', toCell('geocoding', { lat: 1 }))).toEqual({ lat: 1 });
    expect(fromCell('note', '[urgent] call first')).toBe('[urgent] call first');
  });

  it('exports exactly the importer columns, which the input schema accepts', () => {
    expect(CSV_EXPORT_COLUMNS).toEqual(INPUT_FIELDS);
    for (const f of SERVER_FIELDS) expect(CSV_EXPORT_COLUMNS).not.toContain(f);
    const row = Object.fromEntries(CSV_EXPORT_COLUMNS.map((c) => [c, fromCell(c, toCell(c, referenceVisit[c]))]).filter(([, v]) => v !== undefined));
    expect(visitInputSchema.safeParse(row).success).toBe(true);
  });

  it.each([
    [0, '00:00'],
    [30600, '08:30'],
    [63030, '17:30:30'],
    [86400, '24:00'],
  ])('formatClock(%d) is %s and reads back', (seconds, text) => {
    expect(formatClock(seconds)).toBe(text);
    expect(parseClock(text)).toBe(seconds);
  });
});
