import { InvalidArgumentError } from 'commander';
import { FLAG_FIELDS, INPUT_FIELDS, SERVER_FIELDS, formatIssues, visitPatchSchema } from '../../api/schemas.js';
import { parseFlag } from '../../api/scalars.js';
import { InvalidInputError, UsageError } from '../../errors.js';
import { displayValue } from '../../output/display.js';
import { oneLine } from '../../output/sanitize.js';
import { truncate } from '../../output/text.js';
import type { FieldChange } from './bulk.js';
import { resolveDate } from './dates.js';

/**
 * The body of `visits update`: built from --data, then --set, then the named flags (each later source wins
 * for a field it names), checked against the same schema the server uses, before a single request.
 */

export interface PatchFlags {
  date?: string;
  driver?: string;
  driverName?: string;
  obs?: string;
  priority?: string;
  serviceOrder?: string;
  closed?: string;
  skipped?: string;
  contactPerson?: string;
  contactPhone?: string;
  set?: string[];
  data?: string;
}

/** The named flags and the field each one sets. Values go to the schema as typed, so it judges them all. */
export const FIELD_FLAGS = [
  ['date', 'date'],
  ['driver', 'driverId'],
  ['driverName', 'name'],
  ['obs', 'obs'],
  ['priority', 'priority'],
  ['serviceOrder', 'serviceOrder'],
  ['closed', 'closed'],
  ['skipped', 'skipped'],
  ['contactPerson', 'contactPerson'],
  ['contactPhone', 'contactPhone'],
] as const satisfies readonly (readonly [keyof PatchFlags, string])[];

export interface PatchSources {
  now: number;
  /** Text of `--data @file` (`-` is stdin). */
  readData(source: string): Promise<string>;
}

export interface RawPatch {
  body: Record<string, unknown>;
  /** Fields whose --set value was read as JSON (a number, true, a list...), for a hint when text was meant. */
  jsonFromSet: Set<string>;
}

const SERVER_SET = new Set<string>(SERVER_FIELDS);
const INPUT_SET = new Set<string>(INPUT_FIELDS);
const FLAG_SET = new Set<string>(FLAG_FIELDS);

/**
 * `--set` values: JSON when they read as a JSON object, list, number or boolean; a quoted JSON string is
 * that string (the way to send text that looks like a number: --set 'docNo="123"'); anything else is the
 * text as typed, blanks included.
 */
