import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FLAG_FIELDS, formatIssues, visitInputSchema, visitPatchSchema } from '../../src/api/schemas.js';
import { isCalendarDate, parseFlag } from '../../src/api/scalars.js';

const valid = {
  driverId: 'FEn9BJz93svSNPx7p',
  date: '2020-03-31',
  id: 10816703,
  docNo: 'H-017623',
  customer: 'The Green Sleeve',
  address: '999 West High Street',
  city: 'INVERURIE',
  companyId: 'LPeaJNaLQT6RqcFdt',
};

function problems(input: unknown, schema: z.ZodType = visitInputSchema) {
  const r = schema.safeParse(input);
  return r.success ? [] : formatIssues(r.error).map((i) => `${i.path}: ${i.message}`);
}

describe('visit input schema', () => {
  it('accepts the minimal record and keeps unknown fields', () => {
    const r = visitInputSchema.parse({ ...valid, geocoding: null, appClientVersion: '1.7' });
    expect(r).toMatchObject({ ...valid, geocoding: null, appClientVersion: '1.7' });
  });

  it('names every missing required field', () => {
    expect(problems({})).toEqual([
      'driverId: is required',
      'date: is required',
      'id: is required',
      'docNo: is required',
      'customer: is required',
      'address: is required',
      'city: is required',
      'companyId: is required',
    ]);
  });

  it('coerces loose scalars: numeric strings and every flag spelling', () => {
    const r = visitInputSchema.parse({ ...valid, id: '42', priority: ' 3 ', closed: 'Yes', skipped: 'FALSE', inProgress: '1', confirmClose: true, lat: '57.1' });
    expect(r).toMatchObject({ id: 42, priority: 3, closed: 1, skipped: 0, inProgress: 1, confirmClose: 1, lat: 57.1 });
  });

  it('rejects impossible dates, priorities out of range, bad flags and coordinates', () => {
    expect(problems({ ...valid, date: '2021-02-29', priority: 11, closed: 'maybe', lat: 91, lng: '-181' })).toEqual([
      'date: must be a real calendar day as YYYY-MM-DD (got "2021-02-29")',
      'lat: must be between -90 and 90 (got 91)',
      'lng: must be between -180 and 180 (got -181)',
      'priority: must be between 1 and 10 (got 11)',
      'closed: must be a flag: 0, 1, true, false, yes or no (got "maybe")',
    ]);
  });

  it('rejects time windows outside a day or out of order', () => {
    expect(problems({ ...valid, time_windows: [{ earliest: 100, latest: 50 }, { earliest: 0, latest: 90000 }] })).toEqual([
      'time_windows[0].latest: earliest must not be after latest',
      'time_windows[1].latest: must be between 0 and 86400 (got 90000)',
    ]);
  });

  it('requires actionItem and description on each line and type/caption/name on extraData', () => {
    expect(problems({ ...valid, lines: [{ description: 'x' }, { actionItem: 1, description: 'y', extraData: [{ type: 'blob' }] }] })).toEqual([
      'lines[0].actionItem: is required',
      'lines[1].extraData[0].type: must be one of text, date, number, email, color, range, select (got "blob")',
      'lines[1].extraData[0].caption: is required',
      'lines[1].extraData[0].name: is required',
    ]);
  });

  it('says what is wrong with a value of the wrong type, not that it is missing', () => {
    expect(problems({ ...valid, city: 42, lines: 'x', required_skills: [1] })).toEqual([
      'city: must be text (got 42)',
      'required_skills[0]: must be text (got 1)',
      'lines: must be a list of lines (got "x")',
    ]);
  });

  it('validates a partial update field by field', () => {
    expect(problems({ date: '2020-13-01' }, visitPatchSchema)).toEqual(['date: must be a real calendar day as YYYY-MM-DD (got "2020-13-01")']);
    expect(problems({ obs: 'ok' }, visitPatchSchema)).toEqual([]);
  });
});

describe('scalars', () => {
  it.each([
    [true, 1], ['1', 1], [1, 1], ['yes', 1], ['TRUE', 1], [false, 0], ['0', 0], [0, 0], ['No', 0], ['2', undefined], ['', undefined], [null, undefined],
  ])('parseFlag(%j) = %j', (input, expected) => {
    expect(parseFlag(input)).toBe(expected);
  });

  it('knows real calendar days', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2021-02-29')).toBe(false);
    expect(isCalendarDate('2020-3-1')).toBe(false);
  });

  it('lists the visit flags', () => {
    expect(FLAG_FIELDS).toContain('closed');
    expect(FLAG_FIELDS).toContain('emailMandatory');
    expect(FLAG_FIELDS).not.toContain('priority');
  });
});
