import { lineSchema } from '../api/schemas.js';
import type { Context } from '../context.js';
import { sniffDelimiter } from './dialect.js';
import { LINE_FIELDS, LINES_KEY, planColumns, type ColumnMap } from './headers.js';
import { HashTap, openInput, utf8Bytes } from './input.js';
import { readCsv } from './read-csv.js';
import { detectRecordDelimiter } from './record-scanner.js';
import type { Problem } from './types.js';
import { cleanCell, erpKey } from './validate.js';
import { formatIssues } from '../api/schemas.js';

/**
 * `--lines FILE`: visit lines from a second CSV, one line per row, keyed by the visit's ERP id in a
 * `visitId` column. Lines are validated here with the shared line schema (problems name the lines file and
 * its line), then attached to their visit while the visits file is read. The lines are held in memory,
 * compactly, for the whole run: the lines file is bounded by its size, not by the visits file.
 */

export interface LinesEntry {
  lines: Record<string, unknown>[];
  /** First line of the file holding a line of this visit. */
  line: number;
  problems: string[];
  used: boolean;
}

export interface LinesIndex {
  file: string;
  sha256: string;
  byVisit: Map<string, LinesEntry>;
  problems: Problem[];
  rows: number;
  /** Rows with no usable visit id: they belong to no visit. */
  unkeyed: number;
}

export interface LinesOptions {
  encoding?: string;
  delimiter?: string;
  relaxQuotes: boolean;
  map: ColumnMap;
  ignoreUnknown: boolean;
}

export async function loadLinesFile(ctx: Context, file: string, o: LinesOptions): Promise<LinesIndex> {
  const input = await openInput(ctx, file, { inputFormat: 'csv', ...(o.encoding !== undefined ? { encoding: o.encoding } : {}) }, 'lines');
  try {
    const delimiter = o.delimiter ?? sniffDelimiter(input.head, input.headIsWhole, input.label);
    const tap = new HashTap();
    const source = await readCsv(utf8Bytes(input, tap), { delimiter, recordDelimiter: detectRecordDelimiter(input.head), relaxQuotes: o.relaxQuotes, file: input.label });
    const { plan, problems } = planColumns(source.headers, { set: LINE_FIELDS, map: o.map, ignoreUnknown: o.ignoreUnknown, provided: new Set(), file: input.label, line: source.headerLine });
    const byVisit = new Map<string, LinesEntry>();
    let rows = 0;
    let unkeyed = 0;
    const keyColumn = plan.fields.indexOf(LINES_KEY);
    for await (const row of source.rows) {
      rows += 1;
      if (problems.some((p) => p.column === 'header')) continue;
      const cells = row.cells ?? [];
      const keyText = cells[keyColumn] ?? '';
      const key = erpKey(keyText);
      if (row.error !== undefined) {
        problems.push({ file: input.label, line: row.line, column: '', message: row.error });
        if (key === undefined) {
          unkeyed += 1;
          continue;
        }
      }
      if (key === undefined) {
        unkeyed += 1;
        problems.push({ file: input.label, line: row.line, column: plan.columnOf.get(LINES_KEY) ?? LINES_KEY, message: keyText === '' ? 'is required (the ERP id of the visit this line belongs to)' : `must be a visit's ERP id, a whole number (got ${JSON.stringify(keyText)})` });
        continue;
      }
      const line: Record<string, unknown> = {};
      plan.fields.forEach((field, j) => {
        const cell = cells[j];
        if (!field || field === LINES_KEY || cell === undefined || cell === '') return;
        const text = cleanCell(cell);
        if (field === 'extraData') {
          try {
            line[field] = JSON.parse(text) as unknown;
          } catch {
            line[field] = text;
          }
        } else line[field] = text;
      });
      let entry = byVisit.get(key);
      if (!entry) {
        entry = { lines: [], line: row.line, problems: [], used: false };
        byVisit.set(key, entry);
      }
      if (row.error !== undefined) {
        entry.problems.push(`line ${row.line}: ${row.error}`);
        continue;
      }
      const parsed = lineSchema.safeParse(line);
      if (!parsed.success) {
        for (const issue of formatIssues(parsed.error)) {
          const m = /^([^.[]*)(.*)$/.exec(issue.path);
          const field = m?.[1] ?? '';
          const column = field ? `${plan.columnOf.get(field) ?? field}${m?.[2] ?? ''}` : '';
          problems.push({ file: input.label, line: row.line, column, message: issue.message });
          entry.problems.push(`line ${row.line}: ${column ? `${column}: ` : ''}${issue.message}`);
        }
        continue;
      }
      entry.lines.push(line);
    }
    return { file: input.label, sha256: tap.digest ?? '', byVisit, problems, rows, unkeyed };
  } finally {
    await input.cleanup();
  }
}

/** Lines whose visit id matches no row of the visits file: most likely a typo, never silently dropped. */
export function unusedLines(index: LinesIndex, visitsFile: string): Problem[] {
  const out: Problem[] = [];
  for (const [key, entry] of index.byVisit) {
    if (!entry.used) out.push({ file: index.file, line: entry.line, column: LINES_KEY, message: `no visit with id ${key} in ${visitsFile}` });
  }
  return out;
}