export function parseSetValue(text: string): { value: unknown; json: boolean } {
  const t = text.trim();
  if (t !== '') {
    try {
      const value = JSON.parse(t) as unknown;
      if (typeof value === 'string') return { value, json: false };
      if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'object' && value !== null)) return { value, json: true };
    } catch {
      // Not JSON: plain text.
    }
  }
  return { value: text, json: false };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function closestField(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { field: string; d: number } | undefined;
  for (const field of INPUT_FIELDS) {
    const d = field.toLowerCase() === lower ? 0 : distance(lower, field.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { field, d };
  }
  return best?.field;
}

function serverFieldError(fields: readonly string[]): UsageError {
  const list = fields.join(', ');
  return new UsageError(
    `${list} ${fields.length === 1 ? 'is a field' : 'are fields'} the server writes; an update cannot change ${fields.length === 1 ? 'it' : 'them'}`,
    `Leave ${fields.length === 1 ? 'it' : 'them'} out of --data and --set. To change the ERP id, set "id".`,
  );
}

async function dataBody(spec: string, sources: PatchSources): Promise<Record<string, unknown>> {
  let text = spec;
  let where = '--data';
  if (spec.startsWith('@')) {
    const file = spec.slice(1);
    if (file === '') throw new UsageError('--data @ needs a file name, e.g. --data @changes.json');
    where = file === '-' ? '--data @- (stdin)' : `--data file ${file}`;
    try {
      text = await sources.readData(file);
    } catch (err) {
      throw new UsageError(`cannot read ${where}: ${(err as Error).message}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`, `Example: --data '{"obs":"Ring twice","priority":2}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${where} must be one JSON object with the fields to change (got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value})`);
  }
  return value as Record<string, unknown>;
}

/** The body as the user wrote it, before validation. Refuses server fields and unknown --set fields. */
export async function buildPatch(flags: PatchFlags, sources: PatchSources): Promise<RawPatch> {
  const body: Record<string, unknown> = flags.data !== undefined ? await dataBody(flags.data, sources) : {};
  const jsonFromSet = new Set<string>();
  for (const item of flags.set ?? []) {
    const eq = item.indexOf('=');
    const field = eq < 0 ? '' : item.slice(0, eq).trim();
    if (field === '') throw new UsageError(`--set expects field=value (got ${JSON.stringify(item)})`, 'Example: --set territory=LS-Leeds');
    if (SERVER_SET.has(field)) throw serverFieldError([field]);
    if (!INPUT_SET.has(field)) {
      const near = closestField(field);
      throw new UsageError(
        `--set ${field}: not a visit field${near ? ` (did you mean ${near}?)` : ''}`,
        `To send a field ljit does not know, use --data '{"${field}": ...}'. Fields: ljit visits list --help, or docs/import-format.md.`,
      );
    }
    const { value, json } = parseSetValue(item.slice(eq + 1));
    body[field] = value;
    if (json) jsonFromSet.add(field);
    else jsonFromSet.delete(field);
  }
  for (const [flag, field] of FIELD_FLAGS) {
    const value = flags[flag];
    if (value === undefined) continue;
    body[field] = flag === 'date' ? dateValue(value, sources.now) : value;
    jsonFromSet.delete(field);
  }
  const server = Object.keys(body).filter((k) => SERVER_SET.has(k));
  if (server.length > 0) throw serverFieldError(server);
  if (Object.keys(body).length === 0) {
    throw new UsageError('nothing to change: give at least one field', 'Example: ljit visits update yKQhJZ9B7PTT85kWc --date tomorrow --priority 2 (see --help for every flag, --set and --data)');
  }
  return { body, jsonFromSet };
}

/** today/tomorrow/yesterday become dates; anything else goes to the schema, which explains what is wrong. */
function dateValue(value: string, now: number): string {
  try {
    return resolveDate(value, now);
  } catch (err) {
    if (err instanceof InvalidArgumentError) return value;
    throw err;
  }
}

/** The body to send: coerced the way the API wants it (flags 0/1, numbers as numbers), or exit 6. */
export function validatePatch(raw: RawPatch): Record<string, unknown> {
  const parsed = visitPatchSchema.safeParse(raw.body);
  if (parsed.success) return parsed.data;
  const issues = formatIssues(parsed.error);
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
  const root = (path: string) => path.split(/[.[]/)[0] ?? path;
  const quoted = issues.map((i) => root(i.path)).find((f) => raw.jsonFromSet.has(f));
  throw new InvalidInputError(
    `the changes are not valid, nothing was sent:\n${lines}`,
    quoted ? `--set read ${quoted}'s value as JSON; to send it as text, quote it: --set '${quoted}="..."'` : undefined,
  );
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Same value in the API's loose sense: flags in any spelling, numbers sent as text (rulings 3 and 4). */
export function sameValue(field: string, before: unknown, after: unknown): boolean {
  if (FLAG_SET.has(field)) {
    const a = parseFlag(before);
    const b = parseFlag(after);
    if (a !== undefined && b !== undefined) return a === b;
  }
  if (typeof after === 'number' && typeof before === 'string' && before.trim() !== '' && Number(before) === after) return true;
  if (typeof before === 'number' && typeof after === 'string' && after.trim() !== '' && Number(after) === before) return true;
  return stable(before) === stable(after);
}

/** The fields of `patch` whose value differs from the record's. */
export function changesFor(record: Record<string, unknown>, patch: Record<string, unknown>): FieldChange[] {
  return Object.entries(patch)
    .filter(([field, to]) => !sameValue(field, record[field], to))
    .map(([field, to]) => ({ field, from: record[field] ?? null, to }));
}

const VALUE_WIDTH = 60;

function shown(field: string, value: unknown): string {
  const text = displayValue(field, value);
  return text === '' ? '(empty)' : truncate(oneLine(text), VALUE_WIDTH);
}

/** `  date     2020-03-31 → 2026-01-16`, one line a field. */
export function formatChanges(changes: readonly FieldChange[]): string[] {
  const width = Math.max(0, ...changes.map((c) => c.field.length)) + 2;
  return changes.map((c) => `  ${oneLine(c.field).padEnd(width)}${shown(c.field, c.from)} → ${shown(c.field, c.to)}`);
}
