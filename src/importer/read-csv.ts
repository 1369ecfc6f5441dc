import { pipeline, type Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { InvalidInputError } from '../errors.js';
import { delimiterName } from './dialect.js';
import { RecordScanner, type RecordDelimiter } from './record-scanner.js';
import type { Problem, SourceRow } from './types.js';

/**
 * CSV records from UTF-8 bytes (reliability.md §4 and §8.6): one delimiter, never an array; values as text
 * (`cast` off); a record may not exceed 1 MiB, so an unclosed quote fails near where it opened instead of
 * buffering the whole file; a row whose cell count differs from the header is reported, not repaired.
 */

export const MAX_RECORD_BYTES = 1024 * 1024;

/** An input the reader cannot go past (an unclosed quote, a broken JSON array). */
export class FatalInputError extends InvalidInputError {
  constructor(readonly problem: Problem) {
    super(`${problem.file}:${problem.line}: ${problem.column ? `${problem.column}: ` : ''}${problem.message}`);
  }
}

export interface CsvReadOptions {
  delimiter: string;
  recordDelimiter: RecordDelimiter;
  relaxQuotes: boolean;
  file: string;
}

export interface TableSource {
  headers: string[];
  headerLine: number;
  rows: AsyncGenerator<SourceRow>;
}


function describeCsvError(err: CsvError, o: CsvReadOptions): string {
  switch (String(err.code)) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell in the row starting here is never closed (the file ends inside quotes)';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row starting here is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB: most likely a quote that is never closed`;
    case 'INVALID_OPENING_QUOTE':
      return 'a quote in the middle of an unquoted cell: quote the whole cell and double the inner quotes (""), or use --relax-quotes';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `text right after a closing quote (expected ${delimiterName(o.delimiter)} or the end of the line); double the quotes inside a quoted cell (""), or use --relax-quotes`;
    default:
      return err.message;
  }
}

/** Reads the header, then yields each data record with the line it starts on. */
export async function readCsv(bytes: Readable, o: CsvReadOptions): Promise<TableSource> {
  const tracker = new RecordScanner({ delimiter: o.delimiter, recordDelimiter: o.recordDelimiter, relaxQuotes: o.relaxQuotes });
  const parser = parse({
    delimiter: o.delimiter,
    record_delimiter: o.recordDelimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: o.relaxQuotes,
    max_record_size: MAX_RECORD_BYTES,
    cast: false,
  });
  let failure: unknown;
  pipeline(bytes, tracker, parser, (err) => {
    if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') failure ??= err;
  });
  const iterator = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();

  const fatal = (err: unknown): never => {
    if (err instanceof InvalidInputError) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE')) {
      throw new FatalInputError({ file: o.file, line: tracker.failureLine(), column: '', message: describeCsvError(err as CsvError, o) });
    }
    throw err;
  };

  async function next(): Promise<{ cells: string[]; line: number } | undefined> {
    for (;;) {
      let step: IteratorResult<string[]>;
      try {
        step = await iterator.next();
      } catch (err) {
        return fatal(failure ?? err);
      }
      if (step.done) {
        if (failure) fatal(failure);
        return undefined;
      }
      const line = tracker.next();
      const cells = step.value;
      // Blank rows (including Excel's ";;;;" rows) are not records.
      if (cells.every((c) => c === '')) continue;
      return { cells, line };
    }
  }

  const first = await next();
  if (!first) throw new InvalidInputError(`${o.file}: the file is empty (no header line)`);
  const headers = first.cells;
  const width = headers.length;

  async function* rows(): AsyncGenerator<SourceRow> {
    let index = 0;
    try {
      for (let rec = await next(); rec; rec = await next()) {
        const row: SourceRow = { index, line: rec.line, cells: rec.cells };
        index += 1;
        if (rec.cells.length > width) {
          // Trailing empty cells (a spreadsheet's extra separators) are harmless.
          if (rec.cells.slice(width).some((c) => c !== '')) row.error = `has ${rec.cells.length} cells, the header has ${width}`;
          else row.cells = rec.cells.slice(0, width);
        } else if (rec.cells.length < width) {
          row.error = `has ${rec.cells.length} cell${rec.cells.length === 1 ? '' : 's'}, the header has ${width}`;
        }
        yield row;
      }
    } finally {
      if (!parser.destroyed) parser.destroy();
    }
  }

  return { headers, headerLine: first.line, rows: rows() };
}
