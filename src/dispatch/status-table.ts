import type { ChalkInstance } from 'chalk';
import { oneLine } from '../output/sanitize.js';
import { drawTable, type DrawCell } from '../output/table.js';
import { totalsOf, type DriverCounts, type SkippedVisit, type StatusCounts } from './counts.js';

/**
 * The dispatcher's terminal tables, shared by `visits status` and the watch board: one row per driver with
 * a totals row, statuses in the colours `visits list` uses, and the skipped visits listed underneath.
 */

type CountKey = keyof StatusCounts;

const COUNT_COLUMNS: readonly { key: CountKey; header: string; color?: (chalk: ChalkInstance) => (t: string) => string }[] = [
  { key: 'total', header: 'TOTAL' },
  { key: 'open', header: 'OPEN' },
  { key: 'inProgress', header: 'IN PROGRESS', color: (c) => c.yellow },
  { key: 'closed', header: 'CLOSED', color: (c) => c.green },
  { key: 'skipped', header: 'SKIPPED', color: (c) => c.red },
  { key: 'confirmed', header: 'CONFIRMED', color: (c) => c.green },
];

export interface DriverTableOptions {
  chalk: ChalkInstance;
  /** Terminal columns; 0 when unknown. */
  width: number;
  /** Drivers to mark with `•` (the board: touched by the last poll). */
  marked?: ReadonlySet<string>;
  /** Counts of the previous poll, by driver id: cells that differ are shown inverse. */
  previous?: ReadonlyMap<string, StatusCounts>;
  indent?: number;
}

export function renderDriverTable(rows: readonly DriverCounts[], opts: DriverTableOptions): string {
  const { chalk } = opts;
  const totals = totalsOf(rows);
  const all: (StatusCounts & { driverId: string; name: string; isTotal?: boolean })[] = [...rows, { driverId: '', name: 'TOTAL', ...totals, isTotal: true }];
  // Numbers right-aligned under their headers: cli-table3 pads on the right, so pad here.
  const widths = new Map(COUNT_COLUMNS.map((c) => [c.key, Math.max(c.header.length, ...all.map((r) => String(r[c.key]).length))]));
  const marking = opts.marked !== undefined && opts.marked.size > 0;
  const body = all.map((r): DrawCell[] => {
    const mark = marking ? (r.isTotal !== true && opts.marked?.has(r.driverId) === true ? '• ' : '  ') : '';
    const before = r.isTotal === true ? undefined : opts.previous?.get(r.driverId);
    const name: DrawCell = { text: mark + oneLine(r.name), ...(r.isTotal === true ? { style: chalk.bold } : mark === '• ' ? { style: chalk.bold } : {}) };
    const id: DrawCell = { text: oneLine(r.driverId), style: chalk.dim };
    const counts = COUNT_COLUMNS.map((c): DrawCell => {
      const n = r[c.key];
      const text = String(n).padStart(widths.get(c.key) ?? 0);
      const base = n === 0 ? chalk.dim : (c.color?.(chalk) ?? ((t: string) => t));
      const changed = opts.previous !== undefined && r.isTotal !== true && (before === undefined || before[c.key] !== n);
      const styled = changed ? (t: string) => chalk.inverse(base(t)) : base;
      return { text, style: r.isTotal === true ? (t: string) => chalk.bold(styled(t)) : styled };
    });
    return [name, id, ...counts];
  });
  const headers = ['DRIVER', 'ID', ...COUNT_COLUMNS.map((c) => c.header.padStart(widths.get(c.key) ?? 0))];
  return drawTable(headers, body, {
    width: opts.width,
    shrink: headers.map((_, i) => i < 2),
    chalk,
    ...(opts.indent !== undefined ? { indent: opts.indent } : {}),
  });
}

export function renderSkippedList(skipped: readonly SkippedVisit[], opts: { chalk: ChalkInstance; width: number }): string {
  if (skipped.length === 0) return '';
  const { chalk } = opts;
  const rows = skipped.map((s): DrawCell[] => [
    { text: oneLine(s.name) },
    { text: oneLine(s.reasonId) || '-' },
    { text: oneLine(s.customer) },
    { text: oneLine(s.docNo) },
    { text: oneLine(s._id), style: chalk.dim },
  ]);
  const title = chalk.red.bold(`Skipped (${skipped.length})`);
  const table = drawTable(['DRIVER', 'REASON', 'CUSTOMER', 'DOC NO', 'ID'], rows, { width: opts.width, shrink: [true, false, true, true, false], chalk });
  return `${title}\n${table}`;
}
