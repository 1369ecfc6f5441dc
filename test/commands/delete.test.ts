import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedDirs, runCli, runInProcess } from '../helpers/cli.js';
import { ljitInPty } from '../helpers/pty.js';
import { call, useSandbox, useTempDir } from '../helpers/sandbox.js';
import { SERVER_FIELDS } from '../../src/api/schemas.js';
import type { Sandbox } from '../../src/sandbox/server.js';

type Rec = Record<string, unknown>;

function envFor(sb: Sandbox) {
  return { LJIT_API_URL: sb.url, LJIT_API_KEY: sb.keys[0]! };
}

const ids = (records: Rec[]) => records.map((r) => String(r._id));
const readNdjson = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);

describe('visits delete: asking first', () => {
  it('refuses without a terminal unless --yes, sending nothing', async () => {
    const sb = await useSandbox({ seed: 3, randomSeed: 'no-tty' });
    const before = sb.visits();
    const res = await runInProcess(['visits', 'delete', String(before[0]!._id)], { env: envFor(sb) });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('refusing to delete without confirmation: stdin is not a terminal; pass --yes');
    expect(sb.stats.requests).toBe(0);
    expect(sb.visits()).toEqual(before);
  });

  it('refuses _ids from stdin without --yes, even on a terminal: stdin cannot also answer', async () => {
    const sb = await useSandbox({ seed: 3, randomSeed: 'stdin-yes' });
    const res = await runInProcess(['visits', 'delete', '-'], { env: envFor(sb), stdin: ids(sb.visits()).join('\n'), stdinTTY: true });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('pass --yes');
    expect(sb.stats.requests).toBe(0);
    expect(sb.visits()).toHaveLength(3);
  });

  it('on a terminal, shows the visits and deletes them when the answer is y', async () => {
    const sb = await useSandbox({ seed: 6, randomSeed: 'pty-yes' });
    const [a, b] = sb.visits();
    const dirs = isolatedDirs();
    const pty = ljitInPty(['visits', 'delete', String(a!._id), String(b!._id)], { env: { ...envFor(sb), ...dirs, NO_COLOR: '1' } });
    const shown = await pty.waitFor('Delete these 2 visits? [y/N]');
    expect(shown).toContain('About to delete 2 visits:');
    expect(shown).toMatch(/DATE\s+DOC NO\s+CUSTOMER\s+DRIVER\s+_ID/);
    for (const v of [a!, b!]) {
      expect(shown).toContain(String(v.docNo));
      expect(shown).toContain(String(v._id));
      expect(shown).toContain(String(v.date));
    }
    expect(sb.visits()).toHaveLength(6); // nothing deleted while the question is open
    pty.send('y\n');
    expect(await pty.exit).toBe(0);
    expect(pty.text).toContain('Deleted 2 of 2 visits');
    expect(ids(sb.visits())).not.toContain(a!._id);
    expect(ids(sb.visits())).not.toContain(b!._id);
    expect(sb.visits()).toHaveLength(4);
    const backups = readdirSync(join(dirs.LJIT_DATA_DIR, 'backups'));
    expect(backups).toHaveLength(1);
    expect(readNdjson(join(dirs.LJIT_DATA_DIR, 'backups', backups[0]!))).toEqual([a, b]);
  });

  it('on a terminal, deletes nothing when the answer is no', async () => {
    const sb = await useSandbox({ seed: 2, randomSeed: 'pty-no' });
    const before = sb.visits();
    const dirs = isolatedDirs();
    const pty = ljitInPty(['visits', 'delete', String(before[0]!._id)], { env: { ...envFor(sb), ...dirs } });
    await pty.waitFor('Delete this visit? [y/N]');
    pty.send('n\n');
    expect(await pty.exit).toBe(0);
    expect(pty.text).toContain('Nothing was deleted.');
    expect(sb.visits()).toEqual(before);
    expect(sb.stats.byStatus).toEqual({ 200: 1 }); // the GET that showed it, no DELETE
    expect(existsSync(join(dirs.LJIT_DATA_DIR, 'backups'))).toBe(false);
  });
});

