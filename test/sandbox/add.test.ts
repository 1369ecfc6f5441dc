import { describe, expect, it } from 'vitest';
import { METEOR_ALPHABET } from '../../src/sandbox/ids.js';
import { call, useSandbox, visitInput, type Json } from '../helpers/sandbox.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const METEOR_ID = new RegExp(`^[${METEOR_ALPHABET}]{17}$`);

describe('POST /visits: upsert', () => {
  it('inserts, then updates by ERP id, counting each and keeping _id and createdAt', async () => {
    let now = new Date(2020, 2, 9, 15, 48, 17).getTime();
    const sb = await useSandbox({ now: () => now });
    const lines = [
      { actionItem: 'true', description: 'Repair AQUARIUS TONE7/3', qty: '1', extraData: [{ type: 'number', caption: 'Pressure', name: 'p', min: '0' }] },
      { actionItem: 0, description: 'Filter cartridge' },
      { actionItem: 'yes', description: 'Service' },
    ];
    const first = await call(sb, 'POST', '/visits', {
      body: [
        visitInput(sb, 10816703, { closed: '1', skipped: 'no', priority: 3, signeeRating: '5', emailMandatory: 'true', lines, geocodingHint: 'kept', siteId: '30101308' }),
        visitInput(sb, 10816704, { id: '10816704' }),
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ meta: { recordsInserted: 2, recordsUpdated: 0, errors: [] }, data: null });

    const [a, b] = sb.visits() as [Json, Json];
    expect(a._id).toMatch(METEOR_ID);
    expect(a).toMatchObject({
      id: 10816703,
      closed: true,
      skipped: false,
      inProgress: false,
      confirmClose: false,
      emailMandatory: true,
      priority: '3',
      signeeRating: '5',
      siteId: '30101308',
      totalJobs: 2,
      createdUser: 'API',
      modifyUser: 'API',
      createdAt: '2020-03-09 15:48:17',
      modifieddAt: '2020-03-09 15:48:17',
      geocodingHint: 'kept',
    });
    expect(a.lines[0]).toMatchObject({ actionItem: true, qty: 1, extraData: [{ min: 0 }] });
    expect(b.id).toBe(10816704);
    expect(b.totalJobs).toBe(0);

    now += 60_000;
    const second = await call(sb, 'POST', '/visits', {
      body: [visitInput(sb, 10816703, { obs: 'Access 9am - 5.30pm\r\nNo parking onsite', _id: 'ignoredIgnoredIgn', createdAt: '1999-01-01 00:00:00' }), visitInput(sb, 10816705)],
    });
    expect(second.body.meta).toEqual({ recordsInserted: 1, recordsUpdated: 1, errors: [] });
    const updated = sb.visits()[0] as Json;
    expect(updated._id).toBe(a._id);
    expect(updated.createdAt).toBe('2020-03-09 15:48:17');
    expect(updated.modifieddAt).toBe('2020-03-09 15:49:17');
    // Merged: fields not sent this time stay as they were.
    expect(updated).toMatchObject({ obs: 'Access 9am - 5.30pm\r\nNo parking onsite', closed: true, priority: '3', totalJobs: 2, geocodingHint: 'kept' });
    expect(sb.visits()).toHaveLength(3);
    expect(TIMESTAMP.test(updated.modifieddAt as string)).toBe(true);
  });

  it('treats the same ERP id twice in one batch as an insert then an update', async () => {
    const sb = await useSandbox();
    const res = await call(sb, 'POST', '/visits', { body: [visitInput(sb, 1), visitInput(sb, 1, { city: 'ABERDEEN' })] });
    expect(res.body.meta).toMatchObject({ recordsInserted: 1, recordsUpdated: 1 });
    expect(sb.visits()).toHaveLength(1);
    expect(sb.visits()[0]!.city).toBe('ABERDEEN');
  });

  it('answers 400 for a body that is not an array, and accepts an empty array', async () => {
    const sb = await useSandbox();
    const obj = await call(sb, 'POST', '/visits', { body: visitInput(sb, 1) });
    expect(obj.status).toBe(400);
    expect(obj.body.meta.error).toMatch(/must be a JSON array of visits/);
    expect(sb.visits()).toHaveLength(0);
    const empty = await call(sb, 'POST', '/visits', { body: [] });
    expect(empty.body).toEqual({ meta: { recordsInserted: 0, recordsUpdated: 0, errors: [] }, data: null });
  });
});

describe('POST /visits: validation, one visit at a time', () => {
  it('reports each invalid visit with its ERP id and index and writes the valid ones', async () => {
    const sb = await useSandbox();
    const line = { actionItem: true, description: 'Repair' };
    const invalid: [Record<string, unknown>, string][] = [
      [{ date: '2021-02-29' }, 'date: must be a real calendar day as YYYY-MM-DD (got "2021-02-29")'],
      [{ date: undefined }, 'date: is required'],
      [{ driverId: undefined }, 'driverId: is required'],
      [{ docNo: '' }, 'docNo: must not be empty'],
      [{ customer: undefined }, 'customer: is required'],
      [{ address: undefined }, 'address: is required'],
      [{ city: '  ' }, 'city: must not be empty'],
      [{ companyId: undefined }, 'companyId: is required'],
      [{ priority: 11 }, 'priority: must be between 1 and 10 (got 11)'],
      [{ signeeRating: '6' }, 'signeeRating: must be between 0 and 5 (got 6)'],
      [{ closed: 'maybe' }, 'closed: must be a flag: 0, 1, true, false, yes or no (got "maybe")'],
      [{ lat: 91 }, 'lat: must be between -90 and 90 (got 91)'],
      [{ lng: 'west' }, 'lng: must be a number (got "west")'],
      [{ country: 'GBR' }, 'country: must be a 2-letter country code (got "GBR")'],
      [{ time_windows: [{ earliest: 64800, latest: 30600 }] }, 'time_windows[0].latest: earliest must not be after latest'],
      [{ time_windows: [{ earliest: 0, latest: 90000 }] }, 'time_windows[0].latest: must be between 0 and 86400 (got 90000)'],
      [{ lines: [{ actionItem: true }] }, 'lines[0].description: is required'],
      [{ lines: [{ ...line, actionItem: 'sometimes' }] }, 'lines[0].actionItem: must be a flag'],
      [{ lines: [{ ...line, extraData: [{ type: 'slider', caption: 'c', name: 'n' }] }] }, 'lines[0].extraData[0].type: must be one of text'],
      [{ lines: [{ ...line, extraData: [{ type: 'text', caption: 'c' }] }] }, 'lines[0].extraData[0].name: is required'],
      [{ serviceOrder: 1.5 }, 'serviceOrder: must be a whole number (got 1.5)'],
      [{ duration: -5 }, 'duration: must be at least 0 (got -5)'],
    ];
    const batch: unknown[] = [visitInput(sb, 100)];
    invalid.forEach(([patch], i) => batch.push(visitInput(sb, 200 + i, patch)));
    batch.push(visitInput(sb, 300));
    const res = await call(sb, 'POST', '/visits', { body: batch });
    expect(res.status).toBe(200);
    expect(res.body.meta.recordsInserted).toBe(2);
    expect(res.body.meta.recordsUpdated).toBe(0);
    const errors = res.body.meta.errors as Json[];
    expect(errors).toHaveLength(invalid.length);
    invalid.forEach(([, message], i) => {
      const e = errors[i];
      expect(e).toMatchObject({ error: 400, id: 200 + i, index: i + 1 });
      expect(e.message).toContain(`visit ${200 + i} (index ${i + 1}): ${message}`);
    });
    expect(sb.visits().map((v) => v.id)).toEqual([100, 300]);
  });

  it('names the index when the id itself is missing or wrong, and lists every problem of a visit', async () => {
    const sb = await useSandbox();
    const res = await call(sb, 'POST', '/visits', {
      body: [visitInput(sb, 1, { id: undefined }), visitInput(sb, 1, { id: 'ten', date: 'tomorrow' }), 'not a visit', visitInput(sb, 2)],
    });
    const errors = res.body.meta.errors as { message: string; id: unknown; index: number }[];
    expect(errors.map((e) => e.message)).toEqual([
      'visit without id (index 0): id: is required',
      'visit "ten" (index 1): date: must be a real calendar day as YYYY-MM-DD (got "tomorrow"); id: must be a whole number (got "ten")',
      'visit without id (index 2): must be an object (got "not a visit")',
    ]);
    expect(errors.map((e) => [e.id, e.index])).toEqual([
      [null, 0],
      ['ten', 1],
      [null, 2],
    ]);
    expect(res.body.meta.recordsInserted).toBe(1);
  });

  it('refuses a visit for another company with 403, naming the companyId this key has', async () => {
    const sb = await useSandbox({ keys: ['alpha', 'beta'] });
    const res = await call(sb, 'POST', '/visits', {
      key: 'alpha',
      body: [visitInput(sb, 1, {}, 'beta'), visitInput(sb, 2, {}, 'alpha')],
    });
    const [e] = res.body.meta.errors as Json[];
    expect(e.error).toBe(403);
    expect(e.message).toBe(
      `visit 1 (index 0): companyId "${sb.companyIdFor('beta')}" does not belong to this API key; this key has companyId "${sb.companyIdFor('alpha')}"`,
    );
    expect(sb.visits('alpha').map((v) => v.id)).toEqual([2]);
    expect(sb.visits('beta')).toEqual([]);
  });
});
