/** Shared shapes of the importer: options as the command hands them over, rows, problems. */

export type InputFormat = 'csv' | 'json' | 'ndjson';

export interface ImportOptions {
  inputFormat?: InputFormat;
  delimiter?: string;
  encoding?: string;
  relaxQuotes?: boolean;
  /** `--map "ERP Column=field,..."`, repeatable. */
  map?: string[];
  ignoreUnknown?: boolean;
  companyId?: string;
  lines?: string;
  lastWins?: boolean;
  skipInvalid?: boolean;
  batchSize: number;
  dryRun?: boolean;
  resume?: boolean;
  report?: string;
  rejects?: string;
  output: 'text' | 'json';
  /** Problems printed on stderr before "... and N more" (the rejects file has them all). */
  maxErrors: number;
  /** Batches in flight at once (the global --concurrency). */
  concurrency: number;
}

/** One problem with one input row (or the header), printed as `FILE:LINE: column: message`. */
export interface Problem {
  file: string;
  line: number;
  /** Column as the file names it (or the field, for JSON); empty for a problem with the whole row. */
  column: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.column ? `${p.column}: ` : ''}${p.message}`;
}

/** One data record as read from the input, before validation. */
export interface SourceRow {
  /** 0-based position among the data records (blank rows are not records); stable across reads. */
  index: number;
  /** Physical line where the record starts (1-based; quoted line breaks counted). */
  line: number;
  /** CSV: the cells, in header order, as read. */
  cells?: string[];
  /** JSON / NDJSON: the parsed value. */
  value?: unknown;
  /** A problem with the record itself (a ragged row, a JSON syntax error). */
  error?: string;
  /** JSON / NDJSON: the element's text when it is not valid JSON (for the rejects file). */
  raw?: string;
}
