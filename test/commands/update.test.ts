import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../helpers/cli.js';
import { useSandbox, useTempDir, visitInput, call } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { parseSetValue } from '../../src/commands/visits/update-patch.js';
import { parseTargetText } from '../../src/commands/visits/targets.js';

type Rec = Record<string, unknown>;

function envFor(sb: Sandbox) {
  return { LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! };
}

function localDay(offsetDays: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const byId = (sb: Sandbox) => new Map((sb.visits() as Rec[]).map((v) => [v._id as string, v]));

/** Fields the server rewrites on every update. */
const STAMPS = new Set(['modifieddAt', 'modifyUser']);

/** The record after the update is the record before plus exactly `expected`: nothing else was sent. */
function expectOnlyChanged(before: Rec, after: Rec | undefined, expected: Rec): void {
  expect(after).toBeDefined();
  const rest = (r: Rec) => Object.fromEntries(Object.entries(r).filter(([k]) => !STAMPS.has(k) && !(k in expected)));
  expect(rest(after!)).toEqual(rest(before));
  for (const [k, v] of Object.entries(expected)) expect(after![k], k).toEqual(v);
}

describe('visits update: one field per flag', () => {
  it.each([
    [['--date', '2021-06-01'], { date: '2021-06-01' }],
    [['--date', 'tomorrow'], { date: localDay(1) }],
    [['--date', 'yesterday'], { date: localDay(-1) }],
    [['--date', 'today'], { date: localDay(0) }],
    [['--driver', 'Zz9BJz93svSNPx7pQ'], { driverId: 'Zz9BJz93svSNPx7pQ' }],
    [['--driver-name', 'Zoë'], { name: 'Zoë' }],
    [['--obs', 'Ring twice\nthen wait'], { obs: 'Ring twice\nthen wait' }],
    [['--priority', '2'], { priority: '2' }],
    [['--service-order', '7'], { serviceOrder: 7 }],
    [['--closed', '1'], { closed: true }],
    [['--closed', '0'], { closed: false }],
    [['--skipped', 'yes'], { skipped: true }],
    [['--contact-person', 'Ann Smith'], { contactPerson: 'Ann Smith' }],
    [['--contact-phone', '01224 555 010'], { contactPhone: '01224 555 010' }],
    [['--set', 'territory=AB-Aberdeen'], { territory: 'AB-Aberdeen' }],
    [['--set', 'required_skills=["Gas","Water"]'], { required_skills: ['Gas', 'Water'] }],
    [['--set', 'lat=57.15'], { lat: 57.15 }],
    [['--set', 'inMobileApp=false'], { inMobileApp: false }],
    [['--set', 'docNo="12345"'], { docNo: '12345' }],
    [['--set', 'siteId=0042'], { siteId: '0042' }],
    [['--set', 'time_windows=[{"earliest":28800,"latest":43200}]'], { time_windows: [{ earliest: 28800, latest: 43200 }] }],
    [['--data', '{"obs":"From data","priority":4,"closed":"no"}'], { obs: 'From data', priority: '4', closed: false }],
    // Later sources win: --data, then --set, then the named flags.
    [['--data', '{"obs":"data","territory":"T1"}', '--set', 'obs=set', '--obs', 'flag'], { obs: 'flag', territory: 'T1' }],
  ])('%j changes only that field, with one request', async (flags, expected) => {
    const sb = await useSandbox({ seed: 5, randomSeed: 'update-flags' });
    const target = (sb.visits() as Rec[])[2]!;
    const others = (sb.visits() as Rec[]).filter((v) => v._id !== target._id);
    const res = await runInProcess(['visits', 'update', String(target._id), ...flags], { env: envFor(sb) });
    expect(res.stderr).toMatch(/^Updated visit \w+ \(1 request, [\d.]+ s\)\.\n$/);
    expect(res.code).toBe(0);
    expect(sb.stats.requests).toBe(1);
    const after = byId(sb);
    expectOnlyChanged(target, after.get(String(target._id)), expected);
    for (const o of others) expect(after.get(String(o._id))).toEqual(o);
  });

  it('reads --data @file', async () => {
    const sb = await useSandbox({ seed: 3, randomSeed: 'update-file' });
    const dir = useTempDir();
    const file = join(dir, 'changes.json');
    writeFileSync(file, JSON.stringify({ obs: 'From a file', serviceOrder: '3', lines: [{ actionItem: 1, description: 'Descale' }] }));
    const target = (sb.visits() as Rec[])[0]!;
    const res = await runInProcess(['visits', 'update', String(target._id), '--data', `@${file}`], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expectOnlyChanged(target, byId(sb).get(String(target._id)), { obs: 'From a file', serviceOrder: 3, lines: [{ actionItem: true, description: 'Descale' }], totalJobs: 1 });
  });

  it('addresses a visit by --erp-id with one list request', async () => {
    const sb = await useSandbox({ seed: 20, randomSeed: 'update-erp' });
    const target = (sb.visits() as Rec[])[11]!;
    const res = await runInProcess(['visits', 'update', '--erp-id', String(target.id), '--priority', '9'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(sb.stats.requests).toBe(2);
    expect(byId(sb).get(String(target._id))?.priority).toBe('9');
    const missing = await runInProcess(['visits', 'update', '--erp-id', '424242', '--priority', '9'], { env: envFor(sb) });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no visit with ERP id 424242');
  });
});

describe('visits update: refusals send nothing', () => {
  it.each([
    [['--priority', '11'], 'priority: must be between 1 and 10 (got 11)'],
    [['--date', '2021-02-29'], 'date: must be a real calendar day as YYYY-MM-DD (got "2021-02-29")'],
    [['--closed', 'maybe'], 'closed: must be a flag: 0, 1, true, false, yes or no (got "maybe")'],
    [['--service-order', '-1'], 'serviceOrder: must be at least 0 (got -1)'],
    [['--set', 'lat=200'], 'lat: must be between -90 and 90 (got 200)'],
    [['--set', 'country=GBR'], 'country: must be a 2-letter country code (got "GBR")'],
    [['--data', '{"time_windows":[{"earliest":600,"latest":60}]}'], 'time_windows[0].latest: earliest must not be after latest'],
    [['--driver', ' '], 'driverId: must not be empty'],
  ])('%j: exit 6 with "field: message"', async (flags, line) => {
    const sb = await useSandbox({ seed: 2, randomSeed: 'refuse' });
    const before = sb.visits();
    const res = await runInProcess(['visits', 'update', String(before[0]!._id), ...flags], { env: envFor(sb) });
    expect(res.code).toBe(6);
    expect(res.stderr).toContain('nothing was sent');
    expect(res.stderr).toContain(`  ${line}\n`);
    expect(sb.stats.requests).toBe(0);
    expect(sb.visits()).toEqual(before);
  });

  it('lists every problem at once, and says how to send text that looks like a number', async () => {
    const sb = await useSandbox({ seed: 1 });
    const res = await runInProcess(['visits', 'update', String(sb.visits()[0]!._id), '--priority', '0', '--set', 'docNo=123'], { env: envFor(sb) });
    expect(res.code).toBe(6);
    expect(res.stderr).toContain('  docNo: must be text (got 123)\n  priority: must be between 1 and 10 (got 0)\n');
    expect(res.stderr).toContain(`--set 'docNo="..."'`);
    expect(sb.stats.requests).toBe(0);
  });

  it.each([
    [['--set', '_id=abc'], '_id is a field the server writes'],
    [['--data', '{"createdAt":"2020-01-01 00:00","modifieddAt":"x","obs":"a"}'], 'createdAt, modifieddAt are fields the server writes'],
    [[], 'nothing to change'],
    [['--data', '{}'], 'nothing to change'],
    [['--set', 'prioirty=2'], '--set prioirty: not a visit field (did you mean priority?)'],
    [['--set', 'obs'], '--set expects field=value'],
    [['--data', '{"obs":'], '--data is not valid JSON'],
    [['--data', '[{"obs":"a"}]'], '--data must be one JSON object'],
    [['--data', '@/nonexistent/changes.json'], 'cannot read --data file /nonexistent/changes.json'],
  ])('%j: usage error, exit 2', async (flags, message) => {
    const sb = await useSandbox({ seed: 1 });
    const res = await runInProcess(['visits', 'update', String(sb.visits()[0]!._id), ...flags], { env: envFor(sb) });
    expect(res.stderr).toContain(message);
    expect(res.code).toBe(2);
    expect(sb.stats.requests).toBe(0);
  });

  it('needs visits to update', async () => {
    const res = await runInProcess(['visits', 'update', '--obs', 'x']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('give the visits to update');
  });

  it('refuses what cannot be an _id, naming the stdin line', async () => {
    const sb = await useSandbox({ seed: 1 });
    const res = await runInProcess(['visits', 'update', '-', '--obs', 'x'], { env: envFor(sb), stdin: 'abcdefghijklmnopq\nnot an id\n' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('stdin line 2: "not an id" is not a visit _id');
    expect(sb.stats.requests).toBe(0);
  });
});

describe('visits update: many visits', () => {
  it('updates what visits list pipes to it (list | update - --date tomorrow)', async () => {
    const sb = await useSandbox({ seed: 150, randomSeed: 'pipeline' });
    const before = sb.visits() as Rec[];
    const skipped = before.filter((v) => v.skipped === true);
    expect(skipped.length).toBeGreaterThan(1);
    const env = envFor(sb);
    const list = await runCli(['visits', 'list', '--skipped', '1', '-o', 'ndjson'], { env });
    expect(list.code).toBe(0);
    const upd = await runCli(['visits', 'update', '-', '--date', 'tomorrow', '--skipped', '0'], { env, stdin: list.stdout });
    expect(upd.stderr).toContain(`Updated ${skipped.length} of ${skipped.length} visits`);
    expect(upd.code).toBe(0);
    const after = byId(sb);
    for (const v of skipped) expectOnlyChanged(v, after.get(String(v._id)), { date: localDay(1), skipped: false });
    for (const v of before.filter((b) => b.skipped !== true)) expect(after.get(String(v._id))).toEqual(v);
  });

  it('reads _ids one a line, as a JSON array, or from a piped table', async () => {
    const sb = await useSandbox({ seed: 10, randomSeed: 'stdin-forms' });
    const all = sb.visits() as Rec[];
    const ids = all.map((v) => String(v._id));
    const tsv = (await runInProcess(['visits', 'list'], { env: envFor(sb) })).stdout;
    expect(parseTargetText(tsv)).toEqual(ids);
    expect(parseTargetText(JSON.stringify(all))).toEqual(ids);
    expect(parseTargetText(`# ids\n${ids.join('\r\n')}\n\n`)).toEqual(ids);
    const sent = sb.stats.requests;
    const res = await runInProcess(['visits', 'update', '-', ids[0]!, '--obs', 'bulk'], { env: envFor(sb), stdin: ids.slice(0, 4).join('\n') });
    expect(res.code).toBe(0);
    expect(sb.stats.requests - sent).toBe(4); // the repeated _id is sent once
    expect((sb.visits() as Rec[]).filter((v) => v.obs === 'bulk')).toHaveLength(4);
  });

  it('succeeds with nothing to do when stdin is empty', async () => {
    const sb = await useSandbox({ seed: 3 });
    const res = await runInProcess(['visits', 'update', '-', '--obs', 'x', '-o', 'json'], { env: envFor(sb), stdin: '' });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ summary: { total: 0, updated: 0 }, results: [] });
    expect(sb.stats.requests).toBe(0);
  });

  it('exits 3 listing each visit that failed with its reason; -o json has every result', async () => {
    const sb = await useSandbox({ seed: 6, randomSeed: 'partial' });
    const ids = (sb.visits() as Rec[]).map((v) => String(v._id));
    await call(sb, 'DELETE', `/visits/${ids[1]!}`);
    const duplicate = (sb.visits() as Rec[])[0]!.id;
    const stdin = [ids[0], ids[1], ids[2]].join('\n');
    // Giving ids[2] the ERP id of ids[0] is refused by the server (400): a failure that is not a 404.
    const res = await runInProcess(['visits', 'update', '-', '--set', `id=${String(duplicate)}`, '-o', 'json'], { env: envFor(sb), stdin });
    expect(res.code).toBe(3);
    const out = JSON.parse(res.stdout) as { summary: Rec; results: Rec[] };
    expect(out.summary).toMatchObject({ total: 3, updated: 1, notFound: 1, failed: 1, requests: 3, rateLimited: 0 });
    expect(out.results).toEqual([
      { _id: ids[0], outcome: 'updated' },
      { _id: ids[1], outcome: 'not-found', error: 'not found' },
      { _id: ids[2], outcome: 'failed', error: expect.stringContaining(`is already used by visit ${ids[0]!}`) },
    ]);
    expect(res.stderr).toContain('2 of 3 visits were not updated');
    const text = await runInProcess(['visits', 'update', ids[1]!, ids[3]!, '--obs', 'x'], { env: envFor(sb) });
    expect(text.code).toBe(3);
    expect(text.stderr).toContain('Updated 1 of 2 visits');
    expect(text.stderr).toMatch(new RegExp(`Not updated:\\n  ${ids[1]!}\\s+not found\\n`));
    expect(text.stdout).toBe('');
  });

  it('exits 5 when the only visit given does not exist', async () => {
    const sb = await useSandbox({ seed: 1 });
    const res = await runInProcess(['visits', 'update', 'AAAAAAAAAAAAAAAAA', '--obs', 'x'], { env: envFor(sb) });
    expect(res.code).toBe(5);
    expect(res.stderr).toContain('not found');
  });

  it('gets through 20% server errors with the core retries, and draws progress on a terminal', async () => {
    const sb = await useSandbox({ seed: 40, randomSeed: 'flaky-update', failRate: 0.2, latencyMs: 10 });
    const ids = (sb.visits() as Rec[]).map((v) => String(v._id));
    const res = await runInProcess(['--max-retries', '8', '--concurrency', '4', 'visits', 'update', '-', '--priority', '1'], {
      env: envFor(sb),
      stdin: ids.join('\n'),
      stderrTTY: true,
    });
    expect(res.code).toBe(0);
    expect(sb.stats.failed).toBeGreaterThan(0);
    expect((sb.visits() as Rec[]).every((v) => v.priority === '1')).toBe(true);
    expect(res.stderr).toContain('\rUpdating 40/40 (100%)');
    expect(res.stderr).toMatch(/Updated 40 of 40 visits \([\d.]+ s\)\n {2}updated\s+40\n {2}requests\s+\d+ \(\d+ retries, 0 answered 429\)/);
  });
});

describe('visits update --dry-run', () => {
  it('shows before → after for each visit and sends no change', async () => {
    const sb = await useSandbox();
    await call(sb, 'POST', '/visits', {
      body: [visitInput(sb, 1, { priority: 3, closed: 1, obs: 'Back door' }), visitInput(sb, 2, { priority: 2, closed: 0, obs: 'Back door' })],
    });
    const before = sb.visits() as Rec[];
    const [a, b] = before.map((v) => String(v._id));
    sb.stats.requests = 0;
    const res = await runInProcess(['visits', 'update', a!, b!, '--priority', '2', '--closed', '0', '--obs', 'Back door', '--dry-run'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      `${a!}  2020-03-31  H-1  The Green Sleeve\n  priority  3 → 2\n  closed    yes → no\n` + `${b!}  2020-03-31  H-2  The Green Sleeve\n  (no change)\n`,
    );
    expect(res.stderr).toContain('Dry run: 1 of 2 visits would change; nothing was sent');
    expect(sb.stats.requests).toBe(2);
    expect(sb.visits()).toEqual(before);

    const json = await runInProcess(['visits', 'update', a!, '--priority', '2', '--dry-run', '-o', 'json'], { env: envFor(sb) });
    expect(JSON.parse(json.stdout)).toMatchObject({
      summary: { dryRun: true, total: 1, wouldUpdate: 1, updated: 0 },
      results: [{ _id: a, outcome: 'would-update', changes: [{ field: 'priority', from: '3', to: 2 }] }],
    });
  });
});

describe('--set values', () => {
  it.each([
    ['12', 12, true],
    ['true', true, true],
    ['[1,"a"]', [1, 'a'], true],
    ['{"a":1}', { a: 1 }, true],
    ['"12"', '12', false],
    ['null', 'null', false],
    ['0042', '0042', false],
    [' spaced text ', ' spaced text ', false],
    ['', '', false],
  ])('%j → %j', (text, value, json) => {
    expect(parseSetValue(text)).toEqual({ value, json });
  });
});
