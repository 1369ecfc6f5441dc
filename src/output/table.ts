import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { sanitize } from './sanitize.js';
import { displayWidth, truncate } from './text.js';

/**
 * Drawing a terminal table (gh style: no borders, two spaces between columns, bold headers) fitted to
 * the terminal width, and the tab-separated line used instead when stdout is piped.
 */

export interface DrawCell {
  /** Sanitized, single-line text. */
  text: string;
  style?: (text: string) => string;
}

export interface DrawOptions {
  /** Terminal columns; 0 means unknown, so nothing is narrowed. */
  width: number;
  /** Which columns may be narrowed; among equally wide ones, the earlier gives way first. */
  shrink: readonly boolean[];
  chalk: ChalkInstance;
  /** Spaces before every line. */
  indent?: number;
  /** Draw the header row (default true). */
  header?: boolean;
}

const GAP = 2;
const MIN_WIDTH = 6;
const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' '.repeat(GAP),
};

/**
 * Column widths that fit `available` columns: the widest shrinkable column loses one column at a time
 * (never below 6, or its natural width when that is less) until the table fits or nothing can give.
 */
export function fitWidths(natural: readonly number[], shrink: readonly boolean[], available: number): number[] {
  const widths = [...natural];
  if (available <= 0) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
  let excess = total() - available;
  while (excess > 0) {
    let pick = -1;
    for (let i = 0; i < widths.length; i++) {
      const w = widths[i] ?? 0;
      if (shrink[i] !== true || w <= Math.min(MIN_WIDTH, natural[i] ?? 0)) continue;
      if (pick === -1 || w > (widths[pick] ?? 0)) pick = i;
    }
    if (pick === -1) break;
    widths[pick] = (widths[pick] ?? 0) - 1;
    excess--;
  }
  return widths;
}

export function drawTable(headers: readonly string[], rows: readonly (readonly DrawCell[])[], opts: DrawOptions): string {
  const indent = opts.indent ?? 0;
  const withHeader = opts.header !== false;
  const natural = headers.map((h, i) =>
    Math.max(withHeader ? displayWidth(h) : 1, ...rows.map((r) => displayWidth(r[i]?.text ?? ''))),
  );
  const widths = fitWidths(natural, opts.shrink, opts.width > 0 ? opts.width - indent : 0);
  const table = new Table({
    head: withHeader ? headers.map((h, i) => opts.chalk.bold(truncate(h, widths[i] ?? 0))) : [],
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colWidths: widths,
    wordWrap: false,
  });
  for (const row of rows) {
    table.push(
      headers.map((_, i) => {
        const cell = row[i];
        const t = truncate(cell?.text ?? '', widths[i] ?? 0);
        return cell?.style && t !== '' ? cell.style(t) : t;
      }),
    );
  }
  const pad = ' '.repeat(indent);
  return `${table
    .toString()
    .split('\n')
    .map((line) => pad + line.replace(/ +$/, ''))
    .join('\n')}\n`;
}

/** One piped line: cells sanitized (tabs and line breaks become spaces), joined by tabs. */
export function tsvLine(cells: readonly string[]): string {
  return `${cells.map((c) => sanitize(c)).join('\t')}\n`;
}
