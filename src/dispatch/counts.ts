import { parseFlag } from '../api/scalars.js';
import { visitStatus } from '../output/visit-columns.js';

/**
 * Per-driver counts for a day of visits. Each visit lands in exactly one status bucket (visitStatus: skipped
 * wins over closed, closed over in progress, else open), so open + inProgress + closed + skipped = total;
 * `confirmed` is the part of `closed` whose close the ERP has confirmed.
 */

export interface StatusCounts {
  total: number;
  open: number;
  inProgress: number;
  closed: number;
  skipped: number;
  confirmed: number;
}

export interface DriverCounts extends StatusCounts {
  driverId: string;
  name: string;
}

/** The machine formats' fields, in this order. */
export const DRIVER_COUNT_FIELDS = ['driverId', 'name', 'total', 'open', 'inProgress', 'closed', 'skipped', 'confirmed'] as const;

export const NO_DRIVER = '(no driver)';

export interface SkippedVisit {
  _id: string;
  driverId: string;
  name: string;
  docNo: string;
  customer: string;
  reasonId: string;
}

/** A field as text; ids may arrive as numbers. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

export function emptyCounts(): StatusCounts {
  return { total: 0, open: 0, inProgress: 0, closed: 0, skipped: 0, confirmed: 0 };
}

export function addVisit(counts: StatusCounts, visit: Record<string, unknown>): void {
  counts.total += 1;
  switch (visitStatus(visit)) {
    case 'skipped':
      counts.skipped += 1;
      break;
    case 'closed':
      counts.closed += 1;
      if (parseFlag(visit.confirmClose) === 1) counts.confirmed += 1;
      break;
    case 'in progress':
      counts.inProgress += 1;
      break;
    case 'open':
      counts.open += 1;
      break;
  }
}

/** One row per driver, sorted by name then id; a driver's name is the first non-empty one among their visits. */
export function countByDriver(visits: Iterable<Record<string, unknown>>): DriverCounts[] {
  const rows = new Map<string, DriverCounts>();
  for (const visit of visits) {
    const driverId = textOf(visit.driverId);
    let row = rows.get(driverId);
    if (!row) {
      row = { driverId, name: '', ...emptyCounts() };
      rows.set(driverId, row);
    }
    if (row.name === '') row.name = textOf(visit.name).trim();
    addVisit(row, visit);
  }
  for (const row of rows.values()) if (row.name === '') row.name = row.driverId === '' ? NO_DRIVER : row.driverId;
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.driverId.localeCompare(b.driverId));
}

export function totalsOf(rows: readonly StatusCounts[]): StatusCounts {
  const sum = emptyCounts();
  for (const r of rows) {
    sum.total += r.total;
    sum.open += r.open;
    sum.inProgress += r.inProgress;
    sum.closed += r.closed;
    sum.skipped += r.skipped;
    sum.confirmed += r.confirmed;
  }
  return sum;
}

/** The skipped visits by driver name (server order within a driver), with what a dispatcher calls the customer about. */
export function skippedVisits(visits: Iterable<Record<string, unknown>>): SkippedVisit[] {
  const out: SkippedVisit[] = [];
  for (const v of visits) {
    if (visitStatus(v) !== 'skipped') continue;
    out.push({
      _id: textOf(v._id),
      driverId: textOf(v.driverId),
      name: textOf(v.name).trim() || textOf(v.driverId) || NO_DRIVER,
      docNo: textOf(v.docNo),
      customer: textOf(v.customer),
      reasonId: textOf(v.skippedReasonId),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

/** Territory names compare without case; no names means every territory. */
export function territoryFilter(territories: readonly string[] | undefined): (visit: Record<string, unknown>) => boolean {
  const wanted = new Set((territories ?? []).map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
  if (wanted.size === 0) return () => true;
  return (visit) => wanted.has(textOf(visit.territory).trim().toLowerCase());
}