describe('visits delete', () => {
  it('backs up the records as the server sent them, then deletes; the path is on stderr', async () => {
    const sb = await useSandbox({ seed: 8, randomSeed: 'backup' });
    const all = sb.visits();
    const doomed = all.slice(2, 5);
    const dirs = isolatedDirs();
    const res = await runInProcess(['visits', 'delete', ...ids(doomed), '--yes'], { env: { ...envFor(sb), ...dirs } });
    expect(res.code).toBe(0);
    const file = /Saved 3 visits to (\S+\.ndjson)/.exec(res.stderr)?.[1];
    expect(file).toMatch(new RegExp(`^${join(dirs.LJIT_DATA_DIR, 'backups')}/deleted-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.ndjson$`));
    expect(readNdjson(file!)).toEqual(doomed);
    expect(res.stderr).toContain(`restore: ljit visits import ${file!}`);
    expect(res.stderr).toMatch(/Deleted 3 of 3 visits \([\d.]+ s\)\n {2}deleted\s+3\n {2}already gone\s+0\n {2}failed\s+0\n {2}requests\s+6 \(0 retries, 0 answered 429\)\n/);
    expect(sb.visits()).toEqual(all.filter((v) => !doomed.includes(v)));
    expect(res.stdout).toBe('');
  });

  it('appends to --backup FILE, so an earlier backup is never lost', async () => {
    const sb = await useSandbox({ seed: 4, randomSeed: 'backup-file' });
    const [a, b] = sb.visits();
    const file = join(useTempDir(), 'mine.ndjson');
    expect((await runInProcess(['visits', 'delete', String(a!._id), '-y', '--backup', file], { env: envFor(sb) })).code).toBe(0);
    expect((await runInProcess(['visits', 'delete', String(b!._id), '-y', '--backup', file], { env: envFor(sb) })).code).toBe(0);
    expect(readNdjson(file)).toEqual([a, b]);
  });

  it('--dry-run lists date, doc no, customer and driver and deletes nothing', async () => {
    const sb = await useSandbox({ seed: 5, randomSeed: 'dry' });
    const before = sb.visits();
    const dirs = isolatedDirs();
    const res = await runInProcess(['visits', 'delete', ...ids(before.slice(0, 3)), 'AAAAAAAAAAAAAAAAA', '--dry-run'], { env: { ...envFor(sb), ...dirs } });
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DATE\s+DOC NO\s+CUSTOMER\s+DRIVER\s+_ID$/);
    expect(lines).toHaveLength(4);
    before.slice(0, 3).forEach((v, i) => {
      for (const field of [v.date, v.docNo, v._id, v.name ?? v.driverId]) expect(lines[i + 1]).toContain(String(field));
    });
    expect(res.stderr).toContain('Dry run: would delete 3 visits; nothing was deleted');
    expect(res.stderr).toMatch(/already gone\s+1/);
    expect(sb.visits()).toEqual(before);
    expect(existsSync(join(dirs.LJIT_DATA_DIR, 'backups'))).toBe(false);
  });

  it('addresses visits by --erp-id', async () => {
    const sb = await useSandbox({ seed: 10, randomSeed: 'erp-delete' });
    const target = sb.visits()[4]!;
    const res = await runInProcess(['visits', 'delete', '--erp-id', String(target.id), '--yes'], { env: envFor(sb) });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`Deleted visit ${String(target._id)}`);
    expect(sb.stats.requests).toBe(2); // the list filter, then the DELETE
    expect(ids(sb.visits())).not.toContain(target._id);
  });

  it('reports a visit already gone without failing, unless --strict', async () => {
    const sb = await useSandbox({ seed: 4, randomSeed: 'gone' });
    const [a, b] = ids(sb.visits());
    await call(sb, 'DELETE', `/visits/${a!}`);
    const one = await runInProcess(['visits', 'delete', a!, '--yes'], { env: envFor(sb) });
    expect(one.code).toBe(0);
    expect(one.stderr).toContain(`Visit ${a!} is already gone`);
    const strict = await runInProcess(['visits', 'delete', a!, '--yes', '--strict'], { env: envFor(sb) });
    expect(strict.code).toBe(5);
    expect(strict.stderr).toContain('not found');
    const erp = await runInProcess(['visits', 'delete', '--erp-id', '424242', '--yes'], { env: envFor(sb) });
    expect(erp.code).toBe(0);
    expect(erp.stderr).toContain('no visit with ERP id 424242');

    const many = await runInProcess(['visits', 'delete', a!, b!, '--yes', '-o', 'json'], { env: envFor(sb) });
    expect(many.code).toBe(0);
    const out = JSON.parse(many.stdout) as { summary: Rec; results: Rec[] };
    expect(out.summary).toMatchObject({ total: 2, deleted: 1, alreadyGone: 1, failed: 0, rateLimited: 0, backup: expect.stringMatching(/\.ndjson$/) });
    expect(out.results).toEqual([
      { _id: a, outcome: 'already-gone', error: 'not found' },
      { _id: b, outcome: 'deleted' },
    ]);
    const [c, d] = ids(sb.visits());
    const strictMany = await runInProcess(['visits', 'delete', a!, c!, d!, '--yes', '--strict'], { env: envFor(sb) });
    expect(strictMany.code).toBe(3);
    expect(strictMany.stderr).toMatch(new RegExp(`Not deleted:\\n  ${a!}\\s+not found\\n`));
    expect(sb.visits()).toHaveLength(0);
  });

  it('does not delete a visit it could not read, and exits 3 naming it', async () => {
    const sb = await useSandbox({ seed: 3, randomSeed: 'unreadable', failRate: 1 });
    const before = sb.visits();
    const res = await runInProcess(['--max-retries', '1', 'visits', 'delete', ...ids(before.slice(0, 2)), '--yes', '-o', 'json'], { env: envFor(sb) });
    expect(res.code).toBe(3);
    const out = JSON.parse(res.stdout) as { summary: Rec; results: Rec[] };
    expect(out.results.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    expect(String(out.results[0]!.error)).toMatch(new RegExp(`^not deleted, could not be read: GET /visits/${String(before[0]!._id)}: the server answered 50[03]`));
    expect(out.summary).toMatchObject({ deleted: 0, failed: 2, backup: null });
    expect(res.stderr).toContain('2 of 2 visits could not be deleted');
    sb.setOptions({ failRate: 0 });
    expect(sb.visits()).toEqual(before);
  });
});



