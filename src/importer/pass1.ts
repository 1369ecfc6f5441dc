import { IdIndex } from './ids.js';
import { HashTap, type InputFile } from './input.js';
import { unusedLines } from './lines-file.js';
import { collectGarbage, ROWS_PER_COLLECTION } from '../memory.js';
import { FatalInputError } from './read-csv.js';
import { openRows, type ReadSettings } from './read-rows.js';
import type { Problem } from './types.js';
import { validateRow, type RowContext } from './validate.js';

/**
 * Pass 1: stream every row through the schema before anything is sent. Memory: the id table (16 bytes a
 * row), the rows that will not be sent, and the first problems by line; never the rows themselves.
 */

export interface Pass1Result {
  rowsRead: number;
  /** Rows that passed the schema (duplicates included). */
  schemaValid: number;
  /** Lines of the rows that will not be sent because they are invalid (schema, or a duplicate id). */
  invalid: Set<number>;
  /** Rows a later row with the same id replaces (--last-wins): line → that row's line. */
  superseded: Map<number, number>;
  /** Why a row is invalid when the schema alone does not say (duplicate ids), by line. */
  extraMessages: Map<number, string>;
  /** The first problems by line (at most `keep`), and how many there are in all. */
  problems: Problem[];
  problemCount: number;
  /** Problems that stop the import whatever --skip-invalid says (header, broken file, lines file). */
  blocking: boolean;
  sha256: string;
  size: number;
  ids: IdIndex;
  /** Fields the file can set (CSV: the mapped columns; JSON: the keys seen). */
  fields: Set<string>;
  headers: string[] | undefined;
}

export interface Pass1Options {
  settings: ReadSettings;
  rowContext: Omit<RowContext, 'plan'>;
  lastWins: boolean;
  keep: number;
  onProgress?: (rows: number) => void;
  signal?: AbortSignal;
}

export async function runPass1(input: InputFile, o: Pass1Options): Promise<Pass1Result> {
  const tap = new HashTap();
  const ids = new IdIndex();
  const invalid = new Set<number>();
  const superseded = new Map<number, number>();
  const extraMessages = new Map<number, string>();
  const kept: Problem[] = [];
  let problemCount = 0;
  let blocking = false;
  let rowsRead = 0;
  let schemaValid = 0;
  const fields = new Set<string>();
  const note = (p: Problem): void => {
    problemCount += 1;
    if (kept.length < o.keep) kept.push(p);
  };

  let headers: string[] | undefined;
  try {
    const source = await openRows(input, o.settings, tap);
    headers = source.headers;
    for (const p of source.headerProblems) note(p);
    if (source.headerProblems.length > 0) {
      blocking = true;
      // Without a usable header no row can be read correctly; stop here.
      await source.rows.return(undefined);
    } else {
      for (const f of source.plan?.fields ?? []) if (f) fields.add(f);
      const rc: RowContext = { ...o.rowContext, ...(source.plan ? { plan: source.plan } : {}) };
      for await (const row of source.rows) {
        rowsRead += 1;
        if (rowsRead % 5000 === 0) {
          o.onProgress?.(rowsRead);
          o.signal?.throwIfAborted();
          if (rowsRead % ROWS_PER_COLLECTION === 0) collectGarbage();
        }
        const result = validateRow(row, rc);
        if (result.visit) {
          schemaValid += 1;
          ids.add(result.visit.id, row.line);
          if (input.format !== 'csv') for (const k of Object.keys(result.visit)) fields.add(k);
        } else {
          invalid.add(row.line);
          for (const p of result.problems) note(p);
        }
      }
    }
  } catch (err) {
    if (!(err instanceof FatalInputError)) throw err;
    note(err.problem);
    blocking = true;
  }
  if (o.rowContext.companyId !== undefined) fields.add('companyId');
  if (o.rowContext.lines) fields.add('lines');

  // Duplicates: every line of an id is named; the file's problems stay in line order when printed.
  const duplicateProblems: Problem[] = [];
  ids.seal(o.lastWins, (d) => {
    const last = d.lines[d.lines.length - 1] ?? 0;
    for (const line of d.lines) {
      if (o.lastWins) {
        if (line !== last) superseded.set(line, last);
        continue;
      }
      invalid.add(line);
      const others = d.lines.filter((l) => l !== line);
      const message = `duplicate ERP id ${d.id}: also on line${others.length > 1 ? 's' : ''} ${others.join(', ')} (keep one, or use --last-wins)`;
      extraMessages.set(line, message);
      problemCount += 1;
      if (duplicateProblems.length < o.keep) duplicateProblems.push({ file: input.label, line, column: 'id', message });
    }
  });
  const lines = o.rowContext.lines;
  if (lines) {
    for (const p of lines.problems) note(p);
    if (!blocking) {
      // Lines that reach no visit (a typo in visitId) would be lost silently: they stop the import.
      const unused = unusedLines(lines, input.label);
      for (const p of unused) note(p);
      if (unused.length > 0 || lines.unkeyed > 0) blocking = true;
    }
  }
  const problems = [...kept, ...duplicateProblems]
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === input.label ? -1 : b.file === input.label ? 1 : 0))
    .slice(0, o.keep);
  return {
    rowsRead,
    schemaValid,
    invalid,
    superseded,
    extraMessages,
    problems,
    problemCount,
    blocking,
    sha256: tap.digest ?? '',
    size: tap.bytes,
    ids,
    fields,
    headers,
  };
}
