import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { onTestFinished } from 'vitest';
import { visitInputSchema } from '../../src/api/schemas.js';
import { registerImportCommand } from '../../src/commands/visits/import-register.js';
import { systemClock, type Context } from '../../src/context.js';
import { reportError } from '../../src/main.js';
import { toCell } from '../../src/output/visit-cells.js';
import { buildProgram } from '../../src/program.js';
import type { Sandbox } from '../../src/sandbox/server.js';

export const BIN = resolve(import.meta.dirname, '../../bin/ljit.js');
const DIST = resolve(import.meta.dirname, '../../dist');

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-import-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  sandbox: Sandbox | { url: string };
  key?: string;
  dirs?: { config: string; cache: string; data: string };
  stdin?: string;
  stderrTTY?: boolean;
  signal?: AbortSignal;
}

export function dirsIn(root: string): { config: string; cache: string; data: string } {
  return { config: join(root, 'config'), cache: join(root, 'cache'), data: join(root, 'data') };
}

/**
 * `ljit visits import ...` in this process, through the real Commander tree and the one error catch
 * (main.ts's reportError), with the import command registered if program.ts does not have it yet.
 */
export async function ljit(argv: string[], o: RunOptions): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const dirs = o.dirs ?? dirsIn(tempDir());
  const ctx: Context = {
    io: {
      stdout,
      stderr,
      stdin: Readable.from(o.stdin !== undefined ? [Buffer.from(o.stdin)] : []),
      stdoutIsTTY: false,
      stderrIsTTY: o.stderrTTY ?? false,
      stdinIsTTY: false,
      columns: 0,
    },
    clock: systemClock,
    env: { LJIT_API_URL: o.sandbox.url, LJIT_API_KEY: o.key ?? 'import-key' },
    paths: dirs,
    signal: o.signal ?? new AbortController().signal,
    version: '0.0.0-test',
  };
  const program = buildProgram(ctx);
  const visits = program.commands.find((c) => c.name() === 'visits');
  if (visits && !visits.commands.some((c) => c.name() === 'import')) registerImportCommand(visits, ctx);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    code = reportError(e, ctx, false);
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}

let cachedEntry: string | undefined;

/**
 * The built CLI with `visits import` registered, for end-to-end tests that run before program.ts wires the
 * command in. Mirrors src/cli.ts: the first signal aborts ctx.signal, a second exits 130.
 */
function shimSource(): string {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(DIST, p)).href);
  return `
const { createSystemContext } = await import(${dist('context.js')});
const { buildProgram } = await import(${dist('program.js')});
const { reportError } = await import(${dist('main.js')});
const { registerImportCommand } = await import(${dist('commands/visits/import-register.js')});
const controller = new AbortController();
let interrupts = 0;
const onSignal = () => { interrupts += 1; if (interrupts === 1) controller.abort(new Error('signal')); else process.exit(130); };
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const ctx = createSystemContext('0.0.0-shim', controller.signal);
const program = buildProgram(ctx);
const visits = program.commands.find((c) => c.name() === 'visits');
if (visits && !visits.commands.some((c) => c.name() === 'import')) registerImportCommand(visits, ctx);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
  process.exitCode = 0;
} catch (err) {
  process.exitCode = reportError(err, ctx, false);
}
`;
}

/** The built CLI to spawn: bin/ljit.js once program.ts registers `visits import`, else a shim over dist/. */
export function cliEntry(): string {
  if (cachedEntry) return cachedEntry;
  const registered = spawnSync(process.execPath, [BIN, 'visits', 'import', '--help'], { encoding: 'utf8' }).stdout.includes('Usage: ljit visits import');
  if (registered) cachedEntry = BIN;
  else {
    cachedEntry = join(mkdtempSync(join(tmpdir(), 'ljit-shim-')), 'ljit-import.mjs');
    writeFileSync(cachedEntry, shimSource());
  }
  return cachedEntry;
}

const DRIVERS = ['FEn9BJz93svSNPx7p', 'qWz4xR8kLm2nP5tYb', 'Hd7sK2mN9pQ4rT6vW'];
const CITIES = ['Lisboa', 'Porto', 'Évora', 'São Brás de Alportel', 'INVERURIE'];

