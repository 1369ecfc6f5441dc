import type { ChalkInstance } from 'chalk';
import { parseFlag } from '../api/scalars.js';
import { genericCell } from './visit-cells.js';

/** The default columns of `visits list` as a table (TTY) or tab-separated lines (piped). */

export type VisitStatus = 'open' | 'in progress' | 'closed' | 'skipped';

/** One word for a visit's state: skipped wins over closed, closed over in progress; otherwise open. */
export function visitStatus(record: Record<string, unknown>): VisitStatus {
  if (parseFlag(record.skipped) === 1) return 'skipped';
  if (parseFlag(record.closed) === 1) return 'closed';
  if (parseFlag(record.inProgress) === 1) return 'in progress';
  return 'open';
}

/** Open has no colour; in progress yellow, closed green, skipped red. */
export function statusStyle(chalk: ChalkInstance, status: VisitStatus): (text: string) => string {
  switch (status) {
    case 'open':
      return (t) => t;
    case 'in progress':
      return chalk.yellow;
    case 'closed':
      return chalk.green;
    case 'skipped':
      return chalk.red;
  }
}

export interface TableColumn {
  header: string;
  /** Plain (unsanitized) text of the cell. */
  value(record: Record<string, unknown>): string;
  /** May be narrowed, with `…`, when the table is wider than the terminal; earlier ones give way first. */
  shrink?: boolean;
  style?(chalk: ChalkInstance, record: Record<string, unknown>): (text: string) => string;
}

function text(field: string): (record: Record<string, unknown>) => string {
  return (record) => genericCell(record[field]);
}

function driver(record: Record<string, unknown>): string {
  const name = record.name;
  return typeof name === 'string' && name.trim() !== '' ? name : genericCell(record.driverId);
}

export const VISIT_TABLE_COLUMNS: readonly TableColumn[] = [
  { header: 'DATE', value: text('date') },
  { header: 'ORDER', value: text('serviceOrder') },
  { header: 'CUSTOMER', value: text('customer'), shrink: true },
  { header: 'CITY', value: text('city'), shrink: true },
  { header: 'DRIVER', value: driver, shrink: true },
  { header: 'STATUS', value: visitStatus, style: (chalk, r) => statusStyle(chalk, visitStatus(r)) },
  { header: 'PRI', value: text('priority') },
  { header: 'DOC NO', value: text('docNo'), shrink: true },
  { header: 'ID', value: text('_id'), style: (chalk) => chalk.dim },
];
