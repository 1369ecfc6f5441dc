import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { visitInputSchema, SERVER_FIELDS } from '../../src/api/schemas.js';
import { systemClock, type Context } from '../../src/context.js';
import { demoDataFile, demoDates, resetDemoData, startDemoSandbox } from '../../src/sandbox/demo.js';
import { companyIdForKey, localDate } from '../../src/sandbox/ids.js';
import { seedVisits, shiftDate } from '../../src/sandbox/seed.js';
import { call, useSandbox, useTempDir } from '../helpers/sandbox.js';

/** Every field of the reference's example visit (Get All Visits), in its order. */
const REFERENCE_FIELDS = [
  '_id', 'driverId', 'name', 'date', 'totalJobs', 'id', 'docType', 'docNo', 'serviceOrder', 'customer', 'siteId', 'lat', 'lng', 'site',
  'address', 'postCode', 'city', 'obs', 'contactPerson', 'contactPhone', 'emailMandatory', 'priority', 'showItemsOnOrderSection',
  'hideEquipmentDetails', 'hideDeliveryItemsSection', 'signeeName', 'signeeEmail', 'subContractorIds', 'territory',
  'useStartPauseStopStyleButtonsInJobs', 'inMobileApp', 'NPSMandatory', 'precedencePriorityVisit', 'closeVisitOnLastJobClose', 'country',
  'companyId', 'time_windows', 'required_skills', 'allowed_vehicles', 'confirmClose', 'inProgress', 'closed', 'skipped', 'geocoding',
  'showDiscountAndBonusOnItemsOnOrder', 'duration', 'createdAt', 'createdUser', 'hasChangesToSync', 'modifieddAt', 'modifyUser',
  'servicing', 'signeeRating', 'signature', 'appClientVersion', 'closeDate', 'skippedReasonId',
];
const LINE_FIELDS = ['actionItem', 'allowRebrand', 'brand', 'description', 'extraData', 'hasBatch', 'hasReturn', 'id', 'itemId', 'jobType', 'location', 'model', 'qty', 'serialNr'];

describe('seed data', () => {
  const companyId = companyIdForKey('sandbox');

  it('is identical for the same random seed and differs for another', () => {
    const a = seedVisits({ count: 50, companyId, randomSeed: 42 });
    expect(seedVisits({ count: 50, companyId, randomSeed: 42 })).toEqual(a);
    expect(seedVisits({ count: 50, companyId, randomSeed: '42' })).toEqual(a);
    expect(seedVisits({ count: 50, companyId, randomSeed: 43 })).not.toEqual(a);
    expect(seedVisits({ count: 50, companyId: companyIdForKey('other'), randomSeed: 42 })).not.toEqual(a);
  });

  it('gives the same visits through two sandboxes started with the same --random-seed', async () => {
    const one = await useSandbox({ seed: 30, randomSeed: 'same' });
    const two = await useSandbox({ seed: 30, randomSeed: 'same' });
    expect(two.visits()).toEqual(one.visits());
  });

  it('carries every field of the reference example, in server form, and passes the add schema', () => {
    const visits = seedVisits({ count: 250, companyId, randomSeed: 1 });
    for (const v of visits) {
      expect(Object.keys(v).slice(0, REFERENCE_FIELDS.length)).toEqual(REFERENCE_FIELDS);
      expect(v).toHaveProperty('lines');
      const input = Object.fromEntries(Object.entries(v).filter(([k]) => !(SERVER_FIELDS as readonly string[]).includes(k)));
      const parsed = visitInputSchema.safeParse(input);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const lines = v.lines as Record<string, unknown>[];
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) for (const f of LINE_FIELDS) expect(line).toHaveProperty(f);
      expect(v.totalJobs).toBe(lines.filter((l) => l.actionItem === true).length);
      expect(typeof v.closed).toBe('boolean');
      expect(typeof v.priority).toBe('string');
      expect(typeof v.signeeRating).toBe('string');
      expect(Number.isInteger(v.id)).toBe(true);
      expect(v.companyId).toBe(companyId);
      expect(v.postCode).toMatch(/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
      expect(v.obs).toContain('\r\n');
      if (v.skipped === true) expect(v.skippedReasonId).not.toBe('');
      if (v.closed === true) {
        expect(v.closeDate).toMatch(new RegExp(`^${v.date as string} \\d{2}:\\d{2}$`));
        expect(v.signeeName).not.toBe('');
      } else expect(v.closeDate).toBe('');
    }
    const count = (f: (v: Record<string, unknown>) => boolean) => visits.filter(f).length;
    expect(count((v) => v.closed === true)).toBeGreaterThan(50);
    expect(count((v) => v.skipped === true)).toBeGreaterThan(10);
    expect(count((v) => v.inProgress === true)).toBeGreaterThan(10);
    expect(count((v) => !v.closed && !v.skipped && !v.inProgress)).toBeGreaterThan(30);
    expect(count((v) => v.date === '2020-03-31')).toBeGreaterThan(5);
    expect(new Set(visits.map((v) => v.driverId)).size).toBe(8);
    expect(new Set(visits.map((v) => v.territory)).size).toBeGreaterThan(5);
    expect(new Set(visits.map((v) => v.id)).size).toBe(250);
    expect(new Set(visits.map((v) => v._id)).size).toBe(250);
  });

  it('spreads visits over the dates it is given', () => {
    const visits = seedVisits({ count: 12, companyId, randomSeed: 1, dates: ['2024-01-01', '2020-03-31', '2024-01-02'] });
    expect(visits.map((v) => v.date)).toEqual([...Array(4).fill('2024-01-01'), ...Array(4).fill('2020-03-31'), ...Array(4).fill('2024-01-02')]);
  });
});

describe('the --sandbox demo', () => {
  function testContext(): Context {
    const root = useTempDir();
    return {
      io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 0 },
      clock: systemClock,
      env: {},
      paths: { config: join(root, 'config'), cache: join(root, 'cache'), data: join(root, 'data') },
      signal: new AbortController().signal,
      version: '0.0.0-test',
    };
  }

  it('covers yesterday, today, tomorrow and 2020-03-31', () => {
    const now = Date.now();
    const today = localDate(now);
    expect(demoDates(now)).toEqual(expect.arrayContaining([shiftDate(today, -1), today, shiftDate(today, 1), '2020-03-31']));
  });

  it('starts on a free local port with 250 visits saved in the data dir, and reset restores them', async () => {
    const ctx = testContext();
    const sb = await startDemoSandbox(ctx);
    onTestFinished(() => sb.close());
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    expect(sb.keys).toEqual(['sandbox']);
    const today = await call(sb, 'GET', '/visits', { query: { date: localDate(Date.now()) } });
    expect(today.body.meta.totalRecords).toBeGreaterThan(0);
    expect(today.headers.get('x-ratelimit-remaining')).toBe('99');
    const first = sb.visits();
    expect(first).toHaveLength(250);
    await call(sb, 'DELETE', `/visits/${first[0]!._id as string}`);
    await sb.close();
    expect(demoDataFile(ctx.paths)).toBe(join(ctx.paths.data, 'sandbox', 'visits.ndjson'));
    expect(readFileSync(demoDataFile(ctx.paths), 'utf8').trimEnd().split('\n')).toHaveLength(250);

    expect(await resetDemoData(ctx)).toEqual({ file: demoDataFile(ctx.paths), count: 250 });
    const again = await startDemoSandbox(ctx);
    onTestFinished(() => again.close());
    expect(again.visits()).toEqual(first);
  });
});