/** Visits with varied, valid fields (accents, quotes, line breaks, lists, windows, lines). */
export function makeVisits(n: number, companyId: string, start = 1): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const v: Record<string, unknown> = {
      id: 100_000 + i,
      driverId: DRIVERS[i % DRIVERS.length],
      date: `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      docNo: `DOC-${i}`,
      customer: i % 7 === 0 ? `Café "O Zé", Lda` : `Customer ${i}`,
      address: `Rua ${i}, ${i % 3 === 0 ? 'piso 2;\nporta B' : 'r/c'}`,
      city: CITIES[i % CITIES.length],
      companyId,
      priority: 1 + (i % 10),
      lat: 38.7 + (i % 100) / 1000,
      lng: -9.1 - (i % 100) / 1000,
      time_windows: i % 2 === 0 ? [{ earliest: 30600, latest: 46800 }, { earliest: 54000, latest: 63000 }] : [{ earliest: 28800, latest: 64800 }],
      required_skills: i % 4 === 0 ? ['gas', 'electric'] : ['plumbing'],
      emailMandatory: i % 2,
      obs: i % 5 === 0 ? `Ligar antes.\r\nCódigo: ${i}` : `note ${i}`,
      contactPhone: i % 6 === 0 ? '+351 912 345 678' : '212345678',
    };
    if (i % 3 === 0) v.lines = [{ actionItem: true, description: `Repair ${i}`, qty: 1 }, { actionItem: false, description: 'Part, "big"', qty: 2.5 }];
    out.push(v);
  }
  return out;
}

export const CSV_COLUMNS = ['id', 'driverId', 'date', 'docNo', 'customer', 'address', 'city', 'companyId', 'priority', 'lat', 'lng', 'time_windows', 'required_skills', 'emailMandatory', 'obs', 'contactPhone', 'lines'];

export interface CsvShape {
  delimiter?: string;
  bom?: boolean;
  crlf?: boolean;
  headers?: string[];
  columns?: string[];
}

/** Visits as the flat CSV the importer reads (the same cells `visits list -o csv` writes). */
export function visitsCsv(visits: Record<string, unknown>[], s: CsvShape = {}): string {
  const columns = s.columns ?? CSV_COLUMNS;
  const rows = [s.headers ?? columns, ...visits.map((v) => columns.map((c) => toCell(c, v[c])))];
  const text = stringify(rows, { delimiter: s.delimiter ?? ',', record_delimiter: s.crlf ? '\r\n' : '\n', quoted_match: /[\r\n]/ });
  return (s.bom ? '\ufeff' : '') + text;
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A record (input or stored) in the schema's normalised form, only the fields the input sets. */
export function normalised(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const parsed = visitInputSchema.parse(Object.fromEntries(Object.entries(record).filter(([k]) => !k.startsWith('_') && k in visitInputSchema.shape)));
  return Object.fromEntries(fields.filter((f) => (parsed as Record<string, unknown>)[f] !== undefined).map((f) => [f, (parsed as Record<string, unknown>)[f]]));
}

/** Each input visit has exactly one stored record with the same ERP id, equal field by field. */
export function expectStoreEquals(stored: Record<string, unknown>[], input: Record<string, unknown>[]): { missing: number[]; duplicated: number[]; different: string[] } {
  const byId = new Map<number, Record<string, unknown>[]>();
  for (const r of stored) {
    const id = Number(r.id);
    byId.set(id, [...(byId.get(id) ?? []), r]);
  }
  const missing: number[] = [];
  const duplicated: number[] = [];
  const different: string[] = [];
  for (const v of input) {
    const id = Number(v.id);
    const found = byId.get(id) ?? [];
    if (found.length === 0) missing.push(id);
    if (found.length > 1) duplicated.push(id);
    const record = found[0];
    if (!record) continue;
    const fields = Object.keys(v);
    const a = normalised(v, fields);
    const b = normalised(record, fields);
    for (const f of fields) {
      if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) different.push(`${id}.${f}: ${JSON.stringify(a[f])} vs ${JSON.stringify(b[f])}`);
    }
  }
  return { missing, duplicated, different };
}
