import { planColumns, VISIT_FIELDS, type ColumnMap, type ColumnPlan } from './headers.js';
import { utf8Bytes, type HashTap, type InputFile } from './input.js';
import { readCsv } from './read-csv.js';
import { readJsonArray, readNdjson } from './read-json.js';
import type { RecordDelimiter } from './record-scanner.js';
import type { Problem, SourceRow } from './types.js';

/** The rows of the visits file, whatever its format, each with its index and starting line. */

export interface ReadSettings {
  /** CSV only; resolved (sniffed or --delimiter) once, before pass 1. */
  delimiter: string;
  recordDelimiter: RecordDelimiter;
  relaxQuotes: boolean;
  map: ColumnMap;
  ignoreUnknown: boolean;
  /** Required fields filled from elsewhere (--company-id, --lines). */
  provided: ReadonlySet<string>;
}

export interface RowSource {
  /** CSV: the header cells as written, and what each column fills. */
  headers?: string[];
  plan?: ColumnPlan;
  headerProblems: Problem[];
  rows: AsyncGenerator<SourceRow>;
}

export async function openRows(input: InputFile, s: ReadSettings, tap?: HashTap): Promise<RowSource> {
  const bytes = utf8Bytes(input, tap);
  if (input.format === 'json') return { headerProblems: [], rows: readJsonArray(bytes, input.label) };
  if (input.format === 'ndjson') return { headerProblems: [], rows: readNdjson(bytes, input.label) };
  const table = await readCsv(bytes, { delimiter: s.delimiter, recordDelimiter: s.recordDelimiter, relaxQuotes: s.relaxQuotes, file: input.label });
  const { plan, problems } = planColumns(table.headers, {
    set: VISIT_FIELDS,
    map: s.map,
    ignoreUnknown: s.ignoreUnknown,
    provided: s.provided,
    file: input.label,
    line: table.headerLine,
  });
  return { headers: table.headers, plan, headerProblems: problems, rows: table.rows };
}
