import { InvalidInputError, UsageError } from '../errors.js';

/**
 * The CSV delimiter (reliability.md §4, §8.6). csv-parse's array of delimiters splits on every entry, so
 * `12,5` in a `;` file would break; instead the header line is scanned outside quotes for each candidate,
 * and a candidate must give the same number of columns on the next ≤ 20 records. One candidate wins, or
 * the user is asked for --delimiter.
 */

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;
const NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const ALIASES: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|', space: ' ' };

export function delimiterName(d: string): string {
  return NAMES[d] ?? JSON.stringify(d);
}

/** `--delimiter`: one character, or comma / semicolon / tab / \t / pipe. */
export function parseDelimiterOption(value: string): string {
  const alias = ALIASES[value.toLowerCase()];
  if (alias) return alias;
  if (!/^[\x20-\x7e\t]$/.test(value) || value === '"') {
    throw new UsageError(`--delimiter must be one ASCII character other than a quote, or comma, semicolon, tab or pipe (got ${JSON.stringify(value)})`);
  }
  return value;
}

const SAMPLE_RECORDS = 21;

/** Counts of each candidate outside quotes, per record, for the first records of `text`. */
export function countDelimiters(text: string, complete: boolean): number[][] {
  const records: number[][] = [];
  let counts = DELIMITER_CANDIDATES.map(() => 0);
  let inQuotes = false;
  let empty = true;
  for (let i = 0; i < text.length && records.length < SAMPLE_RECORDS; i++) {
    const c = text[i];
    if (c === '"') {
      inQuotes = !inQuotes;
      empty = false;
      continue;
    }
    if (inQuotes) continue;
    if (c === '\n' || c === '\r') {
      if (!empty) records.push(counts);
      counts = DELIMITER_CANDIDATES.map(() => 0);
      empty = true;
      continue;
    }
    empty = false;
    const k = DELIMITER_CANDIDATES.indexOf(c as (typeof DELIMITER_CANDIDATES)[number]);
    if (k !== -1) counts[k] = (counts[k] ?? 0) + 1;
  }
  // The last record counts only if the sample is the whole file (otherwise it may be cut off).
  if (complete && !empty && !inQuotes && records.length < SAMPLE_RECORDS) records.push(counts);
  return records;
}

export function sniffDelimiter(text: string, complete: boolean, fileLabel: string): string {
  const records = countDelimiters(text, complete);
  const header = records[0];
  if (!header) throw new InvalidInputError(`${fileLabel}: the file is empty (no header line)`);
  const rest = records.slice(1);
  const inHeader = DELIMITER_CANDIDATES.filter((_, k) => (header[k] ?? 0) > 0);
  const consistent = inHeader.filter((d) => {
    const k = DELIMITER_CANDIDATES.indexOf(d);
    return rest.every((r) => r[k] === header[k]);
  });
  if (consistent.length === 1 && consistent[0] !== undefined) return consistent[0];
  if (consistent.length === 0 && inHeader.length === 1 && inHeader[0] !== undefined) return inHeader[0];
  const hint = 'Say which with --delimiter (comma, semicolon, tab or pipe).';
  if (inHeader.length === 0) {
    throw new InvalidInputError(`${fileLabel}:1: cannot tell the delimiter: the header line has no comma, semicolon, tab or pipe outside quotes`, hint);
  }
  const names = (consistent.length > 0 ? consistent : inHeader).map(delimiterName).join(' and ');
  throw new InvalidInputError(`${fileLabel}: cannot tell the delimiter: ${names} both split the first ${records.length} lines ${consistent.length > 0 ? 'evenly' : 'unevenly'}`, hint);
}
