import { stringify } from 'csv-stringify/sync';
import { getPath } from './fields.js';
import { sanitize } from './sanitize.js';
import type { Renderer, RendererOptions } from './renderer.js';
import { writeText } from './sink.js';
import { CSV_EXPORT_COLUMNS, genericCell, toCell } from './visit-cells.js';

/**
 * RFC 4180 CSV (CRLF line ends, quotes where needed, including around a bare CR or LF), one row per
 * record, streamed. Columns: `--fields` if given, else CSV_EXPORT_COLUMNS for visits (what the importer
 * reads back), else (generic records) the union of the records' keys, which means buffering. Visit cells
 * use the flat encoding of visit-cells.ts. On a terminal (nobody is capturing the bytes), escape sequences
 * and control characters other than tab and line breaks are stripped; piped, cells are written untouched.
 */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * CWE-1236: a spreadsheet runs a cell that starts with = + - @ (or tab / CR) as a formula; prefix `'`.
 * Plain numbers such as -2.5 are left alone.
 */
export function escapeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

export function csvRow(cells: readonly string[]): string {
  return stringify([cells], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

function unionKeys(records: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

export function createCsvRenderer(opts: RendererOptions): Renderer {
  const out = opts.io.stdout;
  const cell = opts.kind === 'visits' ? toCell : (_field: string, value: unknown) => genericCell(value);
  let columns: readonly string[] | undefined = opts.fields ?? (opts.kind === 'visits' ? CSV_EXPORT_COLUMNS : undefined);
  const buffered: Record<string, unknown>[] = [];
  let headerDone = !opts.header;
  const clean = opts.io.stdoutIsTTY ? (t: string) => sanitize(t, { newlines: true, tabs: true }) : (t: string) => t;

  const row = (record: Record<string, unknown>, cols: readonly string[]) =>
    csvRow(
      cols.map((c) => {
        const text = clean(cell(c, getPath(record, c)));
        return opts.escapeFormulas ? escapeFormula(text) : text;
      }),
    );
  const header = (cols: readonly string[]) => {
    if (headerDone) return '';
    headerDone = true;
    return csvRow(opts.escapeFormulas ? cols.map(escapeFormula) : cols);
  };

  return {
    async write(record) {
      if (columns === undefined) {
        buffered.push(record);
        return;
      }
      await writeText(out, header(columns) + row(record, columns));
    },
    async end() {
      if (columns === undefined) {
        columns = unionKeys(buffered);
        if (columns.length === 0) return;
        await writeText(out, header(columns));
        for (const record of buffered) await writeText(out, row(record, columns));
        return;
      }
      await writeText(out, header(columns));
    },
  };
}
