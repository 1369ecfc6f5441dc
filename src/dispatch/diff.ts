import { parseFlag } from '../api/scalars.js';
import { visitStatus, type VisitStatus } from '../output/visit-columns.js';
import { textOf } from './counts.js';

/**
 * What changed between two polls of the same day. A snapshot keeps only the fields a dispatcher acts on,
 * normalised (flags as booleans, ids as text), so a server that spells a flag `"1"` one time and `true` the
 * next does not raise false alarms.
 */

export const CHANGE_KINDS = ['new', 'removed', 'started', 'closed', 'skipped', 'reopened', 'reassigned', 'confirmed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface VisitState {
  status: VisitStatus;
  closed: boolean;
  inProgress: boolean;
  skipped: boolean;
  confirmClose: boolean;
  skippedReasonId: string | null;
  driverId: string;
  name: string;
  date: string;
}

export interface TrackedVisit {
  _id: string;
  docNo: string;
  customer: string;
  state: VisitState;
}

/** _id → tracked visit, in server order (Map keeps insertion order). */
export type Snapshot = Map<string, TrackedVisit>;

export interface Change {
  kind: ChangeKind;
  _id: string;
  docNo: string;
  customer: string;
  /** The driver now, or the last one for a removed visit. */
  driverId: string;
  before: VisitState | null;
  after: VisitState | null;
}

export function stateOf(visit: Record<string, unknown>): VisitState {
  const reason = textOf(visit.skippedReasonId);
  return {
    status: visitStatus(visit),
    closed: parseFlag(visit.closed) === 1,
    inProgress: parseFlag(visit.inProgress) === 1,
    skipped: parseFlag(visit.skipped) === 1,
    confirmClose: parseFlag(visit.confirmClose) === 1,
    skippedReasonId: reason === '' ? null : reason,
    driverId: textOf(visit.driverId),
    name: textOf(visit.name),
    date: textOf(visit.date),
  };
}

export function snapshotOf(visits: Iterable<Record<string, unknown>>): Snapshot {
  const snap: Snapshot = new Map();
  for (const v of visits) {
    const _id = textOf(v._id);
    if (_id === '') continue;
    snap.set(_id, { _id, docNo: textOf(v.docNo), customer: textOf(v.customer), state: stateOf(v) });
  }
  return snap;
}

const STATUS_CHANGE: Record<VisitStatus, ChangeKind> = {
  open: 'reopened',
  'in progress': 'started',
  closed: 'closed',
  skipped: 'skipped',
};

/**
 * Changes in the order of the new poll, then removals in the order of the old one. A visit can yield
 * several (reassigned and closed between two polls); `confirmed` only when it was already closed, since a
 * close that arrives confirmed is one event for a dispatcher, not two.
 */
export function diffSnapshots(prev: Snapshot, next: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const now of next.values()) {
    const was = prev.get(now._id);
    const base = { _id: now._id, docNo: now.docNo, customer: now.customer, driverId: now.state.driverId, after: now.state };
    if (!was) {
      changes.push({ kind: 'new', ...base, before: null });
      continue;
    }
    const b = was.state;
    const a = now.state;
    if (a.status !== b.status) changes.push({ kind: STATUS_CHANGE[a.status], ...base, before: b });
    if (a.driverId !== b.driverId) changes.push({ kind: 'reassigned', ...base, before: b });
    if (a.status === 'closed' && b.status === 'closed' && a.confirmClose && !b.confirmClose) changes.push({ kind: 'confirmed', ...base, before: b });
  }
  for (const was of prev.values()) {
    if (next.has(was._id)) continue;
    changes.push({ kind: 'removed', _id: was._id, docNo: was.docNo, customer: was.customer, driverId: was.state.driverId, before: was.state, after: null });
  }
  return changes;
}

/** Which drivers a set of changes touched (both sides of a reassignment). */
export function driversTouched(changes: readonly Change[]): Set<string> {
  const ids = new Set<string>();
  for (const c of changes) {
    if (c.before) ids.add(c.before.driverId);
    if (c.after) ids.add(c.after.driverId);
  }
  return ids;
}

/** The NDJSON event for a change: what a script alerts on. */
export function changeEvent(change: Change, at: number): Record<string, unknown> {
  return {
    at: new Date(at).toISOString(),
    change: change.kind,
    _id: change._id,
    docNo: change.docNo,
    customer: change.customer,
    driverId: change.driverId,
    before: change.before,
    after: change.after,
  };
}
