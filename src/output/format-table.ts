import { createColor } from './color.js';
import { displayValue } from './display.js';
import { getPath } from './fields.js';
import type { Renderer, RendererOptions } from './renderer.js';
import { oneLine } from './sanitize.js';
import { writeText } from './sink.js';
import { drawTable, tsvLine, type DrawCell } from './table.js';
import { VISIT_TABLE_COLUMNS, type TableColumn } from './visit-columns.js';
import { genericCell, toCell } from './visit-cells.js';

/**
 * `table`: on a terminal, a table fitted to the width (rows buffered); piped, tab-separated lines with the
 * same columns, streamed: a header line unless `--no-header`, no colour, nothing cut, tabs and line breaks
 * in values turned into spaces. Columns are the visit defaults, or `--fields`, or (generic records) the
 * union of keys. With `--fields`, terminal cells are human (flags yes/no, time windows 08:30–18:00) and
 * piped cells are the flat CSV encoding (flags 1/0).
 */

interface Column extends TableColumn {
  /** Cell text when piped; `value` when absent. */
  piped?(record: Record<string, unknown>): string;
}

function fieldColumns(fields: readonly string[], kind: RendererOptions['kind']): Column[] {
  return fields.map((path) => ({
    header: path,
    shrink: true,
    value: (r) => displayValue(path, getPath(r, path)),
    piped: (r) => (kind === 'visits' ? toCell(path, getPath(r, path)) : genericCell(getPath(r, path))),
  }));
}

function unionColumns(records: readonly Record<string, unknown>[]): Column[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) keys.add(k);
  return fieldColumns([...keys], 'records');
}

export function createTableRenderer(opts: RendererOptions): Renderer {
  const { io } = opts;
  const tty = io.stdoutIsTTY;
  let columns: readonly Column[] | undefined = opts.fields
    ? fieldColumns(opts.fields, opts.kind)
    : opts.kind === 'visits'
      ? VISIT_TABLE_COLUMNS
      : undefined;
  const buffered: Record<string, unknown>[] = [];
  let headerDone = !opts.header;

  const pipedLines = (cols: readonly Column[], records: readonly Record<string, unknown>[]) => {
    let text = '';
    if (!headerDone) {
      headerDone = true;
      text += tsvLine(cols.map((c) => c.header));
    }
    for (const r of records) text += tsvLine(cols.map((c) => (c.piped ?? c.value)(r)));
    return text;
  };

  return {
    async write(record) {
      if (tty || columns === undefined) {
        buffered.push(record);
        return;
      }
      await writeText(io.stdout, pipedLines(columns, [record]));
    },
    async end() {
      columns ??= unionColumns(buffered);
      if (columns.length === 0) return;
      if (!tty) {
        await writeText(io.stdout, pipedLines(columns, buffered));
        return;
      }
      if (buffered.length === 0) return;
      const chalk = createColor({ env: opts.env, isTTY: true, color: opts.color });
      const cols = columns;
      const rows = buffered.map((r): DrawCell[] =>
        cols.map((c) => {
          const text = oneLine(c.value(r));
          return c.style ? { text, style: c.style(chalk, r) } : { text };
        }),
      );
      const table = drawTable(
        cols.map((c) => oneLine(c.header)),
        rows,
        { width: io.columns, shrink: cols.map((c) => c.shrink === true), chalk, header: opts.header },
      );
      await writeText(io.stdout, table);
    },
  };
}
