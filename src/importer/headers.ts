import { INPUT_FIELDS, lineSchema, REQUIRED_FIELDS, SERVER_FIELDS } from '../api/schemas.js';
import { UsageError } from '../errors.js';
import type { Problem } from './types.js';

/**
 * Column names to visit fields. A header matches a field ignoring case, spaces, `_` and `-` (`Doc No`,
 * `docno`, `doc_no` → docNo; `Time Windows` → time_windows); `--map "ERP Column=field"` names others, and
 * `--map "Column="` drops one. Columns only the server writes (`_id`, createdAt...) and the `error` column
 * of a rejects file are ignored without a word, so an export or a fixed rejects file imports as it is.
 */

export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/** The column a rejects file adds; ignored on import so a fixed rejects file imports again. */
export const REJECTS_ERROR_COLUMN = 'error';

export interface FieldSet {
  /** normalised name → field */
  byName: Map<string, string>;
  /** Names dropped silently, compared case-insensitively but otherwise exact (`_id` is not `id`). */
  silent: Set<string>;
  /** Fields a file must have a column for. */
  required: readonly string[];
}

function fieldSet(fields: readonly string[], silent: readonly string[], required: readonly string[], aliases: Record<string, string> = {}): FieldSet {
  const byName = new Map<string, string>();
  for (const f of fields) byName.set(normaliseName(f), f);
  for (const [alias, f] of Object.entries(aliases)) byName.set(normaliseName(alias), f);
  return { byName, silent: new Set(silent.map((n) => n.toLowerCase())), required };
}

export const VISIT_FIELDS: FieldSet = fieldSet(INPUT_FIELDS, [...SERVER_FIELDS, REJECTS_ERROR_COLUMN], REQUIRED_FIELDS);

/** The column of a lines file that names the visit (its ERP id). */
export const LINES_KEY = 'visitId';
export const LINE_FIELDS_LIST = Object.keys(lineSchema.shape);
export const LINE_FIELDS: FieldSet = fieldSet(
  [LINES_KEY, ...LINE_FIELDS_LIST],
  [REJECTS_ERROR_COLUMN],
  [LINES_KEY, 'actionItem', 'description'],
  { visit: LINES_KEY, visitErpId: LINES_KEY },
);

/** `--map` entries: normalised source name → field (or null to drop the column). */
export type ColumnMap = Map<string, string | null>;

export function parseMapOption(values: readonly string[] | undefined, targets: readonly FieldSet[]): ColumnMap {
  const map: ColumnMap = new Map();
  for (const value of values ?? []) {
    for (const part of value.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.lastIndexOf('=');
      if (eq <= 0) throw new UsageError(`--map expects "Column=field" pairs separated by commas (got ${JSON.stringify(part.trim())})`);
      const source = part.slice(0, eq).trim();
      const target = part.slice(eq + 1).trim();
      if (target === '') {
        map.set(normaliseName(source), null);
        continue;
      }
      const field = targets.map((t) => t.byName.get(normaliseName(target))).find((f) => f !== undefined);
      if (!field) throw new UsageError(`--map "${source}=${target}": ${JSON.stringify(target)} is not a visit field`, 'The fields are listed in docs/import-format.md.');
      map.set(normaliseName(source), field);
    }
  }
  return map;
}

export interface ColumnPlan {
  headers: string[];
  /** Per column: the field it fills, or null when it is ignored. */
  fields: (string | null)[];
  /** field → the header that fills it (for messages). */
  columnOf: Map<string, string>;
}

export interface PlanColumnsOptions {
  set: FieldSet;
  map: ColumnMap;
  ignoreUnknown: boolean;
  /** Required fields that may be missing because something else fills them (--company-id, --lines). */
  provided: ReadonlySet<string>;
  file: string;
  line: number;
}

export type Resolution = { kind: 'field'; field: string } | { kind: 'ignored' } | { kind: 'unknown' };

export function resolveName(name: string, set: FieldSet, map: ColumnMap): Resolution {
  const key = normaliseName(name);
  if (key === '') return { kind: 'ignored' };
  if (map.has(key)) {
    const target = map.get(key);
    return target ? { kind: 'field', field: target } : { kind: 'ignored' };
  }
  if (set.silent.has(name.normalize('NFC').trim().toLowerCase())) return { kind: 'ignored' };
  const field = set.byName.get(key);
  if (field) return { kind: 'field', field };
  return { kind: 'unknown' };
}

export function planColumns(headers: string[], o: PlanColumnsOptions): { plan: ColumnPlan; problems: Problem[] } {
  const problems: Problem[] = [];
  const fields: (string | null)[] = [];
  const columnOf = new Map<string, string>();
  const firstColumn = new Map<string, number>();
  const unknown: string[] = [];
  headers.forEach((header, i) => {
    const r = resolveName(header, o.set, o.map);
    if (r.kind === 'field') {
      const earlier = firstColumn.get(r.field);
      if (earlier !== undefined) {
        problems.push({
          file: o.file,
          line: o.line,
          column: 'header',
          message: `columns ${JSON.stringify(headers[earlier])} (column ${earlier + 1}) and ${JSON.stringify(header)} (column ${i + 1}) both map to ${r.field}; rename or drop one (--map "${header}=")`,
        });
        fields.push(null);
        return;
      }
      firstColumn.set(r.field, i);
      columnOf.set(r.field, header);
      fields.push(r.field);
      return;
    }
    if (r.kind === 'unknown') {
      if (!o.ignoreUnknown) unknown.push(header);
    }
    fields.push(null);
  });
  if (unknown.length > 0) {
    problems.push({
      file: o.file,
      line: o.line,
      column: 'header',
      message: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}: name the field with --map "${unknown[0] ?? ''}=field", or skip ${unknown.length > 1 ? 'them' : 'it'} with --ignore-unknown`,
    });
  }
  const missing = o.set.required.filter((f) => !firstColumn.has(f) && !o.provided.has(f));
  if (missing.length > 0) {
    const companyHint = missing.includes('companyId') ? ' (companyId can also come from --company-id)' : '';
    problems.push({ file: o.file, line: o.line, column: 'header', message: `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${companyHint}` });
  }
  return { plan: { headers, fields, columnOf }, problems };
}
