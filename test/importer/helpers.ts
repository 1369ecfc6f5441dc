import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { onTestFinished } from 'vitest';
import { visitInputSchema } from '../../src/api/schemas.js';
import { toCell } from '../../src/output/visit-cells.js';
import type { Sandbox } from '../../src/sandbox/server.js';

import { BIN, runInProcess } from '../helpers/cli.js';

export { BIN };

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

/** `ljit ...` in this process, through the real Commander tree and the one error catch. */
export async function ljit(argv: string[], o: RunOptions): Promise<Run> {
  const dirs = o.dirs ?? dirsIn(tempDir());
  return runInProcess(argv, {
    env: { LJIT_API_URL: o.sandbox.url, LJIT_API_KEY: o.key ?? 'import-key', LJIT_CONFIG_DIR: dirs.config, LJIT_CACHE_DIR: dirs.cache, LJIT_DATA_DIR: dirs.data },
    ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
    ...(o.stderrTTY !== undefined ? { stderrTTY: o.stderrTTY } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

/** The built CLI to spawn. */
export function cliEntry(): string {
  return BIN;
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