describe('visits delete, then visits import BACKUP', () => {
  it('brings the deleted visits back: same fields, same ERP ids, new _ids', async () => {
    const sb = await useSandbox({ seed: 12, randomSeed: 'restore' });
    const all = sb.visits();
    const doomed = all.slice(3, 8);
    const backup = join(useTempDir(), 'before-cleanup.ndjson');
    const del = await runInProcess(['visits', 'delete', ...ids(doomed), '--yes', '--backup', backup], { env: envFor(sb) });
    expect(del.code).toBe(0);
    expect(sb.visits()).toHaveLength(7);

    const imp = await runInProcess(['visits', 'import', backup], { env: envFor(sb) });
    expect(imp.stderr).not.toContain('unknown command');
    expect(imp.code).toBe(0);
    const server = new Set<string>(SERVER_FIELDS);
    // The importer leaves out empty cells ("" and null), which the server then treats as unset.
    const content = (r: Rec) => Object.fromEntries(Object.entries(r).filter(([k, v]) => !server.has(k) && v !== '' && v !== null));
    const restored = new Map(sb.visits().map((v) => [v.id, v]));
    expect(restored.size).toBe(12);
    for (const v of doomed) {
      const back = restored.get(v.id);
      expect(back?._id).not.toBe(v._id);
      expect(content(back!)).toEqual(content(v));
    }
  });
});

describe('visits delete at scale', () => {
  it(
    'deletes 1,000 visits from stdin with zero 429s while another ljit lists with the same key',
    async () => {
      const sb = await useSandbox({ seed: 1500, randomSeed: 'thousand', rateLimit: { limit: 100, windowMs: 10_000 } });
      const all = sb.visits();
      const doomed = ids(all.slice(0, 1000));
      // One cache directory: both processes read and write the same rate budget file.
      const env = { ...envFor(sb), ...isolatedDirs() };
      const started = Date.now();
      const [del, list] = await Promise.all([
        runCli(['visits', 'delete', '-', '--yes', '-o', 'json'], { env, stdin: doomed.join('\n'), timeoutMs: 170_000 }),
        runCli(['visits', 'list', '-o', 'ndjson', '--fields', '_id'], { env, timeoutMs: 170_000 }),
      ]);
      expect(del.stderr).toMatch(/^Saved 1,000 visits to \S+\.ndjson \(restore: ljit visits import \S+\)\n$/);
      expect(del.code).toBe(0);
      expect(list.code).toBe(0);
      const out = JSON.parse(del.stdout) as { summary: Rec; results: Rec[] };
      expect(out.summary).toMatchObject({ total: 1000, deleted: 1000, alreadyGone: 0, failed: 0, rateLimited: 0 });
      // 15 list pages to read the records (instead of 1,000 GETs), then the DELETEs.
      expect(out.summary.requests).toBe(1015);
      expect(sb.stats.rateLimited).toBe(0);
      expect(sb.visits()).toEqual(all.slice(1000));
      expect(readNdjson(String(out.summary.backup))).toEqual(all.slice(0, 1000));
      expect(list.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeGreaterThan(80_000); // the budget really was shared
    },
    180_000,
  );
});
