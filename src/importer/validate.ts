import { formatIssues, visitInputSchema, type VisitInput } from '../api/schemas.js';
import { fromCell } from '../output/visit-cells.js';
import { resolveName, VISIT_FIELDS, type ColumnMap, type ColumnPlan } from './headers.js';
import type { LinesIndex } from './lines-file.js';
import type { InputFormat, Problem, SourceRow } from './types.js';

/**
 * One input row to the visit that would be sent, through the shared schema (the one the sandbox uses on
 * the other side): flat CSV cells become field values with `fromCell`; JSON values are taken as they are
 * (text in a list or time-window field may use the flat form too). Empty cells are left out, so an update
 * leaves those fields as they were. Every problem names the file, the line and the column as the file
 * spells it.
 */

export interface RowContext {
  file: string;
  format: InputFormat;
  /** CSV: what each column fills. */
  plan?: ColumnPlan;
  map: ColumnMap;
  ignoreUnknown: boolean;
  companyId?: string;
  lines?: LinesIndex;
}

export interface RowResult {
  visit?: VisitInput;
  /** The ERP id when it is valid. */
  erpId?: number;
  /** The id as written in the file, for the report. */
  idText: string;
  problems: Problem[];
}

/** Undo the `'` a formula-escaping export puts before = + - @ (spreadsheets hide it; the field must not keep it). */
export function cleanCell(text: string): string {
  const t = /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(t) ? t.normalize('NFC') : t;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ERP ids as map keys: numeric text and numbers agree ("0042" and 42). */
export function erpKey(value: unknown): string | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? String(n) : undefined;
}

function fieldsFromCsv(row: SourceRow, rc: RowContext): { fields: Record<string, unknown>; columnOf: (f: string) => string } {
  const fields: Record<string, unknown> = {};
  const plan = rc.plan;
  const cells = row.cells ?? [];
  if (plan) {
    for (let j = 0; j < plan.fields.length; j++) {
      const field = plan.fields[j];
      if (!field) continue;
      const cell = cells[j];
      if (cell === undefined || cell === '') continue;
      const value = fromCell(field, cleanCell(cell));
      if (value !== undefined) fields[field] = value;
    }
  }
  return { fields, columnOf: (f) => plan?.columnOf.get(f) ?? f };
}

function fieldsFromJson(row: SourceRow, rc: RowContext, problems: Problem[]): { fields: Record<string, unknown>; columnOf: (f: string) => string } {
  const fields: Record<string, unknown> = {};
  const keyOf = new Map<string, string>();
  const value = row.value;
  if (!isPlainObject(value)) {
    problems.push({ file: rc.file, line: row.line, column: '', message: `must be an object with the visit's fields (got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)?.slice(0, 40) ?? 'nothing'})` });
    return { fields, columnOf: (f) => f };
  }
  const unknown: string[] = [];
  for (const [key, raw] of Object.entries(value)) {
    const r = resolveName(key, VISIT_FIELDS, rc.map);
    if (r.kind === 'ignored') continue;
    if (r.kind === 'unknown') {
      if (!rc.ignoreUnknown) unknown.push(key);
      continue;
    }
    const earlier = keyOf.get(r.field);
    if (earlier !== undefined) {
      problems.push({ file: rc.file, line: row.line, column: key, message: `"${earlier}" and "${key}" both map to ${r.field}` });
      continue;
    }
    keyOf.set(r.field, key);
    if (raw === null || raw === undefined) continue;
    const v = typeof raw === 'string' ? fromCell(r.field, cleanCell(raw)) : raw;
    if (v !== undefined) fields[r.field] = v;
  }
  if (unknown.length > 0) {
    problems.push({
      file: rc.file,
      line: row.line,
      column: '',
      message: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')} (name the field with --map "${unknown[0] ?? ''}=field", or skip with --ignore-unknown)`,
    });
  }
  return { fields, columnOf: (f) => keyOf.get(f) ?? f };
}

/** Splits `time_windows[0].latest` into the field and the rest. */
function splitPath(path: string): [string, string] {
  const m = /^([^.[]*)(.*)$/.exec(path);
  return [m?.[1] ?? path, m?.[2] ?? ''];
}

export function validateRow(row: SourceRow, rc: RowContext): RowResult {
  const problems: Problem[] = [];
  if (row.error !== undefined) {
    problems.push({ file: rc.file, line: row.line, column: '', message: row.error });
    return { idText: '', problems };
  }
  const { fields, columnOf } = rc.format === 'csv' ? fieldsFromCsv(row, rc) : fieldsFromJson(row, rc, problems);
  if (fields.companyId === undefined && rc.companyId !== undefined) fields.companyId = rc.companyId;
  const idText = typeof fields.id === 'string' || typeof fields.id === 'number' ? String(fields.id) : '';

  if (rc.lines) {
    const key = erpKey(fields.id);
    const entry = key === undefined ? undefined : rc.lines.byVisit.get(key);
    if (entry) {
      entry.used = true;
      if (fields.lines !== undefined) {
        problems.push({ file: rc.file, line: row.line, column: columnOf('lines'), message: `has lines here and in ${rc.lines.file} (line ${entry.line}); keep one` });
      } else if (entry.problems.length > 0) {
        problems.push({ file: rc.file, line: row.line, column: 'lines', message: `its lines in ${rc.lines.file} have problems (${entry.problems.join('; ')})` });
      } else fields.lines = entry.lines;
    }
  }

  const parsed = visitInputSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of formatIssues(parsed.error)) {
      const [field, rest] = splitPath(issue.path);
      problems.push({ file: rc.file, line: row.line, column: field ? `${columnOf(field)}${rest}` : '', message: issue.message });
    }
  }
  if (problems.length > 0 || !parsed.success) {
    const erp = erpKey(fields.id);
    return { idText, problems, ...(erp !== undefined ? { erpId: Number(erp) } : {}) };
  }
  return { visit: parsed.data, erpId: parsed.data.id, idText: String(parsed.data.id), problems };
}

export function problemsText(problems: readonly Problem[]): string {
  return problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ');
}
